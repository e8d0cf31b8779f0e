/**
 * Float32 kernels: exact small examples that pin the documented accumulation order and rounding
 * (semantics/kernels/float.ts), and agreement with the independent float64 model within the classical
 * inner-product bound.
 *
 * Tolerance. Each output is a sum of n terms (products x·w for the convolutions and matmul, plain
 * values for sumPool), accumulated in float32 with one rounding per product and per addition. The
 * standard bound (Higham, Accuracy and Stability of Numerical Algorithms, §3.1) gives
 * |fl(Σ) − Σ| ≤ γ_n · Σ|term| with γ_n = n·u / (1 − n·u), u = 2^−24. The float64 model adds at most
 * γ_n with u = 2^−53 of its own, and float32 underflow at most 2^−150 per rounding (2n roundings).
 * So the test allows γ_n(2^−24)·M + γ_n(2^−53)·M + 2n·2^−150, where M = Σ|term|: tight, and derived,
 * not guessed. Max pooling is exact and compared with ===.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floatKernels as fk } from '../../../semantics/kernels/float.js';
import { convCase, convTransposeCase, poolCase, size } from './arbitraries.js';
import { convPlan, convTransposePlan, type ConvPlan } from '../../../semantics/kernels/geometry.js';
import { directMap, gatherConv, transposedMap, type GatherMap } from '../../../semantics/kernels/gather.js';
import { naiveConv, naiveConvTranspose, naivePool, type NaiveResult } from './naive.js';

const TWO24 = 2 ** 24;
const f32 = (xs: readonly number[]): Float32Array => Float32Array.from(xs);
const floats = (n: number) =>
  fc
    .array(fc.float({ min: Math.fround(-64), max: Math.fround(64), noNaN: true, noDefaultInfinity: true }), {
      minLength: n,
      maxLength: n,
    })
    .map(f32);

const gamma = (n: number, u: number): number => (n * u) / (1 - n * u);

function expectWithinBound(got: Float32Array, want: NaiveResult): void {
  expect(got.length).toBe(want.values.length);
  got.forEach((v, i) => {
    const n = want.terms[i] ?? 0;
    const m = want.magnitude[i] ?? 0;
    const bound = gamma(n, 2 ** -24) * m + gamma(n, 2 ** -53) * m + 2 * n * 2 ** -150;
    expect(Math.abs(v - (want.values[i] ?? Number.NaN))).toBeLessThanOrEqual(bound);
  });
}

describe('float kernels: exact examples', () => {
  it('matmul 2×2', () => {
    expect(Array.from(fk.matmul(f32([1, 2, 3, 4]), f32([5, 6, 7, 8]), 2, 2, 2))).toEqual([19, 22, 43, 50]);
  });

  it('rounds every partial sum to float32 in ascending k order', () => {
    expect(Array.from(fk.matmul(f32([TWO24, 1, 1]), f32([1, 1, 1]), 1, 3, 1))).toEqual([TWO24]);
    expect(Array.from(fk.matmul(f32([1, 1, TWO24]), f32([1, 1, 1]), 1, 3, 1))).toEqual([TWO24 + 2]);
  });

  it('conv accumulates over input channels first, then kernel offsets', () => {
    const g = { strides: [1], pads: [0, 0], dilations: [1], groups: 1 };
    const y = fk.conv(
      { shape: [1, 2, 2], data: f32([1, 1, TWO24, 0]) },
      { shape: [1, 2, 2], data: f32([1, 1, 1, 1]) },
      g,
    );
    expect(Array.from(y.data)).toEqual([TWO24 + 2]);
  });

  it('conv skips padded taps and starts from +0; bias is not included', () => {
    const g = { strides: [1], pads: [1, 1], dilations: [1], groups: 1 };
    const y = fk.conv({ shape: [1, 1, 2], data: f32([-0, 3]) }, { shape: [1, 1, 3], data: f32([1, 1, 1]) }, g);
    expect(Array.from(y.data)).toEqual([3, 3]);
    expect(
      Object.is(
        fk.conv({ shape: [1, 1, 1], data: f32([-0]) }, { shape: [1, 1, 1], data: f32([1]) }, { ...g, pads: [0, 0] })
          .data[0],
        0,
      ),
    ).toBe(true);
  });

  it('convTranspose with stride 2 and output padding', () => {
    const g = { strides: [2], pads: [0, 0], dilations: [1], groups: 1, outputPadding: [1] };
    const y = fk.convTranspose(
      { shape: [1, 1, 3], data: f32([1, 2, 3]) },
      { shape: [1, 1, 2], data: f32([0.5, 10]) },
      g,
    );
    expect(Array.from(y.data)).toEqual([0.5, 10, 1, 20, 1.5, 30, 0]);
  });

  it('sumPool rounds in row-major order; maxPool propagates NaN and keeps the first of ±0', () => {
    const g = { kernel: [3], strides: [1], pads: [0, 0] };
    expect(Array.from(fk.sumPool({ shape: [1, 1, 3], data: f32([TWO24, 1, 1]) }, g).data)).toEqual([TWO24]);
    expect(Number.isNaN(fk.maxPool({ shape: [1, 1, 3], data: f32([1, Number.NaN, 3]) }, g).data[0])).toBe(true);
    const zeros = fk.maxPool({ shape: [1, 1, 2], data: f32([-0, 0]) }, { kernel: [2], strides: [1], pads: [0, 0] });
    expect(Object.is(zeros.data[0], -0)).toBe(true);
  });

  it('maxPool ignores padded cells (an all-negative window stays negative)', () => {
    const y = fk.maxPool({ shape: [1, 1, 2], data: f32([-3, -5]) }, { kernel: [2], strides: [1], pads: [1, 1] });
    expect(Array.from(y.data)).toEqual([-3, -3, -5]);
  });
});

describe('float kernels ≈ independent float64 model within γ_n', () => {
  it('matmul', () => {
    const problem = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }))
      .chain(([m, k, n]) => fc.tuple(fc.constant([m, k, n] as const), floats(m * k), floats(k * n)));
    fc.assert(
      fc.property(problem, ([[m, k, n], a, b]) => {
        const bT = Float32Array.from(
          { length: k * n },
          (_, idx) => b[(idx % k) * n + Math.floor(idx / k)] ?? Number.NaN,
        );
        const want = naiveConv([m, k, 1], a, [n, k, 1], bT, { strides: [1], pads: [0, 0], dilations: [1], groups: 1 });
        expectWithinBound(fk.matmul(a, b, m, k, n), want);
      }),
    );
  });

  it('conv', () => {
    const problem = convCase.chain((c) => fc.tuple(fc.constant(c), floats(size(c.xShape)), floats(size(c.wShape))));
    fc.assert(
      fc.property(problem, ([c, x, w]) => {
        expectWithinBound(
          fk.conv({ shape: c.xShape, data: x }, { shape: c.wShape, data: w }, c.g).data,
          naiveConv(c.xShape, x, c.wShape, w, c.g),
        );
      }),
    );
  });

  it('convTranspose', () => {
    const problem = convTransposeCase.chain((c) =>
      fc.tuple(fc.constant(c), floats(size(c.xShape)), floats(size(c.wShape))),
    );
    fc.assert(
      fc.property(problem, ([c, x, w]) => {
        const got = fk.convTranspose({ shape: c.xShape, data: x }, { shape: c.wShape, data: w }, c.g);
        expectWithinBound(got.data, naiveConvTranspose(c.xShape, x, c.wShape, w, c.g));
      }),
    );
  });

  it('conv and convTranspose are bit for bit the documented order (gatherConv, one cell at a time)', () => {
    const ordered = (p: ConvPlan, map: GatherMap, x: Float32Array, w: Float32Array): Float32Array => {
      const y = new Float32Array(size(p.outShape));
      gatherConv(
        p,
        map,
        0,
        (acc, xi, wi) => Math.fround(acc + Math.fround((x[xi] as number) * (w[wi] as number))),
        (yi, acc) => (y[yi] = acc),
      );
      return y;
    };
    fc.assert(
      fc.property(
        convCase.chain((c) => fc.tuple(fc.constant(c), floats(size(c.xShape)), floats(size(c.wShape)))),
        ([c, x, w]) => {
          const p = convPlan({ shape: c.xShape, data: x }, { shape: c.wShape, data: w }, c.g);
          expect(fk.conv({ shape: c.xShape, data: x }, { shape: c.wShape, data: w }, c.g).data).toEqual(
            ordered(p, directMap(p), x, w),
          );
        },
      ),
    );
    fc.assert(
      fc.property(
        convTransposeCase.chain((c) => fc.tuple(fc.constant(c), floats(size(c.xShape)), floats(size(c.wShape)))),
        ([c, x, w]) => {
          const p = convTransposePlan({ shape: c.xShape, data: x }, { shape: c.wShape, data: w }, c.g);
          expect(fk.convTranspose({ shape: c.xShape, data: x }, { shape: c.wShape, data: w }, c.g).data).toEqual(
            ordered(p, transposedMap(p), x, w),
          );
        },
      ),
    );
  });

  it('sumPool within the bound, maxPool exact', () => {
    const problem = poolCase.chain((c) => fc.tuple(fc.constant(c), floats(size(c.xShape))));
    fc.assert(
      fc.property(problem, ([c, x]) => {
        expectWithinBound(fk.sumPool({ shape: c.xShape, data: x }, c.g).data, naivePool(c.xShape, x, c.g, 'sum'));
        const max = naivePool(c.xShape, x, c.g, 'max').values;
        fk.maxPool({ shape: c.xShape, data: x }, c.g).data.forEach((v, i) => expect(v === max[i]).toBe(true));
      }),
    );
  });
});
