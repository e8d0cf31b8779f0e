/**
 * Data movement, with every shape, pad and axis list a compile-time constant (an attribute, or an
 * initializer / Constant input that then never reaches the program):
 *   Concat     → Concat (axis normalised).
 *   Pad        → Pad, constant mode only; pads from the `pads` input (opset ≥ 11), over the axes of the
 *                `axes` input when given (opset ≥ 18); the constant_value input (default 0) becomes
 *                HLIL's public pad value. Negative pads (cropping) are 'unsupported'.
 *   Reshape    → Reshape to the resolved shape: 0 copies the input extent at that position (unless
 *                allowzero = 1, refused with a 0 since HLIL has no empty tensors), −1 takes the rest.
 *   Flatten    → Flatten (axis ∈ [−r, r] normalised).
 *   Transpose  → Transpose (perm defaults to reversing the axes).
 *   Squeeze    → Squeeze of the listed axes (attribute before opset 13, input from 13), or of every
 *                extent-1 axis when none are listed; nothing to squeeze is the identity.
 *   Unsqueeze  → Reshape to the shape with extent-1 axes inserted (axes index the output).
 */
import { numel, showShape } from '../../../../spec/geometry.js';
import type { Importer, OnnxNode } from '../context.js';
import { filled, normAxes, normAxis, type Lowering } from './common.js';

export const concat: Lowering = (ctx, n) => {
  n.attrs.only(['axis']);
  if (!n.attrs.has('axis')) throw ctx.shapeError(n, 'the axis attribute is required');
  const xs = n.inputs.map((_, i) => ctx.data(n, i));
  if (xs.length === 0) throw ctx.shapeError(n, 'Concat needs at least one input');
  const axis = normAxis(ctx, n, n.attrs.int('axis', 0), ctx.shape(n, 0).length);
  ctx.result(n, { op: 'Concat', xs, axis });
};

export const pad: Lowering = (ctx, n) => {
  n.attrs.only(['mode']);
  const mode = n.attrs.string('mode', 'constant');
  if (mode !== 'constant') throw ctx.unsupported(n, `mode '${mode}' is not supported (only 'constant')`);
  const x = ctx.shape(n, 0);
  const r = x.length;
  const given = ctx.ints(n, 1, 'pads');
  const axes = ctx.optional(n, 3) === undefined ? x.map((_, i) => i) : normAxes(ctx, n, ctx.ints(n, 3, 'axes'), r);
  if (given.length !== 2 * axes.length)
    throw ctx.shapeError(
      n,
      `pads has ${given.length} entries, expected ${2 * axes.length} (2 per padded axis of x ${showShape(x)})`,
    );
  if (given.some((p) => p < 0))
    throw ctx.unsupported(n, `negative pads [${given.join(',')}] (cropping) are not supported`);
  const pads = filled(2 * r, 0);
  axes.forEach((a, j) => {
    pads[a] = given[j] ?? 0;
    pads[a + r] = given[j + axes.length] ?? 0;
  });
  const value = ctx.optional(n, 2) === undefined ? 0 : ctx.scalar(n, 2, 'constant_value');
  if (!Number.isFinite(value)) throw ctx.unsupported(n, 'a non-finite constant_value is not supported');
  ctx.result(n, { op: 'Pad', x: ctx.data(n, 0), pads, value });
};

/** ONNX Reshape's target: 0 copies, −1 infers. */
function resolveShape(ctx: Importer, n: OnnxNode, x: readonly number[], target: readonly number[]): number[] {
  const out = target.map((d, i) => {
    if (d !== 0) return d;
    const copy = x[i];
    if (copy === undefined)
      throw ctx.shapeError(
        n,
        `target [${target.join(',')}] has 0 at position ${i}, past the rank of x ${showShape(x)}`,
      );
    return copy;
  });
  const holes = out.filter((d) => d === -1).length;
  if (holes > 1) throw ctx.shapeError(n, `target [${target.join(',')}] has more than one −1`);
  if (out.some((d) => d < -1)) throw ctx.shapeError(n, `target [${target.join(',')}] has a negative extent`);
  if (holes === 1) {
    const known = numel(out.filter((d) => d !== -1));
    if (known === 0 || numel(x) % known !== 0)
      throw ctx.shapeError(n, `cannot infer the −1 in [${target.join(',')}] for x ${showShape(x)}`);
    return out.map((d) => (d === -1 ? numel(x) / known : d));
  }
  return out;
}

export const reshape: Lowering = (ctx, n) => {
  n.attrs.only(['allowzero']);
  const target = ctx.ints(n, 1, 'the target shape');
  if (n.attrs.int('allowzero', 0) !== 0 && target.includes(0))
    throw ctx.unsupported(n, 'allowzero = 1 with a 0 extent (an empty tensor) is not supported');
  const shape = resolveShape(ctx, n, ctx.shape(n, 0), target);
  ctx.result(n, { op: 'Reshape', x: ctx.data(n, 0), shape });
};

export const flatten: Lowering = (ctx, n) => {
  n.attrs.only(['axis']);
  const r = ctx.shape(n, 0).length;
  const a = n.attrs.int('axis', 1);
  if (a < -r || a > r)
    throw ctx.shapeError(n, `axis ${a} is out of range for rank ${r} (expected −${r} ≤ axis ≤ ${r})`);
  ctx.result(n, { op: 'Flatten', x: ctx.data(n, 0), axis: a < 0 ? a + r : a });
};

export const transpose: Lowering = (ctx, n) => {
  n.attrs.only(['perm']);
  const r = ctx.shape(n, 0).length;
  const perm = n.attrs.ints('perm', null) ?? Array.from({ length: r }, (_, i) => r - 1 - i);
  ctx.result(n, { op: 'Transpose', x: ctx.data(n, 0), perm });
};

/** Squeeze/Unsqueeze axes: an attribute before opset 13, the second input from 13 on. */
function axesOf(ctx: Importer, n: OnnxNode): number[] | null {
  if (ctx.opset < 13) {
    if (ctx.optional(n, 1) !== undefined)
      throw ctx.unsupported(n, `axes as an input needs opset ≥ 13 (this model imports opset ${ctx.opset})`);
    return n.attrs.ints('axes', null);
  }
  if (n.attrs.has('axes'))
    throw ctx.unsupported(
      n,
      `the axes attribute was removed in opset 13 (this model imports opset ${ctx.opset}); pass axes as input 1`,
    );
  return ctx.optional(n, 1) === undefined ? null : ctx.ints(n, 1, 'axes');
}

export const squeeze: Lowering = (ctx, n) => {
  n.attrs.only(ctx.opset < 13 ? ['axes'] : []);
  const x = ctx.shape(n, 0);
  const listed = axesOf(ctx, n);
  const axes = listed === null ? x.flatMap((d, i) => (d === 1 ? [i] : [])) : normAxes(ctx, n, listed, x.length);
  if (axes.length === 0) {
    ctx.alias(n, 0, 0);
    return;
  }
  ctx.result(n, { op: 'Squeeze', x: ctx.data(n, 0), axes: [...axes].sort((a, b) => a - b) });
};

export const unsqueeze: Lowering = (ctx, n) => {
  n.attrs.only(ctx.opset < 13 ? ['axes'] : []);
  const x = ctx.shape(n, 0);
  const listed = axesOf(ctx, n);
  if (listed === null) throw ctx.shapeError(n, 'axes are required');
  const rank = x.length + listed.length;
  const axes = new Set(normAxes(ctx, n, listed, rank));
  const shape: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) shape.push(axes.has(i) ? 1 : (x[j++] ?? 1));
  ctx.result(n, { op: 'Reshape', x: ctx.data(n, 0), shape });
};
