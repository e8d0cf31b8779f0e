/**
 * Error bounds of the one-node float-to-fixed lowering (derived in proofs-notes/fixed-point.md).
 *
 * `errorBound(node, s, mag, shapeOf)` bounds |decode(fixed result) − floatSem result|, entrywise, for
 * the lowering of `node` (lower-node.ts) run by fixedSem against floatSem, when every operand is a
 * declared input or constant whose entries have magnitude ≤ mag(name), encoding succeeds and the
 * overflow analysis (overflow.ts) flags nothing. Notation: u = 2^−s (one ulp of the fixed point),
 * ε = 2^−24 (float32 unit roundoff), γ(n) = nε/(1 − nε). Each bound is (fixed-point error against the
 * exact real result) + (float32 error against the same exact real result):
 *   exact ops (Relu, MaxPool, Concat, Pad, Reshape, Flatten, Transpose, Squeeze): u/2
 *   Add, Sub, BiasAdd:          u + ε(A + B)
 *   Mul:                        (A + B)u/2 + u²/4 + u + εAB
 *   Div by constant c:          (A + R)u/2 + u²/4 + u + 2^−52·AR + εAR,         R = max|1/c|
 *   MatMul (inner K):           K(A + B)u/2 + K u²/4 + u + γ(K)·KAB
 *   Gemm (inner K, c):          K(A + B)u/2 + K u²/4 + u²/2 + u + γ(K+1)(KAB + C)
 *   Conv, ConvTranspose (K = CI/groups·∏kernel, bias C): as Gemm
 *   AvgPool (n = ∏kernel), GlobalAvgPool (n = ∏spatial): 3u/2 + γ(n+1)·A
 *   BatchNorm (G = max|γ'|):   (A + G)u/2 + 3u²/4 + u + 2^−50·(GA + B + GM) + ε(6G(A + M) + B)
 *                               with A, M, B the magnitudes of x, μ, β
 *   Softmax (axis extent n):    ½(u/2 + ε(A + u)) + 2(3n + 2)ε
 *   Sigmoid:                    ¼(u/2 + ε(A + u)) + 6ε
 *   ArgMax:                     not a value error: the bound u is on max(x) − x[i_fixed] along the axis
 *                               (the fixed index is a maximum up to one ulp; exact on the grid 2^−s·Z).
 */
import { assertNever } from '../../spec/errors.js';
import { numel, type Shape } from '../../spec/geometry.js';
import type { HNode } from '../../ir/hlil.js';

const EPS = 2 ** -24;

export function gamma(n: number): number {
  return (n * EPS) / (1 - n * EPS);
}

/** Bound for a sum of K products (MatMul, Gemm, Conv): fixed part plus float part. */
function dotBound(u: number, K: number, A: number, B: number, C: number | undefined): number {
  const fixed = (K * (A + B) * u) / 2 + (K * u * u) / 4 + u + (C === undefined ? 0 : (u * u) / 2);
  const float = C === undefined ? gamma(K) * K * A * B : gamma(K + 1) * (K * A * B + C);
  return fixed + float;
}

export interface BoundInputs {
  /** max |entry| of an operand's float32 values. */
  readonly mag: (name: string) => number;
  readonly shapeOf: (name: string) => Shape;
  /** max |1/c| for Div's constant divisor; max |γ/√(σ²+ε)| for BatchNorm. */
  readonly derivedMag?: number;
}

/** The entrywise error bound of the lowering of `node` at scale s (see the file header). */
export function errorBound(node: HNode, s: number, m: BoundInputs): number {
  const u = 2 ** -s;
  const A = (n: string): number => m.mag(n);
  const opt = (n: string | undefined): number | undefined => (n === undefined ? undefined : m.mag(n));
  switch (node.op) {
    case 'Relu':
    case 'MaxPool':
    case 'Concat':
    case 'Pad':
    case 'Reshape':
    case 'Flatten':
    case 'Transpose':
    case 'Squeeze':
      return u / 2;
    case 'Add':
    case 'Sub':
      return u + EPS * (A(node.a) + A(node.b));
    case 'BiasAdd':
      return u + EPS * (A(node.x) + A(node.b));
    case 'Mul':
      return ((A(node.a) + A(node.b)) * u) / 2 + (u * u) / 4 + u + EPS * A(node.a) * A(node.b);
    case 'Div': {
      const R = m.derivedMag ?? 0;
      const a = A(node.a);
      return ((a + R) * u) / 2 + (u * u) / 4 + u + 2 ** -52 * a * R + EPS * a * R;
    }
    case 'MatMul':
      return dotBound(u, m.shapeOf(node.a)[1] ?? 0, A(node.a), A(node.b), undefined);
    case 'Gemm': {
      const a = m.shapeOf(node.a);
      const K = (node.transA ? a[0] : a[1]) ?? 0;
      return dotBound(u, K, A(node.a), A(node.b), opt(node.c));
    }
    case 'Conv':
    case 'ConvTranspose': {
      const w = m.shapeOf(node.w);
      const cig = node.op === 'Conv' ? (w[1] ?? 0) : (w[0] ?? 0) / node.groups;
      return dotBound(u, cig * numel(w.slice(2)), A(node.x), A(node.w), opt(node.b));
    }
    case 'AvgPool':
      return 1.5 * u + gamma(numel(node.kernel) + 1) * A(node.x);
    case 'GlobalAvgPool':
      return 1.5 * u + gamma(numel(m.shapeOf(node.x).slice(2)) + 1) * A(node.x);
    case 'BatchNorm': {
      const G = m.derivedMag ?? 0;
      const [x, mu, beta] = [A(node.x), A(node.mean), A(node.bias)];
      const fixed = ((x + G) * u) / 2 + (3 * u * u) / 4 + u + 2 ** -50 * (G * x + beta + G * mu);
      return fixed + EPS * (6 * G * (x + mu) + beta);
    }
    case 'Softmax': {
      const n = m.shapeOf(node.x)[node.axis] ?? 1;
      return 0.5 * (u / 2 + EPS * (A(node.x) + u)) + 2 * (3 * n + 2) * EPS;
    }
    case 'Sigmoid':
      return 0.25 * (u / 2 + EPS * (A(node.x) + u)) + 6 * EPS;
    case 'ArgMax':
      return u;
    default:
      return assertNever(node, 'HLIL operator');
  }
}
