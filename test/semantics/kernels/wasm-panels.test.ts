/**
 * The SIMD panel paths of the wasm MatMul and convolutions agree with the bigint reference on shapes
 * large enough to reach them: full eight-column panels and partial ones, pairs of rows and an odd
 * last row, output rows of eight or more positions (the contiguous gather) and panels that span
 * rows, strides, dilations, pads, groups, and 1–3 spatial axes. differential.test.ts keeps extents
 * small for the general properties; this file trades run count for size.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConvGeometry } from '../../../spec/geometry.js';
import { referenceKernels as ref } from '../../../semantics/kernels/reference.js';
import { wasmKernels as wasm } from '../../../semantics/kernels/wasm.js';
import { size } from './arbitraries.js';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-wasm.js'], { stdio: 'ignore' });
});

const slow = process.env['CRYPTFLOW_SLOW'] === '1';
/** Runs of a property: at least 50 (each runs in under a second), 10× with CRYPTFLOW_SLOW. */
const runs = (n: number): number => (slow ? 10 * Math.max(50, n) : Math.max(50, n));

/** n words reduced mod 2^ℓ. */
function words(ell: number, n: number): fc.Arbitrary<BigUint64Array> {
  const mask = ell === 64 ? (1n << 64n) - 1n : (1n << BigInt(ell)) - 1n;
  return fc.bigUint64Array({ minLength: n, maxLength: n }).map((a) => a.map((v) => v & mask));
}

const ell = fc.constantFrom(16, 64);

describe('wasm panel kernels ≡ reference on larger shapes', () => {
  it('matmul: m, k, n up to 21, 40, 37', () => {
    const problem = fc
      .tuple(ell, fc.integer({ min: 0, max: 21 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 37 }))
      .chain(([l, m, k, n]) => fc.tuple(fc.constant([l, m, k, n] as const), words(l, m * k), words(l, k * n)));
    fc.assert(
      fc.property(problem, ([[l, m, k, n], a, b]) => {
        expect(wasm.matmul(l, a, b, m, k, n)).toEqual(ref.matmul(l, a, b, m, k, n));
      }),
      { numRuns: runs(40) },
    );
  });

  it('matmul: exact multiples of the 2 × 8 tile, and a single long row and column', () => {
    for (const [m, k, n] of [
      [16, 24, 32],
      [1, 50, 1],
      [1, 9, 64],
      [33, 3, 8],
    ] as const) {
      const a = BigUint64Array.from({ length: m * k }, (_, i) =>
        BigInt.asUintN(64, BigInt(i + 1) * 0x9e3779b97f4a7c15n),
      );
      const b = BigUint64Array.from({ length: k * n }, (_, i) =>
        BigInt.asUintN(64, BigInt(i + 7) * 0xbf58476d1ce4e5b9n),
      );
      expect(wasm.matmul(64, a, b, m, k, n)).toEqual(ref.matmul(64, a, b, m, k, n));
    }
  });

  it('conv direct and im2col: up to 5 output channels per group, rows of up to 19 positions', () => {
    const axis = fc
      .record({
        ker: fc.integer({ min: 1, max: 3 }),
        stride: fc.integer({ min: 1, max: 2 }),
        dil: fc.integer({ min: 1, max: 2 }),
        pb: fc.integer({ min: 0, max: 2 }),
        pe: fc.integer({ min: 0, max: 2 }),
      })
      .filter((a) => a.pb < a.dil * (a.ker - 1) + 1 && a.pe < a.dil * (a.ker - 1) + 1);
    const problem = fc
      .integer({ min: 1, max: 3 })
      .chain((rank) =>
        fc.record({
          l: ell,
          n: fc.integer({ min: 1, max: 2 }),
          groups: fc.integer({ min: 1, max: 2 }),
          cig: fc.integer({ min: 1, max: 3 }),
          cog: fc.integer({ min: 1, max: 5 }),
          axes: fc.array(axis, { minLength: rank, maxLength: rank }),
          extents: fc.array(fc.integer({ min: rank === 3 ? 3 : 5, max: rank === 1 ? 19 : rank === 2 ? 12 : 6 }), {
            minLength: rank,
            maxLength: rank,
          }),
        }),
      )
      .map((p) => {
        const inp = p.axes.map((a, i) => Math.max(p.extents[i] ?? 1, a.dil * (a.ker - 1) + 1));
        const g: ConvGeometry = {
          strides: p.axes.map((a) => a.stride),
          dilations: p.axes.map((a) => a.dil),
          pads: [...p.axes.map((a) => a.pb), ...p.axes.map((a) => a.pe)],
          groups: p.groups,
        };
        return {
          l: p.l,
          xShape: [p.n, p.cig * p.groups, ...inp],
          wShape: [p.cog * p.groups, p.cig, ...p.axes.map((a) => a.ker)],
          g,
        };
      })
      .chain((c) => fc.tuple(fc.constant(c), words(c.l, size(c.xShape)), words(c.l, size(c.wShape))));
    fc.assert(
      fc.property(problem, ([c, xd, wd]) => {
        const x = { shape: c.xShape, data: xd };
        const w = { shape: c.wShape, data: wd };
        const want = ref.conv(c.l, x, w, c.g, 'direct');
        expect(wasm.conv(c.l, x, w, c.g, 'direct')).toEqual(want);
        expect(wasm.conv(c.l, x, w, c.g, 'im2col')).toEqual(want);
      }),
      { numRuns: runs(25) },
    );
  });

  it('conv direct: a ResNet-like 3 × 3 "same" layer with 16-position rows, both paths of the gather', () => {
    for (const stride of [1, 2]) {
      const xShape = [1, 3, 16, 16];
      const wShape = [6, 3, 3, 3];
      const x = {
        shape: xShape,
        data: BigUint64Array.from({ length: size(xShape) }, (_, i) =>
          BigInt.asUintN(64, BigInt(i + 3) * 0x94d049bb133111ebn),
        ),
      };
      const w = {
        shape: wShape,
        data: BigUint64Array.from({ length: size(wShape) }, (_, i) =>
          BigInt.asUintN(64, BigInt(i + 5) * 0x9e3779b97f4a7c15n),
        ),
      };
      const g: ConvGeometry = { strides: [stride, stride], dilations: [1, 1], pads: [1, 1, 1, 1], groups: 1 };
      const want = ref.conv(64, x, w, g, 'direct');
      expect(wasm.conv(64, x, w, g, 'direct')).toEqual(want);
      expect(wasm.conv(64, x, w, g, 'im2col')).toEqual(want);
    }
  });
});
