/**
 * fast-check arbitraries for kernel tests: ring tensors and valid convolution, transposed convolution
 * and pooling problems with 1–3 spatial axes, groups (depthwise included), strides, dilations, pads
 * and output padding. Extents stay small so the bigint reference is quick.
 */
import fc from 'fast-check';
import type { ConvGeometry, ConvTransposeGeometry, PoolGeometry } from '../../../spec/geometry.js';

export const ELLS = [8, 16, 32, 64] as const;

export function ringValues(ell: number, n: number): fc.Arbitrary<BigUint64Array> {
  const max = (1n << BigInt(ell)) - 1n;
  return fc.array(fc.bigInt({ min: 0n, max }), { minLength: n, maxLength: n }).map((xs) => BigUint64Array.from(xs));
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export interface ConvCase {
  readonly xShape: number[];
  readonly wShape: number[];
  readonly g: ConvGeometry;
}

export interface ConvTransposeCase {
  readonly xShape: number[];
  readonly wShape: number[];
  readonly g: ConvTransposeGeometry;
}

export interface PoolCase {
  readonly xShape: number[];
  readonly g: PoolGeometry;
}

/** Per-axis extents: 3-D problems get smaller extents to keep the volume down. */
const maxExtra = (k: number): number => (k === 3 ? 2 : 4);

const axisConv = (k: number) =>
  fc
    .record({
      ker: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 3 }),
      dil: fc.integer({ min: 1, max: 2 }),
      pb: fc.integer({ min: 0, max: 2 }),
      pe: fc.integer({ min: 0, max: 2 }),
      extra: fc.integer({ min: 0, max: maxExtra(k) }),
    })
    .map((a) => ({ ...a, inp: Math.max(1, a.dil * (a.ker - 1) + 1 - a.pb - a.pe) + a.extra }));

const channels = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  groups: fc.integer({ min: 1, max: 3 }),
  cig: fc.integer({ min: 1, max: 2 }),
  cog: fc.integer({ min: 1, max: 2 }),
});

export const convCase: fc.Arbitrary<ConvCase> = fc
  .integer({ min: 1, max: 3 })
  .chain((k) => fc.tuple(channels, fc.array(axisConv(k), { minLength: k, maxLength: k })))
  .map(([c, axes]) => ({
    xShape: [c.n, c.cig * c.groups, ...axes.map((a) => a.inp)],
    wShape: [c.cog * c.groups, c.cig, ...axes.map((a) => a.ker)],
    g: {
      strides: axes.map((a) => a.stride),
      dilations: axes.map((a) => a.dil),
      pads: [...axes.map((a) => a.pb), ...axes.map((a) => a.pe)],
      groups: c.groups,
    },
  }));

const axisTranspose = (k: number) =>
  fc
    .record({
      ker: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 3 }),
      dil: fc.integer({ min: 1, max: 2 }),
      inp: fc.integer({ min: 1, max: maxExtra(k) }),
      pb: fc.integer({ min: 0, max: 2 }),
      pe: fc.integer({ min: 0, max: 2 }),
      opSeed: fc.nat(),
    })
    .map((a) => ({ ...a, op: a.opSeed % Math.max(a.stride, a.dil) }))
    .filter((a) => a.stride * (a.inp - 1) + a.op + a.dil * (a.ker - 1) + 1 - a.pb - a.pe >= 1);

export const convTransposeCase: fc.Arbitrary<ConvTransposeCase> = fc
  .integer({ min: 1, max: 3 })
  .chain((k) => fc.tuple(channels, fc.array(axisTranspose(k), { minLength: k, maxLength: k })))
  .map(([c, axes]) => ({
    xShape: [c.n, c.cig * c.groups, ...axes.map((a) => a.inp)],
    wShape: [c.cig * c.groups, c.cog, ...axes.map((a) => a.ker)],
    g: {
      strides: axes.map((a) => a.stride),
      dilations: axes.map((a) => a.dil),
      pads: [...axes.map((a) => a.pb), ...axes.map((a) => a.pe)],
      outputPadding: axes.map((a) => a.op),
      groups: c.groups,
    },
  }));

const axisPool = (k: number) =>
  fc
    .integer({ min: 1, max: 3 })
    .chain((ker) =>
      fc.record({
        ker: fc.constant(ker),
        stride: fc.integer({ min: 1, max: 3 }),
        pb: fc.integer({ min: 0, max: ker - 1 }),
        pe: fc.integer({ min: 0, max: ker - 1 }),
        extra: fc.integer({ min: 0, max: maxExtra(k) }),
      }),
    )
    .map((a) => ({ ...a, inp: Math.max(1, a.ker - a.pb - a.pe) + a.extra }));

export const poolCase: fc.Arbitrary<PoolCase> = fc
  .integer({ min: 1, max: 3 })
  .chain((k) =>
    fc.tuple(
      fc.integer({ min: 1, max: 2 }),
      fc.integer({ min: 1, max: 3 }),
      fc.array(axisPool(k), { minLength: k, maxLength: k }),
    ),
  )
  .map(([n, c, axes]) => ({
    xShape: [n, c, ...axes.map((a) => a.inp)],
    g: {
      kernel: axes.map((a) => a.ker),
      strides: axes.map((a) => a.stride),
      pads: [...axes.map((a) => a.pb), ...axes.map((a) => a.pe)],
    },
  }));
