/**
 * The study models' training code: the multi-label (sigmoid + binary cross-entropy) backward pass of
 * scripts/train/multilabel.ts and the 3-D segmentation network's of scripts/train/seg3d.ts equal
 * central finite differences of their losses; SGD lowers the segmentation loss.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { initParams, zeroParams, PARAM_NAMES, type CnnShape } from '../../scripts/train/cnn.js';
import { backwardMulti } from '../../scripts/train/multilabel.js';
import { initSeg, neighbours, segBackward, trainSeg, type SegShape } from '../../scripts/train/seg3d.js';

const normal = (rng: () => number) => (): number => Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());

describe('study model trainers', () => {
  it('multi-label CNN: gradient = finite differences of the summed BCE', () => {
    const rng = seedrandom('ml');
    const s: CnnShape = { height: 4, width: 4, c1: 2, c2: 3, classes: 3 };
    const p = initParams(s, normal(rng));
    for (const name of PARAM_NAMES) p[name].forEach((_, i, a) => (a[i] = 0.5 * normal(rng)()));
    const e = { x: Float64Array.from({ length: 16 }, () => rng()), labels: [1, 0, 1] };
    const g = zeroParams(s);
    backwardMulti(s, p, e, g);
    const h = 1e-6;
    for (const name of PARAM_NAMES) {
      for (let i = 0; i < p[name].length; i++) {
        const v = p[name][i] as number;
        p[name][i] = v + h;
        const up = backwardMulti(s, p, e, zeroParams(s));
        p[name][i] = v - h;
        const down = backwardMulti(s, p, e, zeroParams(s));
        p[name][i] = v;
        expect(g[name][i]).toBeCloseTo((up - down) / (2 * h), 5);
      }
    }
  });

  it('3-D segmentation network: gradient = finite differences; SGD lowers the loss', () => {
    const rng = seedrandom('seg');
    const s: SegShape = { size: 3, hidden: 2, classes: 3 };
    const p = initSeg(s, normal(rng));
    p.b1.fill(0.3);
    const nb = neighbours(3);
    const x = Float64Array.from({ length: 27 }, () => normal(rng)());
    const y = Int32Array.from({ length: 27 }, (_, i) => i % 3);
    const w = [0.5, 1, 1.5];
    const g = initSeg(s, () => 0);
    segBackward(s, p, x, y, w, nb, g);
    const h = 1e-6;
    for (const name of ['w1', 'b1', 'w2', 'b2'] as const) {
      for (let i = 0; i < p[name].length; i++) {
        const v = p[name][i] as number;
        p[name][i] = v + h;
        const up = segBackward(s, p, x, y, w, nb, initSeg(s, () => 0));
        p[name][i] = v - h;
        const down = segBackward(s, p, x, y, w, nb, initSeg(s, () => 0));
        p[name][i] = v;
        expect(g[name][i]).toBeCloseTo((up - down) / (2 * h), 5);
      }
    }
    const losses: number[] = [];
    trainSeg(s, [{ x, y }], { epochs: 30, batch: 1, rate: 0.1, rng: seedrandom('t') }, (_, l) => losses.push(l));
    expect(losses[losses.length - 1]).toBeLessThan((losses[0] as number) * 0.8);
  });
});
