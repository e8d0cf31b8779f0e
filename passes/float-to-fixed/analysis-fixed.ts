/**
 * Range analysis, fixed half: for every LLIL value w of a float-to-fixed plan, an interval enclosing
 * the exact real R_w it stands for and a bound on |decode(fixedSem_w) − R_w|; from these, the values
 * whose ring integers may leave [−2^{ℓ−1}, 2^{ℓ−1}), and the probability that local truncation wraps.
 *
 * R_w is the real the LLIL operator computes on the reals of its operands: ScaleDown and ScaleUp are
 * the identity on reals, a declaration stands for its transform of the HLIL values evaluated exactly
 * (encode: the float32 value itself), ArgMax for floatSem's index (analysis-float.ts). Rules, with
 * u_t = 2^−t at the value's scale t, A = max|R| and E the error bound of an operand:
 *   declaration     known weights: max |decode(X) − R| computed entry by entry (a transform other
 *                   than encode is evaluated in binary64: |v − R| ≤ 2^−50|v|); a client input: u_t/2
 *   Add, Sub, BiasAdd          E_a + E_b               (ring arithmetic is exact while nothing wraps)
 *   Mul, MatMul, Conv, ConvTranspose   K(A_a E_b + A_b E_a + E_a E_b); with a known operand
 *                              S·E_a + A_a·max_row Σ|e_w| (linear.ts); + E_bias
 *   ScaleDown to scale t       E + u_t   (exact floor: error in (−u_t, 0]; local truncation without
 *                              a wrap: q or q + 1, error in (−u_t, u_t))
 *   ScaleUp, Relu, MaxPool, Concat, layout operators   E
 *   AvgPool, GlobalAvgPool     E + u_t   (floor of the window mean)
 *   Pad                        max(E, u_t/2)   (the pad value was rounded to the nearest grid point)
 *   ArgMax over an axis of extent n   n − 1   (the two indices may differ by at most that)
 * Overflow: the ring integer of w lies in 2^t·[lo − E, hi + E]; a value (or a pooling window sum)
 * whose bound leaves the signed range is reported. The bounds above assume no earlier value wrapped,
 * so they hold for every input in range exactly when nothing is reported (induction over the nodes).
 * Truncation: a ScaleDown of x with |x̃| ≤ M wraps with probability ≤ M/2^ℓ per element
 * (semantics/truncation.ts); the report sums this over every truncated element (a union bound).
 */
import { match, P } from 'ts-pattern';
import { CryptflowError } from '../../spec/errors.js';
import { FixedPoint } from '../../spec/fixed.js';
import { numel, type Shape } from '../../spec/geometry.js';
import { Ring } from '../../spec/ring.js';
import type { LNode, LProgram } from '../../ir/llil.js';
import { transposeIndex } from '../../semantics/tensor.js';
import { orInf } from './analysis-float.js';
import { add, ALL, dot, hull, iv, mag, relu, sub, widen, type Iv } from './intervals.js';
import {
  biasRows,
  columnRows,
  convRows,
  convTransposeRows,
  elementRows,
  linearFacts,
  rowRows,
  type Known,
  type RowLayout,
  type RowSums,
} from './linear.js';
import { roundTripTensor } from './encode.js';
import type { FixedPlan } from './program.js';
import { applyTransform, transformSources, type DerivedValue } from './transforms.js';

export interface FixedFact {
  readonly shape: Shape;
  readonly scale: number;
  /** Encloses every entry of R. */
  readonly range: Iv;
  /** Bounds |decode(fixedSem) − R| entrywise. */
  readonly err: number;
  readonly known?: Known;
}

export interface OverflowRisk {
  /** The LLIL value (or `<value>:window-sum` for a pooling window sum, or a client input). */
  readonly value: string;
  readonly op: LNode['op'] | 'input';
  readonly scale: number;
  /** Enclosure of the real value the ring integer stands for (R ± E). */
  readonly range: Iv;
  /** Bits a two's-complement integer needs to hold the enclosure (> ℓ when reported). */
  readonly bits: number;
}

export interface TruncationRisk {
  /** The ScaleDown's output. */
  readonly value: string;
  readonly elements: number;
  /** Bound on |x̃|, the signed ring integer being truncated. */
  readonly maxAbs: number;
  /** Σ over its elements of P(wrap) ≤ elements · maxAbs / 2^ℓ. */
  readonly probability: number;
}

export interface FixedAnalysis {
  readonly facts: ReadonlyMap<string, FixedFact>;
  readonly overflow: readonly OverflowRisk[];
  readonly truncation: readonly TruncationRisk[];
}

const BINARY64_TRANSFORM = 2 ** -50;

function bitsFor(lo: number, hi: number): number {
  const m = Math.max(hi + 1, -lo, 1);
  return Math.ceil(Math.log2(m)) + 1;
}

/** Facts of one declaration of the LLIL program, from its transform. */
function declFact(
  dv: DerivedValue,
  plan: FixedPlan,
  known: (name: string) => Float32Array | undefined,
  clientRange: Iv,
  constValues: BigUint64Array | undefined,
): FixedFact {
  const fp = FixedPoint({ ell: plan.params.ell, scale: dv.scale });
  const u = 2 ** -dv.scale;
  const sources = transformSources(dv.transform);
  const vals = sources.map(known);
  if (vals.some((v) => v === undefined)) {
    if (dv.transform.kind === 'encode') return { shape: dv.shape, scale: dv.scale, range: clientRange, err: u / 2 };
    return { shape: dv.shape, scale: dv.scale, range: ALL, err: Infinity };
  }
  // An encoded weight's reference reals are its float32 values themselves: no copy, and refErr = 0.
  const encoded = dv.transform.kind === 'encode' ? vals[0] : undefined;
  const ref = encoded ?? applyTransform(dv.transform, (n) => known(n) ?? new Float32Array());
  const n = ref.length;
  // The grid values decode(encode(v)) (public constants: already encoded), then one sweep for each
  // entry's error and the hull of ref ± refErr (knownRange).
  const coef =
    constValues === undefined ? roundTripTensor(fp, ref, `weight '${dv.name}'`) : fp.decodeTensor(constValues);
  const refErr = encoded === undefined ? new Float64Array(n) : undefined;
  const err = new Float64Array(n);
  const { e, lo, hi } = entryErrors(ref, coef, refErr, err);
  const k: Known =
    refErr === undefined ? { shape: dv.shape, coef, ref, err } : { shape: dv.shape, coef, ref, refErr, err };
  return { shape: dv.shape, scale: dv.scale, range: widen(n === 0 ? iv(0, 0) : iv(lo, hi)), err: e, known: k };
}

/**
 * Per entry: refErr_i = 2^−50|v_i| (when refErr is given; absent: 0, an encoded weight), err_i =
 * |coef_i − v_i|(1 + 2^−50) + refErr_i; returns max err_i and the hull of v_i ± refErr_i.
 */
function entryErrors(
  ref: ArrayLike<number>,
  coef: ArrayLike<number>,
  refErr: Float64Array | undefined,
  err: Float64Array,
): { e: number; lo: number; hi: number } {
  const rel = refErr === undefined ? 0 : BINARY64_TRANSFORM;
  let [e, lo, hi] = [0, Infinity, -Infinity];
  for (let i = 0; i < ref.length; i++) {
    const v = ref[i] as number;
    const re = Math.abs(v) * rel;
    const ei = Math.abs((coef[i] as number) - v) * (1 + 2 ** -50) + re;
    if (refErr !== undefined) refErr[i] = re;
    err[i] = ei;
    e = Math.max(e, ei);
    lo = Math.min(lo, v - re);
    hi = Math.max(hi, v + re);
  }
  return { e, lo, hi };
}

/**
 * Run the fixed half over `plan.program`. `known(name)` gives the values of HLIL constants and server
 * weights; `sums`: row sums shared with the float half (linear.ts).
 */
export function fixedFacts(
  plan: FixedPlan,
  known: (name: string) => Float32Array | undefined,
  clientRange: Iv,
  sums?: RowSums,
): FixedAnalysis {
  const p: LProgram = plan.program;
  const ring = Ring(p.ell);
  const half = Number(ring.half);
  const facts = new Map<string, FixedFact>();
  const overflow: OverflowRisk[] = [];
  const truncation: TruncationRisk[] = [];
  const derived = new Map(plan.derived.map((d) => [d.name, d]));
  const check = (value: string, op: OverflowRisk['op'], scale: number, range: Iv): void => {
    const lo = range.lo * 2 ** scale * (1 + 2 ** -50);
    const hi = range.hi * 2 ** scale * (1 + 2 ** -50);
    if (!(lo >= -half && hi < half))
      overflow.push({
        value,
        op,
        scale,
        range,
        bits: Number.isFinite(lo) && Number.isFinite(hi) ? bitsFor(lo, hi) : Infinity,
      });
  };
  for (const d of p.decls) {
    const dv = derived.get(d.name);
    if (dv === undefined)
      throw new CryptflowError('type', `LLIL declaration '${d.name}' has no recorded transform in the plan`);
    const fact = declFact(dv, plan, known, clientRange, d.kind === 'const' ? d.values : undefined);
    facts.set(d.name, fact);
    if (fact.known === undefined) {
      const fp = FixedPoint({ ell: p.ell, scale: d.scale });
      if (!(fp.canEncode(fact.range.lo) && fp.canEncode(fact.range.hi))) check(d.name, 'input', d.scale, fact.range);
    }
  }
  for (const node of p.nodes) {
    const f = (n: string): FixedFact => {
      const x = facts.get(n);
      if (x === undefined)
        throw new CryptflowError('type', `node '${node.out}' (${node.op}) uses '${n}', which is not defined before it`);
      return x;
    };
    const fact = fixedNodeFact(node, f, ring, sums);
    facts.set(node.out, fact);
    const whole = iv(fact.range.lo - fact.err, fact.range.hi + fact.err);
    check(node.out, node.op, fact.scale, whole);
    if (node.op === 'AvgPool' || node.op === 'GlobalAvgPool') {
      const x = f(node.x);
      const n = node.op === 'AvgPool' ? numel(node.kernel) : numel(x.shape.slice(2));
      const xs = iv(Math.min(x.range.lo - x.err, 0), Math.max(x.range.hi + x.err, 0));
      check(`${node.out}:window-sum`, node.op, x.scale, iv(n * xs.lo, n * xs.hi));
    }
    if (node.op === 'ScaleDown') {
      const x = f(node.x);
      const maxAbs = orInf((mag(x.range) + x.err) * 2 ** x.scale);
      const elements = numel(x.shape);
      truncation.push({ value: node.out, elements, maxAbs, probability: orInf((elements * maxAbs) / 2 ** p.ell) });
    }
  }
  return { facts, overflow, truncation };
}

type Get = (n: string) => FixedFact;

interface Prod {
  readonly range: Iv;
  readonly err: number;
}

/** The operands of a sum of K products: a and b, the rows of each when it is known, the bias. */
interface ProdTerms {
  readonly K: number;
  readonly a: FixedFact;
  readonly b: FixedFact;
  readonly rowsA?: (() => RowLayout) | undefined;
  readonly rowsB?: (() => RowLayout) | undefined;
  /** A term of a row may be absent (padding, a transposed convolution). */
  readonly partial: boolean;
  readonly bias?: Iv | readonly Iv[] | undefined;
}

function prod(sums: RowSums | undefined, { K, a, b, rowsA, rowsB, partial, bias }: ProdTerms): Prod {
  const [Aa, Ab] = [mag(a.range), mag(b.range)];
  if (b.known !== undefined && rowsB !== undefined) {
    const l = linearFacts(b.known, rowsB(), a.range, partial, bias, sums);
    return { range: l.range, err: orInf(a.err * l.coefNorm + (Aa + a.err) * l.errNorm) };
  }
  if (a.known !== undefined && rowsA !== undefined) {
    const l = linearFacts(a.known, rowsA(), b.range, partial, bias, sums);
    return { range: l.range, err: orInf(b.err * l.coefNorm + (Ab + b.err) * l.errNorm) };
  }
  const r = dot(K, a.range, b.range);
  const range = bias === undefined ? r : add(r, Array.isArray(bias) ? hull(bias as readonly Iv[]) : (bias as Iv));
  return { range, err: orInf(K * (Aa * b.err + Ab * a.err + a.err * b.err)) };
}

/** A known tensor moved by an index map (Transpose) or reshaped. */
function moved(k: Known | undefined, shape: Shape, idx?: Int32Array): Known | undefined {
  if (k === undefined) return undefined;
  if (idx === undefined) return { ...k, shape };
  const g = (a: ArrayLike<number>): Float64Array => Float64Array.from(idx, (j) => a[j] as number);
  return {
    shape,
    coef: g(k.coef),
    ref: g(k.ref),
    ...(k.refErr === undefined ? {} : { refErr: g(k.refErr) }),
    ...(k.err === undefined ? {} : { err: g(k.err) }),
  };
}

function fixedNodeFact(node: LNode, f: Get, ring: Ring, sums: RowSums | undefined): FixedFact {
  const { shape, scale } = node.type;
  const out = (range: Iv, err: number, known?: Known): FixedFact =>
    known === undefined ? { shape, scale, range, err } : { shape, scale, range, err, known };
  return match(node)
    .with({ op: P.union('Add', 'Sub') }, (node) => {
      const [a, b] = [f(node.a), f(node.b)];
      return out(node.op === 'Add' ? add(a.range, b.range) : sub(a.range, b.range), a.err + b.err);
    })
    .with({ op: 'BiasAdd' }, (node) => {
      const [x, b] = [f(node.x), f(node.b)];
      return out(add(x.range, b.range), x.err + b.err);
    })
    .with({ op: 'Mul' }, (node) => {
      const [a, b] = [f(node.a), f(node.b)];
      const r = prod(sums, {
        K: 1,
        a,
        b,
        rowsB: () => elementRows(numel(b.shape)),
        rowsA: () => elementRows(numel(a.shape)),
        partial: false,
      });
      return out(r.range, r.err);
    })
    .with({ op: 'MatMul' }, (node) => {
      const [a, b] = [f(node.a), f(node.b)];
      const r = prod(sums, {
        K: a.shape[1] ?? 0,
        a,
        b,
        rowsB: () => columnRows(b.shape),
        rowsA: () => rowRows(a.shape),
        partial: false,
      });
      return out(r.range, r.err);
    })
    .with({ op: P.union('Conv', 'ConvTranspose') }, (node) => {
      const [x, w] = [f(node.x), f(node.w)];
      const b = node.b === undefined ? undefined : f(node.b);
      const K = (node.op === 'Conv' ? (w.shape[1] ?? 0) : (w.shape[0] ?? 0) / node.groups) * numel(w.shape.slice(2));
      const rows = (): RowLayout => (node.op === 'Conv' ? convRows(w.shape) : convTransposeRows(w.shape, node.groups));
      const partial = node.op === 'ConvTranspose' || node.pads.some((p) => p > 0);
      const bias = b === undefined ? undefined : b.known !== undefined ? biasRows(b.known) : b.range;
      const r = prod(sums, { K, a: x, b: w, rowsB: rows, partial, bias });
      return out(r.range, r.err + (b?.err ?? 0));
    })
    .with({ op: 'ScaleDown' }, (node) => {
      const x = f(node.x);
      return out(x.range, x.err + 2 ** -scale);
    })
    .with({ op: 'ScaleUp' }, (node) => {
      const x = f(node.x);
      return out(x.range, x.err, x.known);
    })
    .with({ op: 'Relu' }, (node) => {
      const x = f(node.x);
      return out(relu(x.range), x.err);
    })
    .with({ op: 'MaxPool' }, (node) => out(f(node.x).range, f(node.x).err))
    .with({ op: P.union('AvgPool', 'GlobalAvgPool') }, (node) => {
      const x = f(node.x);
      const padded = node.op === 'AvgPool' && node.countIncludePad && node.pads.some((p) => p > 0);
      return out(padded ? hull([x.range, iv(0, 0)]) : x.range, x.err + 2 ** -scale);
    })
    .with({ op: 'Concat' }, (node) => {
      const xs = node.xs.map(f);
      return out(hull(xs.map((x) => x.range)), Math.max(...xs.map((x) => x.err)));
    })
    .with({ op: 'Pad' }, (node) => {
      const x = f(node.x);
      if (!node.pads.some((p) => p > 0)) return out(x.range, x.err);
      const u = 2 ** -scale;
      const pv = Number(ring.signed(ring.reduce(node.value))) * u;
      return out(hull([x.range, widen(iv(pv - u / 2, pv + u / 2))]), Math.max(x.err, u / 2));
    })
    .with({ op: P.union('Reshape', 'Flatten', 'Squeeze') }, (node) => {
      const x = f(node.x);
      return out(x.range, x.err, moved(x.known, shape));
    })
    .with({ op: 'Transpose' }, (node) => {
      const x = f(node.x);
      return out(
        x.range,
        x.err,
        x.known === undefined ? undefined : moved(x.known, shape, transposeIndex(x.shape, node.perm).idx),
      );
    })
    .with({ op: 'ArgMax' }, (node) => {
      const n = f(node.x).shape[node.axis] ?? 1;
      return out(iv(0, n - 1), n - 1);
    })
    .exhaustive();
}
