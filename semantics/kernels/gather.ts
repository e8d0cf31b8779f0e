/**
 * The one gather loop nest behind the reference and float convolutions, direct and transposed.
 *
 * For each output cell in row-major order (batch, output channel, D, H, W) it visits the taps that
 * feed the cell in a fixed order — input channel of the group, then kernel offsets in row-major
 * order — skipping taps that land in padding (or, transposed, between strides). The arithmetic is
 * the caller's: `step` folds one (input index, weight index) pair into the accumulator and `done`
 * stores the finished cell, so the bigint reference reduces mod 2^ℓ and the float32 kernel rounds
 * every step, both over exactly the same taps in exactly the same order.
 */
import type { ConvPlan } from './geometry.js';

export interface GatherMap {
  /** Input offset on axis a feeding output offset `out` through tap `tap`, or −1 when none does. */
  readonly source: (axis: 0 | 1 | 2, out: number, tap: number) => number;
  /** Index of the (kernel-volume-sized) weight block of output channel o and group input channel c. */
  readonly weightBlock: (o: number, c0: number, c: number) => number;
}

/** Direct convolution: output o reads input o·s − p + t·d; weights CO × CI/G × k. */
export function directMap(p: ConvPlan): GatherMap {
  const cig = p.ci / p.groups;
  return {
    source: (a, out, tap) => {
      const i = out * p.strides[a] - p.padBegin[a] + tap * p.dilations[a];
      return i >= 0 && i < p.inp[a] ? i : -1;
    },
    weightBlock: (o, _c0, c) => o * cig + c,
  };
}

/** Transposed convolution: output o reads input q with q·s + t·d − p = o; weights CI × CO/G × k. */
export function transposedMap(p: ConvPlan): GatherMap {
  const cog = p.co / p.groups;
  return {
    source: (a, out, tap) => {
      const num = out + p.padBegin[a] - tap * p.dilations[a];
      if (num < 0 || num % p.strides[a] !== 0) return -1;
      const q = num / p.strides[a];
      return q < p.inp[a] ? q : -1;
    },
    weightBlock: (o, c0, c) => (c0 + c) * cog + (o % cog),
  };
}

export function gatherConv<T>(
  p: ConvPlan,
  map: GatherMap,
  zero: T,
  step: (acc: T, xi: number, wi: number) => T,
  done: (yi: number, acc: T) => void,
): void {
  const [ID, IH, IW] = p.inp;
  const [KD, KH, KW] = p.ker;
  const [OD, OH, OW] = p.out;
  const cig = p.ci / p.groups;
  const cog = p.co / p.groups;
  const { source, weightBlock } = map;
  let yi = 0;
  for (let b = 0; b < p.n; b++) {
    for (let o = 0; o < p.co; o++) {
      const c0 = Math.floor(o / cog) * cig;
      for (let od = 0; od < OD; od++) {
        for (let oh = 0; oh < OH; oh++) {
          for (let ow = 0; ow < OW; ow++) {
            let acc = zero;
            for (let c = 0; c < cig; c++) {
              const xPlane = (b * p.ci + c0 + c) * ID;
              const wBase = weightBlock(o, c0, c) * KD;
              for (let kd = 0; kd < KD; kd++) {
                const id = source(0, od, kd);
                if (id < 0) continue;
                for (let kh = 0; kh < KH; kh++) {
                  const ih = source(1, oh, kh);
                  if (ih < 0) continue;
                  for (let kw = 0; kw < KW; kw++) {
                    const iw = source(2, ow, kw);
                    if (iw < 0) continue;
                    acc = step(acc, ((xPlane + id) * IH + ih) * IW + iw, ((wBase + kd) * KH + kh) * KW + kw);
                  }
                }
              }
            }
            done(yi++, acc);
          }
        }
      }
    }
  }
}
