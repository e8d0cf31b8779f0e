/**
 * The LLIL linear nodes of `cryptflow2-he` in the shape the coefficient packing takes (packing.ts):
 * a Conv (any number of spatial axes, groups, strides, dilations, pads) as it is, a ConvTranspose as
 * the convolution of its zero-upsampled input with the flipped filter (below), and a MatMul
 * a[m, k]·W[k, n] as a convolution with no spatial axis — batch m (the client's rows), k input
 * channels, n output channels, the filter being Wᵀ (laid out [n, k]).
 */
import type { LConv, LConvTranspose } from '../../ir/llil.js';
import { numel, type Shape } from '../../spec/geometry.js';
import { bug } from '../../spec/errors.js';
import type { ConvShape } from './packing.js';

export function convShape(
  node: Pick<LConv, 'pads' | 'strides' | 'dilations' | 'groups'>,
  x: Shape,
  w: Shape,
): ConvShape {
  const d = x.length - 2;
  if (d < 0 || w.length !== x.length) bug('convolution operand ranks');
  const input = x.slice(2);
  const kernel = w.slice(2);
  const padBegin = node.pads.slice(0, d);
  const padded = input.map((e, i) => e + (node.pads[i] as number) + (node.pads[i + d] as number));
  const output = padded.map((e, i) => {
    const span = (node.dilations[i] as number) * ((kernel[i] as number) - 1) + 1;
    return Math.floor((e - span) / (node.strides[i] as number)) + 1;
  });
  const groups = node.groups;
  return {
    batch: x[0] ?? bug('batch'),
    groups,
    cg: (x[1] ?? bug('channels')) / groups,
    mg: (w[0] ?? bug('filters')) / groups,
    input,
    padBegin,
    padded,
    kernel,
    strides: node.strides,
    dilations: node.dilations,
    output,
  };
}

export function matmulShape(m: number, k: number, n: number): ConvShape {
  return {
    batch: m,
    groups: 1,
    cg: k,
    mg: n,
    input: [],
    padBegin: [],
    padded: [],
    kernel: [],
    strides: [],
    dilations: [],
    output: [],
  };
}

/** The transpose of a rows × cols row-major matrix. */
export function transpose2(a: BigUint64Array, rows: number, cols: number): BigUint64Array {
  const out = new BigUint64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j] as bigint;
  return out;
}

/**
 * A ConvTranspose as a convolution (the gradient identity): insert s − 1 zeros between input cells
 * (extent U = s·(S − 1) + 1), pad d·(K − 1) on both sides, convolve at stride 1 and dilation d with the
 * filter flipped on every spatial axis and its channel axes swapped per group, W′[g·Mg + o, c, t] =
 * W[g·Cg + c, o, K − 1 − t]; that gives the full output (extent U + d·(K − 1)), of which ONNX keeps the
 * cells from pads_begin on (cells past the full extent, from output padding, are 0).
 */
export interface TransposedAsConv {
  readonly shape: ConvShape;
  /** The zero-upsampled input (a share), laid out [B, C, …U]. */
  upsample(x: BigUint64Array): BigUint64Array;
  /** W′ from W (laid out [G·Cg, Mg, …K]). */
  flip(w: BigUint64Array): BigUint64Array;
  /** The ONNX output (laid out [B, G·Mg, …out]) from the full one. */
  crop(full: BigUint64Array): BigUint64Array;
}

function cellsOf(extents: readonly number[]): number[][] {
  const out: number[][] = [[]];
  for (const e of extents) {
    const next: number[][] = [];
    for (const prefix of out) for (let i = 0; i < e; i++) next.push([...prefix, i]);
    out.splice(0, out.length, ...next);
  }
  return out;
}

const linearAt = (extents: readonly number[], at: readonly number[]): number =>
  extents.reduce((acc, e, i) => acc * e + (at[i] as number), 0);

export function transposedAsConv(
  node: Pick<LConvTranspose, 'pads' | 'strides' | 'dilations' | 'groups'>,
  x: Shape,
  w: Shape,
  out: Shape,
): TransposedAsConv {
  const d = x.length - 2;
  const [batch, ci] = [x[0] ?? bug('batch'), x[1] ?? bug('channels')];
  const groups = node.groups;
  const [cg, mg] = [ci / groups, w[1] ?? bug('filters')];
  const input = x.slice(2);
  const kernel = w.slice(2);
  const up = input.map((e, i) => (node.strides[i] as number) * (e - 1) + 1);
  const halo = kernel.map((k, i) => (node.dilations[i] as number) * (k - 1));
  const full = up.map((e, i) => e + (halo[i] as number));
  const shape: ConvShape = {
    batch,
    groups,
    cg,
    mg,
    input: up,
    padBegin: halo,
    padded: up.map((e, i) => e + 2 * (halo[i] as number)),
    kernel,
    strides: new Array<number>(d).fill(1),
    dilations: node.dilations,
    output: full,
  };
  const inCells = cellsOf(input);
  const taps = cellsOf(kernel);
  const outCells = cellsOf(out.slice(2));
  return {
    shape,
    upsample: (v) => {
      const [n, m] = [inCells.length, numel(up)];
      const res = new BigUint64Array(batch * ci * m);
      for (let bc = 0; bc < batch * ci; bc++)
        inCells.forEach((cell, i) => {
          res[
            bc * m +
              linearAt(
                up,
                cell.map((c, a) => c * (node.strides[a] as number)),
              )
          ] = v[bc * n + i] as bigint;
        });
      return res;
    },
    flip: (v) => {
      const res = new BigUint64Array(v.length);
      const t = taps.length;
      for (let g = 0; g < groups; g++)
        for (let o = 0; o < mg; o++)
          for (let c = 0; c < cg; c++)
            taps.forEach((tap, j) => {
              const flipped = linearAt(
                kernel,
                tap.map((e, a) => (kernel[a] as number) - 1 - e),
              );
              res[((g * mg + o) * cg + c) * t + j] = v[((g * cg + c) * mg + o) * t + flipped] as bigint;
            });
      return res;
    },
    crop: (y) => {
      const [m, n] = [numel(full), outCells.length];
      const res = new BigUint64Array(batch * groups * mg * n);
      for (let bm = 0; bm < batch * groups * mg; bm++)
        outCells.forEach((cell, i) => {
          const at = cell.map((c, a) => c + (node.pads[a] as number));
          if (at.every((v, a) => v < (full[a] as number))) res[bm * n + i] = y[bm * m + linearAt(full, at)] as bigint;
        });
      return res;
    },
  };
}
