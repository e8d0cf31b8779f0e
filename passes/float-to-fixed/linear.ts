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
import { iv, RowFold, rowsOf, widen, type Iv, type Rows } from './intervals.js';

export interface Known {
  readonly shape: Shape;
  readonly coef: ArrayLike<number>;
  readonly ref: ArrayLike<number>;
  /** Per-entry bounds; absent means 0 everywhere (no array of zeros is allocated for a weight). */
  readonly refErr?: ArrayLike<number>;
  readonly err?: ArrayLike<number>;
}

/** A known tensor whose arithmetic values are exactly the reference reals (float32 weights in floatSem). */
export function exactKnown(shape: Shape, values: ArrayLike<number>): Known {
  return { shape, coef: values, ref: values };
}

/**
 * `rowOf(i)` is the row of coefficient i. Two regular layouts also say so structurally, so the row
 * sums can be taken without a call per coefficient (`foldRows`): `block` b when rowOf(i) = ⌊i/b⌋,
 * `cycle` n when rowOf(i) = i mod n.
 */
export interface RowLayout {
  readonly count: number;
  readonly rowOf: (i: number) => number;
  readonly block?: number;
  readonly cycle?: number;
}

export const elementRows = (n: number): RowLayout => ({ count: n, rowOf: (i) => i, block: 1 });

/** b[K,N] known on the right of a product: rows are columns. */
export const columnRows = (shape: Shape): RowLayout => {
  const n = shape[1] ?? 1;
  return { count: n, rowOf: (i) => i % n, cycle: n };
};

/** a[M,K] known on the left of a product: rows are rows. */
export const rowRows = (shape: Shape): RowLayout => {
  const k = shape[1] ?? 1;
  return { count: shape[0] ?? 1, rowOf: (i) => Math.floor(i / k), block: k };
};

export const convRows = (w: Shape): RowLayout => {
  const co = w[0] ?? 1;
  const per = numel(w) / co;
  return { count: co, rowOf: (i) => Math.floor(i / per), block: per };
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
 * The row sums of error-free known tensors (`err` absent), kept for the length of one analysis: the
 * float half and the fixed half both take the rows of a weight's float32 values (an encoded weight's
 * reference reals are those values, the same array), so each is summed once. Keyed by the array and
 * a regular layout (count, block, cycle); irregular layouts are not kept.
 */
export class RowSums {
  private readonly byArray = new WeakMap<object, Map<string, Rows>>();

  rows(w: ArrayLike<number>, layout: RowLayout, compute: () => Rows): Rows {
    const key = `${layout.count}:${layout.block ?? ''}:${layout.cycle ?? ''}`;
    let forArray = this.byArray.get(w);
    if (forArray === undefined) this.byArray.set(w, (forArray = new Map()));
    const hit = forArray.get(key);
    if (hit !== undefined) return hit;
    const rows = compute();
    forArray.set(key, rows);
    return rows;
  }
}

/**
 * The facts of Σ_row coef·x for x with reference range `x` (|R_x| ≤ mag(x)), rows laid out by
 * `layout`; `partial` when a term may be absent; `bias` per row or shared. `sums`: row sums shared
 * within one analysis (RowSums).
 */
export function linearFacts(
  k: Known,
  layout: RowLayout,
  x: Iv,
  partial: boolean,
  bias?: Iv | readonly Iv[],
  sums?: RowSums,
): LinearFacts {
  const ref = new RowFold(x, partial, bias);
  const shared = k.coef === k.ref && k.err === k.refErr;
  const coef = shared ? ref : new RowFold(undefined, false);
  foldRows(k.ref, layout, k.refErr, ref, sums);
  if (!shared) foldRows(k.coef, layout, k.err, coef, sums);
  const a = Math.max(Math.abs(x.lo), Math.abs(x.hi));
  const slack = a === 0 ? 0 : a * ref.errMax();
  const r = ref.range();
  return {
    range: slack === 0 ? r : widen(iv(r.lo - slack, r.hi + slack)),
    coefNorm: coef.absMax(),
    errNorm: coef.errMax(),
  };
}

/** Row sums of a block layout (row r = coefficients [r·block, (r+1)·block)), each summed in increasing i. */
function blockRows(w: ArrayLike<number>, count: number, block: number, err: ArrayLike<number> | undefined): Rows {
  const [pos, neg, e] = [new Float64Array(count), new Float64Array(count), new Float64Array(count)];
  for (let r = 0, i = 0; r < count; r++) {
    let p = 0;
    let q = 0;
    let s = 0;
    for (const end = i + block; i < end; i++) {
      const v = w[i] as number;
      if (v > 0) p += v;
      else q += v;
      if (err !== undefined) s += Math.abs(err[i] as number);
    }
    pos[r] = p;
    neg[r] = q;
    e[r] = s;
  }
  return { pos, neg, err: e };
}

/** Row sums of a cycle layout (row of i = i mod count), in one sweep, each row in increasing i. */
function cycleRows(w: ArrayLike<number>, count: number, err: ArrayLike<number> | undefined): Rows {
  const [pos, neg, e] = [new Float64Array(count), new Float64Array(count), new Float64Array(count)];
  for (let i = 0; i < w.length; i += count) {
    for (let r = 0; r < count; r++) {
      const v = w[i + r] as number;
      if (v > 0) pos[r] = (pos[r] as number) + v;
      else neg[r] = (neg[r] as number) + v;
      if (err !== undefined) e[r] = (e[r] as number) + Math.abs(err[i + r] as number);
    }
  }
  return { pos, neg, err: e };
}

/**
 * Feed the rows of `rowsOf(w, layout.count, layout.rowOf, err)` (err absent: all 0) to `fold`, row by
 * row in order. Block and cycle layouts that tile w exactly are summed without a call per coefficient
 * (one row per coefficient: straight into the fold), each row's coefficients added in increasing i
 * from 0 as rowsOf does, so every row sum is the same number; other layouts go through rowsOf. With
 * `sums`, the rows of an error-free regular layout are summed once per array and layout.
 */
export function foldRows(
  w: ArrayLike<number>,
  layout: RowLayout,
  err: ArrayLike<number> | undefined,
  fold: RowFold,
  sums?: RowSums,
): void {
  const { count, block, cycle } = layout;
  const n = w.length;
  const errFits = err === undefined || err.length === n;
  const isBlock = block !== undefined && Number.isInteger(block) && block > 0 && block * count === n && errFits;
  const isCycle = !isBlock && cycle !== undefined && cycle === count && count > 0 && n % count === 0 && errFits;
  if (isBlock && block === 1) return fold.elements(w, err);
  let rows: Rows;
  if (isBlock || isCycle) {
    const compute = (): Rows => (isBlock ? blockRows(w, count, block, err) : cycleRows(w, count, err));
    rows = sums !== undefined && err === undefined ? sums.rows(w, layout, compute) : compute();
  } else rows = rowsOf(w, count, layout.rowOf, err);
  for (let r = 0; r < count; r++) fold.row(rows.pos[r] as number, rows.neg[r] as number, rows.err[r] as number);
}

/** Per-row intervals of a known bias vector (reference values ± refErr). */
export function biasRows(b: Known): Iv[] {
  const refErr = b.refErr;
  return Array.from(b.ref, (v, i) => {
    const e = refErr === undefined ? 0 : (refErr[i] as number);
    return iv(v - e, v + e);
  });
}

/** The hull of a known tensor's reference values ± refErr. */
export function knownRange(k: Known): Iv {
  const { ref, refErr } = k;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < ref.length; i++) {
    const v = ref[i] as number;
    const e = refErr === undefined ? 0 : (refErr[i] as number);
    lo = Math.min(lo, v - e);
    hi = Math.max(hi, v + e);
  }
  return ref.length === 0 ? iv(0, 0) : iv(lo, hi);
}
