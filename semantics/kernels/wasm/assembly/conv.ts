/**
 * Convolutions over Z_{2^64}: direct, im2col and transposed. Same mathematics as the bigint
 * reference (reference-conv.ts), organised for speed: for each (output channel, input channel, tap)
 * one weight stays in a register while a contiguous run of outputs accumulates, over the precomputed
 * range of output offsets whose tap lands inside the input (so no bounds tests in the inner loop).
 */
import { G_CI, G_CO, G_DIL, G_GROUPS, G_IN, G_KER, G_N, G_OUT, G_PAD, G_STRIDE, gi, rangeHi, rangeLo, word } from './geometry';
import { matmul } from './matmul';

/** y[N, CO, OD, OH, OW] (zeroed here) += direct convolution of x with w. */
export function convDirect(x: usize, w: usize, y: usize, g: usize): void {
  const N = gi(g, G_N), CI = gi(g, G_CI), CO = gi(g, G_CO), G = gi(g, G_GROUPS);
  const ID = gi(g, G_IN), IH = gi(g, G_IN + 1), IW = gi(g, G_IN + 2);
  const KD = gi(g, G_KER), KH = gi(g, G_KER + 1), KW = gi(g, G_KER + 2);
  const OD = gi(g, G_OUT), OH = gi(g, G_OUT + 1), OW = gi(g, G_OUT + 2);
  const sd = gi(g, G_STRIDE), sh = gi(g, G_STRIDE + 1), sw = gi(g, G_STRIDE + 2);
  const dd = gi(g, G_DIL), dh = gi(g, G_DIL + 1), dw = gi(g, G_DIL + 2);
  const pd = gi(g, G_PAD), ph = gi(g, G_PAD + 1), pw = gi(g, G_PAD + 2);
  const cig = CI / G, cog = CO / G;
  const outPlane = OD * OH * OW, inPlane = ID * IH * IW, kVol = KD * KH * KW;
  memory.fill(y, 0, word(N * CO * outPlane));
  const swBytes = word(sw);
  for (let b = 0; b < N; b++) {
    for (let o = 0; o < CO; o++) {
      const yPlane = y + word((b * CO + o) * outPlane);
      const c0 = (o / cog) * cig;
      for (let c = 0; c < cig; c++) {
        const xPlane = x + word((b * CI + c0 + c) * inPlane);
        const wBlock = w + word((o * cig + c) * kVol);
        for (let kd = 0; kd < KD; kd++) {
          const odLo = rangeLo(sd, pd, kd * dd), odHi = rangeHi(OD, sd, pd, kd * dd, ID, odLo);
          for (let kh = 0; kh < KH; kh++) {
            const ohLo = rangeLo(sh, ph, kh * dh), ohHi = rangeHi(OH, sh, ph, kh * dh, IH, ohLo);
            for (let kw = 0; kw < KW; kw++) {
              const owLo = rangeLo(sw, pw, kw * dw), owHi = rangeHi(OW, sw, pw, kw * dw, IW, owLo);
              if (owLo >= owHi) continue;
              const wv = load<i64>(wBlock + word((kd * KH + kh) * KW + kw));
              for (let od = odLo; od < odHi; od++) {
                const id = od * sd - pd + kd * dd;
                for (let oh = ohLo; oh < ohHi; oh++) {
                  const ih = oh * sh - ph + kh * dh;
                  let yp = yPlane + word((od * OH + oh) * OW + owLo);
                  const yEnd = yPlane + word((od * OH + oh) * OW + owHi);
                  let xp = xPlane + word((id * IH + ih) * IW + owLo * sw - pw + kw * dw);
                  while (yp < yEnd) {
                    store<i64>(yp, load<i64>(yp) + wv * load<i64>(xp));
                    yp += 8;
                    xp += swBytes;
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

/**
 * im2col: for each batch item and group, fill cols[(c, tap), q] (zero in padding; cols must hold
 * CI/G · |k| · |out| words), then y_block = w_group · cols with the blocked matmul.
 */
export function convIm2col(x: usize, w: usize, y: usize, cols: usize, g: usize): void {
  const N = gi(g, G_N), CI = gi(g, G_CI), CO = gi(g, G_CO), G = gi(g, G_GROUPS);
  const ID = gi(g, G_IN), IH = gi(g, G_IN + 1), IW = gi(g, G_IN + 2);
  const KD = gi(g, G_KER), KH = gi(g, G_KER + 1), KW = gi(g, G_KER + 2);
  const OD = gi(g, G_OUT), OH = gi(g, G_OUT + 1), OW = gi(g, G_OUT + 2);
  const sd = gi(g, G_STRIDE), sh = gi(g, G_STRIDE + 1), sw = gi(g, G_STRIDE + 2);
  const dd = gi(g, G_DIL), dh = gi(g, G_DIL + 1), dw = gi(g, G_DIL + 2);
  const pd = gi(g, G_PAD), ph = gi(g, G_PAD + 1), pw = gi(g, G_PAD + 2);
  const cig = CI / G, cog = CO / G;
  const P = OD * OH * OW, inPlane = ID * IH * IW, kVol = KD * KH * KW, K = cig * kVol;
  for (let b = 0; b < N; b++) {
    for (let gr = 0; gr < G; gr++) {
      memory.fill(cols, 0, word(K * P));
      let row = 0;
      for (let c = 0; c < cig; c++) {
        const xPlane = x + word((b * CI + gr * cig + c) * inPlane);
        for (let kd = 0; kd < KD; kd++) {
          const odLo = rangeLo(sd, pd, kd * dd), odHi = rangeHi(OD, sd, pd, kd * dd, ID, odLo);
          for (let kh = 0; kh < KH; kh++) {
            const ohLo = rangeLo(sh, ph, kh * dh), ohHi = rangeHi(OH, sh, ph, kh * dh, IH, ohLo);
            for (let kw = 0; kw < KW; kw++) {
              const owLo = rangeLo(sw, pw, kw * dw), owHi = rangeHi(OW, sw, pw, kw * dw, IW, owLo);
              const rowBase = cols + word(row * P);
              for (let od = odLo; od < odHi; od++) {
                const id = od * sd - pd + kd * dd;
                for (let oh = ohLo; oh < ohHi; oh++) {
                  const ih = oh * sh - ph + kh * dh;
                  const xRow = xPlane + word((id * IH + ih) * IW);
                  const cRow = rowBase + word((od * OH + oh) * OW);
                  for (let ow = owLo; ow < owHi; ow++) {
                    store<i64>(cRow + word(ow), load<i64>(xRow + word(ow * sw - pw + kw * dw)));
                  }
                }
              }
              row++;
            }
          }
        }
      }
      matmul(w + word(gr * cog * K), cols, y + word((b * CO + gr * cog) * P), cog, K, P);
    }
  }
}

/** y (zeroed here) = transposed convolution, as a scatter: x[q] · w[tap] lands on q·s + tap·d − pad. */
export function convTranspose(x: usize, w: usize, y: usize, g: usize): void {
  const N = gi(g, G_N), CI = gi(g, G_CI), CO = gi(g, G_CO), G = gi(g, G_GROUPS);
  const ID = gi(g, G_IN), IH = gi(g, G_IN + 1), IW = gi(g, G_IN + 2);
  const KD = gi(g, G_KER), KH = gi(g, G_KER + 1), KW = gi(g, G_KER + 2);
  const OD = gi(g, G_OUT), OH = gi(g, G_OUT + 1), OW = gi(g, G_OUT + 2);
  const sd = gi(g, G_STRIDE), sh = gi(g, G_STRIDE + 1), sw = gi(g, G_STRIDE + 2);
  const dd = gi(g, G_DIL), dh = gi(g, G_DIL + 1), dw = gi(g, G_DIL + 2);
  const pd = gi(g, G_PAD), ph = gi(g, G_PAD + 1), pw = gi(g, G_PAD + 2);
  const cig = CI / G, cog = CO / G;
  const outPlane = OD * OH * OW, inPlane = ID * IH * IW, kVol = KD * KH * KW;
  memory.fill(y, 0, word(N * CO * outPlane));
  const swBytes = word(sw);
  for (let b = 0; b < N; b++) {
    for (let ci = 0; ci < CI; ci++) {
      const xPlane = x + word((b * CI + ci) * inPlane);
      const o0 = (ci / cig) * cog;
      for (let oc = 0; oc < cog; oc++) {
        const yPlane = y + word((b * CO + o0 + oc) * outPlane);
        const wBlock = w + word((ci * cog + oc) * kVol);
        for (let kd = 0; kd < KD; kd++) {
          const idLo = rangeLo(sd, pd, kd * dd), idHi = rangeHi(ID, sd, pd, kd * dd, OD, idLo);
          for (let kh = 0; kh < KH; kh++) {
            const ihLo = rangeLo(sh, ph, kh * dh), ihHi = rangeHi(IH, sh, ph, kh * dh, OH, ihLo);
            for (let kw = 0; kw < KW; kw++) {
              const iwLo = rangeLo(sw, pw, kw * dw), iwHi = rangeHi(IW, sw, pw, kw * dw, OW, iwLo);
              if (iwLo >= iwHi) continue;
              const wv = load<i64>(wBlock + word((kd * KH + kh) * KW + kw));
              for (let id = idLo; id < idHi; id++) {
                const od = id * sd + kd * dd - pd;
                for (let ih = ihLo; ih < ihHi; ih++) {
                  const oh = ih * sh + kh * dh - ph;
                  let xp = xPlane + word((id * IH + ih) * IW + iwLo);
                  const xEnd = xPlane + word((id * IH + ih) * IW + iwHi);
                  let yp = yPlane + word((od * OH + oh) * OW + iwLo * sw + kw * dw - pw);
                  while (xp < xEnd) {
                    store<i64>(yp, load<i64>(yp) + wv * load<i64>(xp));
                    xp += 8;
                    yp += swBytes;
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
