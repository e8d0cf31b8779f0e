/**
 * Layout and elementwise helpers shared by the float (HLIL) and the fixed (LLIL) semantics.
 *
 * Every data-movement operator is written once as an index map: an `Int32Array` giving, for each
 * output cell in row-major order, the row-major index of the input cell it copies (−1 for a cell that
 * takes a fill value, as padding does). `gather` then applies the map to any element type, so the
 * float32 and the Z_2^ℓ semantics move data in exactly the same way and only arithmetic differs.
 *
 * Conventions: shapes are row-major (spec/geometry.ts); axes are normalised, 0 ≤ axis < rank, as the IR
 * stores them; broadcasting is NumPy/ONNX multidirectional broadcasting. Reshape, Flatten and Squeeze
 * change only the shape, never the data. Shape errors name shapes and axes, never values.
 */
import { CryptflowError } from '../spec/errors.js';
import { broadcastShapes, numel, showShape, stridesOf, type PoolGeometry, type Shape } from '../spec/geometry.js';
import { gather as gatherWords } from './kernels/words.js';

export type Elems = Float32Array | BigUint64Array;
export type ElemOf<A extends Elems> = A extends BigUint64Array ? bigint : number;

interface Indexed<E> {
  [i: number]: E;
  readonly length: number;
}

function view<A extends Elems>(a: A): Indexed<ElemOf<A>> {
  return a as unknown as Indexed<ElemOf<A>>;
}

/** A fresh array of the same element type as `like`, of length n. */
export function alloc<A extends Elems>(like: A, n: number): A {
  return (like instanceof BigUint64Array ? new BigUint64Array(n) : new Float32Array(n)) as A;
}

/** out[i] = src[idx[i]], or `fill` where idx[i] = −1. */
export function gather<A extends Elems>(src: A, idx: Int32Array, fill: ElemOf<A>): A {
  if (src instanceof BigUint64Array && typeof fill === 'bigint') return gatherWords(src, idx, fill) as A;
  const out = alloc(src, idx.length);
  const o = view(out);
  const s = view(src);
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i] as number;
    o[i] = j < 0 ? fill : (s[j] as ElemOf<A>);
  }
  return out;
}

function shapeError(message: string): CryptflowError {
  return new CryptflowError('shape', message);
}

/** Source index of every cell of `to` when `from` is broadcast to it (NumPy/ONNX rules). */
export function broadcastIndex(from: Shape, to: Shape): Int32Array {
  const r = to.length;
  const bc = broadcastShapes(from, to);
  if (from.length > r || bc === null || bc.some((d, i) => d !== to[i])) {
    throw shapeError(`shape ${showShape(from)} does not broadcast to ${showShape(to)}`);
  }
  const fromStrides = stridesOf(from);
  const eff = to.map((_, i) => {
    const j = i - (r - from.length);
    return j < 0 || from[j] === 1 ? 0 : (fromStrides[j] as number);
  });
  return walk(to, eff);
}

/** Both operands of a broadcasting binary operator, expanded to the common shape. */
export function broadcastPair<A extends Elems>(
  a: A,
  aShape: Shape,
  b: A,
  bShape: Shape,
): { readonly shape: Shape; readonly a: A; readonly b: A } {
  const shape = broadcastShapes(aShape, bShape);
  if (shape === null) throw shapeError(`shapes ${showShape(aShape)} and ${showShape(bShape)} do not broadcast`);
  const zero = (a instanceof BigUint64Array ? 0n : 0) as ElemOf<A>;
  const ea =
    numel(aShape) === numel(shape) && aShape.length === shape.length
      ? a
      : gather(a, broadcastIndex(aShape, shape), zero);
  const eb =
    numel(bShape) === numel(shape) && bShape.length === shape.length
      ? b
      : gather(b, broadcastIndex(bShape, shape), zero);
  return { shape, a: ea, b: eb };
}

/** For x[N, C, …] and a per-channel vector b[C]: the channel of every cell of x. */
export function channelIndex(xShape: Shape): Int32Array {
  if (xShape.length < 2) throw shapeError(`per-channel operand needs x of rank ≥ 2, x is ${showShape(xShape)}`);
  const c = xShape[1] as number;
  const inner = numel(xShape.slice(2));
  const n = numel(xShape);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = Math.floor(i / inner) % c;
  return idx;
}

/** Transpose: output axis i is input axis perm[i]. */
export function transposeIndex(
  shape: Shape,
  perm: readonly number[],
): { readonly shape: Shape; readonly idx: Int32Array } {
  const r = shape.length;
  if (perm.length !== r || new Set(perm).size !== r || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= r)) {
    throw shapeError(`perm [${perm.join(',')}] is not a permutation of the axes of ${showShape(shape)}`);
  }
  const outShape = perm.map((p) => shape[p] as number);
  const inStrides = stridesOf(shape);
  const eff = perm.map((p) => inStrides[p] as number);
  return { shape: outShape, idx: walk(outShape, eff) };
}

/**
 * Constant padding; pads = [begin_0 … begin_{r−1}, end_0 … end_{r−1}] over all r axes. Padded cells
 * get index −1.
 */
export function padIndex(shape: Shape, pads: readonly number[]): { readonly shape: Shape; readonly idx: Int32Array } {
  const r = shape.length;
  if (pads.length !== 2 * r || pads.some((p) => !Number.isInteger(p) || p < 0)) {
    throw shapeError(`pads must be ${2 * r} non-negative integers for x ${showShape(shape)}`);
  }
  const outShape = shape.map((d, i) => d + (pads[i] as number) + (pads[i + r] as number));
  const inStrides = stridesOf(shape);
  const n = numel(outShape);
  const idx = new Int32Array(n);
  const outStrides = stridesOf(outShape);
  for (let i = 0; i < n; i++) {
    let src = 0;
    let rest = i;
    for (let ax = 0; ax < r && src >= 0; ax++) {
      const os = outStrides[ax] as number;
      const p = Math.floor(rest / os) - (pads[ax] as number);
      rest %= os;
      if (p < 0 || p >= (shape[ax] as number)) src = -1;
      else src += p * (inStrides[ax] as number);
    }
    idx[i] = src;
  }
  return { shape: outShape, idx };
}

/** Row-major walk of `shape`: the source index advances by eff[ax] along output axis ax. */
function walk(shape: Shape, eff: readonly number[]): Int32Array {
  const r = shape.length;
  const n = numel(shape);
  const idx = new Int32Array(n);
  const pos = new Array<number>(r).fill(0);
  let src = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = src;
    for (let ax = r - 1; ax >= 0; ax--) {
      const p = (pos[ax] as number) + 1;
      if (p < (shape[ax] as number)) {
        pos[ax] = p;
        src += eff[ax] as number;
        break;
      }
      pos[ax] = 0;
      src -= (p - 1) * (eff[ax] as number);
    }
  }
  return idx;
}

/** Concatenation along `axis`; all other extents must agree. */
export function concat<A extends Elems>(
  parts: ReadonlyArray<{ readonly shape: Shape; readonly data: A }>,
  axis: number,
): { readonly shape: Shape; readonly data: A } {
  const first = parts[0];
  if (first === undefined) throw shapeError('Concat needs at least one operand');
  const r = first.shape.length;
  if (!Number.isInteger(axis) || axis < 0 || axis >= r)
    throw shapeError(`axis ${axis} is out of range for ${showShape(first.shape)}`);
  for (const p of parts) {
    if (p.shape.length !== r || p.shape.some((d, j) => j !== axis && d !== first.shape[j])) {
      throw shapeError(`Concat operands ${showShape(p.shape)} and ${showShape(first.shape)} differ off axis ${axis}`);
    }
  }
  const outer = numel(first.shape.slice(0, axis));
  const inner = numel(first.shape.slice(axis + 1));
  const total = parts.reduce((acc, p) => acc + (p.shape[axis] as number), 0);
  const shape = first.shape.map((d, j) => (j === axis ? total : d));
  const out = alloc(first.data, numel(shape));
  const o = view(out);
  let k = 0;
  for (let b = 0; b < outer; b++) {
    for (const p of parts) {
      const len = (p.shape[axis] as number) * inner;
      const src = view(p.data);
      for (let t = 0; t < len; t++) o[k++] = src[b * len + t] as ElemOf<A>;
    }
  }
  return { shape, data: out };
}

/** Reshape keeps the data; only the element count is checked. */
export function reshapeTo(from: Shape, to: Shape): Shape {
  if (numel(from) !== numel(to))
    throw shapeError(`cannot reshape ${showShape(from)} to ${showShape(to)}: element counts differ`);
  return to;
}

/** ONNX Flatten (0 ≤ axis ≤ rank). */
export function flattenTo(shape: Shape, axis: number): Shape {
  if (!Number.isInteger(axis) || axis < 0 || axis > shape.length)
    throw shapeError(`Flatten axis ${axis} is out of range for ${showShape(shape)}`);
  return [numel(shape.slice(0, axis)), numel(shape.slice(axis))];
}

/** Squeeze the listed axes, each of extent 1. */
export function squeezeTo(shape: Shape, axes: readonly number[]): Shape {
  for (const a of axes) {
    if (shape[a] !== 1) throw shapeError(`cannot squeeze axis ${a} of ${showShape(shape)}`);
  }
  return shape.filter((_, i) => !axes.includes(i));
}

/**
 * ArgMax along `axis`: the index of the FIRST maximum (ties go to the smallest index), using the
 * caller's strict order `greater` (by float value, or by signed ring value).
 */
export function argmax<A extends Elems>(
  data: A,
  shape: Shape,
  axis: number,
  keepdims: boolean,
  greater: (a: ElemOf<A>, b: ElemOf<A>) => boolean,
): { readonly shape: Shape; readonly idx: Int32Array } {
  if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length)
    throw shapeError(`ArgMax axis ${axis} is out of range for ${showShape(shape)}`);
  const d = shape[axis] as number;
  const outer = numel(shape.slice(0, axis));
  const inner = numel(shape.slice(axis + 1));
  const idx = new Int32Array(outer * inner);
  const v = view(data);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = 0;
      let bestVal = v[o * d * inner + i] as ElemOf<A>;
      for (let t = 1; t < d; t++) {
        const x = v[(o * d + t) * inner + i] as ElemOf<A>;
        if (greater(x, bestVal)) {
          best = t;
          bestVal = x;
        }
      }
      idx[o * inner + i] = best;
    }
  }
  const outShape = keepdims ? shape.map((e, j) => (j === axis ? 1 : e)) : shape.filter((_, j) => j !== axis);
  return { shape: outShape, idx };
}

/** Global average pooling as a pooling window covering every spatial axis of x[N, C, …]. */
export function globalPoolGeometry(shape: Shape): PoolGeometry {
  if (shape.length < 3)
    throw shapeError(`global pooling needs x of rank ≥ 3 (N, C, spatial…), x is ${showShape(shape)}`);
  const spatial = shape.slice(2);
  return { kernel: spatial, strides: spatial.map(() => 1), pads: [...spatial, ...spatial].map(() => 0) };
}

/** Number of cells averaged by global pooling: the product of the spatial extents. */
export function globalPoolCount(shape: Shape): number {
  return numel(shape.slice(2));
}
