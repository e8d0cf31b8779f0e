import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ring } from '../../spec/ring.js';
import { numel, type Shape } from '../../spec/geometry.js';
import { convIm2colCost, convReshapedCost, matmulCost } from '../../spec/cost/linear.js';
import { ringBytes } from '../../spec/cost/types.js';
import { convSizes, type ConvForm } from '../../protocols/securenn-family/linear.js';
import { convolution, matmul } from './by-role.js';
import { shareInput } from '../../protocols/common/sharing.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { runParties } from '../../harness/network/run.js';
import { kernels, referenceKernels } from '../../semantics/kernels/index.js';
import type { ConvGeometry, ConvTransposeGeometry } from '../../spec/geometry.js';

const RUNS = process.env.CRYPTFLOW_SLOW ? 500 : 50;
const k64 = kernels('wasm');

function values(ell: number, n: number, salt: number): BigUint64Array {
  const ring = Ring(ell);
  return new BigUint64Array(n).map((_, i) => ring.reduce(BigInt((i + 1) * 2654435761 + salt) ** 2n - BigInt(salt)));
}

function reconstruct(ell: number, a: BigUint64Array, b: BigUint64Array): bigint[] {
  const ring = Ring(ell);
  return [...a].map((v, i) => ring.add(v, b[i] as bigint));
}

type AnyConv =
  | { readonly kind: 'conv'; readonly g: ConvGeometry }
  | { readonly kind: 'transpose'; readonly g: ConvTransposeGeometry };

const convCase = fc
  .record({
    rank: fc.constantFrom(1, 2, 3),
    n: fc.integer({ min: 1, max: 2 }),
    groups: fc.constantFrom(1, 2),
    cig: fc.integer({ min: 1, max: 2 }),
    cog: fc.integer({ min: 1, max: 2 }),
    kernel: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 2 }),
    dilation: fc.integer({ min: 1, max: 2 }),
    pad: fc.integer({ min: 0, max: 2 }),
    extra: fc.integer({ min: 0, max: 3 }),
    transpose: fc.boolean(),
    ell: fc.constantFrom(16, 32, 64),
    seed: fc.string({ maxLength: 6 }),
  })
  .map((c) => {
    const sp = Array.from(
      { length: c.rank },
      (_, i) => (c.rank === 3 && i === 0 ? 1 : 0) + c.kernel * c.dilation + c.extra,
    );
    const ks = Array.from({ length: c.rank }, () => c.kernel);
    const ci = c.groups * c.cig;
    const co = c.groups * c.cog;
    const base = {
      strides: ks.map(() => c.stride),
      pads: [...ks.map(() => c.pad), ...ks.map(() => 0)],
      dilations: ks.map(() => c.dilation),
      groups: c.groups,
    };
    const conv: AnyConv = c.transpose
      ? {
          kind: 'transpose',
          g: { ...base, pads: ks.map(() => 0).concat(ks.map(() => 0)), outputPadding: ks.map(() => 0) },
        }
      : { kind: 'conv', g: base };
    const xShape: Shape = [c.n, ci, ...sp];
    const wShape: Shape = c.transpose ? [ci, c.cog, ...ks] : [co, c.cig, ...ks];
    return { ...c, conv, xShape, wShape };
  });

async function runConv(ell: number, seed: string, conv: AnyConv, xShape: Shape, wShape: Shape, form: ConvForm) {
  const xs = values(ell, numel(xShape), 3);
  const ws = values(ell, numel(wShape), 11);
  const prog = async (ctx: PartyContext): Promise<BigUint64Array> => {
    const x = shareInput(ctx, 0, xShape, ctx.id === 0 ? xs : undefined);
    const w = shareInput(ctx, 1, wShape, ctx.id === 1 ? ws : undefined);
    return convolution(ctx, k64, conv, x, w, form);
  };
  const r = await runParties([prog, prog, prog], { ell, seed });
  const expected =
    conv.kind === 'conv'
      ? referenceKernels.conv(ell, { shape: xShape, data: xs }, { shape: wShape, data: ws }, conv.g, 'direct')
      : referenceKernels.convTranspose(ell, { shape: xShape, data: xs }, { shape: wShape, data: ws }, conv.g);
  return { got: reconstruct(ell, r.outputs[0], r.outputs[1]), expected: [...expected.data], meter: r.meter };
}

describe('linear layers as Beaver products', () => {
  it('MatMul reconstructs a·b with 16(mk + kn) + 8mn bytes at ℓ = 64 (per link as specified)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(16, 32, 64),
        async (m, kk, n, ell) => {
          const as = values(ell, m * kk, 1);
          const bs = values(ell, kk * n, 2);
          const prog = async (ctx: PartyContext): Promise<BigUint64Array> => {
            const a = shareInput(ctx, 0, [m, kk], ctx.id === 0 ? as : undefined);
            const b = shareInput(ctx, 1, [kk, n], ctx.id === 1 ? bs : undefined);
            return matmul(ctx, k64, a.share, b.share, m, kk, n);
          };
          const r = await runParties([prog, prog, prog], { ell, seed: 'mm' });
          expect(reconstruct(ell, r.outputs[0], r.outputs[1])).toEqual([
            ...referenceKernels.matmul(ell, as, bs, m, kk, n),
          ]);
          expect(r.meter.links).toEqual(matmulCost(ell, m, kk, n).links);
          expect(r.meter.rounds).toBe(matmulCost(ell, m, kk, n).rounds);
          if (ell === 64)
            expect(r.meter.links['P0->P1'] + r.meter.links['P1->P0'] + r.meter.links['P2->P1']).toBe(
              16 * (m * kk + kk * n) + 8 * m * n,
            );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('convolutions (1-D/2-D/3-D, groups, dilations, transposed) reconstruct exactly in both forms, and the meter equals the cost of each form', async () => {
    await fc.assert(
      fc.asyncProperty(convCase, async (c) => {
        const sizes = convSizes(c.conv, c.xShape, c.wShape);
        for (const form of ['reshaped', 'im2col'] as const) {
          const r = await runConv(c.ell, c.seed, c.conv, c.xShape, c.wShape, form);
          expect(r.got).toEqual(r.expected);
          const want = form === 'reshaped' ? convReshapedCost(c.ell, sizes) : convIm2colCost(c.ell, sizes);
          expect(r.meter.links).toEqual(want.links);
          expect(r.meter.rounds).toBe(want.rounds);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('per channel pair, the two forms differ as 2m² + 2f² + q² versus 2q²f² + 2f² + q² ring elements', async () => {
    for (const [m, f, stride, pad] of [
      [5, 3, 1, 0],
      [7, 5, 2, 2],
      [6, 2, 2, 0],
      [9, 7, 1, 3],
    ] as const) {
      const q = Math.floor((m + 2 * pad - f) / stride) + 1;
      const conv: AnyConv = {
        kind: 'conv',
        g: { strides: [stride, stride], pads: [pad, pad, pad, pad], dilations: [1, 1], groups: 1 },
      };
      const elements = async (form: ConvForm): Promise<number> => {
        const r = await runConv(64, 'pair', conv, [1, 1, m, m], [1, 1, f, f], form);
        expect(r.got).toEqual(r.expected);
        return (r.meter.links['P0->P1'] + r.meter.links['P1->P0'] + r.meter.links['P2->P1']) / ringBytes(64);
      };
      expect(await elements('reshaped')).toBe(2 * m * m + 2 * f * f + q * q);
      expect(await elements('im2col')).toBe(2 * q * q * f * f + 2 * f * f + q * q);
    }
  });
});
