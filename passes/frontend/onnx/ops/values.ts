/**
 * Nodes that only name values: Identity and (inference) Dropout alias their input; Constant binds its
 * tensor as a model constant, which becomes a server weight where a node reads it as data and stays
 * out of the program where it only gives a shape, pads, axes or bounds (context.ts).
 */
import { bug } from '../../../../spec/errors.js';
import { decodeTensor, type ConstTensor } from '../tensor.js';
import type { Importer, OnnxNode } from '../context.js';
import { onlyFirstOutput, type Lowering } from './common.js';

export const identity: Lowering = (ctx, n) => {
  n.attrs.only([]);
  ctx.alias(n, 0, 0);
};

export const dropout: Lowering = (ctx, n) => {
  n.attrs.only(['ratio', 'seed']);
  onlyFirstOutput(ctx, n, 'the dropout mask');
  if (ctx.optional(n, 2) !== undefined) {
    const t = ctx.constant(n, 2, 'training_mode');
    if (t.values.length !== 1 || t.values[0] !== 0)
      throw ctx.unsupported(n, 'training_mode = true is not supported (inference only)');
  }
  ctx.alias(n, 0, 0);
};

function constantTensor(ctx: Importer, n: OnnxNode): ConstTensor {
  const a = n.attrs;
  a.only(['value', 'value_float', 'value_floats', 'value_int', 'value_ints']);
  const present = a.names();
  if (present.length !== 1)
    throw ctx.shapeError(
      n,
      `exactly one value attribute is required, got ${present.length === 0 ? 'none' : present.join(', ')}`,
    );
  const t = a.tensor('value');
  if (t !== undefined) return decodeTensor(t, n.op, n.label);
  const floats = a.has('value_float') ? [a.float('value_float', 0)] : a.floats('value_floats');
  if (floats !== null)
    return { type: 'float', dims: a.has('value_float') ? [] : [floats.length], values: Float32Array.from(floats) };
  const ints = a.has('value_int') ? [a.int('value_int', 0)] : a.ints('value_ints', null);
  if (ints !== null) return { type: 'int', dims: a.has('value_int') ? [] : [ints.length], values: ints };
  return bug(`Constant node ${n.label}: its value attribute was checked but not read`);
}

export const constant: Lowering = (ctx, n) => {
  ctx.defineConstant(n, 0, constantTensor(ctx, n));
};
