/**
 * Float kernels: float32 semantics with a fixed, documented accumulation order. The float semantics
 * of HLIL cites this header.
 *
 * Arithmetic. Every product and every partial sum is rounded to float32 with `Math.fround`
 * (round-to-nearest-even). A product of two float32s is exact in float64 and a float64 sum of two
 * float32s rounds to float32 without double-rounding error (53 ≥ 2·24 + 2), so each step is the IEEE
 * float32 operation. Accumulators start from +0. Bias is not part of any kernel.
 *
 * Order, for each output cell independently:
 *   - matmul  c[i, j]:   over t = 0 … k−1:  acc ← fl(acc + fl(a[i, t] · b[t, j])).
 *   - conv    y[b, o, p]: over input channels c of o's group (ascending), then kernel offsets
 *             (kd, kh, kw) in row-major order; taps that fall in padding are skipped (they add nothing,
 *             not even a signed zero):  acc ← fl(acc + fl(x · w)).
 *   - convTranspose y[b, o, p]: the gather form — over input channels c of o's group (ascending), then
 *             kernel offsets in row-major order, taking the tap when (p + pad_begin − t·d) is a multiple
 *             q·s of the stride with 0 ≤ q < in on every axis:  acc ← fl(acc + fl(x[q] · w[t])).
 *   - sumPool: over the window's unpadded cells in row-major order:  acc ← fl(acc + x).
 *   - maxPool: over the window's unpadded cells in row-major order, starting from the first cell:
 *             m ← x when x > m or x is NaN. So NaN anywhere in the window gives NaN, and among equal
 *             values (+0 and −0) the first one in row-major order is kept.
 * Spatial axes are normalised to three (D, H, W) as in geometry.ts; 1-D and 2-D problems therefore
 * follow the same order with the missing offsets fixed at 0.
 */
import { numel, type ConvGeometry, type ConvTransposeGeometry, type PoolGeometry } from '../../spec/geometry.js';
import { checkMatmul } from './checks.js';
import { checkLength, convPlan, convTransposePlan, forEachWindow, poolPlan, type ConvPlan } from './geometry.js';
import { directMap, transposedMap, type GatherMap } from './gather.js';
import type { FloatKernels, FloatTensor } from './types.js';

const fl = Math.fround;

function matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  checkMatmul(a, b, m, k, n);
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let t = 0; t < k; t++) acc = fl(acc + fl((a[i * k + t] as number) * (b[t * n + j] as number)));
      c[i * n + j] = acc;
    }
  }
  return c;
}

/**
 * Float32 gather: every product and every partial sum rounded, in gather.ts's tap order. The loops run
 * tap-major with the output cells innermost (one float32 accumulator per cell of an output channel):
 * each cell still receives its taps in the order above — input channel, then kernel offsets in
 * row-major order, padding skipped — so every cell's sum is the same sequence of float32 operations
 * as `gatherConv` performs, while the inner loop streams over contiguous cells.
 */
function floatGather(p: ConvPlan, map: GatherMap, x: Float32Array, w: Float32Array): Float32Array {
  const [ID, IH, IW] = p.inp;
  const [KD, KH, KW] = p.ker;
  const [OD, OH, OW] = p.out;
  const cig = p.ci / p.groups;
  const cog = p.co / p.groups;
  const table = (axis: 0 | 1 | 2, out: number, ker: number): Int32Array => {
    const t = new Int32Array(out * ker);
    for (let o = 0; o < out; o++) for (let k = 0; k < ker; k++) t[o * ker + k] = map.source(axis, o, k);
    return t;
  };
  const srcD = table(0, OD, KD);
  const srcH = table(1, OH, KH);
  const srcW = table(2, OW, KW);
  const vol = OD * OH * OW;
  const y = new Float32Array(numel(p.outShape));
  for (let b = 0; b < p.n; b++) {
    for (let o = 0; o < p.co; o++) {
      const c0 = Math.floor(o / cog) * cig;
      const acc = y.subarray((b * p.co + o) * vol, (b * p.co + o + 1) * vol);
      for (let c = 0; c < cig; c++) {
        const xPlane = (b * p.ci + c0 + c) * ID;
        const wBase = map.weightBlock(o, c0, c) * KD;
        for (let kd = 0; kd < KD; kd++) {
          for (let kh = 0; kh < KH; kh++) {
            for (let kw = 0; kw < KW; kw++) {
              const wv = w[((wBase + kd) * KH + kh) * KW + kw] as number;
              for (let od = 0; od < OD; od++) {
                const id = srcD[od * KD + kd] as number;
                if (id < 0) continue;
                for (let oh = 0; oh < OH; oh++) {
                  const ih = srcH[oh * KH + kh] as number;
                  if (ih < 0) continue;
                  const rowX = ((xPlane + id) * IH + ih) * IW;
                  const rowA = (od * OH + oh) * OW;
                  for (let ow = 0; ow < OW; ow++) {
                    const iw = srcW[ow * KW + kw] as number;
                    if (iw >= 0) acc[rowA + ow] = (acc[rowA + ow] as number) + fl((x[rowX + iw] as number) * wv);
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  return y;
}

function conv(x: FloatTensor, w: FloatTensor, g: ConvGeometry): FloatTensor {
  const p = convPlan(x, w, g);
  return { shape: p.outShape, data: floatGather(p, directMap(p), x.data, w.data) };
}

function convTranspose(x: FloatTensor, w: FloatTensor, g: ConvTransposeGeometry): FloatTensor {
  const p = convTransposePlan(x, w, g);
  return { shape: p.outShape, data: floatGather(p, transposedMap(p), x.data, w.data) };
}

function maxPool(x: FloatTensor, g: PoolGeometry): FloatTensor {
  const p = poolPlan(x.shape, g);
  checkLength('maxPool input', x.shape, x.data.length);
  const y = new Float32Array(numel(p.outShape));
  forEachWindow(p, (yi, cells) => {
    let m = x.data[cells[0] as number] as number;
    for (const i of cells) {
      const v = x.data[i] as number;
      if (v > m || Number.isNaN(v)) m = v;
    }
    y[yi] = m;
  });
  return { shape: p.outShape, data: y };
}

function sumPool(x: FloatTensor, g: PoolGeometry): FloatTensor {
  const p = poolPlan(x.shape, g);
  checkLength('sumPool input', x.shape, x.data.length);
  const y = new Float32Array(numel(p.outShape));
  forEachWindow(p, (yi, cells) => {
    let acc = 0;
    for (const i of cells) acc = fl(acc + (x.data[i] as number));
    y[yi] = acc;
  });
  return { shape: p.outShape, data: y };
}

export const floatKernels: FloatKernels = Object.freeze<FloatKernels>({
  matmul,
  conv,
  convTranspose,
  maxPool,
  sumPool,
});
