/**
 * A node's operator, arguments and attributes in a neutral form shared by the printer: operands in
 * the order of operandsOf, then (ScaleDown/ScaleUp) the shift; attributes in a fixed order per op.
 */
import { assertNever } from '../../spec/errors.js';
import type { HNode } from '../hlil.js';
import { operandsOf } from '../traverse.js';
import type { LNodeUntyped } from '../untyped.js';
import { showFloat64 } from './numbers.js';

export type Attr = readonly [string, string];

const ints = (xs: readonly number[]): string => `[${xs.join(',')}]`;

export function attrsOf(n: HNode | LNodeUntyped, signed: (v: bigint) => bigint): Attr[] {
  switch (n.op) {
    case 'Conv':
      return [
        ['strides', ints(n.strides)],
        ['pads', ints(n.pads)],
        ['dilations', ints(n.dilations)],
        ['groups', String(n.groups)],
      ];
    case 'ConvTranspose':
      return [
        ['strides', ints(n.strides)],
        ['pads', ints(n.pads)],
        ['dilations', ints(n.dilations)],
        ['groups', String(n.groups)],
        ['outputPadding', ints(n.outputPadding)],
      ];
    case 'Gemm':
      return [
        ['transA', String(n.transA)],
        ['transB', String(n.transB)],
      ];
    case 'MaxPool':
      return [
        ['kernel', ints(n.kernel)],
        ['strides', ints(n.strides)],
        ['pads', ints(n.pads)],
      ];
    case 'AvgPool':
      return [
        ['kernel', ints(n.kernel)],
        ['strides', ints(n.strides)],
        ['pads', ints(n.pads)],
        ['countIncludePad', String(n.countIncludePad)],
      ];
    case 'BatchNorm':
      return [['epsilon', showFloat64(n.epsilon)]];
    case 'Concat':
    case 'Flatten':
    case 'Softmax':
      return [['axis', String(n.axis)]];
    case 'Pad':
      return [
        ['pads', ints(n.pads)],
        ['value', typeof n.value === 'bigint' ? String(signed(n.value)) : showFloat64(n.value)],
      ];
    case 'Reshape':
      return [['shape', ints(n.shape)]];
    case 'Transpose':
      return [['perm', ints(n.perm)]];
    case 'Squeeze':
      return [['axes', ints(n.axes)]];
    case 'ArgMax':
      return [
        ['axis', String(n.axis)],
        ['keepdims', String(n.keepdims)],
      ];
    case 'MatMul':
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
    case 'BiasAdd':
    case 'Relu':
    case 'GlobalAvgPool':
    case 'Sigmoid':
    case 'ScaleDown':
    case 'ScaleUp':
      return [];
    default:
      return assertNever(n, 'IR operator');
  }
}

/** `Op(a, b, …) k=v …` */
export function showCall(n: HNode | LNodeUntyped, signed: (v: bigint) => bigint): string {
  const args: string[] = [...operandsOf(n)];
  if (n.op === 'ScaleDown' || n.op === 'ScaleUp') args.push(String(n.shift));
  const attrs = attrsOf(n, signed).map(([k, v]) => ` ${k}=${v}`);
  return `${n.op}(${args.join(', ')})${attrs.join('')}`;
}
