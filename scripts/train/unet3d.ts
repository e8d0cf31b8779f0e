/**
 * A small 3D-UNet (Çiçek et al. 2016, one resolution level below the input) trained in float64 by
 * minibatch SGD with momentum — the segmentation model of the validation study, the shape of the zoo's
 * unet3d (harness/zoo/unet3d.ts) with one level fewer:
 *
 *   encoder  Conv3D 3³ (1 → C1) → ReLU  (skip)  → MaxPool3D 2³ → Conv3D 3³ (C1 → C2) → ReLU
 *   decoder  ConvTranspose3D 2³/2 (C2 → C1) → Concat [up, skip] → Conv3D 3³ (2·C1 → C1) → ReLU
 *   head     Conv3D 1³ (C1 → K) = logits, ArgMax over the classes = the label map;
 *
 * trained with class-weighted softmax cross-entropy per voxel (weights ∝ 1/√frequency, normalised to
 * mean 1, so the small organs count). Layers and their backward passes: layers3d.ts.
 */
import { conv3d, conv3dBack, convT3d, convT3dBack, maxPool3d, maxPool3dBack, relu, reluBack } from './layers3d.js';

export interface UnetShape {
  readonly size: number;
  readonly c1: number;
  readonly c2: number;
  readonly classes: number;
}

export interface UnetParams {
  readonly e1w: Float64Array;
  readonly e1b: Float64Array;
  readonly e2w: Float64Array;
  readonly e2b: Float64Array;
  readonly upw: Float64Array;
  readonly upb: Float64Array;
  readonly dw: Float64Array;
  readonly db: Float64Array;
  readonly hw: Float64Array;
  readonly hb: Float64Array;
}

export const UNET_PARAMS: readonly (keyof UnetParams)[] = [
  'e1w',
  'e1b',
  'e2w',
  'e2b',
  'upw',
  'upb',
  'dw',
  'db',
  'hw',
  'hb',
];

export function initUnet(s: UnetShape, normal: () => number): UnetParams {
  const he = (count: number, fanIn: number): Float64Array =>
    Float64Array.from({ length: count }, () => normal() * Math.sqrt(2 / fanIn));
  return {
    e1w: he(s.c1 * 27, 27),
    e1b: new Float64Array(s.c1),
    e2w: he(s.c2 * s.c1 * 27, s.c1 * 27),
    e2b: new Float64Array(s.c2),
    upw: he(s.c2 * s.c1 * 8, s.c2),
    upb: new Float64Array(s.c1),
    dw: he(s.c1 * 2 * s.c1 * 27, 2 * s.c1 * 27),
    db: new Float64Array(s.c1),
    hw: he(s.classes * s.c1, s.c1),
    hb: new Float64Array(s.classes),
  };
}

export function zeroUnet(s: UnetShape): UnetParams {
  return initUnet(s, () => 0);
}

interface Trace {
  readonly a1: Float64Array;
  readonly pool: Float64Array;
  readonly arg: Int32Array;
  readonly a2: Float64Array;
  readonly cat: Float64Array;
  readonly a3: Float64Array;
  /** [K, n³], class-major. */
  readonly logits: Float64Array;
}

function trace(s: UnetShape, p: UnetParams, x: Float64Array): Trace {
  const [n, m] = [s.size, s.size / 2];
  const a1 = relu(conv3d(x, 1, s.c1, n, 3, p.e1w, p.e1b));
  const { out: pool, arg } = maxPool3d(a1, s.c1, n);
  const a2 = relu(conv3d(pool, s.c1, s.c2, m, 3, p.e2w, p.e2b));
  const up = convT3d(a2, s.c2, s.c1, m, p.upw, p.upb);
  const cat = new Float64Array(2 * up.length);
  cat.set(up, 0);
  cat.set(a1, up.length);
  const a3 = relu(conv3d(cat, 2 * s.c1, s.c1, n, 3, p.dw, p.db));
  const logits = conv3d(a3, s.c1, s.classes, n, 1, p.hw, p.hb);
  return { a1, pool, arg, a2, cat, a3, logits };
}

/** The label map: arg-max over the classes per voxel (first maximum). */
export function unetPredict(s: UnetShape, p: UnetParams, x: Float64Array): Int32Array {
  const { logits } = trace(s, p, x);
  const vol = s.size ** 3;
  return Int32Array.from({ length: vol }, (_, v) => {
    let best = 0;
    for (let k = 1; k < s.classes; k++)
      if ((logits[k * vol + v] as number) > (logits[best * vol + v] as number)) best = k;
    return best;
  });
}

/** Weighted mean cross-entropy of one volume; adds its gradients to `g`. */
export function unetBackward(
  s: UnetShape,
  p: UnetParams,
  x: Float64Array,
  y: Int32Array,
  weights: readonly number[],
  g: UnetParams,
): number {
  const [n, m] = [s.size, s.size / 2];
  const vol = n ** 3;
  const t = trace(s, p, x);
  const dLogits = new Float64Array(t.logits.length);
  let loss = 0;
  for (let v = 0; v < vol; v++) {
    const label = y[v] as number;
    const w = (weights[label] as number) / vol;
    let mx = -Infinity;
    for (let k = 0; k < s.classes; k++) mx = Math.max(mx, t.logits[k * vol + v] as number);
    let sum = 0;
    for (let k = 0; k < s.classes; k++) sum += Math.exp((t.logits[k * vol + v] as number) - mx);
    loss -= w * ((t.logits[label * vol + v] as number) - mx - Math.log(sum));
    for (let k = 0; k < s.classes; k++)
      dLogits[k * vol + v] = w * (Math.exp((t.logits[k * vol + v] as number) - mx) / sum - (k === label ? 1 : 0));
  }
  const dA3 = conv3dBack(t.a3, s.c1, s.classes, n, 1, p.hw, dLogits, g.hw, g.hb);
  const dCat = conv3dBack(t.cat, 2 * s.c1, s.c1, n, 3, p.dw, reluBack(t.a3, dA3), g.dw, g.db);
  const dUp = dCat.subarray(0, s.c1 * vol);
  const dSkip = dCat.subarray(s.c1 * vol);
  const dA2 = convT3dBack(t.a2, s.c2, s.c1, m, p.upw, Float64Array.from(dUp), g.upw, g.upb);
  const dPool = conv3dBack(t.pool, s.c1, s.c2, m, 3, p.e2w, reluBack(t.a2, dA2), g.e2w, g.e2b);
  const dA1 = maxPool3dBack(t.arg, dPool, s.c1 * vol);
  for (let i = 0; i < dA1.length; i++) dA1[i] = (dA1[i] as number) + (dSkip[i] as number);
  conv3dBack(x, 1, s.c1, n, 3, p.e1w, reluBack(t.a1, dA1), g.e1w, g.e1b);
  return loss;
}

export interface SegExample {
  readonly x: Float64Array;
  readonly y: Int32Array;
}

/** Class weights ∝ 1/√frequency over `data`, normalised to mean 1. */
export function classWeights(classes: number, data: readonly SegExample[]): number[] {
  const counts = new Float64Array(classes);
  for (const e of data) for (const v of e.y) counts[v] = (counts[v] as number) + 1;
  const total = counts.reduce((a, b) => a + b, 0);
  const raw = Array.from(counts, (c) => 1 / Math.sqrt(Math.max(c, 1) / total));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => (w * classes) / sum);
}

/** Minibatch SGD with momentum 0.9; `rng` draws the initialisation and the shuffles. */
export function trainUnet(
  s: UnetShape,
  data: readonly SegExample[],
  o: { readonly epochs: number; readonly batch: number; readonly rate: number; readonly rng: () => number },
  log: (epoch: number, loss: number) => void = () => undefined,
): UnetParams {
  const normal = (): number => Math.sqrt(-2 * Math.log(Math.max(o.rng(), 1e-12))) * Math.cos(2 * Math.PI * o.rng());
  const p = initUnet(s, normal);
  const velocity = zeroUnet(s);
  const weights = classWeights(s.classes, data);
  const order = data.map((_, i) => i);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(o.rng() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    let loss = 0;
    for (let start = 0; start < order.length; start += o.batch) {
      const g = zeroUnet(s);
      const batch = order.slice(start, start + o.batch);
      for (const i of batch)
        loss += unetBackward(s, p, (data[i] as SegExample).x, (data[i] as SegExample).y, weights, g);
      for (const name of UNET_PARAMS) {
        const [a, b, v] = [p[name], g[name], velocity[name]];
        for (let k = 0; k < a.length; k++) {
          v[k] = 0.9 * (v[k] as number) + (b[k] as number) / batch.length;
          a[k] = (a[k] as number) - o.rate * (v[k] as number);
        }
      }
    }
    log(epoch, loss / data.length);
  }
  return p;
}
