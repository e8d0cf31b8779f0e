/**
 * The supported ONNX operators (default domain, opsets 11 to 21) and their lowerings to HLIL. The
 * op table of proofs-notes/frontend-onnx.md lists the same operators with what each becomes.
 */
import type { Lowering } from './common.js';
import { add, batchNormalization, div, mul, sub } from './arith.js';
import { argMax, clip, leakyRelu, relu, sigmoid, softmax } from './activation.js';
import { conv, convTranspose } from './conv.js';
import { concat, flatten, pad, reshape, squeeze, transpose, unsqueeze } from './layout.js';
import { gemm, matMul } from './linear.js';
import { averagePool, globalAveragePool, maxPool } from './pool.js';
import { constant, dropout, identity } from './values.js';

export type { Lowering } from './common.js';

export const ONNX_OPS: Readonly<Record<string, Lowering>> = Object.freeze({
  Conv: conv,
  ConvTranspose: convTranspose,
  Gemm: gemm,
  MatMul: matMul,
  Add: add,
  Sub: sub,
  Mul: mul,
  Div: div,
  Relu: relu,
  LeakyRelu: leakyRelu,
  Clip: clip,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  BatchNormalization: batchNormalization,
  Concat: concat,
  Pad: pad,
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Identity: identity,
  Dropout: dropout,
  Constant: constant,
  Softmax: softmax,
  Sigmoid: sigmoid,
  ArgMax: argMax,
});

/** The operator names, sorted, for messages. */
export const ONNX_OP_NAMES: readonly string[] = Object.keys(ONNX_OPS).sort();
