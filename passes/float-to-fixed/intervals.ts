/**
 * The interval domain of the range analysis (analysis.ts): per-tensor intervals of REAL values, and
 * linear operations whose coefficients are known (the server's weights, public constants) evaluated
 * row by row — interval bound propagation, exact for a box of inputs.
 *
 * A linear operator with known coefficients w is a set of rows: each output cell is Σ_{i ∈ row} w_i x_i
 * over one row of coefficients (a MatMul column, a Conv output channel, one element of an elementwise
 * Mul). For x in the box [lo, hi] the exact range of one row is [P·lo + N·hi, P·hi + N·lo] with P and N
 * the sums of its positive and negative coefficients; when a tap may be missing (padding, a transposed
 * convolution's border) an absent term counts as x = 0, so the box becomes hull([lo, hi], 0). The
 * tensor's interval is the hull over rows. Computed in binary64; every result is widened outward by a
 * relative 2^−40 (plus 2^−1000 absolute), far more than the binary64 rounding of these sums, so the
 * enclosures are sound reals.
 */
import { CryptflowError } from '../../spec/errors.js';

export interface Iv {
  readonly lo: number;
  readonly hi: number;
}

export const iv = (lo: number, hi: number): Iv => ({ lo, hi });
export const point = (v: number): Iv => iv(v, v);
export const ZERO: Iv = point(0);
export const ALL: Iv = iv(-Infinity, Infinity);

/** max |v| over the interval. */
export function mag(x: Iv): number {
  return Math.max(Math.abs(x.lo), Math.abs(x.hi));
}

const REL = 2 ** -40;
const ABS = 2 ** -1000;

/** Outward widening that covers binary64 rounding of the computation that produced x. */
export function widen(x: Iv): Iv {
  const lo = x.lo - Math.abs(x.lo) * REL - ABS;
  const hi = x.hi + Math.abs(x.hi) * REL + ABS;
  return iv(Number.isNaN(lo) ? -Infinity : lo, Number.isNaN(hi) ? Infinity : hi);
}

export function hull(xs: readonly Iv[]): Iv {
  if (xs.length === 0) return ZERO;
  let [lo, hi] = [Infinity, -Infinity];
  for (const x of xs) {
    lo = Math.min(lo, x.lo);
    hi = Math.max(hi, x.hi);
  }
  return iv(lo, hi);
}

/** 0·∞ is 0 here: a zero coefficient contributes nothing whatever the other factor. */
function times(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : a * b;
}

export function add(a: Iv, b: Iv): Iv {
  return widen(iv(a.lo + b.lo, a.hi + b.hi));
}

export function sub(a: Iv, b: Iv): Iv {
  return widen(iv(a.lo - b.hi, a.hi - b.lo));
}

export function mul(a: Iv, b: Iv): Iv {
  const ps = [times(a.lo, b.lo), times(a.lo, b.hi), times(a.hi, b.lo), times(a.hi, b.hi)];
  return widen(iv(Math.min(...ps), Math.max(...ps)));
}

/** A sum of K products of entries of a and b (no coefficient known). */
export function dot(K: number, a: Iv, b: Iv): Iv {
  const p = mul(a, b);
  return widen(iv(times(K, p.lo), times(K, p.hi)));
}

export function relu(x: Iv): Iv {
  return iv(Math.max(x.lo, 0), Math.max(x.hi, 0));
}

/**
 * Rows of a linear operator with known coefficients: the sums of positive and negative coefficients
 * of each row, and (when given) the sum of per-coefficient error bounds |e_i| of each row.
 */
export interface Rows {
  readonly pos: Float64Array;
  readonly neg: Float64Array;
  readonly err: Float64Array;
}

/** Group the coefficients `w` into `count` rows; `rowOf(i)` is the row of coefficient i. */
export function rowsOf(
  w: ArrayLike<number>,
  count: number,
  rowOf: (i: number) => number,
  err?: ArrayLike<number>,
): Rows {
  const pos = new Float64Array(count);
  const neg = new Float64Array(count);
  const e = new Float64Array(count);
  for (let i = 0; i < w.length; i++) {
    const r = rowOf(i);
    const v = w[i] as number;
    if (v > 0) pos[r] = (pos[r] as number) + v;
    else neg[r] = (neg[r] as number) + v;
    if (err !== undefined) e[r] = (e[r] as number) + Math.abs(err[i] as number);
  }
  return { pos, neg, err: e };
}

/** max over rows of Σ|w| (the ∞-norm of the operator). */
export function rowsAbsMax(r: Rows): number {
  let m = 0;
  for (let i = 0; i < r.pos.length; i++) m = Math.max(m, (r.pos[i] as number) - (r.neg[i] as number));
  return m * (1 + REL);
}

/** max over rows of Σ|e_i|. */
export function rowsErrMax(r: Rows): number {
  let m = 0;
  for (const v of r.err) m = Math.max(m, v);
  return m * (1 + REL);
}

/**
 * The range of Σ_{row} w_i x_i (+ bias of the row) over x ∈ box, hull over rows. `partial`: a term may
 * be absent (x = 0 there). `bias`: one interval per row, or one for all rows.
 */
export function rowsRange(r: Rows, x: Iv, partial: boolean, bias?: Iv | readonly Iv[]): Iv {
  const lo = partial ? Math.min(x.lo, 0) : x.lo;
  const hi = partial ? Math.max(x.hi, 0) : x.hi;
  let outLo = Infinity;
  let outHi = -Infinity;
  for (let i = 0; i < r.pos.length; i++) {
    const [p, n] = [r.pos[i] as number, r.neg[i] as number];
    const b = bias === undefined ? ZERO : Array.isArray(bias) ? ((bias as readonly Iv[])[i] ?? ZERO) : (bias as Iv);
    outLo = Math.min(outLo, times(p, lo) + times(n, hi) + b.lo);
    outHi = Math.max(outHi, times(p, hi) + times(n, lo) + b.hi);
  }
  return r.pos.length === 0 ? ZERO : widen(iv(outLo, outHi));
}

/**
 * rowsAbsMax, rowsErrMax and rowsRange of a set of rows taken one row at a time, without the per-row
 * arrays: `row(p, n, e)` for each row in order, then the three results, equal bit for bit to the
 * functions above on the same rows (the same maxima and minima of the same per-row terms). `x` absent:
 * no range is wanted (`range()` is then ZERO).
 */
export class RowFold {
  private absM = 0;
  private errM = 0;
  private outLo = Infinity;
  private outHi = -Infinity;
  private rows = 0;
  private readonly lo: number;
  private readonly hi: number;

  constructor(
    private readonly x: Iv | undefined,
    partial: boolean,
    private readonly bias?: Iv | readonly Iv[],
  ) {
    this.lo = x === undefined ? 0 : partial ? Math.min(x.lo, 0) : x.lo;
    this.hi = x === undefined ? 0 : partial ? Math.max(x.hi, 0) : x.hi;
  }

  row(p: number, n: number, e: number): void {
    this.absM = Math.max(this.absM, p - n);
    this.errM = Math.max(this.errM, e);
    if (this.x !== undefined) {
      const bias = this.bias;
      const b =
        bias === undefined ? ZERO : Array.isArray(bias) ? ((bias as readonly Iv[])[this.rows] ?? ZERO) : (bias as Iv);
      this.outLo = Math.min(this.outLo, times(p, this.lo) + times(n, this.hi) + b.lo);
      this.outHi = Math.max(this.outHi, times(p, this.hi) + times(n, this.lo) + b.hi);
    }
    this.rows++;
  }

  /**
   * One row per coefficient (an elementwise product): `row(p, n, e)` for each i in order, with p, n
   * the coefficient's positive or negative part (as rowsOf sums it from 0) and e = |err_i| (0 when
   * err is absent), run in one loop over locals.
   */
  elements(w: ArrayLike<number>, err: ArrayLike<number> | undefined): void {
    const { lo, hi, bias } = this;
    const wantRange = this.x !== undefined;
    const shared = bias === undefined ? ZERO : Array.isArray(bias) ? undefined : (bias as Iv);
    const perRow = shared === undefined ? (bias as readonly Iv[]) : undefined;
    let { absM, errM, outLo, outHi, rows } = this;
    for (let i = 0; i < w.length; i++) {
      const v = w[i] as number;
      let p = 0;
      let n = 0;
      if (v > 0) p = 0 + v;
      else n = 0 + v;
      const e = err === undefined ? 0 : 0 + Math.abs(err[i] as number);
      absM = Math.max(absM, p - n);
      errM = Math.max(errM, e);
      if (wantRange) {
        const b = shared ?? (perRow as readonly Iv[])[rows] ?? ZERO;
        outLo = Math.min(outLo, times(p, lo) + times(n, hi) + b.lo);
        outHi = Math.max(outHi, times(p, hi) + times(n, lo) + b.hi);
      }
      rows++;
    }
    this.absM = absM;
    this.errM = errM;
    this.outLo = outLo;
    this.outHi = outHi;
    this.rows = rows;
  }

  /** rowsAbsMax */
  absMax(): number {
    return this.absM * (1 + REL);
  }

  /** rowsErrMax */
  errMax(): number {
    return this.errM * (1 + REL);
  }

  /** rowsRange */
  range(): Iv {
    return this.x === undefined || this.rows === 0 ? ZERO : widen(iv(this.outLo, this.outHi));
  }
}

/** The interval of known values (min and max). */
export function valuesRange(v: ArrayLike<number>): Iv {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return v.length === 0 ? ZERO : iv(lo, hi);
}

export function checkRange(r: Iv, what: string): void {
  if (!Number.isFinite(r.lo) || !Number.isFinite(r.hi) || r.lo > r.hi) {
    throw new CryptflowError('usage', `${what} must be a finite interval lo ≤ hi, got [${r.lo}, ${r.hi}]`);
  }
}
