/**
 * A bilinear layer as its list of scalar terms: z[o_t] += x[p_t]·y[q_t] for t = 0 … T−1 — the form
 * the OT-based multiplication (product.ts) needs, one correlated OT per term and bit. Elementwise Mul
 * with NumPy broadcasting, MatMul, and every convolution (1-D/2-D/3-D, groups, dilations, padding,
 * transposed) through the kernels' own tap enumeration (semantics/kernels/gather.ts), so the terms
 * are exactly the products the plaintext kernels sum. T is the number of multiplications of the
 * layer (padding taps excluded); the cost of the layer is linear in T (spec/cost/cryptflow2.ts).
 */
import {
  broadcastShapes,
  numel,
  type ConvGeometry,
  type ConvTransposeGeometry,
  type Shape,
} from '../../spec/geometry.js';
import { convPlan, convTransposePlan, type ConvPlan } from '../../semantics/kernels/geometry.js';
import { directMap, gatherConv, transposedMap, type GatherMap } from '../../semantics/kernels/gather.js';
import { broadcastIndex } from '../../semantics/tensor.js';
import { bug } from '../../spec/errors.js';

export interface Terms {
  readonly out: Int32Array;
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly outSize: number;
}

export type AnyConv =
  | { readonly kind: 'conv'; readonly g: ConvGeometry }
  | { readonly kind: 'transpose'; readonly g: ConvTransposeGeometry };

export function mulTerms(aShape: Shape, bShape: Shape): Terms {
  const shape = broadcastShapes(aShape, bShape) ?? bug('Mul operands do not broadcast');
  const ia = broadcastIndex(aShape, shape);
  const ib = broadcastIndex(bShape, shape);
  const n = numel(shape);
  return { out: Int32Array.from({ length: n }, (_, i) => i), x: ia, y: ib, outSize: n };
}

export function matmulTerms(m: number, k: number, n: number): Terms {
  const T = m * k * n;
  const [out, x, y] = [new Int32Array(T), new Int32Array(T), new Int32Array(T)];
  let t = 0;
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < n; c++) {
      for (let j = 0; j < k; j++, t++) {
        out[t] = i * n + c;
        x[t] = i * k + j;
        y[t] = j * n + c;
      }
    }
  }
  return { out, x, y, outSize: m * n };
}

function planOf(c: AnyConv, xShape: Shape, wShape: Shape): { plan: ConvPlan; map: GatherMap } {
  const sized = (s: Shape): { shape: Shape; data: { length: number } } => ({ shape: s, data: { length: numel(s) } });
  const plan =
    c.kind === 'conv'
      ? convPlan(sized(xShape), sized(wShape), c.g)
      : convTransposePlan(sized(xShape), sized(wShape), c.g);
  return { plan, map: c.kind === 'conv' ? directMap(plan) : transposedMap(plan) };
}

export function convTerms(c: AnyConv, xShape: Shape, wShape: Shape): Terms {
  const { plan, map } = planOf(c, xShape, wShape);
  const xs: number[] = [];
  const ws: number[] = [];
  const os: number[] = [];
  let pending = 0;
  gatherConv(
    plan,
    map,
    0,
    (acc, xi, wi) => {
      xs.push(xi);
      ws.push(wi);
      pending++;
      return acc;
    },
    (yi) => {
      for (; pending > 0; pending--) os.push(yi);
    },
  );
  return { out: Int32Array.from(os), x: Int32Array.from(xs), y: Int32Array.from(ws), outSize: numel(plan.outShape) };
}

/** The number of distinct indices in a term column (the elements of that operand some term uses). */
export function usedOf(idx: Int32Array): number {
  const seen = new Set<number>();
  for (const i of idx) seen.add(i);
  return seen.size;
}

/** T and the used elements of each operand, from shapes alone (for the cost functions). */
export interface TermCounts {
  readonly terms: number;
  readonly ux: number;
  readonly uy: number;
}

export function mulCounts(aShape: Shape, bShape: Shape, outShape: Shape): TermCounts {
  const T = numel(outShape);
  return { terms: T, ux: T === 0 ? 0 : numel(aShape), uy: T === 0 ? 0 : numel(bShape) };
}

export function matmulCounts(m: number, k: number, n: number): TermCounts {
  return { terms: m * k * n, ux: n === 0 ? 0 : m * k, uy: m === 0 ? 0 : k * n };
}

/**
 * A convolution's counts: a tap is used exactly when every axis lands inside, so T, the input cells
 * read and the weight taps read all factor over the axes (every channel pairing is used).
 */
export function convCounts(c: AnyConv, xShape: Shape, wShape: Shape): TermCounts {
  const { plan, map } = planOf(c, xShape, wShape);
  const cig = plan.ci / plan.groups;
  let [T, ux, uy] = [plan.n * plan.co * cig, plan.n * plan.ci, plan.co * cig];
  for (const a of [0, 1, 2] as const) {
    let valid = 0;
    const inputs = new Set<number>();
    let taps = 0;
    for (let t = 0; t < plan.ker[a]; t++) {
      let any = false;
      for (let o = 0; o < plan.out[a]; o++) {
        const i = map.source(a, o, t);
        if (i >= 0) {
          valid++;
          inputs.add(i);
          any = true;
        }
      }
      if (any) taps++;
    }
    T *= valid;
    ux *= inputs.size;
    uy *= taps;
  }
  return T === 0 ? { terms: 0, ux: 0, uy: 0 } : { terms: T, ux, uy };
}
