/**
 * What the operator lowerings share: the lowering signature, axis normalisation (ONNX allows
 * negative axes counted from the end; HLIL stores 0 ≤ axis < rank) and list checks whose messages
 * name the node, the attribute and the shapes that fix the expected length.
 */
import { showShape, type Shape } from '../../../../spec/geometry.js';
import type { Importer, OnnxNode } from '../context.js';

/** Lowers one ONNX node into the importer: emits HLIL nodes and binds every output it supports. */
export type Lowering = (ctx: Importer, n: OnnxNode) => void;

/** axis ∈ [−rank, rank) → [0, rank); anything else is a 'shape' error. */
export function normAxis(ctx: Importer, n: OnnxNode, axis: number, rank: number, what = 'axis'): number {
  if (!Number.isSafeInteger(axis) || axis < -rank || axis >= rank) {
    throw ctx.shapeError(n, `${what} ${axis} is out of range for rank ${rank} (expected −${rank} ≤ ${what} < ${rank})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** A list of axes, normalised, without repeats. */
export function normAxes(ctx: Importer, n: OnnxNode, axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => normAxis(ctx, n, a, rank, 'axis'));
  if (new Set(out).size !== out.length) throw ctx.shapeError(n, `axes [${axes.join(',')}] name an axis twice`);
  return out;
}

export function filled(length: number, value: number): number[] {
  return new Array<number>(length).fill(value);
}

/** An attribute list must have `length` entries (e.g. one per spatial axis of x). */
export function checkLength(
  ctx: Importer,
  n: OnnxNode,
  what: string,
  xs: readonly number[],
  length: number,
  x: Shape,
): void {
  if (xs.length !== length)
    throw ctx.shapeError(n, `${what} has ${xs.length} entries, expected ${length} for x ${showShape(x)}`);
}

/** Output k (k ≥ 1) of n must be absent: the lowering computes output 0 only. */
export function onlyFirstOutput(ctx: Importer, n: OnnxNode, what: string): void {
  n.outputs.forEach((o, k) => {
    if (k > 0 && o !== '') throw ctx.unsupported(n, `output ${k} ('${o}', ${what}) is not supported; only output 0 is`);
  });
}
