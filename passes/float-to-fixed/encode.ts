/**
 * Whole-tensor fixed-point encoding for the compiler's hot paths (weights: tens of millions of entries),
 * equal entry for entry to spec/fixed.ts's `encodeTensor` and `decodeTensor ∘ encodeTensor`, without a
 * bigint or a string per entry.
 *
 * The integer f = round(r·2^s) is computed in binary64 exactly as spec/fixed.ts does (r·2^s is exact,
 * the floor and the tie test are exact). When f lies in [−2^{ℓ−1}, 2^{ℓ−1}) its ring element is written
 * as two 32-bit words: hi = ⌊f / 2^32⌋ (a signed 32-bit integer, since |f| ≤ 2^63) and lo = f − hi·2^32
 * ∈ [0, 2^32), both exact in binary64; two's complement of hi and a mask to ℓ bits give f mod 2^ℓ.
 * decode(encode(r)) = signed(f mod 2^ℓ)/2^s = f/2^s exactly (f is an integer-valued double, so
 * Number(BigInt(f)) = f, except that a −0 comes back as +0: the bigint has no sign of zero). Any entry that does not encode (non-finite, or out of range) is handed to
 * spec/fixed.ts's `encode`, which throws its own error naming the position. On a big-endian host the
 * word layout differs and the spec's functions are used as they are.
 */
import { bug } from '../../spec/errors.js';
import type { FixedPoint } from '../../spec/fixed.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const TWO32 = 2 ** 32;

/**
 * round(y) as spec/fixed.ts rounds r·2^s: floor, or to nearest with ties to even. The round-up test is
 * added as a number rather than branched on (it is a coin flip per entry, which a branch predictor
 * cannot learn); the tie test is rare.
 */
function round(y: number, nearest: boolean): number {
  let f = Math.floor(y);
  if (!nearest) return f;
  const diff = y - f;
  f += +(diff > 0.5);
  if (diff === 0.5 && f % 2 !== 0) f += 1;
  return f;
}

/** Entry i does not encode: spec/fixed.ts's `encode` throws its error (non-finite, or out of range). */
function refuse(fp: FixedPoint, r: number, where: string, i: number): never {
  fp.encode(r, `${where}[${i}]`);
  return bug(`fast encoding of ${where}[${i}] disagrees with spec/fixed.ts`);
}

/** `fp.encodeTensor(xs, where)`, entry for entry (see the header). */
export function encodeTensorFast(fp: FixedPoint, xs: ArrayLike<number>, where: string): BigUint64Array {
  if (!LITTLE_ENDIAN) return fp.encodeTensor(xs, where);
  const out = new BigUint64Array(xs.length);
  const words = new Uint32Array(out.buffer, out.byteOffset, 2 * xs.length);
  const { ell, unit } = fp;
  const nearest = fp.rounding === 'nearest-even';
  const half = 2 ** (ell - 1);
  const loMask = ell >= 32 ? -1 : 2 ** ell - 1;
  const hiMask = ell >= 64 ? -1 : ell > 32 ? 2 ** (ell - 32) - 1 : 0;
  for (let i = 0; i < xs.length; i++) {
    const r = xs[i] as number;
    const f = round(r * unit, nearest);
    if (!(f >= -half && f < half)) refuse(fp, r, where, i);
    const hi = Math.floor(f / TWO32);
    const lo = f - hi * TWO32;
    words[2 * i] = lo & loMask;
    words[2 * i + 1] = hi & hiMask;
  }
  return out;
}

/** `fp.decodeTensor(fp.encodeTensor(xs, where))`, entry for entry: each value on the fixed-point grid. */
export function roundTripTensor(fp: FixedPoint, xs: ArrayLike<number>, where: string): Float64Array {
  const out = new Float64Array(xs.length);
  const { ell, unit } = fp;
  const nearest = fp.rounding === 'nearest-even';
  const half = 2 ** (ell - 1);
  for (let i = 0; i < xs.length; i++) {
    const r = xs[i] as number;
    const f = round(r * unit, nearest);
    if (!(f >= -half && f < half)) refuse(fp, r, where, i);
    out[i] = (f + 0) / unit;
  }
  return out;
}
