/**
 * What a translated TF tensor is, and how an operator gets it in the form it needs.
 *
 *   - `const`: a Const node's value, known at compile time. Read as an attribute (shape, axis,
 *     paddings, input_sizes) it stays one; read as a tensor it becomes a server-owned HLIL input (a
 *     weight), in the layout the reader needs (permuted once, in the weights, at compile time).
 *   - `act`: a run-time tensor held in HLIL, in TF layout (`tf`), channels-first layout (`cf`), or
 *     both; the missing layout is made on demand by one HLIL Transpose and remembered.
 *   - `softmax`: a Softmax not yet emitted. HLIL lets a Softmax feed only outputs, so it is emitted
 *     when it turns out to be an output; ArgMax over its axis reads the logits instead (softmax is
 *     monotonic); any other reader is refused.
 */
import { bug } from '../../../spec/errors.js';
import type { Shape } from '../../../spec/geometry.js';
import type { HlilBuilder } from '../../../ir/builder.js';
import type { HNodeSpec } from '../../../ir/untyped.js';
import type { ModelFormat } from '../model.js';
import { refuse, type At } from './attrs.js';
import type { TfTensor } from './graph.js';
import { permute, toCf, toTf, transposeData } from './layout.js';
import type { Names } from './names.js';
import { dataTypeName } from './schema.js';

export interface ConstVal {
  readonly kind: 'const';
  readonly node: string;
  readonly tensor: TfTensor;
}

export interface ActVal {
  readonly kind: 'act';
  readonly node: string;
  readonly rank: number;
  tf: string | undefined;
  cf: string | undefined;
}

export interface SoftmaxVal {
  readonly kind: 'softmax';
  readonly node: string;
  /** The logits, and the Softmax axis (the last one). */
  readonly logits: Val;
  readonly axis: number;
}

export type Val = ConstVal | ActVal | SoftmaxVal;

/** Operand i of a node whose arity the dispatcher has checked. */
export function arg(ins: readonly Val[], i: number): Val {
  return ins[i] ?? bug(`operand ${i} missing after the arity check`);
}

/** How one TF operator translates: its number of data inputs (min, max) and the translation. */
export interface OpRule {
  readonly arity: readonly [number, number];
  readonly run: (ctx: Ctx, at: At, ins: readonly Val[]) => Val;
}

export interface Ctx {
  readonly format: ModelFormat;
  readonly b: HlilBuilder;
  readonly names: Names;
  readonly weights: Map<string, Float32Array>;
  readonly weightForms: Map<string, string>;
  readonly publicConsts: Map<number, string>;
}

/** A node's own result: in TF layout it takes the node's name; channels-first gets `<name>:nchw`. */
export function emit(ctx: Ctx, node: string, layout: 'tf' | 'cf', spec: HNodeSpec, rank: number): ActVal {
  const out = layout === 'tf' ? ctx.names.claim(node) : ctx.names.fresh(`${ctx.names.of(node)}:nchw`);
  ctx.b.node(spec, out);
  return layout === 'tf' || rank < 3
    ? { kind: 'act', node, rank, tf: out, cf: rank < 3 ? out : undefined }
    : { kind: 'act', node, rank, tf: undefined, cf: out };
}

/** A helper value of `node` (named `<node>:<role>`). */
export function helper(ctx: Ctx, node: string, role: string, spec: HNodeSpec): string {
  return ctx.b.node(spec, ctx.names.fresh(`${ctx.names.of(node)}:${role}`));
}

function notConst(at: At, c: ConstVal): never {
  const t = c.tensor;
  const what = t.kind === 'int' ? 'an integer' : `a ${dataTypeName(t.kind === 'other' ? t.dtype : 0)}`;
  throw refuse(at, `reads constant '${c.node}' (${what} tensor) as a tensor operand; only DT_FLOAT constants can be`);
}

/** A Const read as a tensor: a server-owned input holding `form` of its values (memoised per form). */
export function weight(
  ctx: Ctx,
  at: At,
  c: ConstVal,
  form: string,
  make: (shape: Shape, data: Float32Array) => { shape: Shape; data: Float32Array },
): string {
  if (c.tensor.kind !== 'float') return notConst(at, c);
  const key = `${c.node}\u0000${form}`;
  const known = ctx.weightForms.get(key);
  if (known !== undefined) return known;
  const w = make(c.tensor.shape, c.tensor.data);
  const name = form === '' ? ctx.names.claim(c.node) : ctx.names.fresh(`${ctx.names.of(c.node)}:${form}`);
  ctx.b.input(name, w.shape, 'server');
  ctx.weights.set(name, w.data);
  ctx.weightForms.set(key, name);
  return name;
}

function softmaxReader(at: At, v: SoftmaxVal): never {
  throw refuse(
    at,
    `reads the Softmax result '${v.node}'; a Softmax may only feed graph outputs (or an ArgMax over its axis)`,
  );
}

export function rankOf(v: Val): number {
  if (v.kind === 'const') return v.tensor.shape.length;
  return v.kind === 'act' ? v.rank : rankOf(v.logits);
}

/** The HLIL value in TF layout. */
export function tfOf(ctx: Ctx, at: At, v: Val): string {
  if (v.kind === 'const') return weight(ctx, at, v, '', (shape, data) => ({ shape, data }));
  if (v.kind === 'softmax') return softmaxReader(at, v);
  if (v.tf === undefined) {
    const cf = v.cf ?? bug(`value of ${v.node} has neither layout`);
    v.tf = ctx.names.claim(v.node);
    ctx.b.node({ op: 'Transpose', x: cf, perm: toTf(v.rank) }, v.tf);
  }
  return v.tf;
}

/** The HLIL value in channels-first layout (the TF layout for rank ≤ 2). */
export function cfOf(ctx: Ctx, at: At, v: Val): string {
  if (rankOf(v) < 3) return tfOf(ctx, at, v);
  if (v.kind === 'const')
    return weight(ctx, at, v, 'nchw', (shape, data) => transposeData(data, shape, toCf(shape.length)));
  if (v.kind === 'softmax') return softmaxReader(at, v);
  if (v.cf === undefined)
    v.cf = helper(ctx, v.node, 'nchw', { op: 'Transpose', x: tfOf(ctx, at, v), perm: toCf(v.rank) });
  return v.cf;
}

/** TF-order shape of a value. */
export function tfShape(ctx: Ctx, v: Val): Shape {
  if (v.kind === 'const') return v.tensor.shape;
  if (v.kind === 'softmax') return tfShape(ctx, v.logits);
  if (v.tf !== undefined) return ctx.b.shapeOf(v.tf);
  return permute(ctx.b.shapeOf(v.cf ?? bug(`value of ${v.node} has neither layout`)), toTf(v.rank));
}

/** Whether the value is held channels-first only (so reading it in TF layout costs a Transpose). */
export function prefersCf(v: Val): boolean {
  return v.kind === 'act' && v.rank >= 3 && v.tf === undefined;
}

/** A Const operand read as an attribute (shape, axes, paddings, sizes); anything else is refused. */
export function constant(at: At, v: Val, role: string): TfTensor {
  if (v.kind === 'const') return v.tensor;
  throw refuse(
    at,
    `its ${role} must be a Const (computed at run time here); shapes, axes and paddings must be constants`,
  );
}

/** Integer entries of a Const read as an attribute. */
export function constInts(at: At, v: Val, role: string): readonly number[] {
  const t = constant(at, v, role);
  if (t.kind !== 'int') throw refuse(at, `its ${role} must be an int32 or int64 constant`);
  return t.data;
}

/** The public float32 constant `value` (a scalar), declared once. */
export function publicScalar(ctx: Ctx, value: number): string {
  const known = ctx.publicConsts.get(value);
  if (known !== undefined) return known;
  const name = ctx.names.fresh(`const:${String(value).replace(/[^0-9A-Za-z_.]/g, '_')}`);
  ctx.b.const(name, [], [value]);
  ctx.publicConsts.set(value, name);
  return name;
}

/** A tensor operand permuted by `perm` (and optionally reshaped): in the weights for a Const, else a Transpose. */
export function permutedOperand(
  ctx: Ctx,
  at: At,
  v: Val,
  perm: readonly number[],
  form: string,
  reshape?: Shape,
): string {
  if (v.kind === 'const') {
    return weight(ctx, at, v, form, (shape, data) => {
      const t = transposeData(data, shape, perm);
      return reshape === undefined ? t : { shape: reshape, data: t.data };
    });
  }
  const t = helper(ctx, v.node, form, { op: 'Transpose', x: tfOf(ctx, at, v), perm });
  return reshape === undefined ? t : helper(ctx, v.node, `${form}_flat`, { op: 'Reshape', x: t, shape: reshape });
}
