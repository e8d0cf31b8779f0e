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

/**
 * Columns → rows. `cols` holds w columns of m' bits (column j at words [j·m'/32, (j+1)·m'/32));
 * the result holds m' rows of w bits (row i at words [i·w/32, (i+1)·w/32)). w and m' are multiples
 * of 32. Each 32 × 32 block is transposed in place by swapping quadrants (halves, then quarters, …:
 * for stride j, bits j..2j−1 of word r trade with bits 0..j−1 of word r + j).
 */
export function transpose(cols: Uint32Array, w: number, mPrime: number): Uint32Array {
  if (w % 32 !== 0 || mPrime % 32 !== 0 || cols.length !== (w * mPrime) / 32)
    bug(`transpose of ${w} × ${mPrime} bits from ${cols.length} words`);
  const colWords = mPrime / 32;
  const rowWords = w / 32;
  const rows = new Uint32Array(cols.length);
  const a = block;
  for (let c = 0; c < rowWords; c++) {
    for (let k = 0; k < colWords; k++) {
      let src = 32 * c * colWords + k;
      for (let x = 0; x < 32; x++, src += colWords) a[x] = cols[src] as number;
      let t = 0;
      for (let r = 0; r < 16; r++) {
        t = (((a[r] as number) >>> 16) ^ (a[r + 16] as number)) & 0x0000ffff;
        a[r] = (a[r] as number) ^ (t << 16);
        a[r + 16] = (a[r + 16] as number) ^ t;
      }
      for (let q = 0; q < 32; q += 16) {
        for (let r = q; r < q + 8; r++) {
          t = (((a[r] as number) >>> 8) ^ (a[r + 8] as number)) & 0x00ff00ff;
          a[r] = (a[r] as number) ^ (t << 8);
          a[r + 8] = (a[r + 8] as number) ^ t;
        }
      }
      for (let q = 0; q < 32; q += 8) {
        for (let r = q; r < q + 4; r++) {
          t = (((a[r] as number) >>> 4) ^ (a[r + 4] as number)) & 0x0f0f0f0f;
          a[r] = (a[r] as number) ^ (t << 4);
          a[r + 4] = (a[r + 4] as number) ^ t;
        }
      }
      for (let q = 0; q < 32; q += 4) {
        for (let r = q; r < q + 2; r++) {
          t = (((a[r] as number) >>> 2) ^ (a[r + 2] as number)) & 0x33333333;
          a[r] = (a[r] as number) ^ (t << 2);
          a[r + 2] = (a[r + 2] as number) ^ t;
        }
      }
      for (let r = 0; r < 32; r += 2) {
        t = (((a[r] as number) >>> 1) ^ (a[r + 1] as number)) & 0x55555555;
        a[r] = (a[r] as number) ^ (t << 1);
        a[r + 1] = (a[r + 1] as number) ^ t;
      }
      let dst = 32 * k * rowWords + c;
      for (let b = 0; b < 32; b++, dst += rowWords) rows[dst] = a[b] as number;
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

/** A byte string as little-endian 32-bit words (a view when aligned, else a copy); length a multiple of 4. */
export function wordView(b: Uint8Array): Uint32Array {
  if (b.byteLength % 4 !== 0) bug(`a word view of ${b.byteLength} bytes`);
  if (b.byteOffset % 4 === 0) return new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  return new Uint32Array(b.slice().buffer);
}

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
  const bytes = Math.ceil((n * ell) / 8);
  const out = new Uint32Array(Math.ceil(bytes / 4) + 1);
  const loBits = Math.min(ell, 32);
  const hiBits = ell - loBits;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    for (let h = 0; h < 2; h++) {
      const nb = h === 0 ? loBits : hiBits;
      if (nb === 0) continue;
      const v = words[2 * i + h] as number;
      const at = pos >>> 5;
      const off = pos & 31;
      out[at] = (out[at] as number) | (v << off);
      if (off + nb > 32) out[at + 1] = (out[at + 1] as number) | (v >>> (32 - off));
      pos += nb;
    }
  }
  return new Uint8Array(out.buffer, 0, bytes).slice();
}

/** The inverse of packBits: n ℓ-bit values as halves. The caller has checked the length. */
export function unpackBits(bytes: Uint8Array, n: number, ell: number): Uint32Array {
  if (bytes.length !== Math.ceil((n * ell) / 8)) bug(`unpacking ${n} values of ${ell} bits from ${bytes.length} bytes`);
  const src = new Uint32Array(Math.ceil(bytes.length / 4) + 1);
  new Uint8Array(src.buffer).set(bytes);
  const out = new Uint32Array(2 * n);
  const { lo, hi } = halfMasks(ell);
  const loBits = Math.min(ell, 32);
  const hiBits = ell - loBits;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    for (let h = 0; h < 2; h++) {
      const nb = h === 0 ? loBits : hiBits;
      if (nb === 0) continue;
      const at = pos >>> 5;
      const off = pos & 31;
      let v = (src[at] as number) >>> off;
      if (off + nb > 32) v |= (src[at + 1] as number) << (32 - off);
      out[2 * i + h] = v & (h === 0 ? lo : hi);
      pos += nb;
    }
  }
  return out;
}

/** Check a message width: 1 ≤ ℓ ≤ 64. */
export function checkEll(ell: number, what: string): void {
  if (!Number.isInteger(ell) || ell < 1 || ell > 64)
    throw new CryptflowError('usage', `${what}: message width ℓ must be an integer in [1, 64], got ${ell}`);
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
    if ((choices[i] as number) >= n)
      throw new CryptflowError('usage', `${what}: choice at position ${i} is not in [0, ${n})`);
  }
}
