/**
 * Kernel geometry: validation of convolution and pooling arguments, and their normal form.
 *
 * Every kernel (ring reference, ring wasm, float) first turns its arguments into a plan with exactly
 * three spatial axes D, H, W: a 1-D problem [L] becomes [1, 1, L] and a 2-D problem [H, W] becomes
 * [1, H, W], the added axes having extent 1, stride 1, dilation 1 and no padding. One loop nest then
 * serves 1-D, 2-D and 3-D, and the result is reshaped back to the caller's rank.
 *
 * Invalid geometry (wrong ranks, channel counts that do not divide by the group count, non-positive
 * strides, a kernel wider than the padded input, data whose length is not the shape's size) is an
 * expected failure: a `CryptflowError` with code 'shape' naming the shapes and axes, never values.
 */
import { CryptflowError } from '../../spec/errors.js';
import {
  convOutputSpatial,
  convTransposeOutputSpatial,
  numel,
  poolOutputSpatial,
  showShape,
  type ConvGeometry,
  type ConvTransposeGeometry,
  type PoolGeometry,
  type Shape,
} from '../../spec/geometry.js';

export type Triple = readonly [number, number, number];

/** A convolution (or transposed convolution) with three spatial axes. */
export interface ConvPlan {
  readonly n: number;
  readonly ci: number;
  readonly co: number;
  readonly groups: number;
  /** Input, kernel and output extents over D, H, W. */
  readonly inp: Triple;
  readonly ker: Triple;
  readonly out: Triple;
  readonly strides: Triple;
  readonly dilations: Triple;
  /** Begin pads over D, H, W (end pads only shape the output extent). */
  readonly padBegin: Triple;
  /** The caller's output shape (rank 3, 4 or 5). */
  readonly outShape: Shape;
}

/** A pooling window with three spatial axes, over n·c independent planes. */
export interface PoolPlan {
  readonly planes: number;
  readonly inp: Triple;
  readonly ker: Triple;
  readonly out: Triple;
  readonly strides: Triple;
  readonly padBegin: Triple;
  readonly outShape: Shape;
}

function shapeError(message: string): CryptflowError {
  return new CryptflowError('shape', message);
}

function at(xs: readonly number[], i: number): number {
  const v = xs[i];
  if (v === undefined) throw shapeError(`missing entry ${i} in a list of length ${xs.length}`);
  return v;
}

function checkInts(what: string, xs: readonly number[], len: number, min: number): void {
  if (xs.length !== len) throw shapeError(`${what} must have ${len} entries, got ${xs.length}`);
  xs.forEach((v, i) => {
    if (!Number.isSafeInteger(v) || v < min)
      throw shapeError(`${what}[${i}] must be an integer ≥ ${min}, got ${String(v)}`);
  });
}

/** Rank 3, 4 or 5 (N × C × 1–3 spatial axes) with positive integer extents; returns the spatial rank. */
function spatialRank(what: string, shape: Shape): number {
  if (shape.length < 3 || shape.length > 5) {
    throw shapeError(`${what} ${showShape(shape)} must have rank 3, 4 or 5 (N × C × 1–3 spatial axes)`);
  }
  checkInts(`${what} shape`, shape, shape.length, 1);
  return shape.length - 2;
}

/** Data length must match the shape (used by every kernel on every tensor argument). */
export function checkLength(what: string, shape: Shape, length: number): void {
  const want = numel(shape);
  if (length !== want) throw shapeError(`${what} ${showShape(shape)} needs ${want} entries, got ${length}`);
}

/** [a], [a, b] or [a, b, c] padded on the left with `fill` to three entries. */
export function toTriple(xs: readonly number[], fill: number): Triple {
  const k = xs.length;
  return [k >= 3 ? at(xs, k - 3) : fill, k >= 2 ? at(xs, k - 2) : fill, at(xs, k - 1)];
}

function checkConvCommon(xShape: Shape, wShape: Shape, g: ConvGeometry): number {
  const k = spatialRank('input', xShape);
  spatialRank('weight', wShape);
  if (wShape.length !== xShape.length) {
    throw shapeError(`weight ${showShape(wShape)} and input ${showShape(xShape)} must have the same rank`);
  }
  checkInts('strides', g.strides, k, 1);
  checkInts('dilations', g.dilations, k, 1);
  checkInts('pads', g.pads, 2 * k, 0);
  if (!Number.isSafeInteger(g.groups) || g.groups < 1)
    throw shapeError(`groups must be a positive integer, got ${String(g.groups)}`);
  return k;
}

/** Conv: x N × CI × s…, w CO × CI/groups × k…  →  N × CO × out… (ONNX Conv). */
export function convPlan(x: SizedTensor, w: SizedTensor, g: ConvGeometry): ConvPlan {
  const [xShape, wShape] = [x.shape, w.shape];
  checkConvCommon(xShape, wShape, g);
  const [n, ci] = [at(xShape, 0), at(xShape, 1)];
  const [co, cig] = [at(wShape, 0), at(wShape, 1)];
  if (ci % g.groups !== 0 || co % g.groups !== 0) {
    throw shapeError(`conv: input channels ${ci} and output channels ${co} must both divide by groups ${g.groups}`);
  }
  if (cig !== ci / g.groups) {
    throw shapeError(`conv: weight ${showShape(wShape)} axis 1 must be input channels / groups = ${ci / g.groups}`);
  }
  const out = convOutputSpatial(xShape.slice(2), wShape.slice(2), g);
  checkLength('conv input', xShape, x.data.length);
  checkLength('conv weight', wShape, w.data.length);
  return planRecord(x.shape, w.shape, g, { n, ci, co, out });
}

/** A tensor as the plans see it: its shape and how many entries it holds (validated together). */
export interface SizedTensor {
  readonly shape: Shape;
  readonly data: { readonly length: number };
}

function planRecord(
  xShape: Shape,
  wShape: Shape,
  g: ConvGeometry,
  d: { n: number; ci: number; co: number; out: readonly number[] },
): ConvPlan {
  const k = xShape.length - 2;
  return {
    n: d.n,
    ci: d.ci,
    co: d.co,
    groups: g.groups,
    inp: toTriple(xShape.slice(2), 1),
    ker: toTriple(wShape.slice(2), 1),
    out: toTriple(d.out, 1),
    strides: toTriple(g.strides, 1),
    dilations: toTriple(g.dilations, 1),
    padBegin: toTriple(g.pads.slice(0, k), 0),
    outShape: [d.n, d.co, ...d.out],
  };
}

/**
 * ConvTranspose: x N × CI × s…, w CI × CO/groups × k…  →  N × CO × out… (ONNX ConvTranspose, with
 * explicit pads; output_padding must be below the stride or the dilation on each axis, as in ONNX).
 */
export function convTransposePlan(x: SizedTensor, w: SizedTensor, g: ConvTransposeGeometry): ConvPlan {
  const [xShape, wShape] = [x.shape, w.shape];
  const k = checkConvCommon(xShape, wShape, g);
  checkInts('output_padding', g.outputPadding, k, 0);
  g.outputPadding.forEach((op, i) => {
    if (op >= Math.max(at(g.strides, i), at(g.dilations, i))) {
      throw shapeError(
        `transposed convolution: output_padding ${op} on spatial axis ${i} must be below the stride or the dilation`,
      );
    }
  });
  const [n, ci] = [at(xShape, 0), at(xShape, 1)];
  const [wci, cog] = [at(wShape, 0), at(wShape, 1)];
  if (ci % g.groups !== 0)
    throw shapeError(`transposed convolution: input channels ${ci} must divide by groups ${g.groups}`);
  if (wci !== ci) {
    throw shapeError(`transposed convolution: weight ${showShape(wShape)} axis 0 must be the input channels ${ci}`);
  }
  const out = convTransposeOutputSpatial(xShape.slice(2), wShape.slice(2), g);
  checkLength('transposed convolution input', xShape, x.data.length);
  checkLength('transposed convolution weight', wShape, w.data.length);
  const co = cog * g.groups;
  return planRecord(x.shape, w.shape, g, { n, ci, co, out });
}

/** Pooling over N × C × s…; each pad must be below the window extent (as ONNX runtimes require). */
export function poolPlan(xShape: Shape, g: PoolGeometry): PoolPlan {
  const k = spatialRank('input', xShape);
  checkInts('kernel_shape', g.kernel, k, 1);
  checkInts('strides', g.strides, k, 1);
  checkInts('pads', g.pads, 2 * k, 0);
  g.pads.forEach((p, i) => {
    if (p >= at(g.kernel, i % k))
      throw shapeError(`pooling: pad ${p} at position ${i} must be below the window extent on its axis`);
  });
  const out = poolOutputSpatial(xShape.slice(2), g);
  return {
    planes: at(xShape, 0) * at(xShape, 1),
    inp: toTriple(xShape.slice(2), 1),
    ker: toTriple(g.kernel, 1),
    out: toTriple(out, 1),
    strides: toTriple(g.strides, 1),
    padBegin: toTriple(g.pads.slice(0, k), 0),
    outShape: [at(xShape, 0), at(xShape, 1), ...out],
  };
}

/** Number of output cells of a plan's spatial volume. */
export function volume(t: Triple): number {
  return t[0] * t[1] * t[2];
}

/**
 * Visit every pooled output cell in row-major order with the flat input indices of its window's
 * unpadded cells (window in row-major order). Shared by the max and sum pools of every kernel set.
 */
export function forEachWindow(p: PoolPlan, visit: (outIndex: number, cells: readonly number[]) => void): void {
  const [ID, IH, IW] = p.inp;
  const cells: number[] = [];
  let yi = 0;
  for (let plane = 0; plane < p.planes; plane++) {
    for (let od = 0; od < p.out[0]; od++) {
      for (let oh = 0; oh < p.out[1]; oh++) {
        for (let ow = 0; ow < p.out[2]; ow++) {
          cells.length = 0;
          for (let kd = 0; kd < p.ker[0]; kd++) {
            const id = od * p.strides[0] - p.padBegin[0] + kd;
            if (id < 0 || id >= ID) continue;
            for (let kh = 0; kh < p.ker[1]; kh++) {
              const ih = oh * p.strides[1] - p.padBegin[1] + kh;
              if (ih < 0 || ih >= IH) continue;
              for (let kw = 0; kw < p.ker[2]; kw++) {
                const iw = ow * p.strides[2] - p.padBegin[2] + kw;
                if (iw < 0 || iw >= IW) continue;
                cells.push(((plane * ID + id) * IH + ih) * IW + iw);
              }
            }
          }
          visit(yi++, cells);
        }
      }
    }
  }
}

/**
 * For AvgPool with count_include_pad = 0: the number of unpadded input cells in each output window.
 * The result is aligned with the pooled output (length numel(output shape), row-major N × C × out…),
 * so `avg[i] = sum[i] / counts[i]`. Each count is ≥ 1 because pads are below the window extent.
 */
export function poolWindowCounts(shape: Shape, g: PoolGeometry): Uint32Array {
  const p = poolPlan(shape, g);
  const covered = (o: number, a: 0 | 1 | 2): number => {
    const start = o * p.strides[a] - p.padBegin[a];
    return Math.min(start + p.ker[a], p.inp[a]) - Math.max(start, 0);
  };
  const spatial = new Uint32Array(volume(p.out));
  let idx = 0;
  for (let od = 0; od < p.out[0]; od++) {
    for (let oh = 0; oh < p.out[1]; oh++) {
      for (let ow = 0; ow < p.out[2]; ow++) spatial[idx++] = covered(od, 0) * covered(oh, 1) * covered(ow, 2);
    }
  }
  const counts = new Uint32Array(p.planes * spatial.length);
  for (let c = 0; c < p.planes; c++) counts.set(spatial, c * spatial.length);
  return counts;
}
