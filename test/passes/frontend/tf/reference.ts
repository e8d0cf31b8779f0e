/**
 * Test oracle: TensorFlow's operators computed directly in TF's own layouts (NHWC / NDHWC tensors,
 * HWIO / DHWIO filters, HW(C·M) depthwise filters), in float64 with plain loops, from the operator
 * definitions — independent of the frontend's layout conversion and of the HLIL kernels.
 */
export interface T {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export const tensor = (shape: readonly number[], data: ArrayLike<number>): T => ({
  shape,
  data: Float64Array.from(data),
});

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) out[i] = (out[i + 1] as number) * (shape[i + 1] as number);
  return out;
}

function at(shape: readonly number[], idx: readonly number[]): number {
  const st = strides(shape);
  return idx.reduce((acc, v, i) => acc + v * (st[i] as number), 0);
}

/** Every multi-index of `shape`, row-major. */
export function indices(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  const n = size(shape);
  for (let flat = 0; flat < n; flat++) {
    const idx: number[] = [];
    let r = flat;
    for (let i = shape.length - 1; i >= 0; i--) {
      const d = shape[i] as number;
      idx.unshift(r % d);
      r = Math.floor(r / d);
    }
    out.push(idx);
  }
  return out;
}

const get = (t: T, idx: readonly number[]): number => t.data[at(t.shape, idx)] as number;

export type Padding = 'SAME' | 'VALID';

/** TF's output extents and leading pads for one op (SAME: odd pad at the end). */
export function tfWindow(
  padding: Padding,
  input: readonly number[],
  span: readonly number[],
  st: readonly number[],
): { out: number[]; begin: number[] } {
  return {
    out: input.map((n, i) =>
      padding === 'SAME'
        ? Math.ceil(n / (st[i] as number))
        : Math.floor((n - (span[i] as number)) / (st[i] as number)) + 1,
    ),
    begin: input.map((n, i) => {
      if (padding === 'VALID') return 0;
      const s = st[i] as number;
      return Math.floor(Math.max((Math.ceil(n / s) - 1) * s + (span[i] as number) - n, 0) / 2);
    }),
  };
}

export interface ConvOpts {
  readonly strides: readonly number[];
  readonly dilations?: readonly number[];
  readonly padding: Padding;
}

function window(
  x: T,
  kernel: readonly number[],
  o: ConvOpts,
): { k: number; d: readonly number[]; out: number[]; begin: number[] } {
  const k = kernel.length;
  const d = o.dilations ?? new Array<number>(k).fill(1);
  const span = kernel.map((kk, i) => (d[i] as number) * (kk - 1) + 1);
  return { k, d, ...tfWindow(o.padding, x.shape.slice(1, k + 1), span, o.strides) };
}

/** Input position of output position p, kernel offset q on each spatial axis; null when padded. */
function inPos(
  x: T,
  p: readonly number[],
  q: readonly number[],
  o: ConvOpts,
  d: readonly number[],
  begin: readonly number[],
): number[] | null {
  const pos = p.map(
    (pi, i) => pi * (o.strides[i] as number) + (q[i] as number) * (d[i] as number) - (begin[i] as number),
  );
  return pos.every((v, i) => v >= 0 && v < (x.shape[i + 1] as number)) ? pos : null;
}

/** Conv2D / Conv3D: x [N, S…, C], w [K…, C/G, CO] → [N, O…, CO] (grouped when w has fewer input channels). */
export function conv(x: T, w: T, o: ConvOpts): T {
  const kernel = w.shape.slice(0, -2);
  const { d, out, begin } = window(x, kernel, o);
  const c = x.shape[x.shape.length - 1] as number;
  const [ci, co] = w.shape.slice(-2) as [number, number];
  const groups = c / ci;
  const n = x.shape[0] as number;
  const shape = [n, ...out, co];
  const y = new Float64Array(size(shape));
  for (const idx of indices(shape)) {
    const [b, p, oc] = [idx[0] as number, idx.slice(1, -1), idx[idx.length - 1] as number];
    const g = Math.floor(oc / (co / groups));
    let acc = 0;
    for (const q of indices(kernel)) {
      const pos = inPos(x, p, q, o, d, begin);
      if (pos === null) continue;
      for (let i = 0; i < ci; i++) acc += get(x, [b, ...pos, g * ci + i]) * get(w, [...q, i, oc]);
    }
    y[at(shape, idx)] = acc;
  }
  return { shape, data: y };
}

/** DepthwiseConv2dNative: x [N, H, W, C], w [kh, kw, C, M] → [N, OH, OW, C·M], channel c·M + m. */
export function depthwise(x: T, w: T, o: ConvOpts): T {
  const kernel = w.shape.slice(0, 2);
  const { d, out, begin } = window(x, kernel, o);
  const [c, m] = w.shape.slice(2) as [number, number];
  const shape = [x.shape[0] as number, ...out, c * m];
  const y = new Float64Array(size(shape));
  for (const idx of indices(shape)) {
    const [b, p, oc] = [idx[0] as number, idx.slice(1, -1), idx[idx.length - 1] as number];
    const [ch, mm] = [Math.floor(oc / m), oc % m];
    let acc = 0;
    for (const q of indices(kernel)) {
      const pos = inPos(x, p, q, o, d, begin);
      if (pos !== null) acc += get(x, [b, ...pos, ch]) * get(w, [...q, ch, mm]);
    }
    y[at(shape, idx)] = acc;
  }
  return { shape, data: y };
}

/**
 * Conv2DBackpropInput / Conv3DBackpropInputV2: the gradient of the forward conv (of an input of
 * `sizes`) with respect to its input — every dy[i]·w[q] lands on input position i·s + q·d − begin.
 */
export function convBackpropInput(sizes: readonly number[], w: T, dy: T, o: ConvOpts): T {
  const kernel = w.shape.slice(0, -2);
  const k = kernel.length;
  const d = o.dilations ?? new Array<number>(k).fill(1);
  const span = kernel.map((kk, i) => (d[i] as number) * (kk - 1) + 1);
  const { begin } = tfWindow(o.padding, sizes.slice(1, k + 1), span, o.strides);
  const [cOut, cIn] = w.shape.slice(-2) as [number, number];
  const y = new Float64Array(size(sizes));
  for (const idx of indices(dy.shape.slice(0, -1))) {
    const [b, p] = [idx[0] as number, idx.slice(1)];
    for (const q of indices(kernel)) {
      const pos = p.map(
        (pi, i) => pi * (o.strides[i] as number) + (q[i] as number) * (d[i] as number) - (begin[i] as number),
      );
      if (!pos.every((v, i) => v >= 0 && v < (sizes[i + 1] as number))) continue;
      for (let co = 0; co < cOut; co++) {
        let acc = 0;
        for (let ci = 0; ci < cIn; ci++) acc += get(dy, [b, ...p, ci]) * get(w, [...q, co, ci]);
        const i = at(sizes, [b, ...pos, co]);
        y[i] = (y[i] ?? 0) + acc;
      }
    }
  }
  return { shape: sizes, data: y };
}

/** MaxPool / AvgPool over the window's unpadded cells (TF's SAME average divides by their count). */
export function pool(kind: 'max' | 'avg', x: T, ksize: readonly number[], o: ConvOpts): T {
  const { d, out, begin } = window(x, ksize, o);
  const c = x.shape[x.shape.length - 1] as number;
  const shape = [x.shape[0] as number, ...out, c];
  const y = new Float64Array(size(shape));
  for (const idx of indices(shape)) {
    const [b, p, ch] = [idx[0] as number, idx.slice(1, -1), idx[idx.length - 1] as number];
    const cells: number[] = [];
    for (const q of indices(ksize)) {
      const pos = inPos(x, p, q, o, d, begin);
      if (pos !== null) cells.push(get(x, [b, ...pos, ch]));
    }
    y[at(shape, idx)] = kind === 'max' ? Math.max(...cells) : cells.reduce((s, v) => s + v, 0) / cells.length;
  }
  return { shape, data: y };
}

export function matmul(a: T, b: T, ta = false, tb = false): T {
  const [m, k] = ta ? [a.shape[1] as number, a.shape[0] as number] : [a.shape[0] as number, a.shape[1] as number];
  const n = tb ? (b.shape[0] as number) : (b.shape[1] as number);
  const y = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let t = 0; t < k; t++) acc += get(a, ta ? [t, i] : [i, t]) * get(b, tb ? [j, t] : [t, j]);
      y[i * n + j] = acc;
    }
  }
  return { shape: [m, n], data: y };
}

/** NumPy broadcasting binary operator. */
export function binary(a: T, b: T, f: (x: number, y: number) => number): T {
  const r = Math.max(a.shape.length, b.shape.length);
  const pa = [...new Array<number>(r - a.shape.length).fill(1), ...a.shape];
  const pb = [...new Array<number>(r - b.shape.length).fill(1), ...b.shape];
  const shape = pa.map((da, i) => Math.max(da, pb[i] as number));
  const y = new Float64Array(size(shape));
  for (const idx of indices(shape)) {
    const ia = idx.map((v, i) => (pa[i] === 1 ? 0 : v));
    const ib = idx.map((v, i) => (pb[i] === 1 ? 0 : v));
    y[at(shape, idx)] = f(a.data[at(pa, ia)] as number, b.data[at(pb, ib)] as number);
  }
  return { shape, data: y };
}

export const add = (a: T, b: T): T => binary(a, b, (x, y) => x + y);
export const sub = (a: T, b: T): T => binary(a, b, (x, y) => x - y);
export const mul = (a: T, b: T): T => binary(a, b, (x, y) => x * y);
export const map = (a: T, f: (x: number) => number): T => ({ shape: a.shape, data: a.data.map(f) });
export const relu = (a: T): T => map(a, (x) => Math.max(x, 0));
export const relu6 = (a: T): T => map(a, (x) => Math.min(Math.max(x, 0), 6));

/** Inference batch norm over the last (channel) axis. */
export function batchNorm(x: T, scale: T, offset: T, mean: T, variance: T, eps: number): T {
  const c = x.shape[x.shape.length - 1] as number;
  return {
    shape: x.shape,
    data: x.data.map((v, i) => {
      const ch = i % c;
      return (
        ((v - (mean.data[ch] as number)) / Math.sqrt((variance.data[ch] as number) + eps)) *
          (scale.data[ch] as number) +
        (offset.data[ch] as number)
      );
    }),
  };
}

/** Mean over the spatial axes of [N, S…, C]. */
export function meanSpatial(x: T, keepDims: boolean): T {
  const [n, c] = [x.shape[0] as number, x.shape[x.shape.length - 1] as number];
  const count = size(x.shape.slice(1, -1));
  const y = new Float64Array(n * c);
  x.data.forEach((v, i) => {
    const ch = i % c;
    const b = Math.floor(i / (count * c));
    y[b * c + ch] = (y[b * c + ch] as number) + v / count;
  });
  return { shape: keepDims ? [n, ...x.shape.slice(1, -1).map(() => 1), c] : [n, c], data: y };
}

export function pad(x: T, pads: ReadonlyArray<readonly [number, number]>, value = 0): T {
  const shape = x.shape.map((d, i) => d + (pads[i]?.[0] ?? 0) + (pads[i]?.[1] ?? 0));
  const y = new Float64Array(size(shape)).fill(value);
  for (const idx of indices(x.shape))
    y[
      at(
        shape,
        idx.map((v, i) => v + (pads[i]?.[0] ?? 0)),
      )
    ] = get(x, idx);
  return { shape, data: y };
}

export function concat(xs: readonly T[], axis: number): T {
  const first = xs[0] as T;
  const shape = first.shape.map((d, i) => (i === axis ? xs.reduce((s, t) => s + (t.shape[i] as number), 0) : d));
  const y = new Float64Array(size(shape));
  let offset = 0;
  for (const t of xs) {
    for (const idx of indices(t.shape))
      y[
        at(
          shape,
          idx.map((v, i) => (i === axis ? v + offset : v)),
        )
      ] = get(t, idx);
    offset += t.shape[axis] as number;
  }
  return { shape, data: y };
}

export function argmax(x: T, axis: number): T {
  const shape = x.shape.filter((_, i) => i !== axis);
  const y = new Float64Array(size(shape));
  for (const idx of indices(shape)) {
    let best = 0;
    for (let j = 1; j < (x.shape[axis] as number); j++) {
      const full = (k: number): number[] => [...idx.slice(0, axis), k, ...idx.slice(axis)];
      if (get(x, full(j)) > get(x, full(best))) best = j;
    }
    y[at(shape, idx)] = best;
  }
  return { shape, data: y };
}

export function softmaxLast(x: T): T {
  const c = x.shape[x.shape.length - 1] as number;
  const y = new Float64Array(x.data.length);
  for (let row = 0; row < x.data.length / c; row++) {
    const xs = Array.from(x.data.slice(row * c, (row + 1) * c));
    const m = Math.max(...xs);
    const e = xs.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    e.forEach((v, j) => (y[row * c + j] = v / s));
  }
  return { shape: x.shape, data: y };
}

/** Transpose (out axis i = in axis perm[i]) — for writing a model's weights in another layout. */
export function permuteT(x: T, perm: readonly number[]): T {
  const shape = perm.map((p) => x.shape[p] as number);
  const y = new Float64Array(x.data.length);
  for (const idx of indices(x.shape))
    y[
      at(
        shape,
        perm.map((p) => idx[p] as number),
      )
    ] = get(x, idx);
  return { shape, data: y };
}
