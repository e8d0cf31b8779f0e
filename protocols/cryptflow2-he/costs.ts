/**
 * The closed-form cost of every LLIL node under `cryptflow2-he` (spec/cost/cryptflow2-he.ts composed
 * per node, as index.ts's `run` executes it): nodes of public or server-only operands are free; HE
 * linear layers cost their chosen packing's queries and responses; the nonlinear nodes their Z_p OT
 * protocols. Equal to the meter on every link (proofs-notes/cryptflow2-he.md).
 */
import { assertNever, bug } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import { FREE, type Cost } from '../../spec/cost/types.js';
import { costOf } from '../../spec/cost/nonlinear.js';
import type { OtCostModel } from '../../spec/cost/cryptflow2.js';
import {
  argmaxPSchedule,
  dividePSchedule,
  heLinearSchedule,
  hePacking,
  heSlotLayout,
  maxPoolPSchedule,
  reluPSchedule,
  truncPSchedule,
} from '../../spec/cost/cryptflow2-he.js';
import type { LNode } from '../../ir/llil.js';
import type { OperandType } from '../common/backend.js';
import { poolCounts } from '../common/local-ops.js';
import { convShape, matmulShape, transposedAsConv } from './layers.js';
import type { ConvShape } from './packing.js';
import { unsupported } from './products.js';

export function heCost(model: OtCostModel): (node: LNode, ops: readonly OperandType[], ell: number) => Cost {
  function productCost(node: LNode, ops: readonly OperandType[]): Cost {
    const [a, b] = [ops[0], ops[1]];
    if (a === undefined || b === undefined) return bug(`node '${node.out}' lacks an operand`);
    if (!a.secret || !b.secret) return FREE;
    const layers = (s: ConvShape): Cost => {
      const l = hePacking(s);
      return l === null
        ? unsupported('one row of a padded input plane exceeds N/2 cells')
        : costOf(heLinearSchedule(...l.layouts));
    };
    if (node.op === 'Conv') {
      if (b.serverOnly !== true)
        return unsupported('a convolution whose filter is not computed from the server’s inputs alone');
      return layers(convShape(node, a.shape, b.shape));
    }
    if (node.op === 'ConvTranspose') {
      if (b.serverOnly !== true)
        return unsupported('a transposed convolution whose filter is not computed from the server’s inputs alone');
      return layers(transposedAsConv(node, a.shape, b.shape, node.type.shape).shape);
    }
    if (node.op === 'Mul')
      return a.serverOnly === true || b.serverOnly === true
        ? costOf(heLinearSchedule(heSlotLayout(numel(node.type.shape))))
        : unsupported(
            'an elementwise product of two secrets neither of which is computed from the server’s inputs alone',
          );
    if (node.op !== 'MatMul') return bug(`a product node ${node.op}`);
    const [m, kk, n] = [a.shape[0] ?? 0, a.shape[1] ?? 0, b.shape[1] ?? 0];
    return b.serverOnly === true
      ? layers(matmulShape(m, kk, n))
      : a.serverOnly === true
        ? layers(matmulShape(n, kk, m))
        : unsupported('a product of two secrets neither of which is computed from the server’s inputs alone');
  }

  function cost(node: LNode, ops: readonly OperandType[], _ell: number): Cost {
    if (ops.every((t) => !t.secret || t.serverOnly === true)) return FREE;
    const op = (i: number): OperandType => ops[i] ?? bug(`node '${node.out}' lacks operand ${i}`);
    switch (node.op) {
      case 'Mul':
      case 'MatMul':
      case 'Conv':
        return productCost(node, ops);
      case 'ConvTranspose':
        return productCost(node, ops);
      case 'Relu':
        return costOf(reluPSchedule(model, numel(op(0).shape)));
      case 'MaxPool':
        return costOf(maxPoolPSchedule(model, numel(node.type.shape), numel(node.kernel)));
      case 'ArgMax': {
        const c = op(0).shape[node.axis] ?? bug('ArgMax axis');
        return costOf(argmaxPSchedule(model, numel(op(0).shape) / c, c));
      }
      case 'ScaleDown':
        return costOf(truncPSchedule(model, numel(op(0).shape), node.shift));
      case 'AvgPool':
      case 'GlobalAvgPool': {
        const counts = poolCounts(node, op(0).shape, numel(node.type.shape));
        return costOf(
          dividePSchedule(
            model,
            Array.from(counts, (c) => BigInt(c)),
          ),
        );
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

  return cost;
}
