/**
 * The float tolerance of the differential tests: how far floatSem(frontend(model)) may be from
 * onnxruntime's result for the same model, per output entry. Derivation (proofs-notes/frontend-onnx.md):
 *
 * Every HLIL value v is, in exact arithmetic, an expression tree of +, −, ×, ÷ by constants, max and
 * ReLU over the inputs and weights. Any float32 evaluation of it that rounds at most n times along
 * each root-to-leaf path — whatever the order of its sums, with or without fused multiply-adds — is
 * within γ(n)·M_v of the exact value (Higham, Accuracy and Stability of Numerical Algorithms, §3.1:
 * the bound for sums of products; ReLU and max are 1-Lipschitz and add no rounding), where
 * γ(n) = nε/(1 − nε), ε = 2^−24, and M_v is the same tree evaluated on absolute values (Sub as Add,
 * every constant and input replaced by its magnitude). Both we and onnxruntime evaluate such a tree,
 * so |ours − ort| ≤ E_v = 2·γ(n_v)·M_v. n_v is counted per operator, additive for products of two
 * computed values: MatMul/Conv/ConvTranspose K (the accumulation length) + 1 (bias); Gemm K + 2 (c, and
 * α folded into a weight); Add/Sub/Mul/Div 1; AvgPool ∏kernel + 2 (sum, divide, a reciprocal);
 * BatchNorm 8 (onnxruntime precomputes γ/√(σ²+ε) and β − μ·γ'); layout, ReLU and MaxPool 0.
 * M_v is computed in float32 by floatSem on the absolute program; a 1% factor covers its own rounding.
 *
 * Heads: Softmax is within y_j·(e^{2D} − 1) of onnxruntime's for input errors up to D = max E,
 * plus (n + 10)ε relative per side for its own exp, sum and division; Sigmoid (slope ≤ ¼) within
 * E/4 plus 16ε (onnxruntime's approximations of exp and the logistic function are within a few ulps).
 * ArgMax: indices i (ours) and j (onnxruntime) both agree with the data when x̂_i − x̂_j ≤ E_i + E_j.
 */
import { assertNever } from '../../../../spec/errors.js';
import { numel } from '../../../../spec/geometry.js';
import type { HDecl, HNode, HProgram } from '../../../../ir/hlil.js';
import { floatSemAll, type FTensor } from '../../../../semantics/float.js';

const EPS = 2 ** -24;

export function gamma(n: number): number {
  return (n * EPS) / (1 - n * EPS);
}

/** The program on absolute values, and the extra constants it needs (−1 for BatchNorm's mean). */
function absProgram(p: HProgram): HProgram {
  const decls: HDecl[] = p.decls.map((d) => (d.kind === 'const' ? { ...d, values: d.values.map(Math.abs) } : d));
  const minusOne = '__tolerance:minus1';
  decls.push({ kind: 'const', name: minusOne, shape: [], values: Float32Array.of(-1) });
  const nodes: HNode[] = [];
  for (const n of p.nodes) {
    if (n.op === 'Sub') nodes.push({ ...n, op: 'Add' });
    else if (n.op === 'Pad') nodes.push({ ...n, value: Math.abs(n.value) });
    else if (n.op === 'BatchNorm') {
      const neg = `${n.out}:__negmean`;
      nodes.push({ op: 'Mul', a: n.mean, b: minusOne, out: neg });
      nodes.push({ ...n, mean: neg });
    } else nodes.push(n);
  }
  return { ...p, decls, nodes };
}

/** Roundings on the longest root-to-leaf path of each node's result (see the file header). */
function ownDepth(n: HNode, shape: (v: string) => readonly number[], d: (v: string) => number): number {
  const sum = (...vs: Array<string | undefined>): number => vs.reduce((a, v) => a + (v === undefined ? 0 : d(v)), 0);
  switch (n.op) {
    case 'Conv':
    case 'ConvTranspose': {
      const w = shape(n.w);
      const cig = n.op === 'Conv' ? (w[1] ?? 1) : (w[0] ?? 1) / n.groups;
      return sum(n.x, n.w, n.b) + cig * numel(w.slice(2)) + 1;
    }
    case 'MatMul':
      return sum(n.a, n.b) + (shape(n.a)[1] ?? 1);
    case 'Gemm':
      return sum(n.a, n.b, n.c) + ((n.transA ? shape(n.a)[0] : shape(n.a)[1]) ?? 1) + 2;
    case 'Mul':
    case 'Div':
      return sum(n.a, n.b) + 1;
    case 'Add':
    case 'Sub':
      return Math.max(d(n.a), d(n.b)) + 1;
    case 'BiasAdd':
      return Math.max(d(n.x), d(n.b)) + 1;
    case 'AvgPool':
      return d(n.x) + numel(n.kernel) + 2;
    case 'GlobalAvgPool':
      return d(n.x) + numel(shape(n.x).slice(2)) + 2;
    case 'BatchNorm':
      return sum(n.x, n.scale, n.bias, n.mean, n.var) + 8;
    case 'Concat':
      return Math.max(...n.xs.map(d));
    case 'Relu':
    case 'MaxPool':
    case 'Pad':
    case 'Reshape':
    case 'Flatten':
    case 'Transpose':
    case 'Squeeze':
    case 'ArgMax':
    case 'Softmax':
    case 'Sigmoid':
      return d(n.x);
    default:
      return assertNever(n, 'HLIL operator');
  }
}

export interface FloatRun {
  /** Every value of the program under floatSem. */
  readonly values: ReadonlyMap<string, FTensor>;
  /** E_v per entry: the bound on |floatSem − onnxruntime| for values that are not heads. */
  readonly bound: (v: string) => Float64Array;
  /** The node that produced a value (undefined for declarations). */
  readonly producer: (v: string) => HNode | undefined;
}

export function floatRun(p: HProgram, inputs: ReadonlyMap<string, Float32Array>): FloatRun {
  const values = floatSemAll(p, inputs);
  const abs = floatSemAll(absProgram(p), new Map([...inputs].map(([k, v]) => [k, v.map(Math.abs)])));
  const depth = new Map<string, number>(p.decls.map((d) => [d.name, 0]));
  const shape = (v: string): readonly number[] => values.get(v)?.shape ?? [];
  const d = (v: string): number => depth.get(v) ?? 0;
  for (const n of p.nodes) depth.set(n.out, ownDepth(n, shape, d));
  const producers = new Map(p.nodes.map((n) => [n.out, n]));
  return {
    values,
    bound: (v) => {
      const m = abs.get(v)?.data ?? new Float32Array();
      const g = 2 * gamma(d(v)) * 1.01;
      return Float64Array.from(m, (x) => g * x + 1e-30);
    },
    producer: (v) => producers.get(v),
  };
}

/** Entrywise tolerance of a Softmax/Sigmoid output against onnxruntime's. */
export function headTolerance(run: FloatRun, node: Extract<HNode, { op: 'Softmax' | 'Sigmoid' }>): Float64Array {
  const e = run.bound(node.x);
  const big = e.reduce((a, b) => Math.max(a, b), 0);
  const y = run.values.get(node.out)?.data ?? new Float32Array();
  if (node.op === 'Sigmoid') return Float64Array.from(e, (x) => x / 4 + 16 * EPS);
  const n = run.values.get(node.x)?.shape[node.axis] ?? 1;
  return Float64Array.from(y, (v) => (v + EPS) * (Math.expm1(2 * big) + 2 * (n + 10) * EPS));
}

/** Whether onnxruntime's ArgMax indices are consistent with ours within the input's bound. */
export function argmaxAgrees(
  run: FloatRun,
  node: Extract<HNode, { op: 'ArgMax' }>,
  ort: ArrayLike<number>,
): { ok: boolean; worst: number } {
  const x = run.values.get(node.x);
  const ours = run.values.get(node.out)?.data;
  if (x === undefined || ours === undefined) return { ok: false, worst: Infinity };
  const e = run.bound(node.x);
  const d = x.shape[node.axis] ?? 1;
  const inner = numel(x.shape.slice(node.axis + 1));
  let worst = 0;
  let ok = true;
  for (let cell = 0; cell < ours.length; cell++) {
    const [o, rest] = [Math.floor(cell / inner), cell % inner];
    const at = (t: number): number => (o * d + t) * inner + rest;
    const i = ours[cell] as number;
    const j = Number(ort[cell]);
    if (i === j) continue;
    if (!Number.isInteger(j) || j < 0 || j >= d) return { ok: false, worst: Infinity };
    const gap = (x.data[at(i)] as number) - (x.data[at(j)] as number);
    const allowed = (e[at(i)] as number) + (e[at(j)] as number);
    worst = Math.max(worst, allowed > 0 ? gap / allowed : Infinity);
    if (gap > allowed) ok = false;
  }
  return { ok, worst };
}
