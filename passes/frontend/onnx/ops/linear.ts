/**
 * Gemm and MatMul → HLIL Gemm / MatMul.
 *
 * Gemm: Y = α·op(A)·op(B) + β·C. HLIL's Gemm has α = β = 1, so α ≠ 1 is folded into whichever of B
 * or A is a model constant (a new server weight fl(α·B), resp. fl(α·A)), and β ≠ 1 into C when C is
 * one (fl(β·C)); otherwise α, β ≠ 1 are 'unsupported'. Folding moves one float32 rounding (α·b is
 * rounded before the products instead of after the sum), within the differential tolerance.
 *
 * MatMul: HLIL's is 2-D × 2-D. ONNX's broadcasting forms with a 2-D (or 1-D) right operand are
 * lowered through Reshape: A[…, m, k] → [∏…·m, k], the product, then back to […, m, n]; a 1-D A[k]
 * is a row [1, k] and a 1-D B[k] a column [k, 1], whose extra axis is dropped again. A right
 * operand of rank > 2 (a batched product of two stacks) is 'unsupported'.
 */
import { numel, showShape } from '../../../../spec/geometry.js';
import type { Importer, OnnxNode } from '../context.js';
import type { ConstTensor } from '../tensor.js';
import type { Lowering } from './common.js';

/** A constant input scaled by `factor` as a new server weight (named after the input). */
function scaledWeight(ctx: Importer, n: OnnxNode, i: number, factor: number, tag: string): string {
  const t: ConstTensor = ctx.constant(n, i, tag);
  if (t.type !== 'float') throw ctx.unsupported(n, `input ${i} holds integers; Gemm operands are float32`);
  const fl = Math.fround;
  const f = fl(factor);
  return ctx.serverWeight(
    `${ctx.input(n, i)}/${tag}`,
    t.dims,
    t.values.map((v) => fl(f * v)),
  );
}

export const gemm: Lowering = (ctx, n) => {
  n.attrs.only(['alpha', 'beta', 'transA', 'transB']);
  const alpha = n.attrs.float('alpha', 1);
  const beta = n.attrs.float('beta', 1);
  const transA = n.attrs.int('transA', 0) !== 0;
  const transB = n.attrs.int('transB', 0) !== 0;
  let a: string;
  let b: string;
  if (alpha === 1) {
    a = ctx.data(n, 0);
    b = ctx.data(n, 1);
  } else if (ctx.isConstant(n, 1)) {
    a = ctx.data(n, 0);
    b = scaledWeight(ctx, n, 1, alpha, 'alpha');
  } else if (ctx.isConstant(n, 0)) {
    a = scaledWeight(ctx, n, 0, alpha, 'alpha');
    b = ctx.data(n, 1);
  } else {
    throw ctx.unsupported(
      n,
      `alpha = ${alpha} is supported only when A or B is a model constant (it is folded into the weights)`,
    );
  }
  let c: { c: string } | Record<string, never> = {};
  if (ctx.optional(n, 2) !== undefined) {
    if (beta === 1) c = { c: ctx.data(n, 2) };
    else if (ctx.isConstant(n, 2)) c = { c: scaledWeight(ctx, n, 2, beta, 'beta') };
    else throw ctx.unsupported(n, `beta = ${beta} is supported only when C is a model constant (it is folded into C)`);
  }
  ctx.result(n, { op: 'Gemm', a, b, ...c, transA, transB });
};

export const matMul: Lowering = (ctx, n) => {
  n.attrs.only([]);
  const sa = ctx.shape(n, 0);
  const sb = ctx.shape(n, 1);
  if (sb.length > 2 || sb.length === 0 || sa.length === 0) {
    throw ctx.unsupported(
      n,
      `MatMul of ${showShape(sa)} by ${showShape(sb)}: the right operand must be 1-D or 2-D and the left of rank ≥ 1`,
    );
  }
  if (sa.length === 2 && sb.length === 2) {
    ctx.result(n, { op: 'MatMul', a: ctx.data(n, 0), b: ctx.data(n, 1) });
    return;
  }
  const k = sa[sa.length - 1] ?? 1;
  const lead = sa.slice(0, -1);
  let a = ctx.data(n, 0);
  if (sa.length !== 2) a = ctx.step(n, { op: 'Reshape', x: a, shape: [numel(lead), k] }, 'rows');
  let b = ctx.data(n, 1);
  if (sb.length === 1) b = ctx.step(n, { op: 'Reshape', x: b, shape: [sb[0] ?? 1, 1] }, 'column');
  const prod = ctx.step(n, { op: 'MatMul', a, b }, 'product');
  const shape = [...lead, ...(sb.length === 2 ? [sb[1] ?? 1] : [])];
  ctx.result(n, { op: 'Reshape', x: prod, shape });
};
