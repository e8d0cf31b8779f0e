/**
 * Secret × secret linear layers of Porthos and SecureNN as Beaver products (protocols/securenn-family/beaver.ts)
 * over the right bilinear map, and the convolution forms (CrypTFlow §5.1):
 *
 * - reshaped triple: the masks sit on the un-reshaped input and filter (A shaped like X, B like W,
 *   C = conv(A, B)); the opened E = X − A and F = W − B are convolved locally (padding included) — the
 *   opened volume is the input plus the filter;
 * - im2col: each party reshapes its share into patch matrices locally (a public gather, zeros for
 *   padding) and the parties run a Beaver MatMul on filter matrix × patch matrix — the opened volume
 *   is the filter plus every patch (each input cell repeated once per tap that reads it).
 * Both reconstruct to the same ring values: they are the same bilinear map in two coordinates.
 * Transposed convolutions use the same two forms, with the transposed tap map.
 */
import { bug } from '../../spec/errors.js';
import type { ConvGeometry, ConvTransposeGeometry, Shape } from '../../spec/geometry.js';
import { convPlan, convTransposePlan, type ConvPlan } from '../../semantics/kernels/geometry.js';
import { directMap, transposedMap, type GatherMap } from '../../semantics/kernels/gather.js';
import type { RingKernels } from '../../semantics/kernels/types.js';
import { broadcastPair } from '../../semantics/tensor.js';
import type { ConvSizes } from '../../spec/cost/linear.js';
import { gather } from '../../semantics/kernels/words.js';
import { beaverHelper, beaverHolder, type Bilinear } from './beaver.js';
import { type HelperContext, type HolderContext } from '../common/party.js';
import { asShare, type RingShare, type Shared } from '../common/sharing.js';

export type ConvForm = 'reshaped' | 'im2col';

function productMap(ell: number, k: RingKernels, aShape: Shape, bShape: Shape, outSize: number): Bilinear {
  return {
    xSize: aShape.reduce((p, d) => p * d, 1),
    ySize: bShape.reduce((p, d) => p * d, 1),
    zSize: outSize,
    apply: (x, y) => {
      const e = broadcastPair(x, aShape, y, bShape);
      return k.mul(ell, e.a, e.b);
    },
  };
}

function matmulMap(ell: number, k: RingKernels, m: number, kk: number, n: number): Bilinear {
  return { xSize: m * kk, ySize: kk * n, zSize: m * n, apply: (x, y) => k.matmul(ell, x, y, m, kk, n) };
}

/** P2's part of a ⊙ b: it knows the shapes only. */
export function productHelper(ctx: HelperContext, k: RingKernels, aShape: Shape, bShape: Shape, outSize: number): void {
  beaverHelper(ctx, productMap(ctx.ell, k, aShape, bShape, outSize));
}

/** A holder's share of a ⊙ b from its shares of a and b. */
export function productHolder(
  ctx: HolderContext,
  k: RingKernels,
  a: Shared,
  b: Shared,
  outSize: number,
): Promise<RingShare> {
  return beaverHolder(ctx, productMap(ctx.ell, k, a.shape, b.shape, outSize), a.share, b.share);
}

/** P2's part of an m × kk by kk × n product. */
export function matmulHelper(ctx: HelperContext, k: RingKernels, m: number, kk: number, n: number): void {
  beaverHelper(ctx, matmulMap(ctx.ell, k, m, kk, n));
}

/** A holder's share of an m × kk by kk × n product from its shares of the factors. */
export function matmulHolder(
  ctx: HolderContext,
  k: RingKernels,
  a: RingShare,
  b: RingShare,
  m: number,
  kk: number,
  n: number,
): Promise<RingShare> {
  return beaverHolder(ctx, matmulMap(ctx.ell, k, m, kk, n), a, b);
}

type AnyConv =
  | { readonly kind: 'conv'; readonly g: ConvGeometry }
  | { readonly kind: 'transpose'; readonly g: ConvTransposeGeometry };

function planOf(c: AnyConv, xShape: Shape, wShape: Shape): { plan: ConvPlan; map: GatherMap } {
  const x = { shape: xShape, data: { length: xShape.reduce((p, d) => p * d, 1) } };
  const w = { shape: wShape, data: { length: wShape.reduce((p, d) => p * d, 1) } };
  const plan = c.kind === 'conv' ? convPlan(x, w, c.g) : convTransposePlan(x, w, c.g);
  return { plan, map: c.kind === 'conv' ? directMap(plan) : transposedMap(plan) };
}

/** Sizes of the two forms (spec/cost/linear.ts). */
export function convSizes(c: AnyConv, xShape: Shape, wShape: Shape): ConvSizes {
  const { plan } = planOf(c, xShape, wShape);
  const vol = (t: readonly number[]): number => t.reduce((p, d) => p * d, 1);
  return {
    inputSize: vol(xShape),
    filterSize: vol(wShape),
    outputSize: vol(plan.outShape),
    co: plan.co,
    groups: plan.groups,
    tapsPerGroup: (plan.ci / plan.groups) * vol(plan.ker),
    positions: plan.n * vol(plan.out),
  };
}

/**
 * The public gathers of the im2col form: `patch[g·K_g·P + r·P + p]` = the input index feeding tap r
 * of group g at position p (−1 for padding), and `filter[o·K_g + r]` = the weight index of tap r of
 * output channel o.
 */
function im2colIndex(
  plan: ConvPlan,
  map: GatherMap,
): { patch: Int32Array; filter: Int32Array; taps: number; positions: number } {
  const [ID, IH, IW] = plan.inp;
  const [KD, KH, KW] = plan.ker;
  const [OD, OH, OW] = plan.out;
  const cig = plan.ci / plan.groups;
  const cog = plan.co / plan.groups;
  const kvol = KD * KH * KW;
  const taps = cig * kvol;
  const positions = plan.n * OD * OH * OW;
  const patch = new Int32Array(plan.groups * taps * positions).fill(-1);
  for (let g = 0; g < plan.groups; g++) {
    for (let c = 0; c < cig; c++) {
      for (let kd = 0; kd < KD; kd++) {
        for (let kh = 0; kh < KH; kh++) {
          for (let kw = 0; kw < KW; kw++) {
            const r = ((c * KD + kd) * KH + kh) * KW + kw;
            const row = (g * taps + r) * positions;
            let p = 0;
            for (let b = 0; b < plan.n; b++) {
              const plane = (b * plan.ci + g * cig + c) * ID;
              for (let od = 0; od < OD; od++) {
                const id = map.source(0, od, kd);
                for (let oh = 0; oh < OH; oh++) {
                  const ih = map.source(1, oh, kh);
                  for (let ow = 0; ow < OW; ow++, p++) {
                    const iw = map.source(2, ow, kw);
                    if (id >= 0 && ih >= 0 && iw >= 0) patch[row + p] = ((plane + id) * IH + ih) * IW + iw;
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  const filter = new Int32Array(plan.co * taps);
  for (let o = 0; o < plan.co; o++) {
    const c0 = Math.floor(o / cog) * cig;
    for (let c = 0; c < cig; c++) {
      const base = map.weightBlock(o, c0, c) * kvol;
      for (let t = 0; t < kvol; t++) filter[o * taps + c * kvol + t] = base + t;
    }
  }
  return { patch, filter, taps, positions };
}

/** The bilinear map of a convolution in the given form, and (im2col) the gathers that build its operands. */
type ConvMap = {
  readonly f: Bilinear;
  readonly outSize: number;
  readonly im2col: {
    readonly patch: Int32Array;
    readonly filter: Int32Array;
    readonly positions: number;
    readonly co: number;
    readonly n: number;
  } | null;
};

function convMap(ell: number, k: RingKernels, c: AnyConv, xShape: Shape, wShape: Shape, form: ConvForm): ConvMap {
  const { plan, map } = planOf(c, xShape, wShape);
  const outSize = plan.outShape.reduce((p, d) => p * d, 1);
  if (form === 'reshaped') {
    const f: Bilinear = {
      xSize: xShape.reduce((p, d) => p * d, 1),
      ySize: wShape.reduce((p, d) => p * d, 1),
      zSize: outSize,
      apply: (xs, ws) => {
        const xt = { shape: xShape, data: xs };
        const wt = { shape: wShape, data: ws };
        return (c.kind === 'conv' ? k.conv(ell, xt, wt, c.g, 'direct') : k.convTranspose(ell, xt, wt, c.g)).data;
      },
    };
    return { f, outSize, im2col: null };
  }
  const { patch, filter, taps, positions } = im2colIndex(plan, map);
  const G = plan.groups;
  const cog = plan.co / G;
  const f: Bilinear = {
    xSize: plan.co * taps,
    ySize: G * taps * positions,
    zSize: plan.co * positions,
    apply: (wm, pm) => {
      const z = new BigUint64Array(plan.co * positions);
      for (let g = 0; g < G; g++) {
        const part = k.matmul(
          ell,
          wm.subarray(g * cog * taps, (g + 1) * cog * taps),
          pm.subarray(g * taps * positions, (g + 1) * taps * positions),
          cog,
          taps,
          positions,
        );
        z.set(part, g * cog * positions);
      }
      return z;
    },
  };
  return { f, outSize, im2col: { patch, filter, positions, co: plan.co, n: plan.n } };
}

/** P2's part of a convolution: it knows the shapes only. */
export function convolutionHelper(
  ctx: HelperContext,
  k: RingKernels,
  c: AnyConv,
  xShape: Shape,
  wShape: Shape,
  form: ConvForm,
): void {
  beaverHelper(ctx, convMap(ctx.ell, k, c, xShape, wShape, form).f);
}

/** A holder's share of conv(X, W) (or the transposed convolution) without bias from its shares of X and W. */
export async function convolutionHolder(
  ctx: HolderContext,
  k: RingKernels,
  c: AnyConv,
  x: Shared,
  w: Shared,
  form: ConvForm,
): Promise<RingShare> {
  const { f, outSize, im2col } = convMap(ctx.ell, k, c, x.shape, w.shape, form);
  if (im2col === null) return beaverHolder(ctx, f, x.share, w.share);
  const { patch, filter, positions, co, n } = im2col;
  const z = await beaverHolder(ctx, f, asShare(gather(w.share, filter)), asShare(gather(x.share, patch)));
  // Z is CO × (N · out volume); the output is N × CO × out volume.
  const vol = positions / n;
  const out = new BigUint64Array(outSize);
  for (let o = 0; o < co; o++) {
    for (let b = 0; b < n; b++)
      out.set(z.subarray(o * positions + b * vol, o * positions + (b + 1) * vol), (b * co + o) * vol);
  }
  if (out.length !== outSize) bug('im2col output size');
  return asShare(out);
}
