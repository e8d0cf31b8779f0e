/**
 * Pooling over Z_{2^64} words holding values of Z_{2^ℓ}. Geometry block (i32 words): planes, then
 * input, window, output, stride and begin-pad extents over D, H, W. Padded cells take no part.
 */
import { gi, word } from './geometry';

const P_PLANES = 0;
const P_IN = 1;
const P_KER = 4;
const P_OUT = 7;
const P_STRIDE = 10;
const P_PAD = 13;

/**
 * Shared walk: for every output cell, fold `step` over its window's unpadded cells. `isMax` selects
 * the max by signed value at width ℓ (values sign-extended from bit ℓ−1) instead of a wrapping sum.
 */
@inline
function pool(x: usize, y: usize, g: usize, ell: i32, isMax: bool): void {
  const planes = gi(g, P_PLANES);
  const ID = gi(g, P_IN), IH = gi(g, P_IN + 1), IW = gi(g, P_IN + 2);
  const KD = gi(g, P_KER), KH = gi(g, P_KER + 1), KW = gi(g, P_KER + 2);
  const OD = gi(g, P_OUT), OH = gi(g, P_OUT + 1), OW = gi(g, P_OUT + 2);
  const sd = gi(g, P_STRIDE), sh = gi(g, P_STRIDE + 1), sw = gi(g, P_STRIDE + 2);
  const pd = gi(g, P_PAD), ph = gi(g, P_PAD + 1), pw = gi(g, P_PAD + 2);
  const shift: i64 = <i64>(64 - ell);
  const inPlane = ID * IH * IW;
  let yp = y;
  for (let pl = 0; pl < planes; pl++) {
    const xPlane = x + word(pl * inPlane);
    for (let od = 0; od < OD; od++) {
      const d0 = od * sd - pd;
      const kdLo = max(0, -d0), kdHi = min(KD, ID - d0);
      for (let oh = 0; oh < OH; oh++) {
        const h0 = oh * sh - ph;
        const khLo = max(0, -h0), khHi = min(KH, IH - h0);
        for (let ow = 0; ow < OW; ow++) {
          const w0 = ow * sw - pw;
          const kwLo = max(0, -w0), kwHi = min(KW, IW - w0);
          let acc: i64 = isMax ? i64.MIN_VALUE : 0;
          for (let kd = kdLo; kd < kdHi; kd++) {
            for (let kh = khLo; kh < khHi; kh++) {
              let xp = xPlane + word(((d0 + kd) * IH + h0 + kh) * IW + w0 + kwLo);
              for (let kw = kwLo; kw < kwHi; kw++) {
                const v = load<i64>(xp);
                if (isMax) {
                  const s = (v << shift) >> shift;
                  if (s > acc) acc = s;
                } else {
                  acc += v;
                }
                xp += 8;
              }
            }
          }
          store<i64>(yp, acc);
          yp += 8;
        }
      }
    }
  }
}

export function maxPool(x: usize, y: usize, g: usize, ell: i32): void {
  pool(x, y, g, ell, true);
}

export function sumPool(x: usize, y: usize, g: usize): void {
  pool(x, y, g, 64, false);
}
