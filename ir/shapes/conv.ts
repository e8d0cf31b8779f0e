/**
 * Shape rules of the windowed operators: Conv, ConvTranspose, MaxPool/AvgPool, GlobalAvgPool
 * (ONNX semantics, layout of spec/geometry.ts: N × C × spatial…, k ≥ 1 spatial axes).
 */
import type { AvgPoolAttrs, ConvAttrs, ConvTransposeAttrs, PoolAttrs } from '../common.js';
import { convOutputSpatial, convTransposeOutputSpatial, poolOutputSpatial, type Shape } from '../../spec/geometry.js';
import { checkInts, dim, fail, firstError, isIntAtLeast, ok, show, showList, type ShapeResult } from './attrs.js';

/** Windowed operators take N × C × 1–3 spatial axes (what the kernels implement). */
function spatialRank(x: Shape): number | null {
  return x.length >= 3 && x.length <= 5 ? x.length - 2 : null;
}

const needRank = (x: Shape): ShapeResult =>
  fail(`x must have rank 3, 4 or 5 (N, C and 1–3 spatial axes), x is ${show(x)}`);

function convWindowCheck(
  x: Shape,
  kernel: readonly number[],
  a: { strides: readonly number[]; pads: readonly number[]; dilations: readonly number[] },
  w: string,
): string | null {
  const k = kernel.length;
  for (let i = 0; i < k; i++) {
    const span = dim(a.dilations as Shape, i) * (dim(kernel, i) - 1) + 1;
    const padded = dim(x, i + 2) + dim(a.pads, i) + dim(a.pads, i + k);
    if (span > padded)
      return `kernel extent ${span} exceeds padded input ${padded} on spatial axis ${i}: x is ${show(x)}, ${w}`;
  }
  return null;
}

function geometryCheck(x: Shape, k: number, a: ConvAttrs): string | null {
  const why = `spatial rank ${k} of x ${show(x)}`;
  return firstError(
    () => checkInts('strides', a.strides, k, 1, why),
    () => checkInts('dilations', a.dilations, k, 1, why),
    () => checkInts('pads', a.pads, 2 * k, 0, `2 × ${why}`),
    () => (isIntAtLeast(a.groups, 1) ? null : `groups must be an integer ≥ 1, got ${String(a.groups)}`),
  );
}

function biasCheck(b: Shape | undefined, co: number): string | null {
  if (b === undefined) return null;
  return b.length === 1 && b[0] === co ? null : `bias b must be [${co}] (output channels), b is ${show(b)}`;
}

/** Conv: x[N,C,…], w[CO, C/groups, k…], b[CO] → [N, CO, out…]. */
export function convShape(x: Shape, w: Shape, b: Shape | undefined, a: ConvAttrs): ShapeResult {
  const k = spatialRank(x);
  if (k === null) return needRank(x);
  if (w.length !== x.length) return fail(`w must have the rank of x: x is ${show(x)}, w is ${show(w)}`);
  const c = dim(x, 1);
  const co = dim(w, 0);
  const err = firstError(
    () => geometryCheck(x, k, a),
    () => (c % a.groups === 0 ? null : `groups ${a.groups} does not divide the ${c} input channels of x ${show(x)}`),
    () => (co % a.groups === 0 ? null : `groups ${a.groups} does not divide the ${co} output channels of w ${show(w)}`),
    () =>
      dim(w, 1) * a.groups === c
        ? null
        : `w must have C/groups = ${c / a.groups} input channels: x is ${show(x)}, w is ${show(w)}, groups ${a.groups}`,
    () =>
      convWindowCheck(
        x,
        w.slice(2),
        a,
        `w is ${show(w)}, pads ${showList(a.pads)}, dilations ${showList(a.dilations)}`,
      ),
    () => biasCheck(b, co),
  );
  if (err !== null) return fail(err);
  return ok([dim(x, 0), co, ...convOutputSpatial(x.slice(2), w.slice(2), a)]);
}

/** ConvTranspose: x[N,C,…], w[C, CO/groups, k…], b[CO] → [N, CO, out…]. */
export function convTransposeShape(x: Shape, w: Shape, b: Shape | undefined, a: ConvTransposeAttrs): ShapeResult {
  const k = spatialRank(x);
  if (k === null) return needRank(x);
  if (w.length !== x.length) return fail(`w must have the rank of x: x is ${show(x)}, w is ${show(w)}`);
  const c = dim(x, 1);
  const co = dim(w, 1) * a.groups;
  const err = firstError(
    () => geometryCheck(x, k, a),
    () => checkInts('outputPadding', a.outputPadding, k, 0, `spatial rank ${k} of x ${show(x)}`),
    () => {
      const bad = a.outputPadding.findIndex((p, i) => p >= Math.max(dim(a.strides, i), dim(a.dilations, i)));
      return bad < 0
        ? null
        : `outputPadding[${bad}] = ${String(a.outputPadding[bad])} must be below max(stride, dilation) on that axis`;
    },
    () => (dim(w, 0) === c ? null : `w must have ${c} input channels (axis 0): x is ${show(x)}, w is ${show(w)}`),
    () => (c % a.groups === 0 ? null : `groups ${a.groups} does not divide the ${c} input channels of x ${show(x)}`),
    () => biasCheck(b, co),
  );
  if (err !== null) return fail(err);
  const spatial = convTransposeOutputSpatial(x.slice(2), w.slice(2), a);
  const bad = spatial.findIndex((d) => d < 1);
  if (bad >= 0) return fail(`output extent on spatial axis ${bad} is not positive: x is ${show(x)}, w is ${show(w)}`);
  return ok([dim(x, 0), co, ...spatial]);
}

/** MaxPool / AvgPool (floor mode): pads must be below the kernel on each side. */
export function poolShape(x: Shape, a: PoolAttrs | AvgPoolAttrs): ShapeResult {
  const k = spatialRank(x);
  if (k === null) return needRank(x);
  const why = `spatial rank ${k} of x ${show(x)}`;
  const err = firstError(
    () => checkInts('kernel', a.kernel, k, 1, why),
    () => checkInts('strides', a.strides, k, 1, why),
    () => checkInts('pads', a.pads, 2 * k, 0, `2 × ${why}`),
    () => {
      const bad = a.pads.findIndex((p, i) => p >= dim(a.kernel, i % k));
      return bad < 0
        ? null
        : `pads[${bad}] = ${String(a.pads[bad])} must be below the kernel extent ${dim(a.kernel, bad % k)}`;
    },
    () =>
      convWindowCheck(
        x,
        a.kernel,
        { ...a, dilations: a.kernel.map(() => 1) },
        `kernel ${showList(a.kernel)}, pads ${showList(a.pads)}`,
      ),
  );
  if (err !== null) return fail(err);
  return ok([dim(x, 0), dim(x, 1), ...poolOutputSpatial(x.slice(2), a)]);
}

/** GlobalAvgPool: x[N,C,…] → [N,C,1,…,1]. */
export function globalPoolShape(x: Shape): ShapeResult {
  if (spatialRank(x) === null) return needRank(x);
  return ok([dim(x, 0), dim(x, 1), ...x.slice(2).map(() => 1)]);
}
