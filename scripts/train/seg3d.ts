/**
 * A small 3-D fully convolutional segmentation network, trained in float64 by minibatch SGD with
 * momentum — the segmentation model of the validation study (not a U-Net: one 3³ convolution layer
 * and a 1³ head, enough to label organs by intensity and neighbourhood):
 *
 *   x [S, S, S] → Conv3D 3³ (pad 1) to C channels → ReLU → Conv3D 1³ to K classes (logits)
 *   → ArgMax over the classes (the label map); trained with class-weighted softmax cross-entropy per
 *   voxel (weights ∝ 1/√frequency, so small organs count).
 *
 * Forward and backward are written out; the tests check the gradient against finite differences.
 * Layouts are ONNX's (conv weights [out, in, kd, kh, kw]), so the export copies arrays as they are.
 */
export interface SegShape {
  readonly size: number;
  readonly hidden: number;
  readonly classes: number;
}

export interface SegParams {
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  readonly w2: Float64Array;
  readonly b2: Float64Array;
}

const NAMES = ['w1', 'b1', 'w2', 'b2'] as const;

export function initSeg(s: SegShape, normal: () => number): SegParams {
  return {
    w1: Float64Array.from({ length: s.hidden * 27 }, () => normal() * Math.sqrt(2 / 27)),
    b1: new Float64Array(s.hidden),
    w2: Float64Array.from({ length: s.classes * s.hidden }, () => normal() * Math.sqrt(2 / s.hidden)),
    b2: new Float64Array(s.classes),
  };
}

function zeros(s: SegShape): SegParams {
  return initSeg(s, () => 0);
}

/** For each voxel, its 27 neighbours' indices (−1 outside the volume: zero padding). */
export function neighbours(size: number): Int32Array {
  const n = size ** 3;
  const out = new Int32Array(n * 27);
  for (let z = 0; z < size; z++) for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const v = (z * size + y) * size + x;
    let d = 0;
    for (let dz = -1; dz <= 1; dz++) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const [a, b, c] = [z + dz, y + dy, x + dx];
      out[v * 27 + d++] = a < 0 || b < 0 || c < 0 || a >= size || b >= size || c >= size ? -1 : (a * size + b) * size + c;
    }
  }
  return out;
}

interface SegTrace {
  readonly h: Float64Array;
  readonly logits: Float64Array;
}

export function segForward(s: SegShape, p: SegParams, x: Float64Array, nb: Int32Array): SegTrace {
  const n = s.size ** 3;
  const h = new Float64Array(n * s.hidden);
  const logits = new Float64Array(n * s.classes);
  for (let v = 0; v < n; v++) {
    for (let c = 0; c < s.hidden; c++) {
      let a = p.b1[c] as number;
      for (let d = 0; d < 27; d++) {
        const u = nb[v * 27 + d] as number;
        if (u >= 0) a += (p.w1[c * 27 + d] as number) * (x[u] as number);
      }
      h[v * s.hidden + c] = a > 0 ? a : 0;
    }
    for (let k = 0; k < s.classes; k++) {
      let z = p.b2[k] as number;
      for (let c = 0; c < s.hidden; c++) z += (p.w2[k * s.hidden + c] as number) * (h[v * s.hidden + c] as number);
      logits[v * s.classes + k] = z;
    }
  }
  return { h, logits };
}

/** The label map (arg-max per voxel, first maximum). */
export function segPredict(s: SegShape, p: SegParams, x: Float64Array, nb: Int32Array): Int32Array {
  const { logits } = segForward(s, p, x, nb);
  return Int32Array.from({ length: s.size ** 3 }, (_, v) => {
    let best = 0;
    for (let k = 1; k < s.classes; k++) if ((logits[v * s.classes + k] as number) > (logits[v * s.classes + best] as number)) best = k;
    return best;
  });
}

/** Mean weighted cross-entropy of one volume; adds its gradients to `g`. */
export function segBackward(s: SegShape, p: SegParams, x: Float64Array, y: Int32Array, weights: readonly number[], nb: Int32Array, g: SegParams): number {
  const n = s.size ** 3;
  const { h, logits } = segForward(s, p, x, nb);
  let loss = 0;
  const dz = new Float64Array(s.classes);
  for (let v = 0; v < n; v++) {
    const label = y[v] as number;
    const w = (weights[label] as number) / n;
    let m = -Infinity;
    for (let k = 0; k < s.classes; k++) m = Math.max(m, logits[v * s.classes + k] as number);
    let sum = 0;
    for (let k = 0; k < s.classes; k++) sum += Math.exp((logits[v * s.classes + k] as number) - m);
    loss -= w * ((logits[v * s.classes + label] as number) - m - Math.log(sum));
    for (let k = 0; k < s.classes; k++) dz[k] = w * (Math.exp((logits[v * s.classes + k] as number) - m) / sum - (k === label ? 1 : 0));
    for (let k = 0; k < s.classes; k++) {
      g.b2[k] = (g.b2[k] as number) + (dz[k] as number);
      for (let c = 0; c < s.hidden; c++) g.w2[k * s.hidden + c] = (g.w2[k * s.hidden + c] as number) + (dz[k] as number) * (h[v * s.hidden + c] as number);
    }
    for (let c = 0; c < s.hidden; c++) {
      if ((h[v * s.hidden + c] as number) <= 0) continue;
      let dh = 0;
      for (let k = 0; k < s.classes; k++) dh += (dz[k] as number) * (p.w2[k * s.hidden + c] as number);
      g.b1[c] = (g.b1[c] as number) + dh;
      for (let d = 0; d < 27; d++) {
        const u = nb[v * 27 + d] as number;
        if (u >= 0) g.w1[c * 27 + d] = (g.w1[c * 27 + d] as number) + dh * (x[u] as number);
      }
    }
  }
  return loss;
}

export interface SegExample {
  readonly x: Float64Array;
  readonly y: Int32Array;
}

/** Minibatch SGD with momentum 0.9; `rng` draws the initialisation and the shuffles. */
export function trainSeg(s: SegShape, data: readonly SegExample[], o: { readonly epochs: number; readonly batch: number; readonly rate: number; readonly rng: () => number }, log: (epoch: number, loss: number) => void = () => undefined): SegParams {
  const normal = (): number => Math.sqrt(-2 * Math.log(Math.max(o.rng(), 1e-12))) * Math.cos(2 * Math.PI * o.rng());
  const p = initSeg(s, normal);
  const velocity = zeros(s);
  const nb = neighbours(s.size);
  const counts = new Float64Array(s.classes);
  for (const e of data) for (const v of e.y) counts[v] = (counts[v] as number) + 1;
  const total = counts.reduce((a, b) => a + b, 0);
  const raw = Array.from(counts, (c) => 1 / Math.sqrt(Math.max(c, 1) / total));
  const weights = raw.map((w) => (w * s.classes) / raw.reduce((a, b) => a + b, 0));
  const order = data.map((_, i) => i);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(o.rng() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    let loss = 0;
    for (let start = 0; start < order.length; start += o.batch) {
      const g = zeros(s);
      const batch = order.slice(start, start + o.batch);
      for (const i of batch) loss += segBackward(s, p, (data[i] as SegExample).x, (data[i] as SegExample).y, weights, nb, g);
      for (const name of NAMES) {
        const [a, b, m] = [p[name], g[name], velocity[name]];
        for (let k = 0; k < a.length; k++) {
          m[k] = 0.9 * (m[k] as number) + (b[k] as number) / batch.length;
          a[k] = (a[k] as number) - o.rate * (m[k] as number);
        }
      }
    }
    log(epoch, loss / data.length);
  }
  return p;
}
