/**
 * Invalid geometry and mismatched operands are expected failures: every kernel set throws a
 * `CryptflowError` (never a crash, a RangeError from a typed array, or a wasm trap), and the message
 * names shapes or axes.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import type { ConvGeometry, ConvTransposeGeometry, PoolGeometry } from '../../../spec/geometry.js';
import { floatKernels, kernels } from '../../../semantics/kernels/index.js';
import { poolWindowCounts } from '../../../semantics/kernels/geometry.js';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-wasm.js'], { stdio: 'ignore' });
});

const conv2: ConvGeometry = { strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1 };
const tconv2: ConvTransposeGeometry = { ...conv2, outputPadding: [0, 0] };
const pool2: PoolGeometry = { kernel: [2, 2], strides: [1, 1], pads: [0, 0, 0, 0] };

const ringT = (shape: number[], n = shape.reduce((a, b) => a * b, 1)) => ({ shape, data: new BigUint64Array(n) });
const floatT = (shape: number[], n = shape.reduce((a, b) => a * b, 1)) => ({ shape, data: new Float32Array(n) });

interface BadConv {
  readonly what: string;
  readonly x: number[];
  readonly w: number[];
  readonly g: ConvGeometry;
}

const badConvs: BadConv[] = [
  { what: 'rank-2 input', x: [1, 4], w: [1, 4], g: conv2 },
  { what: 'rank mismatch', x: [1, 1, 4, 4], w: [1, 1, 2], g: conv2 },
  { what: 'channels not divisible by groups', x: [1, 3, 4, 4], w: [2, 1, 2, 2], g: { ...conv2, groups: 2 } },
  { what: 'weight channel axis wrong', x: [1, 4, 4, 4], w: [2, 4, 2, 2], g: { ...conv2, groups: 2 } },
  { what: 'zero stride', x: [1, 1, 4, 4], w: [1, 1, 2, 2], g: { ...conv2, strides: [0, 1] } },
  { what: 'negative pad', x: [1, 1, 4, 4], w: [1, 1, 2, 2], g: { ...conv2, pads: [0, -1, 0, 0] } },
  { what: 'pads of the wrong length', x: [1, 1, 4, 4], w: [1, 1, 2, 2], g: { ...conv2, pads: [0, 0] } },
  { what: 'kernel wider than padded input', x: [1, 1, 2, 2], w: [1, 1, 3, 3], g: conv2 },
  { what: 'dilated kernel too wide', x: [1, 1, 4, 4], w: [1, 1, 2, 2], g: { ...conv2, dilations: [4, 1] } },
  { what: 'zero groups', x: [1, 1, 4, 4], w: [1, 1, 2, 2], g: { ...conv2, groups: 0 } },
  { what: 'fractional extent', x: [1, 1, 4.5, 4], w: [1, 1, 2, 2], g: conv2 },
];

const badTransposes: { what: string; x: number[]; w: number[]; g: ConvTransposeGeometry }[] = [
  {
    what: 'output padding not below stride or dilation',
    x: [1, 1, 3, 3],
    w: [1, 1, 2, 2],
    g: { ...tconv2, outputPadding: [1, 0] },
  },
  { what: 'weight axis 0 is not the input channels', x: [1, 2, 3, 3], w: [1, 2, 2, 2], g: tconv2 },
  { what: 'non-positive output extent', x: [1, 1, 1, 1], w: [1, 1, 1, 1], g: { ...tconv2, pads: [1, 0, 0, 0] } },
];

const badPools: { what: string; x: number[]; g: PoolGeometry }[] = [
  { what: 'pad not below window', x: [1, 1, 4, 4], g: { ...pool2, pads: [2, 0, 0, 0] } },
  { what: 'window larger than input', x: [1, 1, 1, 1], g: pool2 },
  { what: 'kernel of the wrong length', x: [1, 1, 4, 4], g: { ...pool2, kernel: [2] } },
];

const expectShapeError = (f: () => unknown): void => {
  expect(f).toThrow(CryptflowError);
  try {
    f();
  } catch (e) {
    expect((e as CryptflowError).code).toBe('shape');
  }
};

describe.each(['reference', 'wasm'] as const)('%s ring kernels reject bad arguments', (impl) => {
  const k = kernels(impl);
  it.each(badConvs)('conv: $what', ({ x, w, g }) => {
    for (const method of ['direct', 'im2col'] as const)
      expectShapeError(() => k.conv(16, ringT(x), ringT(w), g, method));
  });
  it.each(badTransposes)('convTranspose: $what', ({ x, w, g }) => {
    expectShapeError(() => k.convTranspose(16, ringT(x), ringT(w), g));
  });
  it.each(badPools)('pools: $what', ({ x, g }) => {
    expectShapeError(() => k.maxPool(16, ringT(x), g));
    expectShapeError(() => k.sumPool(16, ringT(x), g));
  });
  it('data length not matching the shape, elementwise and matmul mismatches', () => {
    expectShapeError(() => k.conv(16, ringT([1, 1, 4, 4], 15), ringT([1, 1, 2, 2]), conv2, 'direct'));
    expectShapeError(() => k.convTranspose(16, ringT([1, 1, 3, 3]), ringT([1, 1, 2, 2], 5), tconv2));
    expectShapeError(() => k.maxPool(16, ringT([1, 1, 4, 4], 17), pool2));
    expectShapeError(() => k.add(16, new BigUint64Array(3), new BigUint64Array(4)));
    expectShapeError(() => k.matmul(16, new BigUint64Array(6), new BigUint64Array(6), 2, 3, 3));
    expectShapeError(() => k.matmul(16, new BigUint64Array(0), new BigUint64Array(0), -1, 0, 0));
  });
  it('ring widths outside [2, 64]', () => {
    for (const ell of [0, 1, 65, 8.5]) {
      expect(() => k.add(ell, new BigUint64Array(1), new BigUint64Array(1))).toThrow(CryptflowError);
      expect(() =>
        k.conv(
          ell,
          ringT([1, 1, 2]),
          ringT([1, 1, 1]),
          { strides: [1], pads: [0, 0], dilations: [1], groups: 1 },
          'direct',
        ),
      ).toThrow(CryptflowError);
    }
  });
});

describe('float kernels and poolWindowCounts reject bad arguments', () => {
  it.each(badConvs)('conv: $what', ({ x, w, g }) => expectShapeError(() => floatKernels.conv(floatT(x), floatT(w), g)));
  it.each(badTransposes)('convTranspose: $what', ({ x, w, g }) =>
    expectShapeError(() => floatKernels.convTranspose(floatT(x), floatT(w), g)),
  );
  it.each(badPools)('pools: $what', ({ x, g }) => {
    expectShapeError(() => floatKernels.maxPool(floatT(x), g));
    expectShapeError(() => floatKernels.sumPool(floatT(x), g));
    expectShapeError(() => poolWindowCounts(x, g));
  });
  it('matmul dimension mismatch', () => {
    expectShapeError(() => floatKernels.matmul(new Float32Array(4), new Float32Array(4), 2, 2, 3));
  });
});
