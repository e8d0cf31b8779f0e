/**
 * Activations and the output heads.
 *
 *   Relu                 → Relu.
 *   LeakyRelu(α)         → r = Relu(x); y = r + α·(x − r), α a public scalar constant. x − r is
 *                          min(x, 0) exactly and one of r, α·(x − r) is zero, so every float32 step
 *                          is exact but the one product α·x for x < 0: y equals ONNX's fl(α·x) / x.
 *   Clip(min, max)       → with min = 0 and no max: Relu; with min = 0 and max = m > 0 (ReLU6 for
 *                          m = 6): Relu(x) − Relu(x − m), m a public scalar; with neither bound: the
 *                          identity. Bounds must be constants; other bounds are 'unsupported'.
 *   Sigmoid, Softmax     → the HLIL operator, only where the result is a graph output (context.ts).
 *                          Softmax before opset 13 normalises over all axes from `axis` on (default
 *                          1); that is HLIL's one-axis Softmax only when the axes after `axis` have
 *                          extent 1, so other cases are 'unsupported'. From opset 13 the axis
 *                          defaults to −1.
 *   ArgMax               → ArgMax (first index of the maximum; select_last_index = 1 unsupported).
 *                          ONNX yields int64 indices, HLIL float32 integers (equal values).
 */
import type { Lowering } from './common.js';
import { normAxis } from './common.js';

export const relu: Lowering = (ctx, n) => {
  n.attrs.only([]);
  ctx.result(n, { op: 'Relu', x: ctx.data(n, 0) });
};

export const leakyRelu: Lowering = (ctx, n) => {
  n.attrs.only(['alpha']);
  const alpha = n.attrs.float('alpha', 0.01);
  const x = ctx.data(n, 0);
  const r = ctx.step(n, { op: 'Relu', x }, 'relu');
  const neg = ctx.step(n, { op: 'Sub', a: x, b: r }, 'negative');
  const a = ctx.publicScalar(`${ctx.outputName(n, 0)}/alpha`, alpha);
  const scaled = ctx.step(n, { op: 'Mul', a: neg, b: a }, 'scaled');
  ctx.result(n, { op: 'Add', a: r, b: scaled });
};

export const clip: Lowering = (ctx, n) => {
  n.attrs.only([]);
  const lo = ctx.optional(n, 1) === undefined ? undefined : ctx.scalar(n, 1, 'min');
  const hi = ctx.optional(n, 2) === undefined ? undefined : ctx.scalar(n, 2, 'max');
  if (lo === undefined && hi === undefined) {
    ctx.alias(n, 0, 0);
    return;
  }
  if (lo !== 0 || (hi !== undefined && !(hi > 0 && Number.isFinite(hi)))) {
    throw ctx.unsupported(
      n,
      'only Clip(x, 0) (ReLU) and Clip(x, 0, max) with a finite max > 0 (e.g. ReLU6) are supported',
    );
  }
  const x = ctx.data(n, 0);
  if (hi === undefined) {
    ctx.result(n, { op: 'Relu', x });
    return;
  }
  const r = ctx.step(n, { op: 'Relu', x }, 'relu');
  const m = ctx.publicScalar(`${ctx.outputName(n, 0)}/max`, hi);
  const shifted = ctx.step(n, { op: 'Sub', a: x, b: m }, 'shifted');
  const excess = ctx.step(n, { op: 'Relu', x: shifted }, 'excess');
  ctx.result(n, { op: 'Sub', a: r, b: excess });
};

export const sigmoid: Lowering = (ctx, n) => {
  n.attrs.only([]);
  ctx.result(n, { op: 'Sigmoid', x: ctx.data(n, 0) });
};

export const softmax: Lowering = (ctx, n) => {
  n.attrs.only(['axis']);
  const shape = ctx.shape(n, 0);
  const r = shape.length;
  if (r === 0) throw ctx.shapeError(n, 'Softmax of a scalar');
  const axis = normAxis(ctx, n, n.attrs.int('axis', ctx.opset >= 13 ? -1 : 1), r);
  if (ctx.opset < 13 && shape.slice(axis + 1).some((d) => d !== 1)) {
    throw ctx.unsupported(
      n,
      `before opset 13 Softmax normalises over axes ${axis}…${r - 1} together; supported only when axis is the last non-unit axis (x is [${shape.join(',')}])`,
    );
  }
  ctx.result(n, { op: 'Softmax', x: ctx.data(n, 0), axis });
};

export const argMax: Lowering = (ctx, n) => {
  n.attrs.only(['axis', 'keepdims', 'select_last_index']);
  if (n.attrs.int('select_last_index', 0) !== 0)
    throw ctx.unsupported(n, 'select_last_index = 1 is not supported (the first maximal index is taken)');
  const shape = ctx.shape(n, 0);
  const axis = normAxis(ctx, n, n.attrs.int('axis', 0), shape.length);
  ctx.result(n, { op: 'ArgMax', x: ctx.data(n, 0), axis, keepdims: n.attrs.int('keepdims', 1) !== 0 });
};
