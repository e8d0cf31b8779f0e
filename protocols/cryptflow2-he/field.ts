/**
 * The prime field of the HE variant of CrypTFlow2 (Rathee et al., CCS 2020, §6 "SCI_HE": linear layers
 * in BFV over a prime plaintext modulus, so every share lives in Z_p): the field, its elements in
 * `BigUint64Array`s (values in [0, p)), exact sampling from the project's AES-CTR PRGs, and the maps
 * between the runtime's ring encoding and the field.
 *
 *   p = 2^41 − 65535 = 2,199,023,190,017: the largest 41-bit prime with p ≡ 1 (mod 2N), N = 8192
 *   (SEAL's PlainModulus.Batching(8192, 41) returns it; a test checks). Signed reading: v ∈ [0, p)
 *   stands for v when v ≤ (p − 1)/2 and for v − p otherwise.
 *   Sampling: `Prg.below(p)` (words of ⌈log₂ p⌉ bits, rejected at or above p), so every element is
 *   exactly uniform; both holders of a shared PRG reject the same words.
 *   Ring ↔ field: an ℓ-bit ring element is read signed and reduced mod p; a field element is read
 *   signed and reduced mod 2^ℓ. Both are exact on values of magnitude below p/2 and 2^{ℓ−1}.
 */
import { CryptflowError } from '../../spec/errors.js';
import { HE_PRIME } from '../../spec/cost/cryptflow2-he.js';
import type { Prg } from '../common/prg.js';

/** The production prime (spec/cost/cryptflow2-he.ts pins it with the HE parameters). */
export const P41 = HE_PRIME;

/** Any odd prime p with 3 ≤ p < 2^62 (small primes make exhaustive and statistical tests cheap). */
export interface PrimeField {
  readonly p: bigint;
  /** ⌈log₂ p⌉: the bit width of an element. */
  readonly bits: number;
  /** (p − 1)/2: the largest non-negative value in the signed reading. */
  readonly half: bigint;
}

const fields = new Map<bigint, PrimeField>();

export function primeField(p: bigint): PrimeField {
  let f = fields.get(p);
  if (f === undefined) {
    if (p < 3n || p % 2n === 0n || p >= 1n << 62n)
      throw new CryptflowError('usage', 'the field modulus must be an odd prime below 2^62');
    f = Object.freeze({ p, bits: (p - 1n).toString(2).length, half: (p - 1n) / 2n });
    fields.set(p, f);
  }
  return f;
}

export const FIELD41 = primeField(P41);

export const modP = (F: PrimeField, v: bigint): bigint => {
  const r = v % F.p;
  return r < 0n ? r + F.p : r;
};

/** The signed reading of a field element. */
export const signedP = (F: PrimeField, v: bigint): bigint => (v > F.half ? v - F.p : v);

export function addP(F: PrimeField, a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  return a.map((v, i) => {
    const s = v + (b[i] as bigint);
    return s >= F.p ? s - F.p : s;
  });
}

export function subP(F: PrimeField, a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  return a.map((v, i) => {
    const w = b[i] as bigint;
    return v >= w ? v - w : v + F.p - w;
  });
}

export const negP = (F: PrimeField, a: BigUint64Array): BigUint64Array => a.map((v) => (v === 0n ? 0n : F.p - v));

/** n exactly uniform elements of Z_p from a PRG (rejection sampling, Prg.below). */
export const sampleP = (F: PrimeField, prg: Prg, n: number): BigUint64Array => prg.below(F.p, n);

/** Ring elements (ℓ bits, signed reading) into the field; a magnitude ≥ p/2 is an error naming `what`. */
export function ringToField(F: PrimeField, ell: number, x: BigUint64Array, what: string): BigUint64Array {
  const top = 1n << BigInt(ell - 1);
  const mod = 1n << BigInt(ell);
  return x.map((v) => {
    const s = v >= top ? v - mod : v;
    if (s > F.half || s < -F.half)
      throw new CryptflowError('input', `${what} has an entry outside the field's range ±(p − 1)/2`);
    return s < 0n ? s + F.p : s;
  });
}

/** Field elements (signed reading) into the ring of ℓ bits. */
export function fieldToRing(F: PrimeField, ell: number, x: BigUint64Array): BigUint64Array {
  return x.map((v) => BigInt.asUintN(ell, signedP(F, v)));
}
