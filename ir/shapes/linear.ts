/**
 * Shape rules of the arithmetic operators: MatMul, Gemm, broadcasting elementwise binaries,
 * BiasAdd along axis 1, BatchNorm over axis 1.
 */
import { broadcastShapes, shapeEquals, type Shape } from '../../spec/geometry.js';
import { dim, fail, ok, show, type ShapeResult } from './attrs.js';

/** a[m,k]·b[k,n] → [m,n]. */
export function matmulShape(a: Shape, b: Shape): ShapeResult {
  if (a.length !== 2 || b.length !== 2) return fail(`operands must be matrices: a is ${show(a)}, b is ${show(b)}`);
  if (a[1] !== b[0]) return fail(`inner dimensions differ: a is ${show(a)}, b is ${show(b)}`);
  return ok([dim(a, 0), dim(b, 1)]);
}

/** op(a)·op(b) + c, c broadcasting (unidirectionally) to [m,n]. */
export function gemmShape(a: Shape, b: Shape, c: Shape | undefined, transA: boolean, transB: boolean): ShapeResult {
  if (a.length !== 2 || b.length !== 2) return fail(`operands must be matrices: a is ${show(a)}, b is ${show(b)}`);
  const [m, ka] = transA ? [dim(a, 1), dim(a, 0)] : [dim(a, 0), dim(a, 1)];
  const [kb, n] = transB ? [dim(b, 1), dim(b, 0)] : [dim(b, 0), dim(b, 1)];
  if (ka !== kb)
    return fail(
      `inner dimensions differ: a is ${show(a)} (transA ${String(transA)}), b is ${show(b)} (transB ${String(transB)})`,
    );
  if (c !== undefined) {
    const bc = broadcastShapes(c, [m, n]);
    if (c.length > 2 || bc === null || !shapeEquals(bc, [m, n]))
      return fail(`c ${show(c)} does not broadcast to the product shape [${m},${n}]`);
  }
  return ok([m, n]);
}

/** NumPy/ONNX multidirectional broadcasting. */
export function broadcastShape(a: Shape, b: Shape): ShapeResult {
  const out = broadcastShapes(a, b);
  return out === null ? fail(`shapes do not broadcast: a is ${show(a)}, b is ${show(b)}`) : ok(out);
}

/** x[N,C,…] + b[C] along axis 1. */
export function biasAddShape(x: Shape, b: Shape): ShapeResult {
  if (x.length < 2) return fail(`x must have rank ≥ 2 (N, C, …), x is ${show(x)}`);
  if (b.length !== 1 || b[0] !== x[1])
    return fail(`bias b must be [${dim(x, 1)}] (channels of x), x is ${show(x)}, b is ${show(b)}`);
  return ok(x);
}

/** x[N,C,…] with scale, bias, mean and var each [C]. */
export function batchNormShape(
  x: Shape,
  params: ReadonlyArray<readonly [string, Shape]>,
  epsilon: number,
): ShapeResult {
  if (x.length < 2) return fail(`x must have rank ≥ 2 (N, C, …), x is ${show(x)}`);
  for (const [name, s] of params) {
    if (s.length !== 1 || s[0] !== x[1])
      return fail(`${name} must be [${dim(x, 1)}] (channels of x), x is ${show(x)}, ${name} is ${show(s)}`);
  }
  if (!Number.isFinite(epsilon) || epsilon < 0) return fail(`epsilon must be finite and ≥ 0, got ${String(epsilon)}`);
  return ok(x);
}
