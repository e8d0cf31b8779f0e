/**
 * Shape inference for HLIL and LLIL nodes, one rule per operator (rules in ir/shapes/*).
 *
 * `nodeShape(node, shapeOf)` validates the node's attributes against its operands' shapes and returns
 * the shape of `node.out`, or a message naming the offending attribute and the shapes involved (the
 * checker prefixes it with the node's name and operator). `shapeOf` must know every operand.
 * The semantics, which run checked programs only, may use `nodeShapeOrBug`.
 */
import * as E from 'fp-ts/lib/Either.js';
import { bug, assertNever } from '../spec/errors.js';
import type { Shape } from '../spec/geometry.js';
import type { HNode } from './hlil.js';
import type { LNodeUntyped } from './untyped.js';
import type { ShapeResult } from './shapes/attrs.js';
import { convShape, convTransposeShape, globalPoolShape, poolShape } from './shapes/conv.js';
import { batchNormShape, biasAddShape, broadcastShape, gemmShape, matmulShape } from './shapes/linear.js';
import {
  argmaxShape,
  concatShape,
  flattenShape,
  padShape,
  reshapeShape,
  softmaxShape,
  squeezeShape,
  transposeShape,
} from './shapes/layout.js';

export type { ShapeResult } from './shapes/attrs.js';
export { checkShape } from './shapes/attrs.js';
export { convShape, convTransposeShape, globalPoolShape, poolShape } from './shapes/conv.js';
export { batchNormShape, biasAddShape, broadcastShape, gemmShape, matmulShape } from './shapes/linear.js';
export {
  argmaxShape,
  concatShape,
  flattenShape,
  padShape,
  reshapeShape,
  softmaxShape,
  squeezeShape,
  transposeShape,
} from './shapes/layout.js';

export type ShapeOf = (name: string) => Shape;

/** Shape of `node.out` from the shapes of its operands (either IR: shared operators share rules). */
export function nodeShape(node: HNode | LNodeUntyped, shapeOf: ShapeOf): ShapeResult {
  const opt = (v: string | undefined): Shape | undefined => (v === undefined ? undefined : shapeOf(v));
  switch (node.op) {
    case 'Conv':
      return convShape(shapeOf(node.x), shapeOf(node.w), opt(node.b), node);
    case 'ConvTranspose':
      return convTransposeShape(shapeOf(node.x), shapeOf(node.w), opt(node.b), node);
    case 'MatMul':
      return matmulShape(shapeOf(node.a), shapeOf(node.b));
    case 'Gemm':
      return gemmShape(shapeOf(node.a), shapeOf(node.b), opt(node.c), node.transA, node.transB);
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
      return broadcastShape(shapeOf(node.a), shapeOf(node.b));
    case 'BiasAdd':
      return biasAddShape(shapeOf(node.x), shapeOf(node.b));
    case 'BatchNorm':
      return batchNormShape(
        shapeOf(node.x),
        [
          ['scale', shapeOf(node.scale)],
          ['bias', shapeOf(node.bias)],
          ['mean', shapeOf(node.mean)],
          ['var', shapeOf(node.var)],
        ],
        node.epsilon,
      );
    case 'MaxPool':
    case 'AvgPool':
      return poolShape(shapeOf(node.x), node);
    case 'GlobalAvgPool':
      return globalPoolShape(shapeOf(node.x));
    case 'Concat':
      return concatShape(node.xs.map(shapeOf), node.axis);
    case 'Pad':
      return padShape(shapeOf(node.x), node.pads, node.value);
    case 'Reshape':
      return reshapeShape(shapeOf(node.x), node.shape);
    case 'Flatten':
      return flattenShape(shapeOf(node.x), node.axis);
    case 'Transpose':
      return transposeShape(shapeOf(node.x), node.perm);
    case 'Squeeze':
      return squeezeShape(shapeOf(node.x), node.axes);
    case 'ArgMax':
      return argmaxShape(shapeOf(node.x), node.axis, node.keepdims);
    case 'Softmax':
      return softmaxShape(shapeOf(node.x), node.axis);
    case 'Relu':
    case 'Sigmoid':
    case 'ScaleDown':
    case 'ScaleUp':
      return E.right(shapeOf(node.x));
    default:
      return assertNever(node, 'IR operator');
  }
}

export const hlilNodeShape: (node: HNode, shapeOf: ShapeOf) => ShapeResult = nodeShape;
export const llilNodeShape: (node: LNodeUntyped, shapeOf: ShapeOf) => ShapeResult = nodeShape;

/** For programs that passed the checker: the shape, or a `bug()` if the node is ill-shaped after all. */
export function nodeShapeOrBug(node: HNode | LNodeUntyped, shapeOf: ShapeOf): Shape {
  const r = nodeShape(node, shapeOf);
  return E.isRight(r) ? r.right : bug(`node ${node.out} (${node.op}) of a checked program: ${r.left}`);
}
