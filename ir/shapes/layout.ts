/**
 * Shape rules of the data-movement operators: Concat, Pad, Reshape, Flatten, Transpose, Squeeze,
 * and of the axis reductions ArgMax and Softmax. Axes are stored normalised (0 ≤ axis < rank).
 */
import { numel, type Shape } from '../../spec/geometry.js';
import {
  checkAxis,
  checkInts,
  checkShape,
  dim,
  fail,
  isIntAtLeast,
  ok,
  show,
  showList,
  type ShapeResult,
} from './attrs.js';

export function concatShape(xs: readonly Shape[], axis: number): ShapeResult {
  const first = xs[0];
  if (first === undefined) return fail('Concat needs at least one operand');
  const axisErr = checkAxis('axis', axis, first.length, first);
  if (axisErr !== null) return fail(axisErr);
  let total = 0;
  for (const [i, s] of xs.entries()) {
    const same = s.length === first.length && s.every((d, j) => j === axis || d === first[j]);
    if (!same)
      return fail(
        `operand ${i} is ${show(s)} but operand 0 is ${show(first)}: all dimensions but axis ${axis} must agree`,
      );
    total += dim(s, axis);
  }
  return ok(first.map((d, j) => (j === axis ? total : d)));
}

/** pads = [begin_0 … begin_{r−1}, end_0 … end_{r−1}], all ≥ 0. */
export function padShape(x: Shape, pads: readonly number[], value: number | bigint): ShapeResult {
  const r = x.length;
  const err = checkInts('pads', pads, 2 * r, 0, `2 × rank of x ${show(x)}`);
  if (err !== null) return fail(err);
  if (typeof value === 'number' && !Number.isFinite(value)) return fail('pad value must be finite');
  return ok(x.map((d, i) => d + dim(pads, i) + dim(pads, i + r)));
}

/** Fully specified target shape (no −1, no 0) with the same element count. */
export function reshapeShape(x: Shape, shape: Shape): ShapeResult {
  const err = checkShape('target shape', shape);
  if (err !== null) return fail(err);
  if (numel(shape) !== numel(x))
    return fail(`element counts differ: x is ${show(x)} (${numel(x)}), target is ${show(shape)} (${numel(shape)})`);
  return ok(shape);
}

/** ONNX Flatten, 0 ≤ axis ≤ rank: [d_0⋯d_{axis−1}, d_axis⋯d_{r−1}]. */
export function flattenShape(x: Shape, axis: number): ShapeResult {
  if (!isIntAtLeast(axis, 0) || axis > x.length)
    return fail(`axis ${String(axis)} is out of range for x ${show(x)} (expected 0 ≤ axis ≤ ${x.length})`);
  return ok([numel(x.slice(0, axis)), numel(x.slice(axis))]);
}

export function transposeShape(x: Shape, perm: readonly number[]): ShapeResult {
  const err = checkInts('perm', perm, x.length, 0, `rank of x ${show(x)}`);
  if (err !== null) return fail(err);
  const seen = new Set(perm);
  if (seen.size !== perm.length || perm.some((p) => p >= x.length))
    return fail(`perm ${showList(perm)} is not a permutation of 0…${x.length - 1} (x is ${show(x)})`);
  return ok(perm.map((p) => dim(x, p)));
}

/** Removes the listed axes, each of extent 1; the list is non-empty and without repeats. */
export function squeezeShape(x: Shape, axes: readonly number[]): ShapeResult {
  if (axes.length === 0) return fail('axes must not be empty');
  if (new Set(axes).size !== axes.length) return fail(`axes ${showList(axes)} repeat an axis`);
  for (const a of axes) {
    const err = checkAxis('axis', a, x.length, x);
    if (err !== null) return fail(err);
    if (x[a] !== 1) return fail(`cannot squeeze axis ${a} of extent ${dim(x, a)}: x is ${show(x)}`);
  }
  return ok(x.filter((_, i) => !axes.includes(i)));
}

export function argmaxShape(x: Shape, axis: number, keepdims: boolean): ShapeResult {
  const err = checkAxis('axis', axis, x.length, x);
  if (err !== null) return fail(err);
  return ok(keepdims ? x.map((d, i) => (i === axis ? 1 : d)) : x.filter((_, i) => i !== axis));
}

export function softmaxShape(x: Shape, axis: number): ShapeResult {
  const err = checkAxis('axis', axis, x.length, x);
  return err === null ? ok(x) : fail(err);
}
