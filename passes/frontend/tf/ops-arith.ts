/**
 * The arithmetic TF operators → HLIL:
 *
 *   MatMul (transpose_a/b)     → MatMul; a transposed Const operand is transposed in the weights,
 *                                 a transposed run-time operand by a Transpose
 *   BiasAdd                    → BiasAdd along the channel axis (HLIL axis 1 of the channels-first
 *                                 value; TF's data_format NHWC means channels-last at every rank)
 *   Add, AddV2, Sub, Mul       → Add, Sub, Mul with broadcasting; computed channels-first when an
 *                                 operand already is (a Const operand is then padded to the rank and
 *                                 permuted in the weights), else in TF layout
 *   Relu                       → Relu, in whichever layout its input has
 *   Relu6                      → Relu(x) − Relu(x − 6) (min(max(x, 0), 6) without a min; 6 is public)
 *   FusedBatchNorm(V2/V3)      → BatchNorm over channels (is_training must be false)
 *
 * A Const read as a tensor operand is a server-owned weight; two Const operands are refused (fold
 * constant subgraphs before import).
 */
import { attrBool, attrFloat, refuse, requireChannelsLast, requireFloat, shapeError, type At } from './attrs.js';
import { showShape } from '../../../spec/geometry.js';
import { toCf, transposeData } from './layout.js';
import {
  arg,
  cfOf,
  emit,
  helper,
  permutedOperand,
  prefersCf,
  publicScalar,
  rankOf,
  tfOf,
  tfShape,
  weight,
  type Ctx,
  type OpRule,
  type Val,
} from './values.js';

function matOperand(ctx: Ctx, at: At, v: Val, role: string, transpose: boolean): string {
  const s = tfShape(ctx, v);
  if (s.length !== 2) throw refuse(at, `${role} is ${showShape(s)}; only matrices are supported (no batched MatMul)`);
  return transpose ? permutedOperand(ctx, at, v, [1, 0], 'T') : tfOf(ctx, at, v);
}

const matmul: OpRule = {
  arity: [2, 2],
  run: (ctx, at, ins) => {
    requireFloat(at);
    const a = matOperand(ctx, at, arg(ins, 0), 'a', attrBool(at, 'transpose_a', false));
    const b = matOperand(ctx, at, arg(ins, 1), 'b', attrBool(at, 'transpose_b', false));
    return emit(ctx, at.node.name, 'tf', { op: 'MatMul', a, b }, 2);
  },
};

const biasAdd: OpRule = {
  arity: [2, 2],
  run: (ctx, at, ins) => {
    requireFloat(at);
    const xv = arg(ins, 0);
    const r = rankOf(xv);
    requireChannelsLast(at, 4);
    if (r < 2) throw shapeError(at, `input is ${showShape(tfShape(ctx, xv))}, expected rank ≥ 2`);
    const x = cfOf(ctx, at, xv);
    const b = tfOf(ctx, at, arg(ins, 1));
    return emit(ctx, at.node.name, r >= 3 ? 'cf' : 'tf', { op: 'BiasAdd', x, b }, r);
  },
};

/** A Const operand of a channels-first binary op of rank r: leading 1s to rank r, then permuted. */
function cfConstOperand(ctx: Ctx, at: At, v: Val, r: number): string {
  if (v.kind !== 'const') return cfOf(ctx, at, v);
  const form = v.tensor.shape.length === r ? 'nchw' : `nchw_r${r}`;
  return weight(ctx, at, v, form, (shape, data) => {
    const full = [...new Array<number>(r - shape.length).fill(1), ...shape];
    return transposeData(data, full, toCf(r));
  });
}

function binary(op: 'Add' | 'Sub' | 'Mul'): OpRule {
  return {
    arity: [2, 2],
    run: (ctx, at, ins) => {
      requireFloat(at);
      const pair = [arg(ins, 0), arg(ins, 1)] as const;
      if (pair[0].kind === 'const' && pair[1].kind === 'const') {
        throw refuse(
          at,
          'both operands are constants; fold constant subgraphs before import (TF’s freeze and graph-optimisation tools do)',
        );
      }
      const r = Math.max(rankOf(pair[0]), rankOf(pair[1]));
      const cf =
        r >= 3 && pair.some(prefersCf) && pair.every((v) => (v.kind === 'const' ? rankOf(v) <= r : rankOf(v) === r));
      const operand = (v: Val): string => (cf ? cfConstOperand(ctx, at, v, r) : tfOf(ctx, at, v));
      const a = operand(pair[0]);
      const b = operand(pair[1]);
      return emit(ctx, at.node.name, cf ? 'cf' : 'tf', { op, a, b }, r);
    },
  };
}

/** The layout a unary op keeps: channels-first if that is all the input has. */
function unaryInput(ctx: Ctx, at: At, v: Val): { x: string; layout: 'tf' | 'cf' } {
  return prefersCf(v) ? { x: cfOf(ctx, at, v), layout: 'cf' } : { x: tfOf(ctx, at, v), layout: 'tf' };
}

const relu: OpRule = {
  arity: [1, 1],
  run: (ctx, at, ins) => {
    requireFloat(at);
    const v = arg(ins, 0);
    const { x, layout } = unaryInput(ctx, at, v);
    return emit(ctx, at.node.name, layout, { op: 'Relu', x }, rankOf(v));
  },
};

const relu6: OpRule = {
  arity: [1, 1],
  run: (ctx, at, ins) => {
    requireFloat(at);
    const v = arg(ins, 0);
    const { x, layout } = unaryInput(ctx, at, v);
    const n = at.node.name;
    const a = helper(ctx, n, 'relu', { op: 'Relu', x });
    const d = helper(ctx, n, 'minus6', { op: 'Sub', a: x, b: publicScalar(ctx, 6) });
    const e = helper(ctx, n, 'relu_minus6', { op: 'Relu', x: d });
    return emit(ctx, n, layout, { op: 'Sub', a, b: e }, rankOf(v));
  },
};

const batchNorm: OpRule = {
  arity: [5, 5],
  run: (ctx, at, ins) => {
    requireFloat(at);
    requireFloat(at, 'U');
    if (attrBool(at, 'is_training', true))
      throw refuse(
        at,
        'is_training is true (or absent, TF’s default); only inference batch norm (is_training = false) is supported',
      );
    const xv = arg(ins, 0);
    const r = rankOf(xv);
    if (r !== 4 && r !== 5) throw shapeError(at, `input is ${showShape(tfShape(ctx, xv))}, expected rank 4 or 5`);
    requireChannelsLast(at, r);
    const x = cfOf(ctx, at, xv);
    const param = (i: number): string => tfOf(ctx, at, arg(ins, i));
    const epsilon = attrFloat(at, 'epsilon', 1e-4);
    return emit(
      ctx,
      at.node.name,
      'cf',
      { op: 'BatchNorm', x, scale: param(1), bias: param(2), mean: param(3), var: param(4), epsilon },
      r,
    );
  },
};

export const arithRules: Readonly<Record<string, OpRule>> = {
  MatMul: matmul,
  BiasAdd: biasAdd,
  Add: binary('Add'),
  AddV2: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  Relu: relu,
  Relu6: relu6,
  FusedBatchNorm: batchNorm,
  FusedBatchNormV2: batchNorm,
  FusedBatchNormV3: batchNorm,
};
