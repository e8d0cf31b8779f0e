/**
 * The reference ring kernels against hand-computed examples and against the independent N-d float64
 * model (test/semantics/kernels/naive.ts) on small integers, where float64 is exact and Z_{2^64}
 * does not wrap, so the signed view of the ring result must equal the model exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kernels } from '../../../semantics/kernels/index.js';
import { poolWindowCounts } from '../../../semantics/kernels/geometry.js';
import { convCase, convTransposeCase, poolCase, size } from './arbitraries.js';
import { naiveConv, naiveConvTranspose, naivePool } from './naive.js';

const ref = kernels('reference');
const ring = (ell: number, xs: readonly number[]): BigUint64Array =>
  BigUint64Array.from(xs, (v) => BigInt.asUintN(ell, BigInt(v)));
const tensor = (ell: number, shape: number[], xs: readonly number[]) => ({ shape, data: ring(ell, xs) });
const signed = (ell: number, data: BigUint64Array): number[] => Array.from(data, (v) => Number(BigInt.asIntN(ell, v)));

describe('hand-computed examples', () => {
  it('2-D conv, 3×3 input, 2×2 kernel', () => {
    const y = ref.conv(
      16,
      tensor(16, [1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]),
      tensor(16, [1, 1, 2, 2], [1, 2, 3, 4]),
      {
        strides: [1, 1],
        pads: [0, 0, 0, 0],
        dilations: [1, 1],
        groups: 1,
      },
      'direct',
    );
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(signed(16, y.data)).toEqual([37, 47, 67, 77]);
  });

  it('1-D conv with pads, stride 2 and dilation 2; im2col agrees', () => {
    const x = tensor(8, [1, 1, 5], [1, 2, 3, 4, 5]);
    const w = tensor(8, [1, 1, 2], [1, 1]);
    const g = { strides: [2], pads: [1, 1], dilations: [2], groups: 1 };
    for (const method of ['direct', 'im2col'] as const) {
      const y = ref.conv(8, x, w, g, method);
      expect(y.shape).toEqual([1, 1, 3]);
      expect(signed(8, y.data)).toEqual([2, 6, 4]);
    }
  });

  it('depthwise conv (groups = channels) and a negative weight wrapping at ℓ = 8', () => {
    const y = ref.conv(
      8,
      tensor(8, [1, 2, 1, 2], [1, 2, 3, 4]),
      tensor(8, [2, 1, 1, 1], [10, -100]),
      {
        strides: [1, 1],
        pads: [0, 0, 0, 0],
        dilations: [1, 1],
        groups: 2,
      },
      'im2col',
    );
    expect(Array.from(y.data)).toEqual([10n, 20n, BigInt.asUintN(8, -300n), BigInt.asUintN(8, -400n)]);
  });

  it('3-D conv, all-ones 2×2×2 kernel', () => {
    const y = ref.conv(
      32,
      tensor(32, [1, 1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
      tensor(32, [1, 1, 2, 2, 2], [1, 1, 1, 1, 1, 1, 1, 1]),
      {
        strides: [1, 1, 1],
        pads: [0, 0, 0, 0, 0, 0],
        dilations: [1, 1, 1],
        groups: 1,
      },
      'direct',
    );
    expect(y.shape).toEqual([1, 1, 1, 1, 1]);
    expect(signed(32, y.data)).toEqual([36]);
  });

  it('1-D convTranspose with stride 2 and output padding, then with a begin pad', () => {
    const x = tensor(16, [1, 1, 3], [1, 2, 3]);
    const w = tensor(16, [1, 1, 2], [1, 10]);
    const g = { strides: [2], pads: [0, 0], dilations: [1], groups: 1, outputPadding: [1] };
    expect(signed(16, ref.convTranspose(16, x, w, g).data)).toEqual([1, 10, 2, 20, 3, 30, 0]);
    const cropped = ref.convTranspose(16, x, w, { ...g, pads: [1, 0] });
    expect(cropped.shape).toEqual([1, 1, 6]);
    expect(signed(16, cropped.data)).toEqual([10, 2, 20, 3, 30, 0]);
  });

  it('2-D convTranspose with two groups', () => {
    const y = ref.convTranspose(16, tensor(16, [1, 2, 1, 1], [2, 3]), tensor(16, [2, 1, 1, 2], [1, 2, 5, 7]), {
      strides: [1, 1],
      pads: [0, 0, 0, 0],
      dilations: [1, 1],
      groups: 2,
      outputPadding: [0, 0],
    });
    expect(y.shape).toEqual([1, 2, 1, 2]);
    expect(signed(16, y.data)).toEqual([2, 4, 15, 21]);
  });

  it('maxPool compares by signed value at width ℓ = 4 and ignores padded cells', () => {
    const square = ref.maxPool(4, tensor(4, [1, 1, 2, 2], [-1, 2, -8, 1]), {
      kernel: [2, 2],
      strides: [1, 1],
      pads: [0, 0, 0, 0],
    });
    expect(Array.from(square.data)).toEqual([2n]);
    const padded = ref.maxPool(4, tensor(4, [1, 1, 3], [-3, -7, -1]), { kernel: [2], strides: [1], pads: [1, 1] });
    expect(signed(4, padded.data)).toEqual([-3, -3, -1, -1]);
  });

  it('sumPool counts padded cells as zero and wraps mod 2^ℓ; window counts exclude padding', () => {
    const g = { kernel: [2], strides: [2], pads: [1, 1] };
    expect(signed(8, ref.sumPool(8, tensor(8, [1, 1, 3], [1, 2, 3]), g).data)).toEqual([1, 5]);
    expect(Array.from(poolWindowCounts([1, 1, 3], g))).toEqual([1, 2]);
    const wrap = ref.sumPool(8, tensor(8, [1, 1, 2, 2], [200, 100, 50, 7]), {
      kernel: [2, 2],
      strides: [1, 1],
      pads: [0, 0, 0, 0],
    });
    expect(Array.from(wrap.data)).toEqual([101n]);
  });

  it('poolWindowCounts is aligned with the pooled output over batch and channels', () => {
    const counts = poolWindowCounts([2, 3, 3, 3], { kernel: [2, 2], strides: [2, 2], pads: [1, 1, 0, 0] });
    expect(counts.length).toBe(2 * 3 * 2 * 2);
    expect(Array.from(counts.subarray(0, 4))).toEqual([1, 2, 2, 4]);
    expect(Array.from(counts.subarray(20))).toEqual([1, 2, 2, 4]);
  });
});

describe('reference ≡ independent N-d model on small integers (ℓ = 64, no wrap)', () => {
  const small = (n: number) => fc.array(fc.integer({ min: -8, max: 8 }), { minLength: n, maxLength: n });

  it('conv, both methods', () => {
    const problem = convCase.chain((c) => fc.tuple(fc.constant(c), small(size(c.xShape)), small(size(c.wShape))));
    fc.assert(
      fc.property(problem, ([c, xs, ws]) => {
        const want = naiveConv(c.xShape, xs, c.wShape, ws, c.g);
        for (const method of ['direct', 'im2col'] as const) {
          const y = ref.conv(64, tensor(64, c.xShape, xs), tensor(64, c.wShape, ws), c.g, method);
          expect(y.shape).toEqual(want.shape);
          expect(signed(64, y.data)).toEqual(Array.from(want.values));
        }
      }),
    );
  });

  it('convTranspose (the model scatters; the reference gathers)', () => {
    const problem = convTransposeCase.chain((c) =>
      fc.tuple(fc.constant(c), small(size(c.xShape)), small(size(c.wShape))),
    );
    fc.assert(
      fc.property(problem, ([c, xs, ws]) => {
        const want = naiveConvTranspose(c.xShape, xs, c.wShape, ws, c.g);
        const y = ref.convTranspose(64, tensor(64, c.xShape, xs), tensor(64, c.wShape, ws), c.g);
        expect(y.shape).toEqual(want.shape);
        expect(signed(64, y.data)).toEqual(Array.from(want.values));
      }),
    );
  });

  it('maxPool, sumPool and window counts', () => {
    const problem = poolCase.chain((c) => fc.tuple(fc.constant(c), small(size(c.xShape))));
    fc.assert(
      fc.property(problem, ([c, xs]) => {
        const x = tensor(64, c.xShape, xs);
        const max = naivePool(c.xShape, xs, c.g, 'max');
        const sum = naivePool(c.xShape, xs, c.g, 'sum');
        expect(signed(64, ref.maxPool(64, x, c.g).data)).toEqual(Array.from(max.values));
        expect(signed(64, ref.sumPool(64, x, c.g).data)).toEqual(Array.from(sum.values));
        expect(Array.from(poolWindowCounts(c.xShape, c.g))).toEqual(Array.from(sum.terms));
      }),
    );
  });
});
