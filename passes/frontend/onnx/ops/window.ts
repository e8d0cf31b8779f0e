/**
 * The window attributes of Conv, ConvTranspose, MaxPool and AveragePool: strides, dilations and the
 * explicit padding HLIL stores, resolved from ONNX's `pads` / `auto_pad` (ONNX Operators.md):
 *   NOTSET      pads as written (default 0), [begin_1 … begin_k, end_1 … end_k];
 *   VALID       no padding;
 *   SAME_UPPER  out = ⌈in / stride⌉, total = max(0, (out − 1)·stride + (kernel − 1)·dilation + 1 − in),
 *               begin = ⌊total / 2⌋, end = total − begin (the odd cell at the end);
 *   SAME_LOWER  the same total, begin = ⌈total / 2⌉ (the odd cell at the beginning).
 * Writing both `auto_pad` (other than NOTSET) and `pads` is refused: the spec forbids it.
 */
import type { Shape } from '../../../../spec/geometry.js';
import type { Importer, OnnxNode } from '../context.js';
import { checkLength, filled } from './common.js';

export interface Window {
  readonly strides: number[];
  readonly dilations: number[];
  readonly pads: number[];
}

export const AUTO_PADS = ['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'] as const;

export function autoPad(ctx: Importer, n: OnnxNode): (typeof AUTO_PADS)[number] {
  const a = n.attrs.string('auto_pad', 'NOTSET');
  const found = AUTO_PADS.find((p) => p === a);
  if (found === undefined)
    throw ctx.unsupported(n, `auto_pad '${a}' is not supported (supported: ${AUTO_PADS.join(', ')})`);
  if (found !== 'NOTSET' && n.attrs.has('pads'))
    throw ctx.unsupported(n, `auto_pad ${found} together with explicit pads is not allowed; write one of them`);
  return found;
}

/** Strides and dilations (default 1 on each of the k spatial axes of x), checked for length. */
export function stridesDilations(ctx: Importer, n: OnnxNode, x: Shape): { strides: number[]; dilations: number[] } {
  const k = x.length - 2;
  const strides = n.attrs.ints('strides', filled(k, 1)) ?? [];
  const dilations = n.attrs.ints('dilations', filled(k, 1)) ?? [];
  checkLength(ctx, n, 'strides', strides, k, x);
  checkLength(ctx, n, 'dilations', dilations, k, x);
  const bad = [...strides, ...dilations].find((v) => v < 1);
  if (bad !== undefined) throw ctx.shapeError(n, `strides and dilations must be ≥ 1, got ${bad}`);
  return { strides, dilations };
}

/** Explicit pads of a forward window (Conv, pooling) over the spatial extents of x. */
export function forwardPads(
  ctx: Importer,
  n: OnnxNode,
  x: Shape,
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
): number[] {
  const k = x.length - 2;
  const mode = autoPad(ctx, n);
  if (mode === 'VALID') return filled(2 * k, 0);
  if (mode === 'NOTSET') {
    const pads = n.attrs.ints('pads', filled(2 * k, 0)) ?? [];
    checkLength(ctx, n, 'pads', pads, 2 * k, x);
    if (pads.some((p) => p < 0)) throw ctx.unsupported(n, `negative pads [${pads.join(',')}] are not supported`);
    return pads;
  }
  const begin: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < k; i++) {
    const inp = x[i + 2] ?? 1;
    const s = strides[i] ?? 1;
    const out = Math.ceil(inp / s);
    const total = Math.max(0, (out - 1) * s + ((kernel[i] ?? 1) - 1) * (dilations[i] ?? 1) + 1 - inp);
    const small = Math.floor(total / 2);
    begin.push(mode === 'SAME_UPPER' ? small : total - small);
    end.push(mode === 'SAME_UPPER' ? total - small : small);
  }
  return [...begin, ...end];
}

/** kernel_shape, when written, must agree with the kernel the weights (or the op) imply. */
export function checkKernelShape(ctx: Importer, n: OnnxNode, kernel: readonly number[]): void {
  const ks = n.attrs.ints('kernel_shape', null);
  if (ks !== null && (ks.length !== kernel.length || ks.some((v, i) => v !== kernel[i]))) {
    throw ctx.shapeError(n, `kernel_shape [${ks.join(',')}] disagrees with the weights' kernel [${kernel.join(',')}]`);
  }
}
