/**
 * Conversions of Z_{2^m} vectors (ring.ts): from and to the LLIL ring Z_{2^ℓ} (sign extension, low
 * bits), to and from the wire (⌈m/8⌉ little-endian bytes per element, malformed messages an abort),
 * and to and from 16-bit limbs (limbs.ts maps them through the 64-bit kernels).
 */
import { CryptflowError } from '../../spec/errors.js';
import { add, maskInPlace, wordMask, zeros, type Z128 } from './ring.js';

/**
 * Lift Z_{2^ℓ} (ℓ ≤ 64) into Z_{2^m} by sign extension: x ↦ signed_ℓ(x) mod 2^m. Reduction mod 2^ℓ
 * undoes it, and it is a homomorphism modulo 2^ℓ, which is all the backend relies on.
 */
export function liftSigned(ell: number, m: number, x: BigUint64Array): Z128 {
  const out = zeros(x.length);
  const xw = new Uint32Array(x.buffer, x.byteOffset, 2 * x.length);
  const signWord = ell > 32 ? 1 : 0;
  const signBit = (ell - 1) % 32;
  const fillWord = [0, 1, 2, 3].map((j) => {
    // the words at or above ℓ take the sign, the word holding bit ℓ−1 gets its top filled
    const bits = ell - 32 * j;
    return bits >= 32 ? 0 : bits <= 0 ? 0xffffffff : (0xffffffff << bits) >>> 0;
  });
  for (let i = 0; i < x.length; i++) {
    const neg = ((xw[2 * i + signWord] as number) >>> signBit) & 1;
    for (let j = 0; j < 4; j++) {
      const src = j < 2 ? (xw[2 * i + j] as number) : 0;
      out.w[4 * i + j] = (neg === 1 ? src | (fillWord[j] as number) : src) >>> 0;
    }
  }
  return maskInPlace(m, out);
}

/** The low ℓ bits of each element, as a Z_{2^ℓ} vector. */
export function lowRing(ell: number, a: Z128): BigUint64Array {
  const out = new BigUint64Array(a.n);
  const ow = new Uint32Array(out.buffer);
  for (let i = 0; i < a.n; i++) {
    ow[2 * i] = (a.w[4 * i] as number) & wordMask(ell, 0);
    ow[2 * i + 1] = (a.w[4 * i + 1] as number) & wordMask(ell, 1);
  }
  return out;
}

/** Bytes per element on the wire. */
export function elementBytes(m: number): number {
  return Math.ceil(m / 8);
}

/** ⌈m/8⌉ little-endian bytes per element. */
export function encode(m: number, a: Z128): Uint8Array {
  const b = elementBytes(m);
  const out = new Uint8Array(b * a.n);
  const src = new Uint8Array(a.lanes.buffer, a.lanes.byteOffset, 16 * a.n);
  for (let i = 0, o = 0; i < a.n; i++) for (let j = 16 * i, end = j + b; j < end; j++) out[o++] = src[j] as number;
  return out;
}

/**
 * Decode n elements; a wrong length or an element ≥ 2^m is a deviation by the sender, reported as an
 * abort naming the step (never the bytes).
 */
export function decode(m: number, bytes: Uint8Array, n: number, what: string): Z128 {
  const b = elementBytes(m);
  if (bytes.length !== b * n)
    throw new CryptflowError(
      'protocol',
      `abort: message format check failed in ${what} (${bytes.length} bytes, expected ${b * n})`,
    );
  const out = zeros(n);
  const dst = new Uint8Array(out.lanes.buffer);
  const top = m % 8 === 0 ? 0xff : (1 << (m % 8)) - 1;
  for (let i = 0, o = 0; i < n; i++) {
    for (let j = 16 * i, end = j + b; j < end; j++) dst[j] = bytes[o++] as number;
    if (((bytes[o - 1] as number) & ~top) !== 0)
      throw new CryptflowError('protocol', `abort: message format check failed in ${what} (element out of range)`);
  }
  return out;
}

/** 16-bit limb `a` of every element, as a Z_{2^64} vector (for bilinear maps on 64-bit kernels). */
export function limb16(x: Z128, a: number): BigUint64Array {
  const out = new BigUint64Array(x.n);
  const ow = new Uint32Array(out.buffer);
  const word = a >>> 1;
  const shift = (a & 1) * 16;
  for (let i = 0; i < x.n; i++) ow[2 * i] = ((x.w[4 * i + word] as number) >>> shift) & 0xffff;
  return out;
}

/** Σ_t 2^{16·shift_t} · v_t mod 2^m for 64-bit vectors v_t (recombining limb products). */
export function shiftedSum(m: number, n: number, terms: readonly { shift16: number; v: BigUint64Array }[]): Z128 {
  let acc = zeros(n);
  for (const { shift16, v } of terms) {
    if (16 * shift16 >= m) continue;
    const t = zeros(n);
    const vw = new Uint32Array(v.buffer, v.byteOffset, 2 * n);
    const q = shift16 >>> 1;
    const half = (shift16 & 1) === 1;
    for (let i = 0; i < n; i++) {
      const w0 = vw[2 * i] as number;
      const w1 = vw[2 * i + 1] as number;
      const words = half ? [(w0 << 16) >>> 0, ((w0 >>> 16) | (w1 << 16)) >>> 0, w1 >>> 16] : [w0, w1];
      for (let j = 0; j < words.length && q + j < 4; j++) t.w[4 * i + q + j] = words[j] as number;
    }
    acc = add(m, acc, maskInPlace(m, t));
  }
  return acc;
}
