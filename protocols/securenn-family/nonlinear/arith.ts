/**
 * What the non-linear protocols share beyond the one modular-arithmetic API (addMod, subMod, negMod,
 * doubleMod of semantics/kernels/words.ts over the frozen Ring(ℓ) and OddRing(ℓ)): reading a ring
 * entry in the odd ring, bit decomposition, the wrap bit, XOR of a shared bit with a public bit, the
 * element-wise product as a Beaver bilinear map, and the common randomness PrivateCompare draws
 * (non-zero multipliers, permutations).
 *
 * The element-wise work runs on 32-bit words (semantics/kernels/words.ts) and the product in wasm:
 * no bigint per element.
 *
 * Conventions: a public constant is added to P0's share only (P1 adds 0), as `publicShare` does; `j`
 * is the party's index in {0, 1}.
 */
import { bug } from '../../../spec/errors.js';
import type { Bilinear } from '../beaver.js';
import { REJECTED, rejectionTable, type Prg } from '../../common/prg.js';
import * as words from '../../../semantics/kernels/words.js';
import type { Modulus } from '../../../semantics/kernels/words.js';
import type { Ring } from '../../../spec/ring.js';
import type { OddRing } from '../../../spec/field.js';
import { wasmKernels } from '../../../semantics/kernels/wasm.js';
import { permuteFromPool } from '../../kernels/wasm.js';

/**
 * Z_{2^ℓ} entries read as integers modulo 2^ℓ − 1 (only 2^ℓ − 1 itself changes, to 0): from the ring
 * `Ring(ℓ)` into `odd` = OddRing(ℓ).
 */
export function toOdd(odd: OddRing, a: BigUint64Array): BigUint64Array {
  // x mod (2^ℓ − 1) for x < 2^ℓ is x + 0 reduced once, which is what the odd addition does.
  return words.addOdd(odd.ell, a, new BigUint64Array(a.length));
}

/** wrap(a, b, L) = 1 when a + b ≥ L = 2^ℓ as integers (SecureNN's notation), one byte per element. */
export function wraps(ring: Ring, a: BigUint64Array, b: BigUint64Array): Uint8Array {
  return words.wrapsPow2(ring.ell, a, b);
}

/** Small public integers (bits, indices) as a ring vector. */
export function fromSmall(v: ArrayLike<number>): BigUint64Array {
  return words.fromSmall(v);
}

/**
 * Shares of t ⊕ β modulo m (Ring(ℓ) or OddRing(ℓ)) from shares s_j of a bit t and a public bit β:
 * t ⊕ β = t + β − 2βt, so where β = 1 P0 outputs 1 − s_0 and P1 outputs −s_1; elsewhere the share is
 * unchanged.
 */
export function xorPublicBit(m: Modulus, j: 0 | 1, s: BigUint64Array, beta: ArrayLike<number>): BigUint64Array {
  if (s.length !== beta.length) bug(`XOR of ${s.length} shares with ${beta.length} public bits`);
  // Where β = 1: P0 computes 1 − s_0, P1 computes 0 − s_1; elsewhere the share passes unchanged.
  const flipped = words.subMod(m, j === 0 ? words.filled(s.length, 1) : new BigUint64Array(s.length), s);
  const out = s.slice();
  const o = words.wordsOf(out);
  const f = words.wordsOf(flipped);
  for (let i = 0; i < s.length; i++) {
    if (beta[i] !== 0) {
      o[2 * i] = f[2 * i] as number;
      o[2 * i + 1] = f[2 * i + 1] as number;
    }
  }
  return out;
}

/**
 * Bit decomposition of n values of ℓ bits: entry e·ℓ + k is bit k (k = 0 the least significant) of
 * value e.
 */
export function bitsOf(ell: number, v: BigUint64Array): Uint8Array {
  const out = new Uint8Array(v.length * ell);
  const words = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
  for (let e = 0; e < v.length; e++) {
    const lo = words[2 * e] as number;
    const hi = words[2 * e + 1] as number;
    const base = e * ell;
    const low = Math.min(ell, 32);
    for (let k = 0; k < low; k++) out[base + k] = (lo >>> k) & 1;
    for (let k = 32; k < ell; k++) out[base + k] = (hi >>> (k - 32)) & 1;
  }
  return out;
}

/** The element-wise product of two n-vectors over Z_{2^ℓ}, as a Beaver bilinear map. */
export function hadamard(ell: number, n: number): Bilinear {
  return { xSize: n, ySize: n, zSize: n, apply: (x, y) => wasmKernels.mul(ell, x, y) };
}

/** `count` uniform elements of Z_p^* = {1, …, p − 1}. */
export function nonZeroField(prg: Prg, p: number, count: number): Uint8Array {
  return prg.field(p - 1, count, 1);
}

/**
 * n uniform permutations of {0, …, k − 1} (k ≤ 256), by Fisher–Yates with exact rejection sampling on
 * bytes; entry e·k + i is the position element i of block e moves to. Two holders of the same PRG
 * draw the same permutations (the stream consumed depends only on the stream).
 */
export function permutations(prg: Prg, n: number, k: number): Uint8Array {
  if (k > 256) bug(`permutation of ${k} > 256 positions`);
  const out = new Uint8Array(n * k);
  const table = modTables(k);
  const identity = Uint8Array.from({ length: k }, (_, i) => i);
  let pool = prg.bytes(Math.max(64, 2 * n * k));
  let at = 0;
  // One element in JavaScript, refilling the pool from the stream when it runs out mid-element.
  const one = (e: number): void => {
    const base = e * k;
    out.set(identity, base);
    for (let i = k - 1; i > 0; i--) {
      // j uniform in {0, …, i}: the next byte below the largest multiple of i + 1, reduced mod i + 1.
      const row = (i + 1) << 8;
      let j: number;
      do {
        if (at === pool.length) {
          pool = prg.bytes(pool.length);
          at = 0;
        }
        j = table[row + (pool[at++] as number)] as number;
      } while (j === REJECTED);
      const t = out[base + i] as number;
      out[base + i] = out[base + j] as number;
      out[base + j] = t;
    }
  };
  // The wasm kernel draws the same bytes the same way, a chunk of elements at a time; it stops at an
  // element boundary before the pool (or its window of the pool) would run out, and the element it
  // could not finish is drawn here, with the refill.
  let e = 0;
  while (e < n) {
    const r = permuteFromPool({ pool, at, table, out, from: e, n: Math.min(PERMUTE_CHUNK, n - e), k });
    e += r.done;
    at = r.at;
    if (r.done === 0) one(e++);
  }
  return out;
}

/**
 * The reference of `permutations`, one byte at a time from `next` (the PRG's stream): for each of the n
 * blocks, start from the identity and for i = k − 1 down to 1 take the next byte b below
 * 256 − (256 mod (i + 1)), skipping the others, and swap positions i and b mod (i + 1). The wasm kernel
 * and the refilling pool above draw the same bytes in the same order (test/protocols/kernels.test.ts).
 */
export function permutationsReference(next: () => number, n: number, k: number): Uint8Array {
  const out = new Uint8Array(n * k);
  for (let e = 0; e < n; e++) {
    const block = out.subarray(e * k, (e + 1) * k);
    for (let i = 0; i < k; i++) block[i] = i;
    for (let i = k - 1; i > 0; i--) {
      const m = i + 1;
      let b = next();
      while (b >= 256 - (256 % m)) b = next();
      const j = b % m;
      [block[i], block[j]] = [block[j] as number, block[i] as number];
    }
  }
  return out;
}

const PERMUTE_CHUNK = 16384;
const modTableCache = new Map<number, Uint16Array>();

/** Row m (2 ≤ m ≤ k) is `rejectionTable(m)`: entry b is b mod m, or REJECTED at and above the largest multiple of m. */
function modTables(k: number): Uint16Array {
  let t = modTableCache.get(k);
  if (t === undefined) {
    t = new Uint16Array((k + 1) * 256).fill(REJECTED);
    for (let m = 2; m <= k; m++) t.set(rejectionTable(m), m << 8);
    modTableCache.set(k, t);
  }
  return t;
}
