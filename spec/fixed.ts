/**
 * Fixed-point encoding of reals into Z_{2^ℓ} at scale s (CrypTFlow §4: Athos represents a real r by
 * the integer nearest to r·2^s, stored two's complement in ℓ bits).
 *
 * Rounding. The issue names ⌊r·2^s⌋; we offer both and default to round-to-nearest, ties to even:
 *   - 'nearest-even': e(r) = encode(r)/2^s − r satisfies |e| ≤ 2^{−s−1}, and the error is unbiased on
 *     average, which matters because encoded weights feed long dot products (a one-sided floor bias
 *     of up to 2^{−s} per weight adds up linearly over K terms; a symmetric error grows like √K).
 *   - 'floor': ⌊r·2^s⌋, error in (−2^{−s}, 0]; kept for reproducing implementations that truncate.
 * r·2^s is computed exactly in binary64 (scaling by a power of two is exact for normal numbers), so
 * the rounding above is the exact mathematical rounding of the real r, not of an approximation.
 *
 * Range. encode(r) must lie in [−2^{ℓ−1}, 2^{ℓ−1} − 1]; otherwise the value cannot be held by this
 * (ℓ, s) pair and encoding fails with a 'fixed-range' error that names the position, never the value
 * (the value may be a secret input).
 *
 * Decode. decode(x) = signed(x) / 2^s. It is exact when |signed(x)| ≤ 2^53 (always when ℓ ≤ 54);
 * otherwise the conversion to binary64 rounds to nearest, relative error ≤ 2^{−53}.
 */
import { CryptflowError } from './errors.js';
import { Ring } from './ring.js';

export type Rounding = 'nearest-even' | 'floor';

export interface FixedPointParams {
  readonly ell: number;
  readonly scale: number;
  readonly rounding?: Rounding;
}

export interface FixedPoint {
  readonly ring: Ring;
  readonly ell: number;
  readonly scale: number;
  readonly rounding: Rounding;
  /** 2^s as a number. */
  readonly unit: number;
  /**
   * r encodes into range exactly when lowReal ≤ r < highReal (bounds exact as binary64 for ℓ ≤ 52).
   * nearest-even: [(−2^{ℓ−1} − ½)/2^s, (2^{ℓ−1} − ½)/2^s); floor: [−2^{ℓ−1}/2^s, 2^{ℓ−1}/2^s).
   */
  readonly lowReal: number;
  readonly highReal: number;
  /** Sup of |encode(r)/2^s − r| over representable r (2^{−s−1} nearest, 2^{−s} floor, exclusive for floor). */
  readonly encodeErrorBound: number;
  /** Does r encode into range? (false for NaN and ±∞). */
  canEncode(r: number): boolean;
  /** The integer round(r·2^s) before reduction, or null when r is not finite. */
  scaled(r: number): bigint | null;
  encode(r: number, where?: string): bigint;
  encodeTensor(xs: ArrayLike<number>, where?: string): BigUint64Array;
  decode(x: bigint): number;
  decodeTensor(xs: BigUint64Array): Float64Array;
}

export function checkFixedParams(ell: number, scale: number): void {
  Ring(ell); // validates ℓ
  if (!Number.isInteger(scale) || scale < 0 || scale >= ell) {
    throw new CryptflowError(
      'fixed-params',
      `scale s must be an integer with 0 ≤ s < ℓ (ℓ = ${ell}), got ${String(scale)}`,
    );
  }
}

function roundScaled(y: number, rounding: Rounding): number {
  const f = Math.floor(y);
  if (rounding === 'floor') return f;
  const diff = y - f; // exact: y and f are within one unit and share an exponent range
  if (diff > 0.5 || (diff === 0.5 && f % 2 !== 0)) return f + 1;
  return f;
}

export function FixedPoint(params: FixedPointParams): FixedPoint {
  const { ell, scale } = params;
  const rounding: Rounding = params.rounding ?? 'nearest-even';
  checkFixedParams(ell, scale);
  const ring = Ring(ell);
  const unit = 2 ** scale;
  const scaled = (r: number): bigint | null => {
    if (!Number.isFinite(r)) return null;
    const y = r * unit;
    if (!Number.isFinite(y)) return null;
    return BigInt(roundScaled(y, rounding));
  };
  const inRange = (v: bigint): boolean => v >= ring.minSigned && v <= ring.maxSigned;
  const canEncode = (r: number): boolean => {
    const v = scaled(r);
    return v !== null && inRange(v);
  };
  const encode = (r: number, where = 'value'): bigint => {
    const v = scaled(r);
    if (v === null) {
      throw new CryptflowError('non-finite', `${where} is not a finite number (NaN or ±Infinity cannot be encoded)`);
    }
    if (!inRange(v)) {
      throw new CryptflowError(
        'fixed-range',
        `${where} is outside the range representable at scale ${scale} in Z_2^${ell} ` +
          `([${fmt(Number(ring.minSigned) / unit)}, ${fmt(Number(ring.maxSigned) / unit)}]); ` +
          `use a smaller scale or a wider ring`,
      );
    }
    return ring.reduce(v);
  };
  const decode = (x: bigint): number => Number(ring.signed(x)) / unit;
  const fp: FixedPoint = {
    ring,
    ell,
    scale,
    rounding,
    unit,
    lowReal: (Number(ring.minSigned) - (rounding === 'floor' ? 0 : 0.5)) / unit,
    highReal: (Number(ring.half) - (rounding === 'floor' ? 0 : 0.5)) / unit,
    encodeErrorBound: rounding === 'floor' ? 1 / unit : 0.5 / unit,
    canEncode,
    scaled,
    encode,
    encodeTensor: (xs, where = 'tensor') => {
      const out = new BigUint64Array(xs.length);
      for (let i = 0; i < xs.length; i++) out[i] = encode(xs[i] as number, `${where}[${i}]`);
      return out;
    },
    decode,
    decodeTensor: (xs) => Float64Array.from(xs, decode),
  };
  return Object.freeze(fp);
}

function fmt(x: number): string {
  return Number.isInteger(x) ? x.toString() : x.toPrecision(6);
}
