/**
 * Kernel geometry errors (semantics/kernels/geometry.ts) name what is wrong: the argument (input,
 * weight, strides, pads, dilations, groups, kernel_shape, output_padding), its shape or entry, and the
 * bound it breaks — the header's promise ("naming the shapes and axes, never values"). The existing
 * suite checks the error code for each bad case; this one checks each message, one broken clause per
 * case, so that a condition losing a clause or a message losing its subject is noticed.
 */
import { describe, it } from 'vitest';
import type { ConvGeometry, ConvTransposeGeometry, PoolGeometry, Shape } from '../../spec/geometry.js';
import { convPlan, convTransposePlan, poolPlan } from '../../semantics/kernels/geometry.js';
import { expectCryptflowError } from './support.js';

const sized = (shape: Shape, length = shape.reduce((a, b) => a * b, 1)) => ({ shape, data: { length } });
const g2: ConvGeometry = { strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1 };
const t2: ConvTransposeGeometry = { ...g2, outputPadding: [0, 0] };
const p2: PoolGeometry = { kernel: [2, 2], strides: [1, 1], pads: [0, 0, 0, 0] };

const CONV: readonly {
  what: string;
  x: Shape;
  w: Shape;
  g: ConvGeometry;
  xLen?: number;
  wLen?: number;
  message: string;
}[] = [
  {
    what: 'input of rank 2',
    x: [1, 4],
    w: [1, 1, 2, 2],
    g: g2,
    message: 'input [1,4] must have rank 3, 4 or 5 (N × C × 1–3 spatial axes)',
  },
  {
    what: 'input of rank 6',
    x: [1, 1, 2, 2, 2, 2],
    w: [1, 1, 1, 1, 1, 1],
    g: g2,
    message: 'input [1,1,2,2,2,2] must have rank 3, 4 or 5',
  },
  { what: 'weight of rank 2', x: [1, 1, 4, 4], w: [1, 4], g: g2, message: 'weight [1,4] must have rank 3, 4 or 5' },
  {
    what: 'fractional input extent',
    x: [1, 1, 4.5, 4],
    w: [1, 1, 2, 2],
    g: g2,
    message: 'input shape[2] must be an integer ≥ 1, got 4.5',
  },
  {
    what: 'zero weight extent',
    x: [1, 1, 4, 4],
    w: [1, 1, 0, 2],
    g: g2,
    message: 'weight shape[2] must be an integer ≥ 1, got 0',
  },
  {
    what: 'rank mismatch',
    x: [1, 1, 4, 4],
    w: [1, 1, 2],
    g: g2,
    message: 'weight [1,1,2] and input [1,1,4,4] must have the same rank',
  },
  {
    what: 'strides of the wrong length',
    x: [1, 1, 4, 4],
    w: [1, 1, 2, 2],
    g: { ...g2, strides: [1] },
    message: 'strides must have 2 entries, got 1',
  },
  {
    what: 'zero stride',
    x: [1, 1, 4, 4],
    w: [1, 1, 2, 2],
    g: { ...g2, strides: [1, 0] },
    message: 'strides[1] must be an integer ≥ 1, got 0',
  },
  {
    what: 'zero dilation',
    x: [1, 1, 4, 4],
    w: [1, 1, 2, 2],
    g: { ...g2, dilations: [0, 1] },
    message: 'dilations[0] must be an integer ≥ 1, got 0',
  },
  {
    what: 'negative pad',
    x: [1, 1, 4, 4],
    w: [1, 1, 2, 2],
    g: { ...g2, pads: [0, 0, -1, 0] },
    message: 'pads[2] must be an integer ≥ 0, got -1',
  },
  {
    what: 'pads of the wrong length',
    x: [1, 1, 4, 4],
    w: [1, 1, 2, 2],
    g: { ...g2, pads: [0, 0] },
    message: 'pads must have 4 entries, got 2',
  },
  {
    what: 'zero groups',
    x: [1, 1, 4, 4],
    w: [1, 1, 2, 2],
    g: { ...g2, groups: 0 },
    message: 'groups must be a positive integer, got 0',
  },
  {
    what: 'fractional groups',
    x: [1, 2, 4, 4],
    w: [2, 1, 2, 2],
    g: { ...g2, groups: 1.5 },
    message: 'groups must be a positive integer, got 1.5',
  },
  {
    what: 'input channels not divisible',
    x: [1, 3, 4, 4],
    w: [2, 1, 2, 2],
    g: { ...g2, groups: 2 },
    message: 'conv: input channels 3 and output channels 2 must both divide by groups 2',
  },
  {
    what: 'output channels not divisible',
    x: [1, 4, 4, 4],
    w: [3, 2, 2, 2],
    g: { ...g2, groups: 2 },
    message: 'conv: input channels 4 and output channels 3 must both divide by groups 2',
  },
  {
    what: 'weight axis 1 wrong',
    x: [1, 6, 4, 4],
    w: [2, 6, 2, 2],
    g: { ...g2, groups: 2 },
    message: 'conv: weight [2,6,2,2] axis 1 must be input channels / groups = 3',
  },
  {
    what: 'input data length',
    x: [1, 1, 4, 4],
    w: [1, 1, 2, 2],
    g: g2,
    xLen: 15,
    message: 'conv input [1,1,4,4] needs 16 entries, got 15',
  },
  {
    what: 'weight data length',
    x: [1, 1, 4, 4],
    w: [1, 1, 2, 2],
    g: g2,
    wLen: 5,
    message: 'conv weight [1,1,2,2] needs 4 entries, got 5',
  },
];

const TRANSPOSE: readonly {
  what: string;
  x: Shape;
  w: Shape;
  g: ConvTransposeGeometry;
  xLen?: number;
  wLen?: number;
  message: string;
}[] = [
  {
    what: 'output_padding of the wrong length',
    x: [1, 1, 3, 3],
    w: [1, 1, 2, 2],
    g: { ...t2, outputPadding: [0] },
    message: 'output_padding must have 2 entries, got 1',
  },
  {
    what: 'output_padding not below stride or dilation',
    x: [1, 1, 3, 3],
    w: [1, 1, 2, 2],
    g: { ...t2, strides: [2, 1], outputPadding: [0, 1] },
    message: 'transposed convolution: output_padding 1 on spatial axis 1 must be below the stride or the dilation',
  },
  {
    what: 'input channels not divisible',
    x: [1, 3, 3, 3],
    w: [3, 1, 2, 2],
    g: { ...t2, groups: 2 },
    message: 'transposed convolution: input channels 3 must divide by groups 2',
  },
  {
    what: 'weight axis 0 wrong',
    x: [1, 2, 3, 3],
    w: [1, 2, 2, 2],
    g: t2,
    message: 'transposed convolution: weight [1,2,2,2] axis 0 must be the input channels 2',
  },
  {
    what: 'input data length',
    x: [1, 1, 3, 3],
    w: [1, 1, 2, 2],
    g: t2,
    xLen: 8,
    message: 'transposed convolution input [1,1,3,3] needs 9 entries, got 8',
  },
  {
    what: 'weight data length',
    x: [1, 1, 3, 3],
    w: [1, 1, 2, 2],
    g: t2,
    wLen: 3,
    message: 'transposed convolution weight [1,1,2,2] needs 4 entries, got 3',
  },
  { what: 'input of rank 2', x: [1, 3], w: [1, 1, 2, 2], g: t2, message: 'input [1,3] must have rank 3, 4 or 5' },
];

const POOL: readonly { what: string; x: Shape; g: PoolGeometry; message: string }[] = [
  { what: 'input of rank 2', x: [1, 4], g: p2, message: 'input [1,4] must have rank 3, 4 or 5' },
  {
    what: 'kernel of the wrong length',
    x: [1, 1, 4, 4],
    g: { ...p2, kernel: [2] },
    message: 'kernel_shape must have 2 entries, got 1',
  },
  {
    what: 'zero stride',
    x: [1, 1, 4, 4],
    g: { ...p2, strides: [0, 1] },
    message: 'strides[0] must be an integer ≥ 1, got 0',
  },
  {
    what: 'pads of the wrong length',
    x: [1, 1, 4, 4],
    g: { ...p2, pads: [0, 0, 0] },
    message: 'pads must have 4 entries, got 3',
  },
  {
    what: 'pad not below the window',
    x: [1, 1, 4, 4],
    g: { ...p2, pads: [0, 0, 2, 0] },
    message: 'pooling: pad 2 at position 2 must be below the window extent on its axis',
  },
];

describe('kernel geometry errors name the argument and the bound', () => {
  it.each(CONV)('conv: $what', ({ x, w, g, xLen, wLen, message }) => {
    expectCryptflowError(() => convPlan(sized(x, xLen), sized(w, wLen), g), 'shape', message);
  });
  it.each(TRANSPOSE)('transposed conv: $what', ({ x, w, g, xLen, wLen, message }) => {
    expectCryptflowError(() => convTransposePlan(sized(x, xLen), sized(w, wLen), g), 'shape', message);
  });
  it.each(POOL)('pooling: $what', ({ x, g, message }) => {
    expectCryptflowError(() => poolPlan(x, g), 'shape', message);
  });
});
