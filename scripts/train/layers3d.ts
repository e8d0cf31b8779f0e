/**
 * 3-D layers with their backward passes, for training the study's small 3D-UNet (unet3d.ts) in float64:
 * convolution with a k³ kernel (k = 1 or 3, "same" zero padding, stride 1), 2³ max pooling (stride 2),
 * 2³ transposed convolution (stride 2). Tensors are [C, n, n, n] flattened; weights use ONNX layouts:
 * Conv [co, ci, k, k, k], ConvTranspose [ci, co, 2, 2, 2]. Each backward adds into the gradients it is
 * given and returns ∂loss/∂input; the tests compare them with finite differences.
 */

/** out[o, p] = b[o] + Σ_i Σ_t w[o, i, t] · x[i, p + t − pad]. */
export function conv3d(
  x: Float64Array,
  ci: number,
  co: number,
  n: number,
  k: number,
  w: Float64Array,
  b: Float64Array,
): Float64Array {
  const vol = n * n * n;
  const pad = (k - 1) / 2;
  const out = new Float64Array(co * vol);
  for (let o = 0; o < co; o++) out.fill(b[o] as number, o * vol, (o + 1) * vol);
  for (let o = 0; o < co; o++)
    for (let i = 0; i < ci; i++) {
      let t = 0;
      for (let dz = -pad; dz <= pad; dz++)
        for (let dy = -pad; dy <= pad; dy++)
          for (let dx = -pad; dx <= pad; dx++) {
            const wt = w[(o * ci + i) * k * k * k + t++] as number;
            if (wt === 0) continue;
            for (let z = Math.max(0, -dz); z < Math.min(n, n - dz); z++)
              for (let y = Math.max(0, -dy); y < Math.min(n, n - dy); y++) {
                const ob = o * vol + (z * n + y) * n;
                const ib = i * vol + ((z + dz) * n + (y + dy)) * n + dx;
                for (let xx = Math.max(0, -dx); xx < Math.min(n, n - dx); xx++)
                  out[ob + xx] = (out[ob + xx] as number) + wt * (x[ib + xx] as number);
              }
          }
    }
  return out;
}

export function conv3dBack(
  x: Float64Array,
  ci: number,
  co: number,
  n: number,
  k: number,
  w: Float64Array,
  dout: Float64Array,
  dw: Float64Array,
  db: Float64Array,
): Float64Array {
  const vol = n * n * n;
  const pad = (k - 1) / 2;
  const dx = new Float64Array(ci * vol);
  for (let o = 0; o < co; o++) {
    let s = 0;
    for (let p = 0; p < vol; p++) s += dout[o * vol + p] as number;
    db[o] = (db[o] as number) + s;
  }
  for (let o = 0; o < co; o++)
    for (let i = 0; i < ci; i++) {
      let t = 0;
      for (let dz = -pad; dz <= pad; dz++)
        for (let dy = -pad; dy <= pad; dy++)
          for (let ddx = -pad; ddx <= pad; ddx++) {
            const wi = (o * ci + i) * k * k * k + t++;
            const wt = w[wi] as number;
            let g = 0;
            for (let z = Math.max(0, -dz); z < Math.min(n, n - dz); z++)
              for (let y = Math.max(0, -dy); y < Math.min(n, n - dy); y++) {
                const ob = o * vol + (z * n + y) * n;
                const ib = i * vol + ((z + dz) * n + (y + dy)) * n + ddx;
                for (let xx = Math.max(0, -ddx); xx < Math.min(n, n - ddx); xx++) {
                  const d = dout[ob + xx] as number;
                  g += d * (x[ib + xx] as number);
                  dx[ib + xx] = (dx[ib + xx] as number) + wt * d;
                }
              }
            dw[wi] = (dw[wi] as number) + g;
          }
    }
  return dx;
}

/** 2³ max pooling, stride 2 (n even); `arg` receives each output's input index (first maximum). */
export function maxPool3d(x: Float64Array, c: number, n: number): { out: Float64Array; arg: Int32Array } {
  const m = n / 2;
  const out = new Float64Array(c * m * m * m);
  const arg = new Int32Array(out.length);
  for (let ch = 0; ch < c; ch++)
    for (let z = 0; z < m; z++)
      for (let y = 0; y < m; y++)
        for (let xx = 0; xx < m; xx++) {
          let best = -Infinity;
          let at = 0;
          for (let a = 0; a < 2; a++)
            for (let b = 0; b < 2; b++)
              for (let d = 0; d < 2; d++) {
                const i = ch * n * n * n + ((2 * z + a) * n + (2 * y + b)) * n + 2 * xx + d;
                if ((x[i] as number) > best) [best, at] = [x[i] as number, i];
              }
          const o = ch * m * m * m + (z * m + y) * m + xx;
          [out[o], arg[o]] = [best, at];
        }
  return { out, arg };
}

export function maxPool3dBack(arg: Int32Array, dout: Float64Array, inputLength: number): Float64Array {
  const dx = new Float64Array(inputLength);
  dout.forEach((g, o) => (dx[arg[o] as number] = (dx[arg[o] as number] as number) + g));
  return dx;
}

/** Transposed 2³ convolution, stride 2: out[o, 2p + t] = b[o] + Σ_i w[i, o, t] · x[i, p]; input side m, output 2m. */
export function convT3d(
  x: Float64Array,
  ci: number,
  co: number,
  m: number,
  w: Float64Array,
  b: Float64Array,
): Float64Array {
  const n = 2 * m;
  const out = new Float64Array(co * n * n * n);
  for (let o = 0; o < co; o++) out.fill(b[o] as number, o * n * n * n, (o + 1) * n * n * n);
  for (let i = 0; i < ci; i++)
    for (let o = 0; o < co; o++)
      for (let t = 0; t < 8; t++) {
        const wt = w[(i * co + o) * 8 + t] as number;
        const [a, bb, d] = [t >> 2, (t >> 1) & 1, t & 1];
        for (let z = 0; z < m; z++)
          for (let y = 0; y < m; y++)
            for (let xx = 0; xx < m; xx++) {
              const oi = o * n * n * n + ((2 * z + a) * n + (2 * y + bb)) * n + 2 * xx + d;
              out[oi] = (out[oi] as number) + wt * (x[i * m * m * m + (z * m + y) * m + xx] as number);
            }
      }
  return out;
}

export function convT3dBack(
  x: Float64Array,
  ci: number,
  co: number,
  m: number,
  w: Float64Array,
  dout: Float64Array,
  dw: Float64Array,
  db: Float64Array,
): Float64Array {
  const n = 2 * m;
  const dx = new Float64Array(ci * m * m * m);
  for (let o = 0; o < co; o++) {
    let s = 0;
    for (let p = 0; p < n * n * n; p++) s += dout[o * n * n * n + p] as number;
    db[o] = (db[o] as number) + s;
  }
  for (let i = 0; i < ci; i++)
    for (let o = 0; o < co; o++)
      for (let t = 0; t < 8; t++) {
        const wi = (i * co + o) * 8 + t;
        const wt = w[wi] as number;
        const [a, bb, d] = [t >> 2, (t >> 1) & 1, t & 1];
        let g = 0;
        for (let z = 0; z < m; z++)
          for (let y = 0; y < m; y++)
            for (let xx = 0; xx < m; xx++) {
              const xi = i * m * m * m + (z * m + y) * m + xx;
              const go = dout[o * n * n * n + ((2 * z + a) * n + (2 * y + bb)) * n + 2 * xx + d] as number;
              g += go * (x[xi] as number);
              dx[xi] = (dx[xi] as number) + wt * go;
            }
        dw[wi] = (dw[wi] as number) + g;
      }
  return dx;
}

export function relu(x: Float64Array): Float64Array {
  return x.map((v) => (v > 0 ? v : 0));
}

/** ∂/∂x of ReLU given its output y. */
export function reluBack(y: Float64Array, dy: Float64Array): Float64Array {
  return dy.map((g, i) => ((y[i] as number) > 0 ? g : 0));
}
