/**
 * Element-wise arithmetic on ring vectors without a single bigint: Z_{2^ℓ} (modulus 2^ℓ) and
 * Z_{2^ℓ−1} (the odd modulus of ShareConvert) for every 2 ≤ ℓ ≤ 64, on the two little-endian 32-bit
 * words of each `BigUint64Array` entry.
 *
 * Why: reading an entry of a `BigUint64Array` allocates a bigint, and a bigint add costs tens of
 * nanoseconds plus garbage; the protocols' per-element work (share arithmetic, masks, openings, wrap
 * bits, truncation) ran at that speed. Here every step is 32-bit integer or exact double arithmetic
 * (sums of two words stay below 2^34, far inside a double's 53 bits), a few nanoseconds per entry.
 *
 * Conventions: inputs are reduced (entries below the modulus), outputs are reduced, and every
 * function allocates its result (callers may keep inputs). `Modulus` names the ring by ℓ and kind:
 * the frozen `Ring(ℓ)` (spec/ring.ts) and `OddRing(ℓ)` (spec/field.ts) are Moduli, and they are what
 * callers pass — `addMod(Ring(ℓ), a, b)` is the one vector addition of the project. The bigint definitions
 * these replace are the specification: test/semantics/words.test.ts checks equality on random and
 * edge-case vectors at every width.
 */
import { bug } from '../../spec/errors.js';

/** Z_{2^ℓ} or Z_{2^ℓ − 1}: `Ring(ℓ)` and `OddRing(ℓ)` from spec/ are Moduli (2 ≤ ℓ ≤ 64). */
export interface Modulus {
  readonly ell: number;
  /** 2^ℓ − 1 (true) or 2^ℓ (false). */
  readonly odd: boolean;
}

const TWO32 = 4294967296;

/** The 32-bit words of a vector, low word first (x64 and arm64 are little-endian). */
export function wordsOf(a: BigUint64Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
}

export interface Masks {
  /** Mask of the low word. */
  readonly lo: number;
  /** Mask of the high word (0 when ℓ ≤ 32). */
  readonly hi: number;
  /** 2^{ℓ−32} for ℓ > 32: the high word's overflow threshold. */
  readonly top: number;
}

/** The masks of an ℓ-bit value's low and high 32-bit words, and 2^{ℓ−32} for ℓ > 32. */
export function wordMasks(ell: number): Masks {
  if (!Number.isInteger(ell) || ell < 2 || ell > 64) bug(`ring width ${ell}`);
  return {
    lo: ell >= 32 ? 0xffffffff : 2 ** ell - 1,
    hi: ell >= 64 ? 0xffffffff : ell > 32 ? 2 ** (ell - 32) - 1 : 0,
    top: ell > 32 ? 2 ** (ell - 32) : 0,
  };
}

function same(a: BigUint64Array, b: BigUint64Array): void {
  if (a.length !== b.length) bug(`element-wise operation on ${a.length} and ${b.length} entries`);
}

/** Two equal-length operands and a fresh result, each as its 32-bit words. */
function operands(
  a: BigUint64Array,
  b: BigUint64Array,
): { out: BigUint64Array; x: Uint32Array; y: Uint32Array; z: Uint32Array } {
  same(a, b);
  const out = new BigUint64Array(a.length);
  return { out, x: wordsOf(a), y: wordsOf(b), z: wordsOf(out) };
}

/** a + b modulo 2^ℓ. */
export function addPow2(ell: number, a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const { lo: lm, hi: hm } = wordMasks(ell);
  const { out, x, y, z } = operands(a, b);
  for (let i = 0; i < z.length; i += 2) {
    const lo = (x[i] as number) + (y[i] as number);
    z[i] = lo & lm;
    z[i + 1] = ((x[i + 1] as number) + (y[i + 1] as number) + (lo > 0xffffffff ? 1 : 0)) & hm;
  }
  return out;
}

/** a − b modulo 2^ℓ. */
export function subPow2(ell: number, a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const { lo: lm, hi: hm } = wordMasks(ell);
  const { out, x, y, z } = operands(a, b);
  for (let i = 0; i < z.length; i += 2) {
    const lo = (x[i] as number) - (y[i] as number);
    z[i] = lo & lm;
    z[i + 1] = ((x[i + 1] as number) - (y[i + 1] as number) - (lo < 0 ? 1 : 0)) & hm;
  }
  return out;
}

/** a + b modulo 2^ℓ − 1 (inputs below 2^ℓ − 1). */
export function addOdd(ell: number, a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const { hi: hm, top } = wordMasks(ell);
  const { out, x, y, z } = operands(a, b);
  if (ell <= 32) {
    const m = 2 ** ell - 1;
    for (let i = 0; i < z.length; i += 2) {
      const s = (x[i] as number) + (y[i] as number);
      z[i] = s >= m ? s - m : s;
    }
    return out;
  }
  for (let i = 0; i < z.length; i += 2) {
    let lo = (x[i] as number) + (y[i] as number);
    const c = lo > 0xffffffff ? 1 : 0;
    if (c === 1) lo -= TWO32;
    let hi = (x[i + 1] as number) + (y[i + 1] as number) + c;
    if (hi >= top) {
      // The sum passed 2^ℓ: subtract 2^ℓ − 1, i.e. drop bit ℓ and add 1 (no further carry: sum < 2M).
      hi -= top;
      lo += 1;
      if (lo === TWO32) {
        lo = 0;
        hi += 1;
      }
    } else if (hi === hm && lo === 0xffffffff) {
      hi = 0;
      lo = 0;
    }
    z[i] = lo;
    z[i + 1] = hi;
  }
  return out;
}

/** a − b modulo 2^ℓ − 1 (inputs below 2^ℓ − 1). */
export function subOdd(ell: number, a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const { top } = wordMasks(ell);
  const { out, x, y, z } = operands(a, b);
  if (ell <= 32) {
    const m = 2 ** ell - 1;
    for (let i = 0; i < z.length; i += 2) {
      const d = (x[i] as number) - (y[i] as number);
      z[i] = d < 0 ? d + m : d;
    }
    return out;
  }
  for (let i = 0; i < z.length; i += 2) {
    let lo = (x[i] as number) - (y[i] as number);
    const borrow = lo < 0 ? 1 : 0;
    if (borrow === 1) lo += TWO32;
    let hi = (x[i + 1] as number) - (y[i + 1] as number) - borrow;
    if (hi < 0) {
      // a < b: add 2^ℓ − 1, i.e. add 2^ℓ (into the high word) and subtract 1.
      hi += top;
      if (lo === 0) {
        lo = 0xffffffff;
        hi -= 1;
      } else {
        lo -= 1;
      }
    }
    z[i] = lo;
    z[i + 1] = hi;
  }
  return out;
}

/** a + b modulo m ∈ {2^ℓ, 2^ℓ − 1}. */
export function addMod(m: Modulus, a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  return m.odd ? addOdd(m.ell, a, b) : addPow2(m.ell, a, b);
}

/** a − b modulo m ∈ {2^ℓ, 2^ℓ − 1}. */
export function subMod(m: Modulus, a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  return m.odd ? subOdd(m.ell, a, b) : subPow2(m.ell, a, b);
}

/** −a modulo m ∈ {2^ℓ, 2^ℓ − 1}. */
export function negMod(m: Modulus, a: BigUint64Array): BigUint64Array {
  return subMod(m, new BigUint64Array(a.length), a);
}

/** 2·a modulo m ∈ {2^ℓ, 2^ℓ − 1}. */
export function doubleMod(m: Modulus, a: BigUint64Array): BigUint64Array {
  return addMod(m, a, a);
}

/**
 * wrap(a, b) = 1 when a + b ≥ 2^ℓ as integers (the carry out of bit ℓ − 1), one byte per element.
 */
export function wrapsPow2(ell: number, a: BigUint64Array, b: BigUint64Array): Uint8Array {
  same(a, b);
  const { top } = wordMasks(ell);
  const out = new Uint8Array(a.length);
  const x = wordsOf(a);
  const y = wordsOf(b);
  if (ell <= 32) {
    const m = 2 ** ell;
    for (let i = 0; i < out.length; i++) out[i] = (x[2 * i] as number) + (y[2 * i] as number) >= m ? 1 : 0;
    return out;
  }
  for (let i = 0; i < out.length; i++) {
    const c = (x[2 * i] as number) + (y[2 * i] as number) > 0xffffffff ? 1 : 0;
    out[i] = (x[2 * i + 1] as number) + (y[2 * i + 1] as number) + c >= top ? 1 : 0;
  }
  return out;
}

/** Small non-negative integers (bits, indices below 2^32) as ring elements. */
export function fromSmall(v: ArrayLike<number>): BigUint64Array {
  const out = new BigUint64Array(v.length);
  const z = wordsOf(out);
  for (let i = 0; i < v.length; i++) z[2 * i] = v[i] as number;
  return out;
}

/** The lowest bit of every entry, one byte each. */
export function lowBits(a: BigUint64Array): Uint8Array {
  const x = wordsOf(a);
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (x[2 * i] as number) & 1;
  return out;
}

/** Whether each entry is 0, one byte each (1 for 0). */
export function isZero(a: BigUint64Array): Uint8Array {
  const x = wordsOf(a);
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = ((x[2 * i] as number) | (x[2 * i + 1] as number)) === 0 ? 1 : 0;
  return out;
}

/** A vector of n copies of a small non-negative integer c < 2^32. */
export function filled(n: number, c: number): BigUint64Array {
  return fromSmall(new Uint32Array(n).fill(c));
}

/**
 * The index of the first entry not below the bound (2^ℓ, or 2^ℓ − 1 when `odd`), or −1 when every
 * entry is in range: the check a receiver makes before trusting a decoded message.
 */
export function firstOutOfRange(m: Modulus, a: BigUint64Array): number {
  // Every 64-bit entry is below 2^64: nothing to look at.
  if (m.ell === 64 && !m.odd) return -1;
  const { lo: lm, hi: hm } = wordMasks(m.ell);
  const x = wordsOf(a);
  for (let i = 0; i < a.length; i++) {
    const lo = x[2 * i] as number;
    const hi = x[2 * i + 1] as number;
    if (m.ell < 64 && ((hi & ~hm) !== 0 || (m.ell < 32 && (lo & ~lm) !== 0))) return i;
    if (m.odd && lo === lm && hi === hm) return i;
  }
  return -1;
}

/** Keep the low ℓ bits of every entry, in place (after 64-bit wrapping arithmetic). */
export function maskInPlace(ell: number, a: BigUint64Array): BigUint64Array {
  if (ell === 64) return a;
  const { lo: lm, hi: hm } = wordMasks(ell);
  const z = wordsOf(a);
  for (let i = 0; i < z.length; i += 2) {
    z[i] = (z[i] as number) & lm;
    z[i + 1] = (z[i + 1] as number) & hm;
  }
  return a;
}

/** out[i] = src[idx[i]], or `fill` (default 0) where idx[i] < 0: a public gather (im2col, pads, windows). */
export function gather(src: BigUint64Array, idx: Int32Array, fill = 0n): BigUint64Array {
  const out = new BigUint64Array(idx.length);
  const s = wordsOf(src);
  const z = wordsOf(out);
  const fillLo = Number(BigInt.asUintN(32, fill));
  const fillHi = Number(BigInt.asUintN(32, fill >> 32n));
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i] as number;
    if (j < 0) {
      z[2 * i] = fillLo;
      z[2 * i + 1] = fillHi;
    } else {
      if (j >= src.length) bug(`gather index ${j} beyond ${src.length} entries`);
      z[2 * i] = s[2 * j] as number;
      z[2 * i + 1] = s[2 * j + 1] as number;
    }
  }
  return out;
}

/**
 * ⌊signed(a) / 2^k⌋ modulo 2^ℓ for every entry (the arithmetic right shift of the ℓ-bit two's
 * complement value), 0 ≤ k < ℓ.
 */
export function shiftRightSigned(ell: number, k: number, a: BigUint64Array): BigUint64Array {
  if (!Number.isInteger(k) || k < 0 || k >= ell) bug(`arithmetic shift by ${k} at ℓ = ${ell}`);
  const { lo: lm, hi: hm } = wordMasks(ell);
  const out = new BigUint64Array(a.length);
  const x = wordsOf(a);
  const z = wordsOf(out);
  for (let i = 0; i < z.length; i += 2) {
    let lo = x[i] as number;
    let hi = x[i + 1] as number;
    // Sign-extend from bit ℓ − 1 to a signed 64-bit (hi as int32, lo as uint32).
    if (ell > 32) {
      hi = ell === 64 ? hi | 0 : (hi << (64 - ell)) >> (64 - ell);
    } else {
      lo = ell === 32 ? lo | 0 : (lo << (32 - ell)) >> (32 - ell);
      hi = lo < 0 ? -1 : 0;
      lo >>>= 0;
    }
    let rlo: number;
    let rhi: number;
    if (k === 0) {
      rlo = lo;
      rhi = hi;
    } else if (k < 32) {
      rlo = ((lo >>> k) | (hi << (32 - k))) >>> 0;
      rhi = hi >> k;
    } else {
      rlo = (hi >> (k - 32)) >>> 0;
      rhi = hi >> 31;
    }
    z[i] = rlo & lm;
    z[i + 1] = rhi & hm;
  }
  return out;
}

/** max(signed(a), 0) for every entry: the entry where bit ℓ − 1 is clear, 0 where it is set. */
export function reluWords(ell: number, a: BigUint64Array): BigUint64Array {
  wordMasks(ell);
  const out = new BigUint64Array(a.length);
  const x = wordsOf(a);
  const z = wordsOf(out);
  const word = ell > 32 ? 1 : 0;
  const bit = ell > 32 ? ell - 33 : ell - 1;
  for (let i = 0; i < z.length; i += 2) {
    if ((((x[i + word] as number) >>> bit) & 1) === 0) {
      z[i] = x[i] as number;
      z[i + 1] = x[i + 1] as number;
    }
  }
  return out;
}
