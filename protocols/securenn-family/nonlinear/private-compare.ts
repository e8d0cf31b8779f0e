/**
 * PrivateCompare (SecureNN Alg. 3): P0 and P1 hold Z_p shares of the ℓ bits of a secret x, a common
 * public r ∈ Z_{2^ℓ} and a common random bit β; P2 learns β′ = β ⊕ (x > r) and nothing else.
 *
 * For each bit position i (from the most significant down) party j ∈ {0, 1} forms, in Z_p,
 *   β = 0:  w_i = x_i ⊕ r_i,  c_i = r_i − x_i + 1 + Σ_{k>i} w_k   (j's share: j·r_i − x_i^j + j + Σ w_k^j)
 *   β = 1:  t = r + 1, w_i = x_i ⊕ t_i,  c_i = x_i − t_i + 1 + Σ_{k>i} w_k
 * and c_i = 0 exactly at the first bit (from the top) where x has 1 and r has 0 (β = 0: x > r), or
 * where t has 1 and x has 0 (β = 1: t > x, i.e. x ≤ r). The sums lie in {0, …, ℓ + 1}, so they are
 * zero in Z_p only when zero in Z as long as p > ℓ + 1 (variant.ts). When β = 1 and r = 2^ℓ − 1
 * (t would wrap), x > r is false, so c is set to one zero among ones (P0 holds the constants).
 * The parties multiply each c_i by a common random s_i ∈ Z_p^*, permute the ℓ positions by a common
 * random permutation, and send the results to P2, which adds them and sets β′ = 1 iff some entry is 0.
 *
 * One addition to the whitepaper's text: before multiplying, P0 adds and P1 subtracts a common random
 * z_i ∈ Z_p. The sum is unchanged; without it P2, which dealt the bit shares x_i^j itself (ShareConvert,
 * ComputeMSB), could see which of one party's s_i·c_i^j are zero, an event that depends on r.
 * With it each party's message alone is uniform (proofs-notes/securenn-family.md).
 *
 * Bits are laid out element-major, least significant first: entry e·ℓ + k is bit k of element e.
 * Party j's message is computed by a wasm kernel (protocols/kernels/assembly/compare.ts);
 * `messageReference` below is the same message in plain TypeScript, term for term as written here,
 * and test/protocols/kernels.test.ts checks that the two agree.
 * Cost: P0→P2 and P1→P2 n·ℓ bytes each, one round. All common randomness comes from the P0–P1 PRG.
 * The holders draw s, z and π and compute the message in blocks of STREAM_BLOCK elements (one message
 * still; proofs-notes/performance.md §9).
 */
import { bug } from '../../../spec/errors.js';
import { recvField } from '../../common/codec.js';
import { handOver } from '../../common/handover.js';
import { compareMessage, type CompareInputs } from '../../kernels/wasm.js';
import { peerOf, type HelperContext, type HolderContext } from '../../common/party.js';
import type { Public } from '../../common/sharing.js';
import { nonZeroField, permutations } from './arith.js';
import { checkVariant, type Variant } from './variant.js';

/** The holders' inputs: Z_p shares of the bits of x (n·ℓ), the public r (n) and the common bit β (n). */
export interface CompareHolderInput {
  readonly xBits: Uint8Array;
  readonly r: Public;
  readonly beta: Uint8Array;
}

/** P2: receives both messages and learns β′ = β ⊕ (x > r) (n bits, one byte each). */
export async function privateCompareHelper(ctx: HelperContext, v: Variant, n: number): Promise<Uint8Array> {
  const ell = ctx.ell;
  checkVariant(v, ell);
  const p = v.field.p;
  if (n === 0) return new Uint8Array(0);
  const [d0, d1] = await Promise.all([
    recvField(ctx, 0, n * ell, v.field, 'PrivateCompare'),
    recvField(ctx, 1, n * ell, v.field, 'PrivateCompare'),
  ]);
  return anyZeroSum(d0, d1, p, n, ell);
}

/**
 * P2's test: out[e] = 1 iff d0[k] + d1[k] ≡ 0 (mod p) for some k of element e (entries e·ℓ … e·ℓ + ℓ − 1).
 * Both entries are below p, so their sum is 0 modulo p exactly when it is 0 or p.
 * Four entries at a time where p ≤ 128, ℓ is a multiple of 4 and both arrays are 4-byte aligned: the
 * byte sums are at most 2p − 2 < 256, so adding two 32-bit words adds the four pairs without a carry
 * between bytes; a word has a byte equal to c iff hasZero(w ⊕ c·0x01010101), where
 * hasZero(v) = (v − 0x01010101) & ~v & 0x80808080 is non-zero exactly when some byte of v is 0 (the
 * lowest zero byte always sets its flag; flags above it may be spurious, which does not change "some").
 */
export function anyZeroSum(d0: Uint8Array, d1: Uint8Array, p: number, n: number, ell: number): Uint8Array {
  const out = new Uint8Array(n);
  if (p <= 128 && ell % 4 === 0 && d0.byteOffset % 4 === 0 && d1.byteOffset % 4 === 0) {
    const w0 = new Uint32Array(d0.buffer, d0.byteOffset, (n * ell) >>> 2);
    const w1 = new Uint32Array(d1.buffer, d1.byteOffset, (n * ell) >>> 2);
    const per = ell >>> 2;
    const pp = p * 0x01010101;
    for (let e = 0; e < n; e++) {
      for (let w = e * per; w < (e + 1) * per; w++) {
        const sum = ((w0[w] as number) + (w1[w] as number)) | 0;
        const q = sum ^ pp;
        if (((((sum - 0x01010101) & ~sum) | ((q - 0x01010101) & ~q)) & 0x80808080) !== 0) {
          out[e] = 1;
          break;
        }
      }
    }
    return out;
  }
  for (let e = 0; e < n; e++) {
    for (let k = e * ell; k < (e + 1) * ell; k++) {
      const sum = (d0[k] as number) + (d1[k] as number);
      if (sum === 0 || sum === p) {
        out[e] = 1;
        break;
      }
    }
  }
  return out;
}

/** P0 or P1: sends its masked, permuted message to P2 and learns nothing. */
export async function privateCompareHolder(
  ctx: HolderContext,
  v: Variant,
  n: number,
  inp: CompareHolderInput,
): Promise<void> {
  const ell = ctx.ell;
  checkVariant(v, ell);
  const p = v.field.p;
  if (n === 0) return;
  const { xBits, r, beta } = inp;
  if (xBits.length !== n * ell || r.length !== n || beta.length !== n)
    bug(`PrivateCompare inputs of ${xBits.length}, ${r.length}, ${beta.length} entries for n = ${n}, ℓ = ${ell}`);
  const j = ctx.id;
  const common = ctx.shared(peerOf(j));
  const { red, mul } = compareTables(p, ell);
  const out = new Uint8Array(n * ell);
  // Streamed in blocks of STREAM_BLOCK elements: s, z and π of one block are drawn, used and dropped
  // before the next block's, so the transient arrays are the block's size, not n·ℓ each. One block
  // (n ≤ STREAM_BLOCK) draws exactly as the unstreamed protocol did.
  for (let e0 = 0; e0 < n; e0 += STREAM_BLOCK) {
    const m = Math.min(STREAM_BLOCK, n - e0);
    const s = nonZeroField(common, p, m * ell);
    const z = common.field(p, m * ell);
    const pi = permutations(common, m, ell);
    const block = {
      j,
      p,
      ell,
      n: m,
      xBits: xBits.subarray(e0 * ell, (e0 + m) * ell),
      r: r.subarray(e0, e0 + m),
      beta: beta.subarray(e0, e0 + m),
      s,
      z,
      pi,
    };
    out.set(compareMessage(block, red, mul), e0 * ell);
  }
  ctx.send(2, handOver(out));
}

/**
 * Elements per block of PrivateCompare's common randomness (s, z, π) and message (proofs-notes/
 * performance.md, "Streaming"). Both holders use the same blocks, so they draw the same values.
 */
export const STREAM_BLOCK = 32768;

/**
 * The reference of party j's message, as the file header writes it: per element e (t = r, or r + 1
 * when β = 1) and bit k from the top, j's shares w_k^j = x_k^j + j·t_k − 2·t_k·x_k^j of w_k = x_k ⊕ t_k,
 *   β = 0:  c_k^j = j·t_k − x_k^j + j + Σ_{k'>k} w_{k'}^j
 *   β = 1:  c_k^j = x_k^j − j·t_k + j + Σ_{k'>k} w_{k'}^j
 * (β = 1 and r = 2^ℓ − 1: c^0 is one zero at k = 0 among ones, c^1 = 0), and the entry at position
 * π(k) is s_k·(c_k^j + z_k) for P0, s_k·(c_k^j − z_k) for P1, all in Z_p.
 */
export function messageReference(inp: CompareInputs): Uint8Array {
  const { j, p, ell, n, xBits, r, beta, s, z, pi } = inp;
  const mod = (x: number): number => ((x % p) + p) % p;
  const top = (1n << BigInt(ell)) - 1n;
  const out = new Uint8Array(n * ell);
  for (let e = 0; e < n; e++) {
    const base = e * ell;
    const b = beta[e] as number;
    const re = r[e] as bigint;
    const special = b === 1 && re === top;
    const t = b === 1 && !special ? re + 1n : re;
    let sumW = 0;
    for (let k = ell - 1; k >= 0; k--) {
      const x = xBits[base + k] as number;
      const tk = Number((t >> BigInt(k)) & 1n);
      let c: number;
      if (special) c = j === 0 && k !== 0 ? 1 : 0;
      else c = mod((b === 0 ? j * tk - x : x - j * tk) + j + sumW);
      sumW = mod(sumW + x + j * tk - 2 * tk * x);
      const masked = j === 0 ? c + (z[base + k] as number) : c - (z[base + k] as number);
      out[base + (pi[base + k] as number)] = mod((s[base + k] as number) * mod(masked));
    }
  }
  return out;
}

const tableCache = new Map<number, { red: Uint8Array; mul: Uint8Array }>();

/**
 * The kernel's tables: `red` (x mod p for 0 ≤ x < ℓ·(p + 1) + 5p, which bounds the unreduced running
 * sum of the w's plus the other terms) and `mul` ((a·b) mod p at a·p + b for a, b < p): no division
 * in the kernel's loop.
 */
export function compareTables(p: number, ell: number): { red: Uint8Array; mul: Uint8Array } {
  const key = p * 128 + ell;
  let t = tableCache.get(key);
  if (t === undefined) {
    t = {
      red: Uint8Array.from({ length: ell * (p + 1) + 5 * p }, (_, x) => x % p),
      mul: Uint8Array.from({ length: p * p }, (_, i) => (Math.floor(i / p) * (i % p)) % p),
    };
    tableCache.set(key, t);
  }
  return t;
}
