/**
 * Conv and ConvTranspose (1-D, 2-D, 3-D; groups, including depthwise) → HLIL Conv / ConvTranspose,
 * whose layouts are ONNX's (spec/geometry.ts): x[N,C,…], Conv w[CO, C/group, k…], ConvTranspose
 * w[C, CO/group, k…], optional bias b[CO].
 *
 * ConvTranspose padding: explicit `pads`, VALID, or — from `output_shape` or auto_pad SAME_* (where
 * the output extent is in·stride) — the total padding
 *   total = stride·(in − 1) + output_padding + (kernel − 1)·dilation + 1 − out.
 * The spec and runtimes disagree on which side takes the odd cell of an odd total (onnx/onnx #2788,
 * microsoft/onnxruntime #9370), so an odd total is refused as 'unsupported'; an even one is split
 * evenly. A negative total (an output larger than the transposed convolution makes) is refused too,
 * and so is auto_pad SAME_* with a nonzero output_padding, whose output extent the spec and
 * onnxruntime's shape inference define differently (onnx/onnx#4299).
 * output_padding must be below the stride: the spec also allows values below the dilation, but
 * onnxruntime's results differ from the spec's there (found by the differential tests), so such a
 * model has no agreed meaning and is refused.
 */
import type { Shape } from '../../../../spec/geometry.js';
import type { Importer, OnnxNode } from '../context.js';
import { checkLength, filled, type Lowering } from './common.js';
import { autoPad, checkKernelShape, forwardPads, stridesDilations } from './window.js';

function spatialOperands(ctx: Importer, n: OnnxNode): { x: Shape; w: Shape } {
  const x = ctx.shape(n, 0);
  const w = ctx.shape(n, 1);
  if (x.length < 3 || x.length > 5)
    throw ctx.unsupported(n, `x has rank ${x.length}; 1-D, 2-D and 3-D convolutions (rank 3 to 5) are supported`);
  if (w.length !== x.length) throw ctx.shapeError(n, `w has rank ${w.length} but x has rank ${x.length}`);
  return { x, w };
}

function bias(ctx: Importer, n: OnnxNode): { b: string } | Record<string, never> {
  return ctx.optional(n, 2) === undefined ? {} : { b: ctx.data(n, 2) };
}

export const conv: Lowering = (ctx, n) => {
  n.attrs.only(['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides']);
  const { x, w } = spatialOperands(ctx, n);
  const kernel = w.slice(2);
  checkKernelShape(ctx, n, kernel);
  const { strides, dilations } = stridesDilations(ctx, n, x);
  const pads = forwardPads(ctx, n, x, kernel, strides, dilations);
  const groups = n.attrs.int('group', 1);
  ctx.result(n, {
    op: 'Conv',
    x: ctx.data(n, 0),
    w: ctx.data(n, 1),
    ...bias(ctx, n),
    strides,
    pads,
    dilations,
    groups,
  });
};

function transposePads(
  ctx: Importer,
  n: OnnxNode,
  x: Shape,
  kernel: readonly number[],
  g: { strides: number[]; dilations: number[]; outputPadding: number[] },
): number[] {
  const k = x.length - 2;
  const mode = autoPad(ctx, n);
  const written = n.attrs.ints('output_shape', null);
  let target: number[] | null = null;
  if (written !== null) {
    if (written.length !== k && written.length !== k + 2)
      throw ctx.shapeError(n, `output_shape [${written.join(',')}] must have ${k} (spatial) or ${k + 2} entries`);
    target = written.slice(written.length - k);
  } else if (mode === 'SAME_UPPER' || mode === 'SAME_LOWER') {
    if (g.outputPadding.some((p) => p !== 0)) {
      throw ctx.unsupported(
        n,
        `auto_pad ${mode} with a nonzero output_padding is not supported: the spec and runtimes disagree on the output extent (onnx/onnx#4299); write explicit pads`,
      );
    }
    target = x.slice(2).map((d, i) => d * (g.strides[i] ?? 1));
  }
  if (target === null) {
    if (mode === 'VALID') return filled(2 * k, 0);
    const pads = n.attrs.ints('pads', filled(2 * k, 0)) ?? [];
    checkLength(ctx, n, 'pads', pads, 2 * k, x);
    if (pads.some((p) => p < 0)) throw ctx.unsupported(n, `negative pads [${pads.join(',')}] are not supported`);
    return pads;
  }
  const half: number[] = [];
  for (let i = 0; i < k; i++) {
    const s = g.strides[i] ?? 1;
    const full =
      s * ((x[i + 2] ?? 1) - 1) + (g.outputPadding[i] ?? 0) + ((kernel[i] ?? 1) - 1) * (g.dilations[i] ?? 1) + 1;
    const total = full - (target[i] ?? 0);
    if (total < 0)
      throw ctx.unsupported(
        n,
        `output extent ${target[i] ?? 0} on spatial axis ${i} exceeds the ${full} the transposed convolution produces`,
      );
    if (total % 2 !== 0) {
      throw ctx.unsupported(
        n,
        `the output extent on spatial axis ${i} needs an odd total padding ${total}, whose split the ONNX spec and runtimes define differently; write explicit pads instead`,
      );
    }
    half.push(total / 2);
  }
  return [...half, ...half];
}

export const convTranspose: Lowering = (ctx, n) => {
  n.attrs.only(['auto_pad', 'dilations', 'group', 'kernel_shape', 'output_padding', 'output_shape', 'pads', 'strides']);
  const { x, w } = spatialOperands(ctx, n);
  const kernel = w.slice(2);
  checkKernelShape(ctx, n, kernel);
  const { strides, dilations } = stridesDilations(ctx, n, x);
  const outputPadding = n.attrs.ints('output_padding', filled(x.length - 2, 0)) ?? [];
  checkLength(ctx, n, 'output_padding', outputPadding, x.length - 2, x);
  const wide = outputPadding.findIndex((p, i) => p >= (strides[i] ?? 1));
  if (wide >= 0) {
    throw ctx.unsupported(
      n,
      `output_padding[${wide}] = ${outputPadding[wide] ?? 0} is not below the stride ${strides[wide] ?? 1}; the spec allows it up to the dilation, but onnxruntime computes such cells differently, so only output_padding < stride is supported`,
    );
  }
  const pads = transposePads(ctx, n, x, kernel, { strides, dilations, outputPadding });
  const groups = n.attrs.int('group', 1);
  ctx.result(n, {
    op: 'ConvTranspose',
    x: ctx.data(n, 0),
    w: ctx.data(n, 1),
    ...bias(ctx, n),
    strides,
    pads,
    dilations,
    groups,
    outputPadding,
  });
};
