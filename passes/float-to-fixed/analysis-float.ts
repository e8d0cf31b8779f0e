/**
 * Range analysis, float half: for every HLIL value v, an interval enclosing its exact real value R_v
 * and a bound on |floatSem_v − R_v| (the float32 rounding error accumulated so far), for all client
 * inputs in a stated box and the given server weights.
 *
 * R is the program evaluated in exact real arithmetic on the float32 values of the inputs, weights and
 * constants (Softmax and Sigmoid exactly; ArgMax yields floatSem's own index, so its error here is 0
 * and the fixed half carries the index difference). Notation: A = max|R| of an operand (from its
 * interval), E its error bound, Â = A + E ≥ max|F|, ε = 2^−24, η = 2^−149 (the absolute error of a
 * product or quotient that underflows; sums of floats are exact when they underflow), γ(n) = nε/(1−nε).
 * Rules (K products per output cell; a known operand — a weight — uses the row norms of linear.ts:
 * S = max_row Σ|w|, and the reference range of the rows instead of K·A·B):
 *   Add, Sub, BiasAdd   E_a + E_b + ε(A_out + E_a + E_b)
 *   Mul                 d + ε(A_out + d) + η,  d = Â_a E_b + A_b E_a   (known b: d = S·E_a)
 *   Div by constant c   the same with the coefficient 1/c (d = max|1/c|·E_a)
 *   MatMul, Gemm, Conv, ConvTranspose
 *                       d + γ(K)·P + 2Kη,  d = K(Â_a E_b + A_b E_a), P = K Â_a Â_b   (known: d = S·E_a,
 *                       P = S·Â_a); a bias c then adds E_c + ε(A_out + d' + E_c), d' the sum's bound
 *   AvgPool (n = ∏kernel), GlobalAvgPool (n = ∏spatial)   E_x + γ(n+1)Â_x + η
 *   BatchNorm (G = max|γ'|, Γ = max|γ|, M = max|μ|, B = max|β|)
 *                       G·E_x + ε(6G(Â_x + M) + B) + 2(Γ + 1)η
 *   Relu, MaxPool, Concat, Pad, layout operators: E (exact, 1-Lipschitz)
 *   Softmax (axis extent n): E_x/2 + (3n+2)ε;   Sigmoid: E_x/4 + 3ε;   ArgMax: 0
 * Derivations: proofs-notes/range-analysis.md. Values computed from known operands by exact operators
 * (layout operators, Relu, MaxPool, Concat, Pad, ArgMax) stay known.
 */
import { match, P } from 'ts-pattern';
import * as E from 'fp-ts/lib/Either.js';
import { CryptflowError } from '../../spec/errors.js';
import { numel, type Shape } from '../../spec/geometry.js';
import type { HNode, HProgram } from '../../ir/hlil.js';
import { nodeShape } from '../../ir/shapes.js';
import { floatNode, type FTensor } from '../../semantics/float.js';
import { gamma } from './bounds.js';
import { add, ALL, dot, hull, iv, mag, relu, sub, valuesRange, widen, type Iv } from './intervals.js';
import {
  biasRows,
  columnRows,
  convRows,
  convTransposeRows,
  elementRows,
  exactKnown,
  linearFacts,
  rowRows,
  type Known,
  type RowLayout,
  type RowSums,
} from './linear.js';

export const EPS = 2 ** -24;
export const ETA = 2 ** -149;

export interface FloatFact {
  readonly shape: Shape;
  /** Encloses every entry of R. */
  readonly range: Iv;
  /** Bounds |floatSem − R| entrywise. */
  readonly err: number;
  readonly known?: Known;
  /** Set when floatSem = R exactly and the values are known at compile time. */
  readonly exact?: Float32Array;
}

export interface FloatAnalysisInput {
  readonly program: HProgram;
  readonly weights: ReadonlyMap<string, Float32Array>;
  readonly clientRange: Iv;
  /** |floatSem − R| of declarations whose float32 values stand for other reals (rounded precomputed weights). */
  readonly declErr?: ReadonlyMap<string, number>;
  /** Row sums shared with the fixed half of the same analysis (linear.ts). */
  readonly rowSums?: RowSums;
}

/** NaN (from 0·∞) means "no bound". */
export function orInf(x: number): number {
  return Number.isNaN(x) ? Infinity : x;
}

/** The values of an HLIL declaration known at compile time (constants, server weights); undefined for client inputs. */
export function declValues(
  p: HProgram,
  weights: ReadonlyMap<string, Float32Array>,
  name: string,
): Float32Array | undefined {
  const d = p.decls.find((x) => x.name === name);
  if (d === undefined) return undefined;
  if (d.kind === 'const') return d.values;
  return d.owner === 'server' ? weights.get(name) : undefined;
}

/** Checks that `weights` holds exactly the server inputs of `p`, with the right sizes. */
export function checkWeights(p: HProgram, weights: ReadonlyMap<string, Float32Array>): void {
  const server = p.decls.filter((d) => d.kind === 'input' && d.owner === 'server');
  for (const d of server) {
    const w = weights.get(d.name);
    if (w === undefined) throw new CryptflowError('input', `no weights for the server input '${d.name}'`);
    if (w.length !== numel(d.shape))
      throw new CryptflowError(
        'input',
        `weights of '${d.name}' have ${w.length} entries; its shape [${d.shape.join(',')}] needs ${numel(d.shape)}`,
      );
    let bad = -1;
    for (let i = 0; i < w.length && bad < 0; i++) if (!Number.isFinite(w[i])) bad = i;
    if (bad >= 0)
      throw new CryptflowError('non-finite', `weights of '${d.name}' have a non-finite entry at index ${bad}`);
  }
  for (const name of weights.keys()) {
    if (!server.some((d) => d.name === name))
      throw new CryptflowError('input', `'${name}' is not a server input of the program`);
  }
}

const EXACT_OPS = new Set<HNode['op']>([
  'Relu',
  'MaxPool',
  'Concat',
  'Pad',
  'Reshape',
  'Flatten',
  'Transpose',
  'Squeeze',
  'ArgMax',
]);

/** Facts for every value of `p` (declarations and nodes). */
export function floatFacts(input: FloatAnalysisInput): Map<string, FloatFact> {
  const { program: p, weights, clientRange } = input;
  checkWeights(p, weights);
  const facts = new Map<string, FloatFact>();
  for (const d of p.decls) {
    const values = d.kind === 'const' ? d.values : d.owner === 'server' ? weights.get(d.name) : undefined;
    const e = input.declErr?.get(d.name) ?? 0;
    if (values === undefined) facts.set(d.name, { shape: d.shape, range: clientRange, err: e });
    else if (e === 0)
      facts.set(d.name, {
        shape: d.shape,
        range: valuesRange(values),
        err: 0,
        known: exactKnown(d.shape, values),
        exact: values,
      });
    else {
      const errs = new Float64Array(values.length).fill(e);
      const r = valuesRange(values);
      facts.set(d.name, {
        shape: d.shape,
        range: widen(iv(r.lo - e, r.hi + e)),
        err: e,
        known: { shape: d.shape, coef: values, ref: values, refErr: errs, err: errs },
      });
    }
  }
  for (const node of p.nodes) {
    const f = (n: string): FloatFact => {
      const x = facts.get(n);
      if (x === undefined)
        throw new CryptflowError('type', `node '${node.out}' (${node.op}) uses '${n}', which is not defined before it`);
      return x;
    };
    const shape = nodeShape(node, (n) => f(n).shape);
    if (E.isLeft(shape)) throw new CryptflowError('shape', `node '${node.out}' (${node.op}): ${shape.left}`);
    const fact = floatNodeFact(node, shape.right, f, input.rowSums);
    facts.set(node.out, withExact(node, fact, f));
  }
  return facts;
}

function withExact(node: HNode, fact: FloatFact, f: (n: string) => FloatFact): FloatFact {
  if (!EXACT_OPS.has(node.op)) return fact;
  const env = new Map<string, FTensor>();
  for (const d of new Set(operandsOfExact(node))) {
    const x = f(d);
    if (x.exact === undefined) return fact;
    env.set(d, { shape: x.shape, data: x.exact });
  }
  const v = floatNode(node, env).data;
  return { ...fact, range: valuesRange(v), known: exactKnown(fact.shape, v), exact: v };
}

function operandsOfExact(node: HNode): readonly string[] {
  return node.op === 'Concat' ? node.xs : 'x' in node ? [node.x] : [];
}

type Get = (n: string) => FloatFact;

/** The rounding of one float32 result: |fl(y) − y| ≤ ε|y| (+η when it may underflow). */
function rounded(out: Iv, d: number, underflow: boolean): number {
  return orInf(d + EPS * (mag(out) + d) + (underflow ? ETA : 0));
}

interface Product {
  readonly range: Iv;
  /** |Σ F_a F_b − Σ R_a R_b| */
  readonly d: number;
  /** Σ |F_a||F_b| per output cell */
  readonly p: number;
}

/** The operands of a sum of K products: a and b, the rows of each when it is known, the bias. */
interface ProductTerms<F> {
  readonly K: number;
  readonly a: F;
  readonly b: F;
  readonly rowsA?: (() => RowLayout) | undefined;
  readonly rowsB?: (() => RowLayout) | undefined;
  /** A term of a row may be absent (padding, a transposed convolution). */
  readonly partial: boolean;
  readonly bias?: Iv | readonly Iv[] | undefined;
}

/** A sum of K products of a and b, with the known operand's rows when there is one. */
function product(
  sums: RowSums | undefined,
  { K, a, b, rowsA, rowsB, partial, bias }: ProductTerms<FloatFact>,
): Product {
  const [Aa, Ab] = [mag(a.range), mag(b.range)];
  if (b.known !== undefined && rowsB !== undefined) {
    const l = linearFacts(b.known, rowsB(), a.range, partial, bias, sums);
    return { range: l.range, d: orInf(a.err * l.coefNorm + Aa * l.errNorm), p: orInf((Aa + a.err) * l.coefNorm) };
  }
  if (a.known !== undefined && rowsA !== undefined) {
    const l = linearFacts(a.known, rowsA(), b.range, partial, bias, sums);
    return { range: l.range, d: orInf(b.err * l.coefNorm + Ab * l.errNorm), p: orInf((Ab + b.err) * l.coefNorm) };
  }
  const r = dot(K, a.range, b.range);
  const range = bias === undefined ? r : add(r, Array.isArray(bias) ? hull(bias as readonly Iv[]) : (bias as Iv));
  return { range, d: orInf(K * ((Aa + a.err) * b.err + Ab * a.err)), p: orInf(K * (Aa + a.err) * (Ab + b.err)) };
}

/** Error of a K-term float32 dot product (from +0, ascending) against the reals. */
function dotErr(K: number, pr: Product): number {
  return orInf(pr.d + gamma(K) * pr.p + 2 * K * ETA);
}

/** fl(sum + c): the bias (Conv b, Gemm c) added after the sum. */
function withBiasErr(out: Iv, sumErr: number, c: FloatFact | undefined): number {
  return c === undefined ? sumErr : rounded(out, sumErr + c.err, false);
}

function transposedShape(s: Shape, flag: boolean): Shape {
  return flag ? [s[1] ?? 1, s[0] ?? 1] : s;
}

function floatNodeFact(node: HNode, shape: Shape, f: Get, sums: RowSums | undefined): FloatFact {
  const same = (x: FloatFact, range: Iv = x.range): FloatFact => ({ shape, range, err: x.err });
  return match(node)
    .with({ op: P.union('Add', 'Sub') }, (node) => {
      const [a, b] = [f(node.a), f(node.b)];
      const range = node.op === 'Add' ? add(a.range, b.range) : sub(a.range, b.range);
      return { shape, range, err: rounded(range, a.err + b.err, false) };
    })
    .with({ op: 'BiasAdd' }, (node) => {
      const [x, b] = [f(node.x), f(node.b)];
      const range = add(x.range, b.range);
      return { shape, range, err: rounded(range, x.err + b.err, false) };
    })
    .with({ op: 'Mul' }, (node) => {
      const [a, b] = [f(node.a), f(node.b)];
      const pr = product(sums, {
        K: 1,
        a,
        b,
        rowsB: () => elementRows(numel(b.shape)),
        rowsA: () => elementRows(numel(a.shape)),
        partial: false,
      });
      return { shape, range: pr.range, err: rounded(pr.range, pr.d, true) };
    })
    .with({ op: 'Div' }, (node) => {
      const [a, c] = [f(node.a), f(node.b)];
      const recip = c.exact === undefined ? undefined : Float64Array.from(c.exact, (v) => 1 / v);
      if (recip === undefined || recip.some((v) => !Number.isFinite(v))) return { shape, range: ALL, err: Infinity };
      const refErr = recip.map((v) => Math.abs(v) * 2 ** -52);
      const known: Known = { shape: c.shape, coef: recip, ref: recip, refErr, err: refErr };
      const l = linearFacts(known, elementRows(recip.length), a.range, false);
      return {
        shape,
        range: l.range,
        err: rounded(l.range, orInf(a.err * l.coefNorm + mag(a.range) * l.errNorm), true),
      };
    })
    .with({ op: 'MatMul' }, (node) => {
      const [a, b] = [f(node.a), f(node.b)];
      const K = a.shape[1] ?? 0;
      const pr = product(sums, {
        K,
        a,
        b,
        rowsB: () => columnRows(b.shape),
        rowsA: () => rowRows(a.shape),
        partial: false,
      });
      return { shape, range: pr.range, err: dotErr(K, pr) };
    })
    .with({ op: 'Gemm' }, (node) => {
      const [a, b] = [f(node.a), f(node.b)];
      const [sa, sb] = [transposedShape(a.shape, node.transA), transposedShape(b.shape, node.transB)];
      const K = sa[1] ?? 0;
      const rowsB = (): RowLayout => (node.transB ? rowRows(b.shape) : columnRows(b.shape));
      const rowsA = (): RowLayout => (node.transA ? columnRows(a.shape) : rowRows(a.shape));
      const pr = product(sums, { K, a: { ...a, shape: sa }, b: { ...b, shape: sb }, rowsB, rowsA, partial: false });
      const c = node.c === undefined ? undefined : f(node.c);
      const range = c === undefined ? pr.range : add(pr.range, c.range);
      return { shape, range, err: withBiasErr(range, dotErr(K, pr), c) };
    })
    .with({ op: P.union('Conv', 'ConvTranspose') }, (node) => {
      const [x, w] = [f(node.x), f(node.w)];
      const b = node.b === undefined ? undefined : f(node.b);
      const K = (node.op === 'Conv' ? (w.shape[1] ?? 0) : (w.shape[0] ?? 0) / node.groups) * numel(w.shape.slice(2));
      const rows = (): RowLayout => (node.op === 'Conv' ? convRows(w.shape) : convTransposeRows(w.shape, node.groups));
      const partial = node.op === 'ConvTranspose' || node.pads.some((p) => p > 0);
      const bias = b === undefined ? undefined : b.known !== undefined ? biasRows(b.known) : b.range;
      const pr = product(sums, { K, a: x, b: w, rowsB: rows, partial, bias });
      return { shape, range: pr.range, err: withBiasErr(pr.range, dotErr(K, pr), b) };
    })
    .with({ op: P.union('AvgPool', 'GlobalAvgPool') }, (node) => {
      const x = f(node.x);
      const n = node.op === 'AvgPool' ? numel(node.kernel) : numel(x.shape.slice(2));
      const padded = node.op === 'AvgPool' && node.countIncludePad && node.pads.some((p) => p > 0);
      const range = padded ? hull([x.range, iv(0, 0)]) : x.range;
      return { shape, range, err: orInf(x.err + gamma(n + 1) * (mag(x.range) + x.err) + ETA) };
    })
    .with({ op: 'BatchNorm' }, (node) => batchNormFact(node, shape, f))
    .with({ op: 'Relu' }, (node) => {
      const x = f(node.x);
      return same(x, relu(x.range));
    })
    .with({ op: P.union('MaxPool', 'Reshape', 'Flatten', 'Transpose', 'Squeeze') }, (node) => same(f(node.x)))
    .with({ op: 'Pad' }, (node) => {
      const x = f(node.x);
      return same(
        x,
        node.pads.some((p) => p > 0) ? hull([x.range, iv(Math.fround(node.value), Math.fround(node.value))]) : x.range,
      );
    })
    .with({ op: 'Concat' }, (node) => {
      const xs = node.xs.map(f);
      return { shape, range: hull(xs.map((x) => x.range)), err: Math.max(...xs.map((x) => x.err)) };
    })
    .with({ op: 'ArgMax' }, (node) => ({ shape, range: iv(0, (f(node.x).shape[node.axis] ?? 1) - 1), err: 0 }))
    .with({ op: 'Softmax' }, (node) => {
      const x = f(node.x);
      return { shape, range: iv(0, 1), err: orInf(x.err / 2 + (3 * (x.shape[node.axis] ?? 1) + 2) * EPS) };
    })
    .with({ op: 'Sigmoid' }, (node) => {
      const x = f(node.x);
      const s = (v: number): number => 1 / (1 + Math.exp(-v));
      return { shape, range: widen(iv(s(x.range.lo), s(x.range.hi))), err: orInf(x.err / 4 + 3 * EPS) };
    })
    .exhaustive();
}

/**
 * BatchNorm: R = γ'(x − μ) + β with γ' = γ/√(σ² + fl(ε)) per channel. With known parameters the
 * interval is taken channel by channel (γ' in binary64, a 2^−48 relative slack covers its rounding).
 */
function batchNormFact(node: Extract<HNode, { op: 'BatchNorm' }>, shape: Shape, f: Get): FloatFact {
  const [x, g, b, m, v] = [f(node.x), f(node.scale), f(node.bias), f(node.mean), f(node.var)];
  const eps = Math.fround(node.epsilon);
  const Ax = mag(x.range);
  const [Gam, M, B] = [mag(g.range), mag(m.range), mag(b.range)];
  let G: number;
  let range: Iv;
  if (g.exact && b.exact && m.exact && v.exact) {
    const [ge, be, me, ve] = [g.exact, b.exact, m.exact, v.exact];
    G = 0;
    let [lo, hi] = [Infinity, -Infinity];
    for (let c = 0; c < ge.length; c++) {
      const den = (ve[c] as number) + eps;
      const gc = den > 0 ? (ge[c] as number) / Math.sqrt(den) : Infinity;
      G = Math.max(G, Math.abs(gc));
      const [t1, t2] = [gc * (x.range.lo - (me[c] as number)), gc * (x.range.hi - (me[c] as number))];
      const slack = Math.max(Math.abs(t1), Math.abs(t2)) * 2 ** -48;
      lo = Math.min(lo, Math.min(t1, t2) - slack + (be[c] as number));
      hi = Math.max(hi, Math.max(t1, t2) + slack + (be[c] as number));
    }
    range = Number.isFinite(G) ? widen(iv(lo, hi)) : ALL;
  } else {
    const den = v.range.lo + eps;
    G = den > 0 ? Gam / Math.sqrt(den) : Infinity;
    const t = orInf(G * (Ax + M));
    range = Number.isFinite(t) ? widen(iv(-t + b.range.lo, t + b.range.hi)) : ALL;
  }
  const err = orInf(G * x.err + EPS * (6 * G * (Ax + x.err + M) + B) + 2 * (Gam + 1) * ETA);
  const fromParams = g.err + b.err + m.err + v.err > 0 ? Infinity : 0;
  return { shape, range, err: err + fromParams };
}
