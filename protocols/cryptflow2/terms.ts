/**
 * A bilinear layer as its list of scalar terms: z[o_t] += x[p_t]·y[q_t] for t = 0 … T−1 — the form
 * the OT-based multiplication (product.ts) needs, one correlated OT per term and bit. Elementwise Mul
 * with NumPy broadcasting, MatMul, and every convolution (1-D/2-D/3-D, groups, dilations, padding,
 * transposed) through the kernels' own tap enumeration (semantics/kernels/gather.ts), so the terms
 * are exactly the products the plaintext kernels sum. T is the number of multiplications of the
 * layer (padding taps excluded); the cost of the layer is linear in T (spec/cost/cryptflow2.ts).
 */
import { broadcastShapes, numel, type ConvGeometry, type ConvTransposeGeometry, type Shape } from '../../spec/geometry.js';
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

export type AnyConv = { readonly kind: 'conv'; readonly g: ConvGeometry } | { readonly kind: 'transpose'; readonly g: ConvTransposeGeometry };

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
  const plan = c.kind === 'conv' ? convPlan(sized(xShape), sized(wShape), c.g) : convTransposePlan(sized(xShape), sized(wShape), c.g);
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

/**
 * The number of terms of a convolution without enumerating them (for the cost functions): a tap is
 * skipped exactly when some axis lands in padding, so the count factors over the axes,
 * N·CO·(CI/G)·Π_a Σ_{tap} #{outputs o : source(a, o, tap) ≥ 0}.
 */
export function convTermCount(c: AnyConv, xShape: Shape, wShape: Shape): number {
  const { plan, map } = planOf(c, xShape, wShape);
  let count = plan.n * plan.co * (plan.ci / plan.groups);
  for (const a of [0, 1, 2] as const) {
    let valid = 0;
    for (let t = 0; t < plan.ker[a]; t++) for (let o = 0; o < plan.out[a]; o++) if (map.source(a, o, t) >= 0) valid++;
    count *= valid;
  }
  return count;
}
