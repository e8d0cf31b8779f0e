/**
 * Reference convolutions over Z_{2^ℓ} in plain bigint arithmetic: the definitions the wasm kernels are
 * checked against. Written as gathers, one output cell at a time, straight from the ONNX formulas:
 *
 *   Conv:           y[b, o, p] = Σ_{c < CI/G} Σ_{t} x[b, G(o)·CI/G + c, p·s − pb + t·d] · w[o, c, t]
 *   ConvTranspose:  y[b, o, p] = Σ_{c < CI/G} Σ_{t : p + pb − t·d = q·s, 0 ≤ q < in} x[b, G(o)·CI/G + c, q] · w[·, o mod CO/G, t]
 *
 * where G(o) is the group of output channel o and taps falling into padding contribute nothing.
 * Sums are exact bigints reduced once at the end (reduction mod 2^ℓ is a ring homomorphism).
 */
import { numel } from '../../spec/geometry.js';
import { directMap, gatherConv, transposedMap, type GatherMap } from './gather.js';
import { volume, type ConvPlan } from './geometry.js';

type Matmul = (ell: number, a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number) => BigUint64Array;

/** Exact bigint gather (gather.ts), reduced mod 2^ℓ once per output cell. */
function ringGather(ell: number, p: ConvPlan, map: GatherMap, x: BigUint64Array, w: BigUint64Array): BigUint64Array {
  const y = new BigUint64Array(numel(p.outShape));
  gatherConv(
    p,
    map,
    0n,
    (acc, xi, wi) => acc + (x[xi] as bigint) * (w[wi] as bigint),
    (yi, acc) => {
      y[yi] = BigInt.asUintN(ell, acc);
    },
  );
  return y;
}

/** Direct convolution: one gather per output cell. */
export function convDirect(ell: number, p: ConvPlan, x: BigUint64Array, w: BigUint64Array): BigUint64Array {
  return ringGather(ell, p, directMap(p), x, w);
}

/**
 * im2col: for each batch item and group, the patch matrix P[(c, t), q] = x at output cell q's tap t of
 * channel c (0 in padding), then y_group = W_group · P with W_group the CO/G × (CI/G · |k|) weights.
 */
export function convIm2col(
  ell: number,
  p: ConvPlan,
  x: BigUint64Array,
  w: BigUint64Array,
  matmul: Matmul,
): BigUint64Array {
  const [ID, IH, IW] = p.inp;
  const [KD, KH, KW] = p.ker;
  const [OD, OH, OW] = p.out;
  const cig = p.ci / p.groups;
  const cog = p.co / p.groups;
  const K = cig * volume(p.ker);
  const P = volume(p.out);
  const y = new BigUint64Array(numel(p.outShape));
  const cols = new BigUint64Array(K * P);
  for (let b = 0; b < p.n; b++) {
    for (let g = 0; g < p.groups; g++) {
      let row = 0;
      for (let c = 0; c < cig; c++) {
        const xPlane = (b * p.ci + g * cig + c) * ID;
        for (let kd = 0; kd < KD; kd++) {
          for (let kh = 0; kh < KH; kh++) {
            for (let kw = 0; kw < KW; kw++) {
              let q = row * P;
              for (let od = 0; od < OD; od++) {
                const id = od * p.strides[0] - p.padBegin[0] + kd * p.dilations[0];
                for (let oh = 0; oh < OH; oh++) {
                  const ih = oh * p.strides[1] - p.padBegin[1] + kh * p.dilations[1];
                  for (let ow = 0; ow < OW; ow++) {
                    const iw = ow * p.strides[2] - p.padBegin[2] + kw * p.dilations[2];
                    const inside = id >= 0 && id < ID && ih >= 0 && ih < IH && iw >= 0 && iw < IW;
                    cols[q++] = inside ? (x[((xPlane + id) * IH + ih) * IW + iw] as bigint) : 0n;
                  }
                }
              }
              row++;
            }
          }
        }
      }
      const wg = w.subarray(g * cog * K, (g + 1) * cog * K);
      y.set(matmul(ell, wg, cols, cog, K, P), (b * p.co + g * cog) * P);
    }
  }
  return y;
}

/** Transposed convolution as a gather over output cells. */
export function convTransposeGather(ell: number, p: ConvPlan, x: BigUint64Array, w: BigUint64Array): BigUint64Array {
  return ringGather(ell, p, transposedMap(p), x, w);
}
