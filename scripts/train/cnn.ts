/**
 * A tiny CNN trained in float64 with plain minibatch SGD — the default model of `npm start`.
 *
 *   x [1, H, W] → Conv 3×3 (pad 1) to C1 → ReLU → MaxPool 2×2/2 → Conv 3×3 (pad 1) to C2 → ReLU →
 *   MaxPool over the whole (H/2)×(W/2) map → Flatten → Gemm to K classes (logits) → Softmax with
 *   cross-entropy loss. The global max pool makes the features "how strongly does each detector fire
 *   anywhere", which is what finding a small lesion at any position needs.
 *
 * Forward and backward are written out per layer (no autodiff); the tests check the gradients against
 * finite differences. Parameters use the ONNX layouts (Conv weights [out, in, kh, kw], Gemm weights
 * [K, features] with transB), so exporting (export.ts) copies arrays as they are.
 */

export interface CnnShape {
  readonly height: number;
  readonly width: number;
  readonly c1: number;
  readonly c2: number;
  readonly classes: number;
}

export interface CnnParams {
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  readonly w2: Float64Array;
  readonly b2: Float64Array;
  readonly w3: Float64Array;
  readonly b3: Float64Array;
}

export type ParamName = keyof CnnParams;
export const PARAM_NAMES: readonly ParamName[] = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3'];

export function featureCount(s: CnnShape): number {
  return s.c2;
}

/** He-initialised weights (normal, variance 2 / fan-in) and zero biases; `normal` draws N(0, 1). */
export function initParams(s: CnnShape, normal: () => number): CnnParams {
  const he = (n: number, fanIn: number): Float64Array =>
    Float64Array.from({ length: n }, () => normal() * Math.sqrt(2 / fanIn));
  return {
    w1: he(s.c1 * 9, 9),
    b1: new Float64Array(s.c1),
    w2: he(s.c2 * s.c1 * 9, s.c1 * 9),
    b2: new Float64Array(s.c2),
    w3: he(s.classes * featureCount(s), featureCount(s)),
    b3: new Float64Array(s.classes),
  };
}

export function zeroParams(s: CnnShape): CnnParams {
  return initParams(s, () => 0);
}

/** A 3×3 convolution layer (padding 1, stride 1) over [ci, h, w] inputs, weights [co, ci, 3, 3]. */
interface Conv3 {
  readonly ci: number;
  readonly co: number;
  readonly h: number;
  readonly w: number;
  readonly weight: Float64Array;
}

/** 3×3 convolution, padding 1, stride 1: in [ci, h, w] → out [co, h, w]. */
function conv3(input: Float64Array, layer: Conv3, bias: Float64Array): Float64Array {
  const { ci, co, h, w, weight } = layer;
  const out = new Float64Array(co * h * w);
  for (let o = 0; o < co; o++) {
    out.fill(bias[o] as number, o * h * w, (o + 1) * h * w);
    for (let c = 0; c < ci; c++) {
      for (let ky = 0; ky < 3; ky++) {
        for (let kx = 0; kx < 3; kx++) {
          const k = weight[((o * ci + c) * 3 + ky) * 3 + kx] as number;
          for (let y = 0; y < h; y++) {
            const yy = y + ky - 1;
            if (yy < 0 || yy >= h) continue;
            for (let x = 0; x < w; x++) {
              const xx = x + kx - 1;
              if (xx < 0 || xx >= w) continue;
              out[(o * h + y) * w + x] =
                (out[(o * h + y) * w + x] as number) + k * (input[(c * h + yy) * w + xx] as number);
            }
          }
        }
      }
    }
  }
  return out;
}

/** Gradients of conv3 with respect to weights, bias (accumulated) and input (returned when asked). */
function conv3Back(
  input: Float64Array,
  layer: Conv3,
  dOut: Float64Array,
  grad: { readonly dW: Float64Array; readonly dB: Float64Array },
  wantInput: boolean,
): Float64Array | null {
  const { ci, co, h, w, weight } = layer;
  const { dW, dB } = grad;
  const dIn = wantInput ? new Float64Array(ci * h * w) : null;
  for (let o = 0; o < co; o++) {
    let sb = 0;
    for (let i = o * h * w; i < (o + 1) * h * w; i++) sb += dOut[i] as number;
    dB[o] = (dB[o] as number) + sb;
    for (let c = 0; c < ci; c++) {
      for (let ky = 0; ky < 3; ky++) {
        for (let kx = 0; kx < 3; kx++) {
          const wi = ((o * ci + c) * 3 + ky) * 3 + kx;
          const k = weight[wi] as number;
          let s = 0;
          for (let y = 0; y < h; y++) {
            const yy = y + ky - 1;
            if (yy < 0 || yy >= h) continue;
            for (let x = 0; x < w; x++) {
              const xx = x + kx - 1;
              if (xx < 0 || xx >= w) continue;
              const g = dOut[(o * h + y) * w + x] as number;
              s += g * (input[(c * h + yy) * w + xx] as number);
              if (dIn !== null) dIn[(c * h + yy) * w + xx] = (dIn[(c * h + yy) * w + xx] as number) + g * k;
            }
          }
          dW[wi] = (dW[wi] as number) + s;
        }
      }
    }
  }
  return dIn;
}

interface Trace {
  readonly x: Float64Array;
  readonly a1: Float64Array;
  readonly pool: Float64Array;
  readonly poolArg: Int32Array;
  readonly a2: Float64Array;
  readonly feature: Float64Array;
  readonly featureArg: Int32Array;
  readonly logits: Float64Array;
}

export function forwardTrace(s: CnnShape, p: CnnParams, x: Float64Array): Trace {
  const [h, w, h2, w2] = [s.height, s.width, s.height / 2, s.width / 2];
  const a1 = conv3(x, { ci: 1, co: s.c1, h, w, weight: p.w1 }, p.b1).map((v) => Math.max(0, v));
  const pool = new Float64Array(s.c1 * h2 * w2);
  const poolArg = new Int32Array(s.c1 * h2 * w2);
  for (let c = 0; c < s.c1; c++) {
    for (let y = 0; y < h2; y++) {
      for (let xx = 0; xx < w2; xx++) {
        let best = -Infinity;
        let arg = 0;
        for (const [dy, dx] of [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ] as const) {
          const i = (c * h + 2 * y + dy) * w + 2 * xx + dx;
          if ((a1[i] as number) > best) [best, arg] = [a1[i] as number, i];
        }
        pool[(c * h2 + y) * w2 + xx] = best;
        poolArg[(c * h2 + y) * w2 + xx] = arg;
      }
    }
  }
  const a2 = conv3(pool, { ci: s.c1, co: s.c2, h: h2, w: w2, weight: p.w2 }, p.b2).map((v) => Math.max(0, v));
  const f = featureCount(s);
  const feature = new Float64Array(f);
  const featureArg = new Int32Array(f);
  for (let c = 0; c < s.c2; c++) {
    let arg = c * h2 * w2;
    for (let i = arg; i < (c + 1) * h2 * w2; i++) if ((a2[i] as number) > (a2[arg] as number)) arg = i;
    [feature[c], featureArg[c]] = [a2[arg] as number, arg];
  }
  const logits = Float64Array.from(p.b3);
  for (let k = 0; k < s.classes; k++)
    for (let i = 0; i < f; i++)
      logits[k] = (logits[k] as number) + (p.w3[k * f + i] as number) * (feature[i] as number);
  return { x, a1, pool, poolArg, a2, feature, featureArg, logits };
}

/** Logits for one image x [H·W]. */
export function forward(s: CnnShape, p: CnnParams, x: Float64Array): Float64Array {
  return forwardTrace(s, p, x).logits;
}

export function softmax(z: Float64Array): Float64Array {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** Cross-entropy loss of one example; adds its gradients to `grad`. */
export function backward(s: CnnShape, p: CnnParams, x: Float64Array, label: number, grad: CnnParams): number {
  const t = forwardTrace(s, p, x);
  const prob = softmax(t.logits);
  const loss = -Math.log(Math.max(prob[label] as number, 1e-300));
  backwardFromLogits(
    s,
    p,
    t,
    prob.map((v, k) => v - (k === label ? 1 : 0)),
    grad,
  );
  return loss;
}

/** Back-propagate dz = ∂loss/∂logits through the network of trace `t`; adds the gradients to `grad`. */
export function backwardFromLogits(
  s: CnnShape,
  p: CnnParams,
  t: ReturnType<typeof forwardTrace>,
  dz: Float64Array,
  grad: CnnParams,
): void {
  const f = featureCount(s);
  const [h, w, h2, w2] = [s.height, s.width, s.height / 2, s.width / 2];
  const da2 = new Float64Array(s.c2 * h2 * w2);
  for (let k = 0; k < s.classes; k++) {
    const g = dz[k] as number;
    grad.b3[k] = (grad.b3[k] as number) + g;
    for (let i = 0; i < f; i++) {
      grad.w3[k * f + i] = (grad.w3[k * f + i] as number) + g * (t.feature[i] as number);
      const at = t.featureArg[i] as number;
      da2[at] = (da2[at] as number) + g * (p.w3[k * f + i] as number);
    }
  }
  for (let i = 0; i < da2.length; i++) if ((t.a2[i] as number) <= 0) da2[i] = 0;
  const dPool =
    conv3Back(t.pool, { ci: s.c1, co: s.c2, h: h2, w: w2, weight: p.w2 }, da2, { dW: grad.w2, dB: grad.b2 }, true) ??
    new Float64Array(0);
  const da1 = new Float64Array(s.c1 * h * w);
  dPool.forEach((g, i) => {
    da1[t.poolArg[i] as number] = (da1[t.poolArg[i] as number] as number) + g;
  });
  for (let i = 0; i < da1.length; i++) if ((t.a1[i] as number) <= 0) da1[i] = 0;
  conv3Back(t.x, { ci: 1, co: s.c1, h, w, weight: p.w1 }, da1, { dW: grad.w1, dB: grad.b1 }, false);
}

/** p ← p − rate · g (in place). */
export function sgdStep(p: CnnParams, g: CnnParams, rate: number): void {
  for (const name of PARAM_NAMES) {
    const [a, b] = [p[name], g[name]];
    for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) - rate * (b[i] as number);
  }
}

export function predict(s: CnnShape, p: CnnParams, x: Float64Array): number {
  const z = forward(s, p, x);
  let best = 0;
  for (let k = 1; k < z.length; k++) if ((z[k] as number) > (z[best] as number)) best = k;
  return best;
}
