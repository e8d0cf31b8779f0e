/**
 * Bit plumbing of OT extension (IKNP, Ishai–Kilian–Nissim–Petrank 2003, §3; KKRT, Kolesnikov–
 * Kumaresan–Rosulek–Trieu 2016, §4): the w × m' bit-matrix transpose (w = 128 or 256 columns of m'
 * bits each into m' rows of w bits), the 256-bit Walsh–Hadamard code, ℓ-bit values packed bit-tight
 * on the wire, and ℓ-bit words as (lo, hi) 32-bit halves.
 *
 * Bit order: bit b of a byte string is (byte[b >> 3] >> (b & 7)) & 1; read as little-endian 32-bit
 * words, bit b is (word[b >> 5] >>> (b & 31)) & 1. A column of m' bits is m'/32 words; a row of w bits
 * is w/32 words. The transpose works on 32 × 32 blocks of words with the recursive quadrant swap.
 */
import { CryptflowError, bug } from '../../spec/errors.js';

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) bug('the OT layer assumes a little-endian machine');

/** Rows of the extension matrix are processed in multiples of this (a 32 × 32 transpose block). */
export const ROW_BLOCK = 32;

/** m rounded up to a whole number of transpose blocks. */
export function paddedRows(m: number): number {
  return Math.ceil(m / ROW_BLOCK) * ROW_BLOCK;
}

const block = new Int32Array(32);

/** Transpose the 32 × 32 bit block in `a` in place (a[k] bit b ↔ a[b] bit k). */
function transpose32(a: Int32Array): void {
  let mask = 0x0000ffff;
  for (let j = 16; j !== 0; j >>>= 1, mask ^= mask << j) {
    for (let k = 0; k < 32; k = (k + j + 1) & ~j) {
      const t = ((a[k] as number) >>> j ^ (a[k + j] as number)) & mask;
      a[k] = (a[k] as number) ^ (t << j);
      a[k + j] = (a[k + j] as number) ^ t;
    }
  }
}

/**
 * Columns → rows. `cols` holds w columns of m' bits (column j at words [j·m'/32, (j+1)·m'/32));
 * the result holds m' rows of w bits (row i at words [i·w/32, (i+1)·w/32)). w and m' are multiples
 * of 32.
 */
export function transpose(cols: Uint32Array, w: number, mPrime: number): Uint32Array {
  if (w % 32 !== 0 || mPrime % 32 !== 0 || cols.length !== (w * mPrime) / 32) bug(`transpose of ${w} × ${mPrime} bits from ${cols.length} words`);
  const colWords = mPrime / 32;
  const rowWords = w / 32;
  const rows = new Uint32Array(cols.length);
  for (let c = 0; c < rowWords; c++) {
    for (let k = 0; k < colWords; k++) {
      for (let x = 0; x < 32; x++) block[x] = cols[(32 * c + x) * colWords + k] as number;
      transpose32(block);
      for (let b = 0; b < 32; b++) rows[(32 * k + b) * rowWords + c] = block[b] as number;
    }
  }
  return rows;
}

/** The 256-bit Walsh–Hadamard codeword of c ∈ [0, 256): bit k is the parity of c & k (8 words). */
function hadamard(c: number): Uint32Array {
  const out = new Uint32Array(8);
  for (let k = 0; k < 256; k++) {
    let v = c & k;
    v ^= v >>> 4;
    v ^= v >>> 2;
    v ^= v >>> 1;
    if ((v & 1) === 1) out[k >>> 5] = (out[k >>> 5] as number) | (1 << (k & 31));
  }
  return out;
}

/** All 256 Walsh–Hadamard codewords, row c at words [8c, 8c + 8). Any two differ in 128 bits. */
export const HADAMARD: Uint32Array = (() => {
  const t = new Uint32Array(256 * 8);
  for (let c = 0; c < 256; c++) t.set(hadamard(c), 8 * c);
  return t;
})();

/** Masks of the low and high 32-bit halves of an ℓ-bit word, 1 ≤ ℓ ≤ 64. */
export function halfMasks(ell: number): { readonly lo: number; readonly hi: number } {
  return { lo: ell >= 32 ? 0xffffffff : 2 ** ell - 1, hi: ell >= 64 ? 0xffffffff : ell > 32 ? 2 ** (ell - 32) - 1 : 0 };
}

/** The words of a BigUint64Array (little-endian halves, lo at 2i, hi at 2i + 1). */
export function halves(a: BigUint64Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
}

/** Pack n ℓ-bit values (as halves) bit-tight: ⌈n·ℓ/8⌉ bytes, value i at bits [iℓ, (i+1)ℓ). */
export function packBits(words: Uint32Array, ell: number): Uint8Array {
  const n = words.length / 2;
  const out = new Uint8Array(Math.ceil((n * ell) / 8));
  const loBits = Math.min(ell, 32);
  const hiBits = ell - loBits;
  let acc = 0;
  let accBits = 0;
  let p = 0;
  const put = (v: number, bits: number): void => {
    acc += v * 2 ** accBits;
    accBits += bits;
    while (accBits >= 8) {
      out[p++] = acc & 0xff;
      acc = Math.floor(acc / 256);
      accBits -= 8;
    }
  };
  for (let i = 0; i < n; i++) {
    put(words[2 * i] as number, loBits);
    if (hiBits > 0) put(words[2 * i + 1] as number, hiBits);
  }
  if (accBits > 0) out[p++] = acc & 0xff;
  if (p !== out.length) bug(`packed ${p} of ${out.length} bytes`);
  return out;
}

/** The inverse of packBits: n ℓ-bit values as halves. The caller has checked the length. */
export function unpackBits(bytes: Uint8Array, n: number, ell: number): Uint32Array {
  if (bytes.length !== Math.ceil((n * ell) / 8)) bug(`unpacking ${n} values of ${ell} bits from ${bytes.length} bytes`);
  const out = new Uint32Array(2 * n);
  const loBits = Math.min(ell, 32);
  const hiBits = ell - loBits;
  let acc = 0;
  let accBits = 0;
  let p = 0;
  const take = (bits: number): number => {
    while (accBits < bits) {
      acc += (bytes[p++] as number) * 2 ** accBits;
      accBits += 8;
    }
    const scale = 2 ** bits;
    const v = acc % scale;
    acc = (acc - v) / scale;
    accBits -= bits;
    return v;
  };
  for (let i = 0; i < n; i++) {
    out[2 * i] = take(loBits);
    if (hiBits > 0) out[2 * i + 1] = take(hiBits);
  }
  return out;
}

/** Check a message width: 1 ≤ ℓ ≤ 64. */
export function checkEll(ell: number, what: string): void {
  if (!Number.isInteger(ell) || ell < 1 || ell > 64) throw new CryptflowError('usage', `${what}: message width ℓ must be an integer in [1, 64], got ${ell}`);
}

/** Check that every value fits in ℓ bits (values are public to their holder; the error names a position only). */
export function checkMasked(values: BigUint64Array, ell: number, what: string): void {
  const { lo, hi } = halfMasks(ell);
  const w = halves(values);
  for (let i = 0; i < values.length; i++) {
    if (((w[2 * i] as number) & ~lo) !== 0 || ((w[2 * i + 1] as number) & ~hi) !== 0) {
      throw new CryptflowError('usage', `${what}: value at position ${i} does not fit in ℓ = ${ell} bits`);
    }
  }
}

/** Check choices: one per byte, each below `n` (2 for 1-out-of-2 OT). */
export function checkChoices(choices: Uint8Array, n: number, what: string): void {
  for (let i = 0; i < choices.length; i++) {
    if ((choices[i] as number) >= n) throw new CryptflowError('usage', `${what}: choice at position ${i} is not in [0, ${n})`);
  }
}
