/**
 * MaxPool, AveragePool, GlobalAveragePool → HLIL MaxPool / AvgPool / GlobalAvgPool.
 *
 * HLIL pools in floor mode. ONNX ceil_mode = 1 is lowered to floor mode over extra end padding: the
 * ceil-mode extent is ⌈(in + pads − kernel) / stride⌉ + 1, less one when that last window would start
 * in the end padding ((out − 1)·stride ≥ in + pad_begin: the rule onnxruntime and PyTorch apply), and
 * the end padding grows until floor mode gives that extent. Padded cells never win a max and are not
 * counted by an average that excludes padding, so MaxPool and AveragePool with count_include_pad = 0
 * are unchanged by the extra cells; AveragePool with count_include_pad = 1 would count them, so that
 * combination is refused when extra cells are needed. Pooling dilations other than 1, and MaxPool's
 * second output (Indices), are refused. Windowed pools take 1 to 3 spatial axes; GlobalAveragePool
 * over more is lowered through a Reshape to one flattened spatial axis (the same cells, summed in the
 * same row-major order, so the same float result) and back.
 */
import { numel, type Shape } from '../../../../spec/geometry.js';
import type { Importer, OnnxNode } from '../context.js';
import { checkLength, onlyFirstOutput, type Lowering } from './common.js';
import { forwardPads, stridesDilations } from './window.js';

function windowed(
  ctx: Importer,
  n: OnnxNode,
): { x: Shape; kernel: number[]; strides: number[]; pads: number[]; extra: boolean } {
  const x = ctx.shape(n, 0);
  if (x.length < 3) throw ctx.shapeError(n, `x must have rank ≥ 3 (N, C, spatial…), x has rank ${x.length}`);
  if (x.length > 5)
    throw ctx.unsupported(n, `x has rank ${x.length}; 1-D, 2-D and 3-D pooling (rank 3 to 5) are supported`);
  const k = x.length - 2;
  const kernel = n.attrs.ints('kernel_shape', null);
  if (kernel === null) throw ctx.shapeError(n, 'kernel_shape is required');
  checkLength(ctx, n, 'kernel_shape', kernel, k, x);
  const { strides, dilations } = stridesDilations(ctx, n, x);
  if (dilations.some((d) => d !== 1))
    throw ctx.unsupported(n, `pooling dilations [${dilations.join(',')}] are not supported (only 1)`);
  const pads = forwardPads(ctx, n, x, kernel, strides, dilations);
  const ceil = n.attrs.int('ceil_mode', 0);
  if (ceil !== 0 && ceil !== 1) throw ctx.shapeError(n, `ceil_mode must be 0 or 1, got ${ceil}`);
  let extra = false;
  if (ceil === 1) {
    for (let i = 0; i < k; i++) {
      const [inp, kk, s, pb, pe] = [x[i + 2] ?? 1, kernel[i] ?? 1, strides[i] ?? 1, pads[i] ?? 0, pads[i + k] ?? 0];
      let out = Math.ceil((inp + pb + pe - kk) / s) + 1;
      if ((out - 1) * s >= inp + pb) out -= 1;
      const need = (out - 1) * s + kk - (inp + pb + pe);
      if (need > 0) {
        pads[i + k] = pe + need;
        extra = true;
      }
    }
  }
  return { x, kernel, strides, pads, extra };
}

export const maxPool: Lowering = (ctx, n) => {
  n.attrs.only(['auto_pad', 'ceil_mode', 'dilations', 'kernel_shape', 'pads', 'storage_order', 'strides']);
  onlyFirstOutput(ctx, n, 'the argmax Indices');
  const { kernel, strides, pads } = windowed(ctx, n);
  ctx.result(n, { op: 'MaxPool', x: ctx.data(n, 0), kernel, strides, pads });
};

export const averagePool: Lowering = (ctx, n) => {
  n.attrs.only(['auto_pad', 'ceil_mode', 'count_include_pad', 'dilations', 'kernel_shape', 'pads', 'strides']);
  const { kernel, strides, pads, extra } = windowed(ctx, n);
  const countIncludePad = n.attrs.int('count_include_pad', 0) !== 0;
  if (countIncludePad && extra) {
    throw ctx.unsupported(
      n,
      'ceil_mode = 1 with count_include_pad = 1 where the last window overhangs the padding is not supported (use count_include_pad = 0 or ceil_mode = 0)',
    );
  }
  ctx.result(n, { op: 'AvgPool', x: ctx.data(n, 0), kernel, strides, pads, countIncludePad });
};

export const globalAveragePool: Lowering = (ctx, n) => {
  n.attrs.only([]);
  const x = ctx.shape(n, 0);
  if (x.length <= 5) {
    ctx.result(n, { op: 'GlobalAvgPool', x: ctx.data(n, 0) });
    return;
  }
  const [batch, channels] = [x[0] ?? 1, x[1] ?? 1];
  const flat = ctx.step(n, { op: 'Reshape', x: ctx.data(n, 0), shape: [batch, channels, numel(x.slice(2))] }, 'flat');
  const avg = ctx.step(n, { op: 'GlobalAvgPool', x: flat }, 'mean');
  ctx.result(n, { op: 'Reshape', x: avg, shape: x.map((d, i) => (i < 2 ? d : 1)) });
};
