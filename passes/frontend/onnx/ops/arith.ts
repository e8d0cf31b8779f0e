/**
 * Elementwise arithmetic and inference batch norm.
 *
 *   Add, Sub, Mul        → the HLIL operator (NumPy broadcasting both ways, as ONNX's).
 *   Div                  → HLIL Div, whose divisor must be a PUBLIC constant: an initializer or
 *                          Constant divisor becomes a public HLIL constant (its values are revealed to
 *                          both parties, as HLIL requires); a computed or client divisor, or a zero
 *                          entry, is 'unsupported'.
 *   BatchNormalization   → HLIL BatchNorm (inference: y = scale·(x − mean)/√(var + ε) + B); training
 *                          mode and the running-statistics outputs are 'unsupported'.
 */
import type { Lowering } from './common.js';
import { onlyFirstOutput } from './common.js';

const binary =
  (op: 'Add' | 'Sub' | 'Mul'): Lowering =>
  (ctx, n) => {
    n.attrs.only([]);
    ctx.result(n, { op, a: ctx.data(n, 0), b: ctx.data(n, 1) });
  };

export const add = binary('Add');
export const sub = binary('Sub');
export const mul = binary('Mul');

export const div: Lowering = (ctx, n) => {
  n.attrs.only([]);
  const t = ctx.constant(n, 1, 'the divisor');
  if (t.type === 'float' && t.values.some((v) => v === 0)) throw ctx.unsupported(n, 'the divisor has a zero entry');
  const a = ctx.data(n, 0);
  ctx.result(n, { op: 'Div', a, b: ctx.publicConst(n, 1, 'HLIL divides by public constants only') });
};

export const batchNormalization: Lowering = (ctx, n) => {
  n.attrs.only(['epsilon', 'momentum', 'training_mode']);
  if (n.attrs.int('training_mode', 0) !== 0)
    throw ctx.unsupported(n, 'training_mode = 1 is not supported (inference only)');
  onlyFirstOutput(ctx, n, 'a training-mode running statistic');
  const epsilon = n.attrs.float('epsilon', 1e-5);
  const [x, scale, bias, mean, variance] = [0, 1, 2, 3, 4].map((i) => ctx.data(n, i)) as [
    string,
    string,
    string,
    string,
    string,
  ];
  ctx.result(n, { op: 'BatchNorm', x, scale, bias, mean, var: variance, epsilon });
};
