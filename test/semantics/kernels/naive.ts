/**
 * An independent float64 model of the kernels for the tests: N-dimensional index arithmetic straight
 * from the ONNX operator definitions (no 3-axis normal form, transposed convolution as a scatter), so
 * it shares no loop structure with semantics/kernels. Besides each output value it returns the sum of
 * magnitudes of the contributing terms and their count, from which float error bounds are derived.
 */
import type { ConvGeometry, ConvTransposeGeometry, PoolGeometry } from '../../../spec/geometry.js';

export interface NaiveResult {
  readonly shape: number[];
  readonly values: Float64Array;
  /** Σ |term| over the terms of each output cell. */
  readonly magnitude: Float64Array;
  /** Number of terms (products, or window cells) in each output cell. */
  readonly terms: Uint32Array;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Every multi-index of a shape in row-major order. */
export function* indices(shape: readonly number[]): Generator<number[]> {
  const n = size(shape);
  for (let flat = 0; flat < n; flat++) {
    const idx = new Array<number>(shape.length);
    let r = flat;
    for (let a = shape.length - 1; a >= 0; a--) {
      const d = shape[a] ?? 1;
      idx[a] = r % d;
      r = Math.floor(r / d);
    }
    yield idx;
  }
}

function flatIndex(shape: readonly number[], idx: readonly number[]): number {
  let f = 0;
  for (let a = 0; a < shape.length; a++) f = f * (shape[a] ?? 1) + (idx[a] ?? 0);
  return f;
}

function num(xs: readonly number[], i: number): number {
  return xs[i] ?? Number.NaN;
}

function result(shape: number[]): NaiveResult {
  const n = size(shape);
  return { shape, values: new Float64Array(n), magnitude: new Float64Array(n), terms: new Uint32Array(n) };
}

export function naiveConv(
  xShape: number[],
  x: ArrayLike<number>,
  wShape: number[],
  w: ArrayLike<number>,
  g: ConvGeometry,
): NaiveResult {
  const k = xShape.length - 2;
  const spatial = Array.from({ length: k }, (_, i) => {
    const span = num(g.dilations, i) * (num(wShape, i + 2) - 1) + 1;
    return Math.floor((num(xShape, i + 2) + num(g.pads, i) + num(g.pads, i + k) - span) / num(g.strides, i)) + 1;
  });
  const r = result([num(xShape, 0), num(wShape, 0), ...spatial]);
  const cig = num(wShape, 1);
  const cog = num(wShape, 0) / g.groups;
  for (const o of indices(r.shape)) {
    const yi = flatIndex(r.shape, o);
    const [b = 0, oc = 0] = o;
    const group = Math.floor(oc / cog);
    for (const t of indices(wShape.slice(1))) {
      const pos = t
        .slice(1)
        .map((ti, i) => num(o, i + 2) * num(g.strides, i) - num(g.pads, i) + ti * num(g.dilations, i));
      if (pos.some((p, i) => p < 0 || p >= num(xShape, i + 2))) continue;
      const xv = x[flatIndex(xShape, [b, group * cig + num(t, 0), ...pos])] ?? Number.NaN;
      const wv = w[flatIndex(wShape, [oc, ...t])] ?? Number.NaN;
      r.values[yi] = (r.values[yi] ?? 0) + xv * wv;
      r.magnitude[yi] = (r.magnitude[yi] ?? 0) + Math.abs(xv * wv);
      r.terms[yi] = (r.terms[yi] ?? 0) + 1;
    }
  }
  return r;
}

export function naiveConvTranspose(
  xShape: number[],
  x: ArrayLike<number>,
  wShape: number[],
  w: ArrayLike<number>,
  g: ConvTransposeGeometry,
): NaiveResult {
  const k = xShape.length - 2;
  const spatial = Array.from(
    { length: k },
    (_, i) =>
      num(g.strides, i) * (num(xShape, i + 2) - 1) +
      num(g.outputPadding, i) +
      num(g.dilations, i) * (num(wShape, i + 2) - 1) +
      1 -
      num(g.pads, i) -
      num(g.pads, i + k),
  );
  const cog = num(wShape, 1);
  const cig = num(xShape, 1) / g.groups;
  const r = result([num(xShape, 0), cog * g.groups, ...spatial]);
  for (const q of indices(xShape)) {
    const [b = 0, ci = 0] = q;
    const xv = x[flatIndex(xShape, q)] ?? Number.NaN;
    for (const t of indices(wShape.slice(1))) {
      const pos = t
        .slice(1)
        .map((ti, i) => num(q, i + 2) * num(g.strides, i) + ti * num(g.dilations, i) - num(g.pads, i));
      if (pos.some((p, i) => p < 0 || p >= num(spatial, i))) continue;
      const wv = w[flatIndex(wShape, [ci, ...t])] ?? Number.NaN;
      const yi = flatIndex(r.shape, [b, Math.floor(ci / cig) * cog + num(t, 0), ...pos]);
      r.values[yi] = (r.values[yi] ?? 0) + xv * wv;
      r.magnitude[yi] = (r.magnitude[yi] ?? 0) + Math.abs(xv * wv);
      r.terms[yi] = (r.terms[yi] ?? 0) + 1;
    }
  }
  return r;
}

/** Max and sum pools over unpadded cells: `values` holds the max or the sum. */
export function naivePool(xShape: number[], x: ArrayLike<number>, g: PoolGeometry, kind: 'max' | 'sum'): NaiveResult {
  const k = xShape.length - 2;
  const spatial = Array.from(
    { length: k },
    (_, i) =>
      Math.floor((num(xShape, i + 2) + num(g.pads, i) + num(g.pads, i + k) - num(g.kernel, i)) / num(g.strides, i)) + 1,
  );
  const r = result([num(xShape, 0), num(xShape, 1), ...spatial]);
  for (const o of indices(r.shape)) {
    const yi = flatIndex(r.shape, o);
    let acc = kind === 'max' ? -Infinity : 0;
    for (const t of indices([...g.kernel])) {
      const pos = t.map((ti, i) => num(o, i + 2) * num(g.strides, i) - num(g.pads, i) + ti);
      if (pos.some((p, i) => p < 0 || p >= num(xShape, i + 2))) continue;
      const v = x[flatIndex(xShape, [num(o, 0), num(o, 1), ...pos])] ?? Number.NaN;
      acc = kind === 'max' ? Math.max(acc, v) : acc + v;
      r.magnitude[yi] = (r.magnitude[yi] ?? 0) + Math.abs(v);
      r.terms[yi] = (r.terms[yi] ?? 0) + 1;
    }
    r.values[yi] = acc;
  }
  return r;
}
