/**
 * Convolutions over Z_{2^64}: direct, im2col and transposed. Same mathematics as the bigint
 * reference (reference-conv.ts), organised for speed. Direct and im2col both end in the SIMD panel
 * product of matmul.ts (weights × columns of receptive fields); they differ in where the columns come
 * from (gathered per panel from a zero-padded copy of the input, or a materialised im2col matrix).
 * Transposed convolution scatters: one weight stays in a register while a contiguous run of inputs
 * lands on the outputs, over the precomputed range whose tap falls inside the output (so no bounds
 * tests in the inner loop).
 */
import { G_CI, G_CO, G_DIL, G_GROUPS, G_IN, G_KER, G_N, G_OUT, G_PAD, G_STRIDE, gi, rangeHi, rangeLo, scratchAfter, word } from './geometry';
import { matmulWith, packRow, PANEL_COLS, panelScratchBytes, panelTimes } from './matmul';

/** Output channels per group from which the direct convolution goes through packed panels. */
const PANEL_MIN_ROWS = 2;

/**
 * y[N, CO, OD, OH, OW] = direct convolution of x with w, as a product of each group's weights
 * w_g[CO/G, (c, tap)] with columns gathered on the fly: per batch item and group the input is copied
 * into a zero-padded box (scratch) just large enough for every tap, so a column — one output
 * position's receptive field — is a fixed table of offsets (kOff, one per (c, tap)) plus the
 * position's base offset; eight positions at a time are gathered straight into a packed panel
 * (matmul.ts) and multiplied by all the group's output channels, two at a time. Groups with a
 * single output channel (depthwise) take the run loop below instead.
 */
export function convDirect(x: usize, w: usize, y: usize, g: usize): void {
  const N = gi(g, G_N), CI = gi(g, G_CI), CO = gi(g, G_CO), G = gi(g, G_GROUPS);
  const ID = gi(g, G_IN), IH = gi(g, G_IN + 1), IW = gi(g, G_IN + 2);
  const KD = gi(g, G_KER), KH = gi(g, G_KER + 1), KW = gi(g, G_KER + 2);
  const OD = gi(g, G_OUT), OH = gi(g, G_OUT + 1), OW = gi(g, G_OUT + 2);
  const sd = gi(g, G_STRIDE), sh = gi(g, G_STRIDE + 1), sw = gi(g, G_STRIDE + 2);
  const dd = gi(g, G_DIL), dh = gi(g, G_DIL + 1), dw = gi(g, G_DIL + 2);
  const pd = gi(g, G_PAD), ph = gi(g, G_PAD + 1), pw = gi(g, G_PAD + 2);
  const cig = CI / G, cog = CO / G;
  if (cog < PANEL_MIN_ROWS) {
    convDirectRuns(x, w, y, g);
    return;
  }
  const P = OD * OH * OW, inPlane = ID * IH * IW, kVol = KD * KH * KW, K = cig * kVol;
  if (N == 0 || CO == 0 || P == 0) return;
  // Padded box: extents reaching the last tap of the last output, input placed at the begin pads.
  const ED = (OD - 1) * sd + (KD - 1) * dd + 1, EH = (OH - 1) * sh + (KH - 1) * dh + 1, EW = (OW - 1) * sw + (KW - 1) * dw + 1;
  const box = ED * EH * EW;
  const end = max(x + word(N * CI * inPlane), max(w + word(CO * K), y + word(N * CO * P)));
  const boxBytes = word(cig * box), kOffBytes = (((<usize>K) << 2) + 15) & ~(<usize>15);
  const xp = scratchAfter(end, boxBytes + kOffBytes + 32 + panelScratchBytes(K));
  const kOff = xp + boxBytes, qBase = kOff + kOffBytes, panel = qBase + 32, stage = panel + ((<usize>K) << 6);
  let r = 0;
  for (let c = 0; c < cig; c++) {
    for (let kd = 0; kd < KD; kd++) {
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++) {
          store<i32>(kOff + ((<usize>r) << 2), c * box + (kd * dd * EH + kh * dh) * EW + kw * dw);
          r++;
        }
      }
    }
  }
  const rowWords = min(IW, EW - pw);
  for (let b = 0; b < N; b++) {
    for (let gr = 0; gr < G; gr++) {
      memory.fill(xp, 0, boxBytes);
      for (let c = 0; c < cig; c++) {
        const xPlane = x + word((b * CI + gr * cig + c) * inPlane);
        for (let id = 0; id < min(ID, ED - pd); id++) {
          for (let ih = 0; ih < min(IH, EH - ph); ih++) {
            const dst = xp + word(c * box + ((id + pd) * EH + ih + ph) * EW + pw);
            if (rowWords > 0) memory.copy(dst, xPlane + word((id * IH + ih) * IW), word(rowWords));
          }
        }
      }
      const wGroup = w + word(gr * cog * K);
      const yGroup = y + word((b * CO + gr * cog) * P);
      for (let q0 = 0; q0 < P; q0 += PANEL_COLS) {
        const cols = min(PANEL_COLS, P - q0);
        for (let q = 0; q < PANEL_COLS; q++) {
          store<i32>(qBase + ((<usize>q) << 2), boxOffset(q0 + (q < cols ? q : 0), OW, OH, sd, sh, sw, EH, EW));
        }
        const b0 = load<i32>(qBase);
        let kp = kOff;
        let d = panel;
        const kEnd = kOff + ((<usize>K) << 2);
        if (cols == PANEL_COLS && sw == 1 && (q0 % OW) + PANEL_COLS <= OW) {
          const base = xp + word(b0);
          while (kp < kEnd) {
            const src = base + word(load<i32>(kp));
            packRow(d, v128.load(src), v128.load(src, 16), v128.load(src, 32), v128.load(src, 48));
            kp += 4;
            d += 64;
          }
        } else {
          while (kp < kEnd) {
            const src = xp + word(load<i32>(kp));
            packRow(
              d,
              i64x2(boxWord(src, qBase, 0, cols), boxWord(src, qBase, 1, cols)),
              i64x2(boxWord(src, qBase, 2, cols), boxWord(src, qBase, 3, cols)),
              i64x2(boxWord(src, qBase, 4, cols), boxWord(src, qBase, 5, cols)),
              i64x2(boxWord(src, qBase, 6, cols), boxWord(src, qBase, 7, cols)),
            );
            kp += 4;
            d += 64;
          }
        }
        panelTimes(wGroup, word(K), cog, panel, K, yGroup + word(q0), word(P), cols, stage);
      }
    }
  }
}

/**
 * Direct convolution for groups of few output channels (depthwise above all), where a panel would
 * serve too few rows to repay its gather: for each (output channel, input channel, tap) one weight
 * stays in a register while a contiguous run of outputs accumulates, over the precomputed range of
 * output offsets whose tap lands inside the input (so no bounds tests in the inner loop). y is
 * zeroed here.
 */
function convDirectRuns(x: usize, w: usize, y: usize, g: usize): void {
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

/** Word q (< cols, else 0) of a panel row: the box word at src plus position q's base offset. */
@inline
function boxWord(src: usize, qBase: usize, q: i32, cols: i32): i64 {
  return q < cols ? load<i64>(src + word(load<i32>(qBase + ((<usize>q) << 2)))) : 0;
}

/** Offset in the padded box of output position q's first tap. */
@inline
function boxOffset(q: i32, OW: i32, OH: i32, sd: i32, sh: i32, sw: i32, EH: i32, EW: i32): i32 {
  const ow = q % OW, r = q / OW;
  const oh = r % OH, od = r / OH;
  return (od * sd * EH + oh * sh) * EW + ow * sw;
}

/**
 * im2col: for each batch item and group, fill cols[(c, tap), q] (zero in padding, each word written
 * once; cols must hold CI/G · |k| · |out| words), then y_block = w_group · cols with the SIMD matmul (panel scratch above the operands).
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
  const end = max(x + word(N * CI * inPlane), max(w + word(CO * K), max(y + word(N * CO * P), cols + word(K * P))));
  const scratch = scratchAfter(end, panelScratchBytes(K));
  for (let b = 0; b < N; b++) {
    for (let gr = 0; gr < G; gr++) {
      let rowBase = cols;
      for (let c = 0; c < cig; c++) {
        const xPlane = x + word((b * CI + gr * cig + c) * inPlane);
        for (let kd = 0; kd < KD; kd++) {
          const odLo = rangeLo(sd, pd, kd * dd), odHi = rangeHi(OD, sd, pd, kd * dd, ID, odLo);
          for (let kh = 0; kh < KH; kh++) {
            const ohLo = rangeLo(sh, ph, kh * dh), ohHi = rangeHi(OH, sh, ph, kh * dh, IH, ohLo);
            for (let kw = 0; kw < KW; kw++) {
              const owLo = min(OW, rangeLo(sw, pw, kw * dw)), owHi = min(OW, rangeHi(OW, sw, pw, kw * dw, IW, owLo));
              let cRow = rowBase;
              for (let od = 0; od < OD; od++) {
                const id = od * sd - pd + kd * dd;
                for (let oh = 0; oh < OH; oh++) {
                  if (od < odLo || od >= odHi || oh < ohLo || oh >= ohHi) {
                    zeroWords(cRow, cRow + word(OW));
                  } else {
                    const ih = oh * sh - ph + kh * dh;
                    const src = xPlane + word((id * IH + ih) * IW + owLo * sw - pw + kw * dw);
                    zeroWords(cRow, cRow + word(owLo));
                    copyStrided(cRow + word(owLo), cRow + word(owHi), src, sw);
                    zeroWords(cRow + word(owHi), cRow + word(OW));
                  }
                  cRow += word(OW);
                }
              }
              rowBase += word(P);
            }
          }
        }
      }
      matmulWith(w + word(gr * cog * K), cols, y + word((b * CO + gr * cog) * P), cog, K, P, scratch);
    }
  }
}

@inline
function zeroWords(p: usize, end: usize): void {
  while (p < end) {
    store<i64>(p, 0);
    p += 8;
  }
}

/** Copy words to [dst, dEnd) from src, src stepping by `stride` words (two at a time when 1). */
@inline
function copyStrided(dst: usize, dEnd: usize, src: usize, stride: i32): void {
  if (stride == 1) {
    while (dst + 16 <= dEnd) {
      v128.store(dst, v128.load(src));
      dst += 16;
      src += 16;
    }
    if (dst < dEnd) store<i64>(dst, load<i64>(src));
    return;
  }
  const step = word(stride);
  while (dst < dEnd) {
    store<i64>(dst, load<i64>(src));
    dst += 8;
    src += step;
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
