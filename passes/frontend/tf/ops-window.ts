/**
 * The windowed TF operators → HLIL, all computed channels-first:
 *
 *   Conv2D, Conv3D             → Conv (filter [k…, I, O] → [O, I, k…]; groups = C / I when the
 *                                 filter has fewer input channels than x, as TF's grouped conv)
 *   DepthwiseConv2dNative      → Conv with groups = C (filter [kh, kw, C, M] → [C·M, 1, kh, kw];
 *                                 TF's output channel c·M + m is HLIL's group c, member m)
 *   Conv2DBackpropInput,
 *   Conv3DBackpropInputV2      → ConvTranspose (input_sizes gives the output extent O; the pads are
 *                                 the forward conv's pads on O, output padding makes up the rest)
 *   MaxPool(3D), AvgPool(3D)   → MaxPool, AvgPool (TF's SAME average ignores padded cells:
 *                                 countIncludePad = false)
 *   Mean over spatial axes     → GlobalAvgPool (keep_dims false: then Squeeze)
 *
 * Padding SAME/VALID/EXPLICIT becomes explicit pads (attrs.ts: TF puts SAME's odd pad at the end).
 */
import { showShape } from '../../../spec/geometry.js';
import {
  attrBool,
  refuse,
  requireChannelsLast,
  requireFloat,
  shapeError,
  spatialAttr,
  spatialPads,
  type At,
} from './attrs.js';
import { filterPerm } from './layout.js';
import { arg, cfOf, constInts, emit, helper, permutedOperand, tfShape, type OpRule } from './values.js';

function rankCheck(at: At, role: string, shape: readonly number[], rank: number): void {
  if (shape.length !== rank) throw shapeError(at, `${role} is ${showShape(shape)}, expected rank ${rank}`);
}

const dim = (s: readonly number[], i: number): number => s[i] ?? 0;

function spans(kernel: readonly number[], dilations: readonly number[]): number[] {
  return kernel.map((k, i) => dim(dilations, i) * (k - 1) + 1);
}

function conv(rank: 4 | 5): OpRule {
  return {
    arity: [2, 2],
    run: (ctx, at, ins) => {
      requireFloat(at);
      requireChannelsLast(at, rank);
      const [xv, fv] = [arg(ins, 0), arg(ins, 1)];
      const xs = tfShape(ctx, xv);
      const fs = tfShape(ctx, fv);
      rankCheck(at, 'input', xs, rank);
      rankCheck(at, 'filter', fs, rank);
      const c = dim(xs, rank - 1);
      const ci = dim(fs, rank - 2);
      if (c % ci !== 0)
        throw shapeError(
          at,
          `filter ${showShape(fs)} has ${ci} input channels, which does not divide the ${c} channels of input ${showShape(xs)}`,
        );
      const strides = spatialAttr(at, 'strides', rank);
      const dilations = spatialAttr(at, 'dilations', rank, 1);
      const pads = spatialPads(at, xs.slice(1, rank - 1), spans(fs.slice(0, rank - 2), dilations), strides);
      const x = cfOf(ctx, at, xv);
      const w = permutedOperand(ctx, at, fv, filterPerm(rank), rank === 4 ? 'oihw' : 'oidhw');
      return emit(ctx, at.node.name, 'cf', { op: 'Conv', x, w, strides, pads, dilations, groups: c / ci }, rank);
    },
  };
}

const depthwise: OpRule = {
  arity: [2, 2],
  run: (ctx, at, ins) => {
    requireFloat(at);
    requireChannelsLast(at, 4);
    const [xv, fv] = [arg(ins, 0), arg(ins, 1)];
    const xs = tfShape(ctx, xv);
    const fs = tfShape(ctx, fv);
    rankCheck(at, 'input', xs, 4);
    rankCheck(at, 'filter', fs, 4);
    const [kh, kw, c, m] = [dim(fs, 0), dim(fs, 1), dim(fs, 2), dim(fs, 3)];
    if (c !== dim(xs, 3))
      throw shapeError(at, `filter ${showShape(fs)} is for ${c} channels, input ${showShape(xs)} has ${dim(xs, 3)}`);
    const strides = spatialAttr(at, 'strides', 4);
    const dilations = spatialAttr(at, 'dilations', 4, 1);
    const pads = spatialPads(at, xs.slice(1, 3), spans([kh, kw], dilations), strides);
    const x = cfOf(ctx, at, xv);
    const w = permutedOperand(ctx, at, fv, [2, 3, 0, 1], 'oihw', [c * m, 1, kh, kw]);
    return emit(ctx, at.node.name, 'cf', { op: 'Conv', x, w, strides, pads, dilations, groups: c }, 4);
  },
};

function backpropInput(rank: 4 | 5): OpRule {
  return {
    arity: [3, 3],
    run: (ctx, at, ins) => {
      requireFloat(at);
      requireChannelsLast(at, rank);
      const [sv, fv, xv] = [arg(ins, 0), arg(ins, 1), arg(ins, 2)];
      const sizes = constInts(at, sv, 'input_sizes');
      const xs = tfShape(ctx, xv);
      const fs = tfShape(ctx, fv);
      rankCheck(at, 'out_backprop', xs, rank);
      rankCheck(at, 'filter', fs, rank);
      rankCheck(at, 'input_sizes', sizes, rank);
      if (dim(sizes, 0) !== dim(xs, 0))
        throw shapeError(at, `input_sizes ${showShape(sizes)} and out_backprop ${showShape(xs)} differ in batch`);
      if (dim(fs, rank - 2) !== dim(sizes, rank - 1) || dim(fs, rank - 1) !== dim(xs, rank - 1)) {
        throw shapeError(
          at,
          `filter ${showShape(fs)} must be [k…, ${dim(sizes, rank - 1)}, ${dim(xs, rank - 1)}] for input_sizes ${showShape(sizes)} and out_backprop ${showShape(xs)}`,
        );
      }
      const strides = spatialAttr(at, 'strides', rank);
      const dilations = spatialAttr(at, 'dilations', rank, 1);
      const span = spans(fs.slice(0, rank - 2), dilations);
      const outSpatial = sizes.slice(1, rank - 1);
      const inSpatial = xs.slice(1, rank - 1);
      const pads = spatialPads(at, outSpatial, span, strides);
      const k = rank - 2;
      const outputPadding = outSpatial.map((o, i) => {
        const [s, pb, pe, n] = [dim(strides, i), dim(pads, i), dim(pads, i + k), dim(inSpatial, i)];
        const forward = Math.floor((o + pb + pe - dim(span, i)) / s) + 1;
        if (o + pb + pe < dim(span, i) || forward !== n) {
          throw shapeError(
            at,
            `input_sizes ${showShape(sizes)} does not match out_backprop ${showShape(xs)}: a forward convolution of extent ${o} on spatial axis ${i} gives ${forward}, not ${n}`,
          );
        }
        return o - (s * (n - 1) + dim(span, i) - pb - pe);
      });
      const x = cfOf(ctx, at, xv);
      const w = permutedOperand(ctx, at, fv, filterPerm(rank), rank === 4 ? 'iohw' : 'iodhw');
      return emit(
        ctx,
        at.node.name,
        'cf',
        { op: 'ConvTranspose', x, w, strides, pads, dilations, groups: 1, outputPadding },
        rank,
      );
    },
  };
}

function pool(kind: 'MaxPool' | 'AvgPool', rank: 4 | 5): OpRule {
  return {
    arity: [1, 1],
    run: (ctx, at, ins) => {
      requireFloat(at);
      requireChannelsLast(at, rank);
      const xv = arg(ins, 0);
      const xs = tfShape(ctx, xv);
      rankCheck(at, 'input', xs, rank);
      const kernel = spatialAttr(at, 'ksize', rank);
      const strides = spatialAttr(at, 'strides', rank);
      const pads = spatialPads(at, xs.slice(1, rank - 1), kernel, strides);
      const x = cfOf(ctx, at, xv);
      const spec =
        kind === 'MaxPool'
          ? { op: kind, x, kernel, strides, pads }
          : { op: kind, x, kernel, strides, pads, countIncludePad: false };
      return emit(ctx, at.node.name, 'cf', spec, rank);
    },
  };
}

const mean: OpRule = {
  arity: [2, 2],
  run: (ctx, at, ins) => {
    requireFloat(at);
    const [xv, av] = [arg(ins, 0), arg(ins, 1)];
    const xs = tfShape(ctx, xv);
    const r = xs.length;
    const axes = [...new Set(constInts(at, av, 'reduction_indices').map((a) => (a < 0 ? a + r : a)))].sort(
      (p, q) => p - q,
    );
    const spatial = Array.from({ length: Math.max(r - 2, 0) }, (_, i) => i + 1);
    if (r < 3 || axes.length !== spatial.length || axes.some((a, i) => a !== spatial[i])) {
      throw refuse(
        at,
        `Mean over axes [${axes.join(',')}] of ${showShape(xs)}; only the spatial axes [${spatial.join(',')}] of a channels-last input (global average pooling) are supported`,
      );
    }
    const x = cfOf(ctx, at, xv);
    if (attrBool(at, 'keep_dims', false)) return emit(ctx, at.node.name, 'cf', { op: 'GlobalAvgPool', x }, r);
    const g = helper(ctx, at.node.name, 'pool', { op: 'GlobalAvgPool', x });
    return emit(ctx, at.node.name, 'tf', { op: 'Squeeze', x: g, axes: spatial.map((a) => a + 1) }, 2);
  },
};

export const windowRules: Readonly<Record<string, OpRule>> = {
  Conv2D: conv(4),
  Conv3D: conv(5),
  DepthwiseConv2dNative: depthwise,
  Conv2DBackpropInput: backpropInput(4),
  Conv3DBackpropInputV2: backpropInput(5),
  MaxPool: pool('MaxPool', 4),
  MaxPool3D: pool('MaxPool', 5),
  AvgPool: pool('AvgPool', 4),
  AvgPool3D: pool('AvgPool', 5),
  Mean: mean,
};
