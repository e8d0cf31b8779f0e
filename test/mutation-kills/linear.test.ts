/**
 * Mutation kills for protocols/securenn-family/linear.ts: the im2col gathers in the corners the random
 * convolution property (test/protocols/linear.test.ts, 12 runs) reaches only by luck. Fixed cases,
 * each through both forms and checked against the reference kernel:
 *   - a 3-D convolution with kernel depth 2 and two input channels per group (the tap index
 *     r = ((c·KD + kd)·KH + kh)·KW + kw mixes the channel and the depth only there);
 *   - grouped transposed convolutions with two input channels per group (the weight block of output
 *     channel o starts at input channel ⌊o / cog⌋·cig only when both groups > 1 and cig > 1);
 *   - a grouped 2-D convolution with two channels per group, batch 2, padding and dilation.
 */
import { describe, expect, it } from 'vitest';
import { numel, type ConvGeometry, type ConvTransposeGeometry, type Shape } from '../../spec/geometry.js';
import { Ring } from '../../spec/ring.js';
import { runParties } from '../../harness/network/run.js';
import { type ConvForm } from '../../protocols/securenn-family/linear.js';
import { convolution } from '../protocols/by-role.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { shareInput } from '../../protocols/common/sharing.js';
import { referenceKernels } from '../../semantics/kernels/index.js';

type AnyConv =
  | { readonly kind: 'conv'; readonly g: ConvGeometry }
  | { readonly kind: 'transpose'; readonly g: ConvTransposeGeometry };

const ELL = 32;

function values(n: number, salt: number): BigUint64Array {
  const ring = Ring(ELL);
  return new BigUint64Array(n).map((_, i) => ring.reduce(BigInt((i + 1) * 2654435761 + salt) ** 2n - BigInt(salt)));
}

async function secureConv(
  conv: AnyConv,
  xShape: Shape,
  wShape: Shape,
  form: ConvForm,
): Promise<{ got: bigint[]; want: bigint[] }> {
  const xs = values(numel(xShape), 3);
  const ws = values(numel(wShape), 11);
  const prog = async (ctx: PartyContext): Promise<BigUint64Array> => {
    const x = shareInput(ctx, 0, xShape, ctx.id === 0 ? xs : undefined);
    const w = shareInput(ctx, 1, wShape, ctx.id === 1 ? ws : undefined);
    return convolution(ctx, referenceKernels, conv, x, w, form);
  };
  const r = await runParties([prog, prog, prog], { ell: ELL, seed: `linear-${form}` });
  const ring = Ring(ELL);
  const got = [...r.outputs[0]].map((v, i) => ring.add(v, r.outputs[1][i] as bigint));
  const xt = { shape: xShape, data: xs };
  const wt = { shape: wShape, data: ws };
  const want =
    conv.kind === 'conv'
      ? referenceKernels.conv(ELL, xt, wt, conv.g, 'direct')
      : referenceKernels.convTranspose(ELL, xt, wt, conv.g);
  return { got, want: [...want.data] };
}

const CASES: readonly { what: string; conv: AnyConv; x: Shape; w: Shape }[] = [
  {
    what: '3-D conv, kernel 2×2×2, two input channels',
    conv: { kind: 'conv', g: { strides: [1, 1, 1], pads: [0, 1, 0, 0, 0, 1], dilations: [1, 1, 1], groups: 1 } },
    x: [1, 2, 3, 3, 3],
    w: [2, 2, 2, 2, 2],
  },
  {
    what: '3-D conv, two groups of two channels, kernel depth 2',
    conv: { kind: 'conv', g: { strides: [1, 2, 1], pads: [0, 0, 0, 0, 0, 0], dilations: [1, 1, 1], groups: 2 } },
    x: [1, 4, 3, 3, 2],
    w: [2, 2, 2, 2, 1],
  },
  {
    what: '2-D transposed conv, two groups of two input channels',
    conv: {
      kind: 'transpose',
      g: { strides: [2, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 2, outputPadding: [0, 0] },
    },
    x: [1, 4, 2, 3],
    w: [4, 3, 2, 2],
  },
  {
    what: '3-D transposed conv, two groups of two input channels, kernel depth 2',
    conv: {
      kind: 'transpose',
      g: { strides: [1, 1, 1], pads: [0, 0, 0, 0, 0, 0], dilations: [1, 1, 1], groups: 2, outputPadding: [0, 0, 0] },
    },
    x: [1, 4, 2, 2, 2],
    w: [4, 1, 2, 2, 2],
  },
  {
    what: '2-D grouped conv, batch 2, padding and dilation',
    conv: { kind: 'conv', g: { strides: [1, 1], pads: [1, 0, 1, 1], dilations: [2, 1], groups: 2 } },
    x: [2, 4, 4, 4],
    w: [4, 2, 2, 2],
  },
];

describe('secure convolutions in the corners of the im2col gathers', () => {
  for (const form of ['im2col', 'reshaped'] as const) {
    it.each(CASES)(`${form}: $what`, async ({ conv, x, w }) => {
      const { got, want } = await secureConv(conv, x, w, form);
      expect(got).toEqual(want);
    });
  }
});
