/**
 * The malicious backend's cost per LLIL node: which closed form of spec/cost/malicious3.ts each node
 * runs (index.ts runs exactly these protocols).
 */
import { assertNever, bug } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import { FREE, type Cost } from '../../spec/cost/types.js';
import { malicious3Costs as C } from '../../spec/cost/malicious3.js';
import type { LNode } from '../../ir/llil.js';
import type { OperandType } from '../common/backend.js';
import { poolCounts } from '../common/local-ops.js';
import { divisionKind } from './division.js';

/** The public divisor of each output element of an average pool. */
export function poolDivisors(
  node: Extract<LNode, { op: 'AvgPool' | 'GlobalAvgPool' }>,
  xShape: readonly number[],
): number[] {
  return Array.from(poolCounts(node, xShape, numel(node.type.shape)));
}

export function malicious3NodeCost(node: LNode, ops: readonly OperandType[], ell: number, s: number): Cost {
  if (ops.every((t) => !t.secret)) return FREE;
  const op = (i: number): OperandType => ops[i] ?? bug(`node '${node.out}' lacks operand ${i}`);
  switch (node.op) {
    case 'Mul':
    case 'MatMul':
    case 'Conv':
    case 'ConvTranspose':
      return op(0).secret && op(1).secret ? C.product(ell, s, numel(node.type.shape)) : FREE;
    case 'Relu':
      return C.relu(ell, s, numel(op(0).shape));
    case 'ScaleDown':
      return node.shift === 0 ? FREE : C.trunc(ell, s, numel(op(0).shape));
    case 'AvgPool':
    case 'GlobalAvgPool': {
      const divisors = poolDivisors(node, op(0).shape);
      const kind = divisionKind(ell, divisors);
      const n = numel(node.type.shape);
      return kind === 'none' ? FREE : kind === 'shift' ? C.trunc(ell, s, n) : C.divide(ell, s, n);
    }
    case 'MaxPool':
      return C.maxPool(ell, s, numel(node.type.shape), numel(node.kernel));
    case 'ArgMax': {
      const c = op(0).shape[node.axis] ?? bug('ArgMax axis');
      return C.argmax(ell, s, numel(op(0).shape) / c, c);
    }
    case 'Add':
    case 'Sub':
    case 'BiasAdd':
    case 'Concat':
    case 'Pad':
    case 'Reshape':
    case 'Flatten':
    case 'Transpose':
    case 'Squeeze':
    case 'ScaleUp':
      return FREE;
    default:
      return assertNever(node);
  }
}
