/**
 * Tensor geometry shared by the IRs, the semantics and the cost functions.
 *
 * Layout conventions (those of ONNX, the project's primary frontend and float oracle):
 *   - activations: N × C × spatial… (NCHW for 2-D, NCDHW for 3-D);
 *   - Conv filters: CO × (CI / groups) × k…;
 *   - ConvTranspose filters: CI × (CO / groups) × k…;
 *   - pads: [begin_1, …, begin_k, end_1, …, end_k] over the k spatial axes (ONNX order).
 * The TensorFlow frontend converts NHWC graphs into this layout.
 */
import { CryptflowError } from './errors.js';

export type Shape = readonly number[];

export interface ConvGeometry {
  readonly strides: readonly number[];
  readonly pads: readonly number[];
  readonly dilations: readonly number[];
  readonly groups: number;
}

export interface ConvTransposeGeometry extends ConvGeometry {
  readonly outputPadding: readonly number[];
}

export interface PoolGeometry {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly pads: readonly number[];
}

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeEquals(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function showShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i] as number;
  }
  return s;
}

/** NumPy/ONNX multidirectional broadcasting; null when the shapes are incompatible. */
export function broadcastShapes(a: Shape, b: Shape): number[] | null {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

function spatialError(what: string, detail: string): CryptflowError {
  return new CryptflowError('shape', `${what}: ${detail}`);
}

/** out_i = ⌊(in_i + pb_i + pe_i − d_i·(k_i − 1) − 1) / s_i⌋ + 1 (ONNX Conv). */
export function convOutputSpatial(input: Shape, kernel: Shape, g: Omit<ConvGeometry, 'groups'>): number[] {
  const k = input.length;
  return input.map((inp, i) => {
    const s = g.strides[i] as number;
    const d = g.dilations[i] as number;
    const span = d * ((kernel[i] as number) - 1) + 1;
    const padded = inp + (g.pads[i] as number) + (g.pads[i + k] as number);
    if (padded < span) {
      throw spatialError('convolution', `kernel extent ${span} exceeds padded input ${padded} on spatial axis ${i}`);
    }
    return Math.floor((padded - span) / s) + 1;
  });
}

/** out_i = s_i·(in_i − 1) + op_i + d_i·(k_i − 1) + 1 − pb_i − pe_i (ONNX ConvTranspose). */
export function convTransposeOutputSpatial(
  input: Shape,
  kernel: Shape,
  g: Omit<ConvTransposeGeometry, 'groups'>,
): number[] {
  const k = input.length;
  return input.map((inp, i) => {
    const out =
      (g.strides[i] as number) * (inp - 1) +
      (g.outputPadding[i] as number) +
      (g.dilations[i] as number) * ((kernel[i] as number) - 1) +
      1 -
      (g.pads[i] as number) -
      (g.pads[i + k] as number);
    if (out < 1)
      throw spatialError('transposed convolution', `output extent ${out} on spatial axis ${i} is not positive`);
    return out;
  });
}

/** Pooling output extents (floor mode, as ONNX with ceil_mode = 0). */
export function poolOutputSpatial(input: Shape, g: PoolGeometry): number[] {
  return convOutputSpatial(input, g.kernel, { strides: g.strides, pads: g.pads, dilations: g.kernel.map(() => 1) });
}
