/**
 * Linear operators with one KNOWN operand (a server weight or a public constant), as the range
 * analysis sees them: which coefficients form one output cell's row, and what a row contributes to the
 * interval and to the error of the result.
 *
 * A known operand carries three views of its entries: `coef`, the values the arithmetic really
 * multiplies by (float32 values in floatSem, decoded ring values in fixedSem); `ref`, a binary64 value
 * within `refErr` of the exact real R the reference semantics uses; and `err`, a bound on |coef − R|.
 * For y = Σ_row coef_i·a_i against R_y = Σ_row R_i·R_{a,i}, with |a − R_a| ≤ E_a and |R_a| ≤ A_a:
 *     range(R_y) ⊆ rowsRange(ref, range(R_a)) ± A_a · max_row Σ refErr_i
 *     |Σ coef·a − R_y| ≤ E_a · max_row Σ|coef_i| + A_a · max_row Σ err_i
 * (split Σ coef·a − Σ R·R_a = Σ coef·(a − R_a) + Σ R_a·(coef − R)).
 *
 * Rows per operator (shapes as in spec/geometry.ts):
 *   MatMul a[M,K]·b[K,N]  b known: row j = column j of b;  a known: row i = row i of a.
 *   Gemm                  the same on op(a), op(b).
 *   Conv w[CO, CI/g, k…]  row o = w[o, …] (a padded tap is absent: partial).
 *   ConvTranspose w[CI, CO/g, k…]  row o = w[ci, o mod CO/g, …] over the ci of o's group (partial).
 *   Mul (elementwise)     each known entry is a row of one coefficient.
 */
import { numel, type Shape } from '../../spec/geometry.js';
import { iv, rowsAbsMax, rowsErrMax, rowsOf, rowsRange, widen, type Iv, type Rows } from './intervals.js';

export interface Known {
  readonly shape: Shape;
  readonly coef: ArrayLike<number>;
  readonly ref: ArrayLike<number>;
  readonly refErr: ArrayLike<number>;
  readonly err: ArrayLike<number>;
}

/** A known tensor whose arithmetic values are exactly the reference reals (float32 weights in floatSem). */
export function exactKnown(shape: Shape, values: ArrayLike<number>): Known {
  const zeros = new Float64Array(values.length);
  return { shape, coef: values, ref: values, refErr: zeros, err: zeros };
}

export interface RowLayout {
  readonly count: number;
  readonly rowOf: (i: number) => number;
}

export const elementRows = (n: number): RowLayout => ({ count: n, rowOf: (i) => i });

/** b[K,N] known on the right of a product: rows are columns. */
export const columnRows = (shape: Shape): RowLayout => {
  const n = shape[1] ?? 1;
  return { count: n, rowOf: (i) => i % n };
};

/** a[M,K] known on the left of a product: rows are rows. */
export const rowRows = (shape: Shape): RowLayout => {
  const k = shape[1] ?? 1;
  return { count: shape[0] ?? 1, rowOf: (i) => Math.floor(i / k) };
};

export const convRows = (w: Shape): RowLayout => {
  const co = w[0] ?? 1;
  const per = numel(w) / co;
  return { count: co, rowOf: (i) => Math.floor(i / per) };
};

export const convTransposeRows = (w: Shape, groups: number): RowLayout => {
  const [ci, cog] = [w[0] ?? 1, w[1] ?? 1];
  const kv = numel(w.slice(2));
  const perGroup = ci / groups;
  return {
    count: groups * cog,
    rowOf: (i) => Math.floor(Math.floor(i / (cog * kv)) / perGroup) * cog + (Math.floor(i / kv) % cog),
  };
};

export interface LinearFacts {
  /** Enclosure of the reference result (bias not included). */
  readonly range: Iv;
  /** max_row Σ|coef|: multiplies the error of the other operand. */
  readonly coefNorm: number;
  /** max_row Σ err_i: multiplied by the magnitude of the other operand. */
  readonly errNorm: number;
}

/**
 * The facts of Σ_row coef·x for x with reference range `x` (|R_x| ≤ mag(x)), rows laid out by
 * `layout`; `partial` when a term may be absent; `bias` per row or shared.
 */
export function linearFacts(k: Known, layout: RowLayout, x: Iv, partial: boolean, bias?: Iv | readonly Iv[]): LinearFacts {
  const ref: Rows = rowsOf(k.ref, layout.count, layout.rowOf, k.refErr);
  const coef: Rows = rowsOf(k.coef, layout.count, layout.rowOf, k.err);
  const a = Math.max(Math.abs(x.lo), Math.abs(x.hi));
  const slack = a === 0 ? 0 : a * rowsErrMax(ref);
  const r = rowsRange(ref, x, partial, bias);
  return {
    range: slack === 0 ? r : widen(iv(r.lo - slack, r.hi + slack)),
    coefNorm: rowsAbsMax(coef),
    errNorm: rowsErrMax(coef),
  };
}

/** Per-row intervals of a known bias vector (reference values ± refErr). */
export function biasRows(b: Known): Iv[] {
  return Array.from(b.ref, (v, i) => {
    const e = b.refErr[i] as number;
    return iv(v - e, v + e);
  });
}

/** The hull of a known tensor's reference values ± refErr. */
export function knownRange(k: Known): Iv {
  let [lo, hi] = [Infinity, -Infinity];
  for (let i = 0; i < k.ref.length; i++) {
    const [v, e] = [k.ref[i] as number, k.refErr[i] as number];
    lo = Math.min(lo, v - e);
    hi = Math.max(hi, v + e);
  }
  return k.ref.length === 0 ? iv(0, 0) : iv(lo, hi);
}
