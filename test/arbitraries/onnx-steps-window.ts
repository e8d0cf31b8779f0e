/**
 * Random ONNX steps of the windowed operators: Conv, ConvTranspose, MaxPool, AveragePool and
 * GlobalAveragePool, with padding written explicitly or as auto_pad, strides, dilations, groups
 * (depthwise included), output_padding / output_shape and ceil_mode drawn to fit x's shape. Where
 * onnxruntime 1.23 departs from the ONNX spec (noted at each place), the generator stays on the
 * cases both agree on; the differential suite checks the others against a different oracle.
 */
import { numel } from '../../spec/geometry.js';
import {
  allOnes,
  allZeros,
  BIG,
  dim,
  divisors,
  maybe,
  node,
  type Attrs,
  type OnnxStep,
  type PadMode,
} from './onnx-steps-common.js';

export const conv: OnnxStep = (gen, x) => {
  const { c } = gen;
  const sh = x.shape;
  if (sh.length < 3 || sh.length > 5 || numel(sh) > BIG) return null;
  const k = sh.length - 2;
  const ch = dim(sh, 1);
  const groups = c.pick(divisors(ch));
  const co = groups * c.int(1, 2);
  const mode = c.pick<PadMode>(['NOTSET', 'NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER']);
  const strides: number[] = [],
    dilations: number[] = [],
    kernel: number[] = [],
    pb: number[] = [],
    pe: number[] = [],
    out: number[] = [];
  for (let i = 0; i < k; i++) {
    const inp = dim(sh, i + 2);
    const b = mode === 'NOTSET' ? c.int(0, 1) : 0,
      e = mode === 'NOTSET' ? c.int(0, 1) : 0;
    const d = mode === 'NOTSET' || mode === 'VALID' ? c.int(1, 2) : 1; // onnxruntime refuses SAME_* with dilation > 1
    const s = c.int(1, 2);
    const room = mode === 'SAME_UPPER' || mode === 'SAME_LOWER' ? 3 : Math.floor((inp + b + e - 1) / d) + 1;
    const kk = c.int(1, Math.min(3, room));
    strides.push(s);
    dilations.push(d);
    kernel.push(kk);
    pb.push(b);
    pe.push(e);
    out.push(
      mode === 'SAME_UPPER' || mode === 'SAME_LOWER'
        ? Math.ceil(inp / s)
        : Math.floor((inp + b + e - d * (kk - 1) - 1) / s) + 1,
    );
  }
  const attrs: Attrs = {};
  maybe(gen, attrs, 'auto_pad', mode, mode === 'NOTSET');
  if (mode === 'NOTSET') maybe(gen, attrs, 'pads', [...pb, ...pe], allZeros([...pb, ...pe]));
  maybe(gen, attrs, 'strides', strides, allOnes(strides));
  maybe(gen, attrs, 'dilations', dilations, allOnes(dilations));
  maybe(gen, attrs, 'group', groups, groups === 1);
  maybe(gen, attrs, 'kernel_shape', kernel, true);
  const w = gen.weight([co, ch / groups, ...kernel]);
  const b = c.bool() ? [gen.weight([co])] : [];
  return node(gen, 'Conv', [x.name, w, ...b], attrs, [dim(sh, 0), co, ...out]);
};

export const convTranspose: OnnxStep = (gen, x) => {
  const { c } = gen;
  const sh = x.shape;
  if (sh.length < 3 || sh.length > 5 || numel(sh) > 128) return null;
  const k = sh.length - 2;
  const ch = dim(sh, 1);
  const groups = c.pick(divisors(ch));
  const co = groups * c.int(1, 2);
  const kernel = Array.from({ length: k }, () => c.int(1, k === 3 ? 2 : 3));
  const strides = kernel.map(() => c.int(1, 2));
  const dilations = kernel.map(() => c.int(1, 2));
  const outputPadding = kernel.map((_, i) => c.int(0, dim(strides, i) - 1));
  const full = kernel.map(
    (kk, i) => dim(strides, i) * (dim(sh, i + 2) - 1) + dim(outputPadding, i) + dim(dilations, i) * (kk - 1) + 1,
  );
  const attrs: Attrs = {};
  let mode = c.pick(['pads', 'pads', 'valid', 'output_shape', 'same'] as const);
  const sameTotals = full.map((f, i) => f - dim(sh, i + 2) * dim(strides, i));
  if (mode === 'same' && (sameTotals.some((t) => t < 0 || t % 2 !== 0) || outputPadding.some((p) => p !== 0)))
    mode = 'pads';
  let out: number[];
  if (mode === 'same') {
    attrs['auto_pad'] = c.pick(['SAME_UPPER', 'SAME_LOWER']);
    out = sh.slice(2).map((d, i) => d * dim(strides, i));
  } else if (mode === 'output_shape') {
    out = full.map((f) => (f >= 3 && c.bool() ? f - 2 : f));
    // onnxruntime's shape inference mis-ranks a spatial-only output_shape that crops; write N, C then.
    const crops = out.some((o, i) => o !== full[i]);
    attrs['output_shape'] = !crops && c.bool() ? out : [dim(sh, 0), co, ...out];
  } else if (mode === 'valid') {
    attrs['auto_pad'] = 'VALID';
    out = full;
  } else {
    const pb = full.map((f) => (f >= 2 ? c.int(0, 1) : 0));
    const pe = full.map((f, i) => (f - dim(pb, i) >= 2 ? c.int(0, 1) : 0));
    maybe(gen, attrs, 'pads', [...pb, ...pe], allZeros([...pb, ...pe]));
    out = full.map((f, i) => f - dim(pb, i) - dim(pe, i));
  }
  maybe(gen, attrs, 'strides', strides, allOnes(strides));
  maybe(gen, attrs, 'dilations', dilations, allOnes(dilations));
  maybe(gen, attrs, 'output_padding', outputPadding, allZeros(outputPadding));
  maybe(gen, attrs, 'group', groups, groups === 1);
  maybe(gen, attrs, 'kernel_shape', kernel, true);
  const w = gen.weight([ch, co / groups, ...kernel]);
  const b = c.bool() ? [gen.weight([co])] : [];
  return node(gen, 'ConvTranspose', [x.name, w, ...b], attrs, [dim(sh, 0), co, ...out]);
};

const pool =
  (op: 'MaxPool' | 'AveragePool'): OnnxStep =>
  (gen, x) => {
    const { c } = gen;
    const sh = x.shape;
    if (sh.length < 3 || sh.length > 5 || numel(sh) > BIG) return null;
    const k = sh.length - 2;
    // onnxruntime ≤ 1.23's AveragePool-19 mis-pads 3-D SAME windows (checked at opset 18 instead).
    const sameOk = !(op === 'AveragePool' && k === 3 && gen.opset >= 19);
    const mode = c.pick<PadMode>(
      sameOk ? ['NOTSET', 'NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'] : ['NOTSET', 'VALID'],
    );
    const same = mode === 'SAME_UPPER' || mode === 'SAME_LOWER';
    let countIncludePad = op === 'AveragePool' && c.bool();
    let ceil = !same && !countIncludePad && c.int(0, 2) === 0;
    const kernel: number[] = [],
      strides: number[] = [],
      pb: number[] = [],
      pe: number[] = [];
    for (let i = 0; i < k; i++) {
      const inp = dim(sh, i + 2);
      let b = mode === 'NOTSET' ? c.int(0, 1) : 0;
      let e = mode === 'NOTSET' ? c.int(0, 1) : 0;
      if (Math.max(b, e) + 1 > Math.min(3, inp + b + e)) [b, e] = [0, 0];
      kernel.push(same ? c.int(1, 3) : c.int(Math.max(b, e) + 1, Math.min(3, inp + b + e)));
      strides.push(c.int(1, 2));
      pb.push(b);
      pe.push(e);
    }
    const extent = (i: number, withCeil: boolean): number => {
      const [inp, kk, s, b, e] = [dim(sh, i + 2), dim(kernel, i), dim(strides, i), dim(pb, i), dim(pe, i)];
      if (same) return Math.ceil(inp / s);
      return withCeil ? Math.ceil((inp + b + e - kk) / s) + 1 : Math.floor((inp + b + e - kk) / s) + 1;
    };
    // A ceil-mode window starting in the end padding is dropped (the spec; onnxruntime's kernels), but
    // onnxruntime's static shape inference keeps it and then fails downstream: the generator avoids
    // it (the differential suite tests it on single pooling nodes).
    if (ceil && kernel.some((_, i) => (extent(i, true) - 1) * dim(strides, i) >= dim(sh, i + 2) + dim(pb, i)))
      ceil = false;
    const out = kernel.map((_, i) => extent(i, ceil));
    // onnxruntime ≤ 1.23's AveragePool-19 drops end padding from the count (microsoft/onnxruntime#24681).
    if (gen.opset >= 19 && (same || pe.some((e) => e > 0))) countIncludePad = false;
    const attrs: Attrs = { kernel_shape: kernel };
    maybe(gen, attrs, 'auto_pad', mode, mode === 'NOTSET');
    if (mode === 'NOTSET') maybe(gen, attrs, 'pads', [...pb, ...pe], allZeros([...pb, ...pe]));
    maybe(gen, attrs, 'strides', strides, allOnes(strides));
    maybe(gen, attrs, 'ceil_mode', ceil ? 1 : 0, !ceil);
    if (op === 'AveragePool') maybe(gen, attrs, 'count_include_pad', countIncludePad ? 1 : 0, !countIncludePad);
    return node(gen, op, [x.name], attrs, [dim(sh, 0), dim(sh, 1), ...out]);
  };

export const maxPool = pool('MaxPool');
export const averagePool = pool('AveragePool');

export const globalAveragePool: OnnxStep = (gen, x) => {
  const sh = x.shape;
  if (sh.length < 3 || sh.length > 5) return null; // onnxruntime pools 1 to 3 spatial axes only
  return node(gen, 'GlobalAveragePool', [x.name], {}, [dim(sh, 0), dim(sh, 1), ...sh.slice(2).map(() => 1)]);
};
