/**
 * The study models' training code: the multi-label (sigmoid + binary cross-entropy) backward pass of
 * scripts/train/multilabel.ts, the 3-D layers of scripts/train/layers3d.ts and the small 3D-UNet of
 * scripts/train/unet3d.ts equal central finite differences; SGD lowers the 3D-UNet's loss.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { initParams, zeroParams, PARAM_NAMES, type CnnShape } from '../../scripts/train/cnn.js';
import { backwardMulti } from '../../scripts/train/multilabel.js';
import { conv3d, conv3dBack, convT3d, convT3dBack, maxPool3d, maxPool3dBack } from '../../scripts/train/layers3d.js';
import {
  initUnet,
  trainUnet,
  unetBackward,
  zeroUnet,
  UNET_PARAMS,
  type UnetShape,
} from '../../scripts/train/unet3d.js';

const normal = (rng: () => number) => (): number =>
  Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());

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

  it('3-D layers: conv (k = 1, 3), max pool, transposed conv — gradients = finite differences', () => {
    const rng = seedrandom('layers');
    const r = (k: number): Float64Array => Float64Array.from({ length: k }, () => normal(rng)());
    const n = 4;
    const x = r(2 * n ** 3);
    const probe = r(3 * n ** 3);
    const h = 1e-6;
    for (const k of [1, 3]) {
      const w = r(3 * 2 * k ** 3);
      const b = r(3);
      const f = (): number => conv3d(x, 2, 3, n, k, w, b).reduce((a, v, i) => a + v * (probe[i] as number), 0);
      const [dw, db] = [new Float64Array(w.length), new Float64Array(3)];
      const dx = conv3dBack(x, 2, 3, n, k, w, probe, dw, db);
      for (const [arr, grad] of [
        [x, dx],
        [w, dw],
        [b, db],
      ] as const) {
        for (let i = 0; i < arr.length; i += 3) {
          const v = arr[i] as number;
          arr[i] = v + h;
          const up = f();
          arr[i] = v - h;
          const down = f();
          arr[i] = v;
          expect(grad[i]).toBeCloseTo((up - down) / (2 * h), 5);
        }
      }
    }
    const m = 2;
    const xs = r(2 * m ** 3);
    const wt = r(2 * 3 * 8);
    const bt = r(3);
    const probeT = r(3 * (2 * m) ** 3);
    const fT = (): number => convT3d(xs, 2, 3, m, wt, bt).reduce((a, v, i) => a + v * (probeT[i] as number), 0);
    const [dwt, dbt] = [new Float64Array(wt.length), new Float64Array(3)];
    const dxs = convT3dBack(xs, 2, 3, m, wt, probeT, dwt, dbt);
    for (const [arr, grad] of [
      [xs, dxs],
      [wt, dwt],
      [bt, dbt],
    ] as const) {
      for (let i = 0; i < arr.length; i++) {
        const v = arr[i] as number;
        arr[i] = v + h;
        const up = fT();
        arr[i] = v - h;
        const down = fT();
        arr[i] = v;
        expect(grad[i]).toBeCloseTo((up - down) / (2 * h), 5);
      }
    }
    const { out, arg } = maxPool3d(x, 2, n);
    expect(out.length).toBe(2 * 8);
    out.forEach((v, i) => expect(x[arg[i] as number]).toBe(v));
    const dp = maxPool3dBack(
      arg,
      Float64Array.from(out, () => 1),
      x.length,
    );
    expect(dp.reduce((a, v) => a + v, 0)).toBe(16);
  });

  it('3D-UNet: gradient = finite differences of the weighted loss; SGD lowers the loss', () => {
    const rng = seedrandom('unet');
    const s: UnetShape = { size: 4, c1: 2, c2: 3, classes: 3 };
    const p = initUnet(s, normal(rng));
    for (const name of UNET_PARAMS) if (name.endsWith('b')) p[name].fill(0.2);
    const x = Float64Array.from({ length: 64 }, () => normal(rng)());
    const y = Int32Array.from({ length: 64 }, (_, i) => (i * 7) % 3);
    const w = [0.5, 1, 1.5];
    const g = zeroUnet(s);
    unetBackward(s, p, x, y, w, g);
    const h = 1e-6;
    for (const name of UNET_PARAMS) {
      for (let i = 0; i < p[name].length; i += 2) {
        const v = p[name][i] as number;
        p[name][i] = v + h;
        const up = unetBackward(s, p, x, y, w, zeroUnet(s));
        p[name][i] = v - h;
        const down = unetBackward(s, p, x, y, w, zeroUnet(s));
        p[name][i] = v;
        expect(g[name][i]).toBeCloseTo((up - down) / (2 * h), 5);
      }
    }
    const losses: number[] = [];
    trainUnet(s, [{ x, y }], { epochs: 30, batch: 1, rate: 0.05, rng: seedrandom('t') }, (_e: number, l: number) =>
      losses.push(l),
    );
    expect(losses[losses.length - 1]).toBeLessThan((losses[0] as number) * 0.8);
  });
});
