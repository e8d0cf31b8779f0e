/**
 * F_prep: the trusted dealer of correlated randomness that the 3PC protocols assume (CrypTFlow §5.1,
 * SecureNN §2–3). Each function here IS the functionality: given its randomness it outputs every
 * party's part of one correlation, sampled from exactly the distribution the protocols' security
 * arguments need. A real protocol replaces the dealer by PRGs shared with P2 plus helper messages
 * (protocols/securenn-family/beaver.ts); test/ideal/prep.test.ts checks that what the real protocol produces
 * is a valid correlation whose shares are distributed as these.
 *
 * Correlations:
 *   - `beaverTriple(ell, f, rng)` for any bilinear f over Z_{2^ℓ} (elementwise product, MatMul,
 *     convolutions): A, B uniform, C = f(A, B), each additively shared between P0 and P1 with a
 *     uniform first share (so each share alone is uniform and independent of A, B, C).
 *   - `msbMask(ell, p, n, rng)` (SecureNN ComputeMSB, Alg. 5 step 1): r uniform in Z_{2^ℓ−1},
 *     shared in Z_{2^ℓ−1}; each of its ℓ bits shared in Z_p; its least significant bit shared in
 *     Z_{2^ℓ}.
 *   - the sharing primitives these use (`shareRing`, `shareOdd`, `shareField`): a value split into a
 *     uniform first share and the difference.
 *
 * ideal/ may not import protocols/, so the bilinear map is a structurally equal interface
 * (`BilinearMap`): a protocols/common `Bilinear` is one.
 */
import { CryptflowError } from '../spec/errors.js';
import { Field, OddRing } from '../spec/field.js';
import { Ring } from '../spec/ring.js';
import type { Randomness } from './functionality.js';

/** A bilinear map f: Z^{xSize} × Z^{ySize} → Z^{zSize} over Z_{2^ℓ}, results reduced mod 2^ℓ. */
export interface BilinearMap {
  readonly xSize: number;
  readonly ySize: number;
  readonly zSize: number;
  apply(x: BigUint64Array, y: BigUint64Array): BigUint64Array;
}

/** The dealer's randomness (a protocols/common Prg satisfies it). */
export interface PrepRandomness extends Randomness {
  /** n uniform elements of Z_p. */
  field(p: number, n: number): Uint8Array;
  /** n uniform elements of Z_m, m odd. */
  below(m: bigint, n: number): BigUint64Array;
}

/** P0's and P1's shares of one value. */
export type SharePair<T> = readonly [T, T];

export interface BeaverTriple {
  readonly a: SharePair<BigUint64Array>;
  readonly b: SharePair<BigUint64Array>;
  readonly c: SharePair<BigUint64Array>;
}

export interface MsbMask {
  /** r's shares in Z_{2^ℓ−1}, r uniform there. */
  readonly r: SharePair<BigUint64Array>;
  /** Shares in Z_p of bit i of element e at index e·ℓ + i (bit 0 least significant). */
  readonly bits: SharePair<Uint8Array>;
  /** Shares in Z_{2^ℓ} of the least significant bit of r. */
  readonly lsb: SharePair<BigUint64Array>;
}

/** x = s0 + s1 mod 2^ℓ, s0 uniform. */
export function shareRing(ell: number, x: BigUint64Array, rng: Randomness): SharePair<BigUint64Array> {
  const ring = Ring(ell);
  const s0 = rng.ring(ell, x.length);
  return [s0, x.map((v, i) => ring.sub(v, s0[i] as bigint))];
}

/** x = s0 + s1 mod 2^ℓ − 1, s0 uniform in Z_{2^ℓ−1}. */
export function shareOdd(ell: number, x: BigUint64Array, rng: PrepRandomness): SharePair<BigUint64Array> {
  const odd = OddRing(ell);
  const s0 = rng.below(odd.modulus, x.length);
  return [s0, x.map((v, i) => odd.sub(v, s0[i] as bigint))];
}

/** x = s0 + s1 mod p, s0 uniform in Z_p. */
export function shareField(p: number, x: Uint8Array, rng: PrepRandomness): SharePair<Uint8Array> {
  const field = Field(p);
  const s0 = rng.field(p, x.length);
  return [s0, x.map((v, i) => field.sub(v, s0[i] as number))];
}

/** A Beaver triple for f: uniform A, B; C = f(A, B); all three shared with uniform first shares. */
export function beaverTriple(ell: number, f: BilinearMap, rng: Randomness): BeaverTriple {
  const a = rng.ring(ell, f.xSize);
  const b = rng.ring(ell, f.ySize);
  const c = f.apply(a, b);
  if (c.length !== f.zSize)
    throw new CryptflowError('shape', `bilinear map declares ${f.zSize} outputs but returned ${c.length}`);
  return { a: shareRing(ell, a, rng), b: shareRing(ell, b, rng), c: shareRing(ell, c, rng) };
}

/** ComputeMSB's mask (SecureNN Alg. 5): r ∈ Z_{2^ℓ−1} with its bits shared in Z_p, p > ℓ + 2. */
export function msbMask(ell: number, p: number, n: number, rng: PrepRandomness): MsbMask {
  if (p <= ell + 2)
    throw new CryptflowError('field-modulus', `ComputeMSB needs a prime p > ℓ + 2 = ${ell + 2}, got ${p}`);
  Field(p);
  const odd = OddRing(ell);
  const r = rng.below(odd.modulus, n);
  const bits = new Uint8Array(n * ell);
  const lsb = new BigUint64Array(n);
  for (let e = 0; e < n; e++) {
    const v = r[e] as bigint;
    for (let i = 0; i < ell; i++) bits[e * ell + i] = Number((v >> BigInt(i)) & 1n);
    lsb[e] = v & 1n;
  }
  return { r: shareOdd(ell, r, rng), bits: shareField(p, bits, rng), lsb: shareRing(ell, lsb, rng) };
}
