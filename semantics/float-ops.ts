/**
 * Elementwise and per-axis float32 operations of the HLIL semantics (the loops that are not kernels).
 *
 * Every arithmetic step is one IEEE float32 operation: its operands are float32 values, the exact
 * result is computed in binary64 and rounded once with `Math.fround` (round to nearest, ties to
 * even). For +, −, ×, ÷ and √ this equals the float32 operation, because binary64 carries more than
 * 2·24 + 2 significand bits, so the double rounding is innocuous. `Math.exp` is not correctly rounded
 * in binary64 (V8 is within 1 ulp of binary64), so fl(exp) may differ from the correctly rounded
 * float32 exponential by one float32 ulp in rare cases; the bounds in proofs-notes allow for it.
 *
 * Orders (also stated in proofs-notes/float-semantics.md):
 *   BatchNorm  y = fl( fl(γ · fl( fl(x − μ) / fl(√ fl(σ² + fl(ε))) )) + β ).
 *   Softmax    along the axis: m = max x (exact), e_j = fl(exp(fl(x_j − m))), S = e_0 + e_1 + …
 *              accumulated left to right in float32 from +0, y_j = fl(e_j / S).
 *   Sigmoid    y = fl(1 / fl(1 + fl(exp(−x)))).
 *   AvgPool    y = fl(Σ / count), Σ the float kernel's window sum, count an exact small integer.
 */
import { numel, type Shape } from '../spec/geometry.js';
import { assertNever } from '../spec/errors.js';
import { broadcastPair, channelIndex } from './tensor.js';

const fl = Math.fround;

export type FloatBinaryOp = 'Add' | 'Sub' | 'Mul' | 'Div';

export interface FTensor {
  readonly shape: Shape;
  readonly data: Float32Array;
}

function apply(op: FloatBinaryOp, a: number, b: number): number {
  switch (op) {
    case 'Add':
      return fl(a + b);
    case 'Sub':
      return fl(a - b);
    case 'Mul':
      return fl(a * b);
    case 'Div':
      return fl(a / b);
    default:
      return assertNever(op, 'binary operator');
  }
}

/** Broadcasting elementwise binary operator. */
export function floatBinary(op: FloatBinaryOp, a: FTensor, b: FTensor): FTensor {
  const p = broadcastPair(a.data, a.shape, b.data, b.shape);
  const out = new Float32Array(p.a.length);
  for (let i = 0; i < out.length; i++) out[i] = apply(op, p.a[i] as number, p.b[i] as number);
  return { shape: p.shape, data: out };
}

/** x[N, C, …] + b[C] along axis 1. */
export function floatBiasAdd(x: FTensor, b: Float32Array): FTensor {
  const ch = channelIndex(x.shape);
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = fl((x.data[i] as number) + (b[ch[i] as number] as number));
  return { shape: x.shape, data: out };
}

/** max(x, 0); −0 and 0 both give +0. */
export function floatRelu(x: FTensor): FTensor {
  return { shape: x.shape, data: x.data.map((v) => (v > 0 ? v : 0)) };
}

export interface BatchNormParams {
  readonly scale: Float32Array;
  readonly bias: Float32Array;
  readonly mean: Float32Array;
  readonly var: Float32Array;
  readonly epsilon: number;
}

/** Inference batch norm over axis 1, in the order of the file header. */
export function floatBatchNorm(x: FTensor, p: BatchNormParams): FTensor {
  const ch = channelIndex(x.shape);
  const eps = fl(p.epsilon);
  const c = x.shape[1] as number;
  const den = new Float32Array(c);
  for (let k = 0; k < c; k++) den[k] = fl(Math.sqrt(fl((p.var[k] as number) + eps)));
  const out = new Float32Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    const k = ch[i] as number;
    const q = fl(fl((x.data[i] as number) - (p.mean[k] as number)) / (den[k] as number));
    out[i] = fl(fl((p.scale[k] as number) * q) + (p.bias[k] as number));
  }
  return { shape: x.shape, data: out };
}

/** Max-subtracted softmax along `axis`, in the order of the file header. */
export function floatSoftmax(x: FTensor, axis: number): FTensor {
  const d = x.shape[axis] as number;
  const outer = numel(x.shape.slice(0, axis));
  const inner = numel(x.shape.slice(axis + 1));
  const out = new Float32Array(x.data.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (t: number): number => (o * d + t) * inner + i;
      let m = -Infinity;
      for (let t = 0; t < d; t++) m = Math.max(m, x.data[at(t)] as number);
      let sum = 0;
      for (let t = 0; t < d; t++) {
        const e = fl(Math.exp(fl((x.data[at(t)] as number) - m)));
        out[at(t)] = e;
        sum = fl(sum + e);
      }
      for (let t = 0; t < d; t++) out[at(t)] = fl((out[at(t)] as number) / sum);
    }
  }
  return { shape: x.shape, data: out };
}

/** Logistic function, in the order of the file header. */
export function floatSigmoid(x: FTensor): FTensor {
  return { shape: x.shape, data: x.data.map((v) => fl(1 / fl(1 + fl(Math.exp(-v))))) };
}

/** Divide each window sum by its cell count (a public positive integer). */
export function floatDivideCounts(sums: FTensor, counts: ArrayLike<number>): FTensor {
  const out = new Float32Array(sums.data.length);
  for (let i = 0; i < out.length; i++) out[i] = fl((sums.data[i] as number) / (counts[i] as number));
  return { shape: sums.shape, data: out };
}
