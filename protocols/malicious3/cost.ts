/**
 * The malicious backend's cost per LLIL node: which closed form of spec/cost/malicious3.ts each node
 * runs (index.ts runs exactly these protocols).
 */
import { assertNever, bug, CryptflowError } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import { FREE, type Cost } from '../../spec/cost/types.js';
import { malicious3Costs as C } from '../../spec/cost/malicious3.js';
import type { LNode } from '../../ir/llil.js';
import type { OperandType } from '../common/backend.js';
import { poolCounts } from '../common/local-ops.js';

/** The uniform power-of-two exponent of an average pool's counts, or an 'unsupported' error. */
export function avgPoolShift(
  node: Extract<LNode, { op: 'AvgPool' | 'GlobalAvgPool' }>,
  xShape: readonly number[],
): number {
  const counts = Array.from(poolCounts(node, xShape, numel(node.type.shape)));
  const c0 = counts[0] ?? 1;
  const shift = Math.log2(c0);
  if (!Number.isInteger(shift) || counts.some((c) => c !== c0))
    throw new CryptflowError(
      'unsupported',
      `malicious: ${node.op} '${node.out}' divides by ${counts.some((c) => c !== c0) ? 'varying counts' : c0}; only a uniform power-of-two window count is supported`,
    );
  return shift;
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
      const shift = avgPoolShift(node, op(0).shape);
      return shift === 0 ? FREE : C.trunc(ell, s, numel(node.type.shape));
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
