/**
 * The LLIL linear nodes of `cryptflow2-he` in the shape the coefficient packing takes (packing.ts):
 * a Conv (any number of spatial axes, groups, strides, dilations, pads) as it is, and a MatMul
 * a[m, k]·W[k, n] as a convolution with no spatial axis — batch m (the client's rows), k input
 * channels, n output channels, the filter being Wᵀ (laid out [n, k]).
 */
import type { LConv } from '../../ir/llil.js';
import type { Shape } from '../../spec/geometry.js';
import { bug } from '../../spec/errors.js';
import type { ConvShape } from './packing.js';

export function convShape(node: Pick<LConv, 'pads' | 'strides' | 'dilations' | 'groups'>, x: Shape, w: Shape): ConvShape {
  const d = x.length - 2;
  if (d < 0 || w.length !== x.length) bug('convolution operand ranks');
  const input = x.slice(2);
  const kernel = w.slice(2);
  const padBegin = node.pads.slice(0, d);
  const padded = input.map((e, i) => e + (node.pads[i] as number) + (node.pads[i + d] as number));
  const output = padded.map((e, i) => {
    const span = (node.dilations[i] as number) * ((kernel[i] as number) - 1) + 1;
    return Math.floor((e - span) / (node.strides[i] as number)) + 1;
  });
  const groups = node.groups;
  return {
    batch: x[0] ?? bug('batch'),
    groups,
    cg: (x[1] ?? bug('channels')) / groups,
    mg: (w[0] ?? bug('filters')) / groups,
    input,
    padBegin,
    padded,
    kernel,
    strides: node.strides,
    dilations: node.dilations,
    output,
  };
}

export function matmulShape(m: number, k: number, n: number): ConvShape {
  return {
    batch: m,
    groups: 1,
    cg: k,
    mg: n,
    input: [],
    padBegin: [],
    padded: [],
    kernel: [],
    strides: [],
    dilations: [],
    output: [],
  };
}

/** The transpose of a rows × cols row-major matrix. */
export function transpose2(a: BigUint64Array, rows: number, cols: number): BigUint64Array {
  const out = new BigUint64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j] as bigint;
  return out;
}
