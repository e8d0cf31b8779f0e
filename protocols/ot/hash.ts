/**
 * The symmetric primitives of OT extension, all AES from node:crypto, all batched (one cipher call
 * over many blocks):
 *
 * - π: AES-128 under a fixed public key, a random permutation in the analysis (Guo–Katz–Wang–Yu,
 *   "Efficient and Secure Multiparty Computation from Fixed-Key Block Ciphers", S&P 2020).
 * - H(i, x) for 128-bit x: their tweakable correlation-robust hash TCCR(i, x) = π(π(x) ⊕ i) ⊕ π(x)
 *   (§7.4), the hash of IKNP's rows q_i and q_i ⊕ s.
 * - H(i, x) for 256-bit x = (x_lo, x_hi), KKRT's rows: TCCR(i, π(x_lo) ⊕ x_lo ⊕ x_hi). The inner
 *   compression keeps the min-entropy of whichever half carries the unknown bits of s (proofs-notes/ot.md).
 * - G(k): AES-128-CTR under the seed k from one base OT, a stream that continues across extensions
 *   (each call draws the next m' bits of every column).
 *
 * Tweaks i are unique per OT instance in a session: a 64-bit instance counter, the extension kind and
 * the sending party.
 */
import { platform, type Keystream } from '../../platform/index.js';
import { wordView } from './bits.js';

const FIXED_KEY = platform.sha256(new TextEncoder().encode('cryptflow-ts OT fixed-key AES')).slice(0, 16);

const pi = platform.aes128Ecb(FIXED_KEY);

/** π applied to each 16-byte block (a fresh array). */
export function permute(blocks: Uint8Array): Uint8Array {
  return pi(blocks);
}

/** Which extension a tweak belongs to. */
export type TweakDomain = 'iknp' | 'kkrt';
const DOMAIN_WORD: Readonly<Record<TweakDomain, number>> = { iknp: 1, kkrt: 2 };

/** n tweak blocks for instances first, first + 1, … of one extension (words: counter lo, hi, domain, sender). */
export function tweaks(first: number, n: number, domain: TweakDomain, sender: number): Uint32Array {
  const t = new Uint32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const c = first + i;
    t[4 * i] = c >>> 0;
    t[4 * i + 1] = Math.floor(c / 2 ** 32);
    t[4 * i + 2] = DOMAIN_WORD[domain];
    t[4 * i + 3] = sender;
  }
  return t;
}

/**
 * TCCR over n 128-bit inputs `x` (4 words each), `per` consecutive inputs to a tweak: input k takes
 * the tweak row ⌊k / per⌋ of `tw` (4 words each). Returns n 128-bit outputs.
 */
export function tccr(x: Uint32Array, tw: Uint32Array, per: number): Uint32Array {
  const y = wordView(permute(bytesOf(x)));
  const z = new Uint32Array(y.length);
  for (let k = 0, r = 0; k < y.length; r += 4) {
    for (let e = 0; e < per; e++, k += 4) {
      z[k] = (y[k] as number) ^ (tw[r] as number);
      z[k + 1] = (y[k + 1] as number) ^ (tw[r + 1] as number);
      z[k + 2] = (y[k + 2] as number) ^ (tw[r + 2] as number);
      z[k + 3] = (y[k + 3] as number) ^ (tw[r + 3] as number);
    }
  }
  const out = wordView(permute(bytesOf(z)));
  for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) ^ (y[j] as number);
  return out;
}

/**
 * The 256-bit hash of n inputs given as their low and high 128-bit halves (4 words each per input):
 * TCCR(i, π(x_lo) ⊕ x_lo ⊕ x_hi), `per` as in tccr.
 */
export function wideHash(lo: Uint32Array, hi: Uint32Array, tw: Uint32Array, per: number): Uint32Array {
  const p = wordView(permute(bytesOf(lo)));
  for (let k = 0; k < p.length; k++) p[k] = (p[k] as number) ^ (lo[k] as number) ^ (hi[k] as number);
  return tccr(p, tw, per);
}

function bytesOf(w: Uint32Array): Uint8Array {
  return new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
}

/** w column streams G(k_0), …, G(k_{w−1}), each AES-128-CTR under its seed, continuing across draws. */
export class ColumnStreams {
  private readonly ciphers: readonly Keystream[];

  constructor(seeds: readonly Uint8Array[]) {
    this.ciphers = seeds.map((k) => platform.aes128Ctr(k, new Uint8Array(16)));
  }

  /** The next m' bits (m' a multiple of 32) of every column: column j at words [j·m'/32, (j+1)·m'/32). */
  draw(mPrime: number): Uint32Array {
    const colBytes = mPrime / 8;
    const out = new Uint8Array(colBytes * this.ciphers.length);
    this.ciphers.forEach((c, j) => out.set(c.next(colBytes), j * colBytes));
    return new Uint32Array(out.buffer);
  }
}
