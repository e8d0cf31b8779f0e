/**
 * The default model's training code (scripts/train/): the hand-written backward pass equals finite
 * differences of the loss; the exported ONNX model, imported by our frontend, computes what the
 * training code computes; SGD lowers the loss on synthetic data; and the synthetic X-ray generator
 * (harness/zoo/synthetic.ts) is seeded and in range.
 */
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { floatSem } from '../../semantics/float.js';
import { onnxToHlil } from '../../passes/frontend/onnx/index.js';
import { xrayDataset } from '../../harness/zoo/synthetic.js';
import {
  backward,
  forward,
  initParams,
  softmax,
  zeroParams,
  PARAM_NAMES,
  type CnnShape,
} from '../../scripts/train/cnn.js';
import { cnnOnnx } from '../../scripts/train/export.js';
import { train } from '../../scripts/train/sgd.js';

const RUNS = process.env['CRYPTFLOW_SLOW'] === '1' ? 100 : 5;
const normal = (rng: () => number) => (): number =>
  Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());

const shapeArb = fc.record({
  height: fc.constantFrom(4, 6),
  width: fc.constantFrom(4, 8),
  c1: fc.integer({ min: 1, max: 3 }),
  c2: fc.integer({ min: 1, max: 3 }),
  classes: fc.integer({ min: 2, max: 3 }),
});

describe('the tiny CNN trainer', () => {
  it('computes the gradient of the cross-entropy loss (central finite differences)', () => {
    fc.assert(
      fc.property(shapeArb, fc.string(), (s: CnnShape, seed) => {
        const rng = seedrandom(seed);
        const p = initParams(s, normal(rng));
        for (const name of PARAM_NAMES) p[name].forEach((_, i, a) => (a[i] = 0.5 * normal(rng)()));
        const x = Float64Array.from({ length: s.height * s.width }, () => rng());
        const label = Math.floor(rng() * s.classes);
        const grad = zeroParams(s);
        backward(s, p, x, label, grad);
        const loss = (): number => -Math.log(softmax(forward(s, p, x))[label] as number);
        for (const name of PARAM_NAMES) {
          const a = p[name];
          for (let i = 0; i < a.length; i++) {
            const v = a[i] as number;
            a[i] = v + 1e-6;
            const up = loss();
            a[i] = v - 1e-6;
            const down = loss();
            a[i] = v;
            expect(Math.abs((up - down) / 2e-6 - (grad[name][i] as number))).toBeLessThan(1e-5);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('exports an ONNX model that our frontend imports to the same function', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        const s: CnnShape = { height: 8, width: 8, c1: 2, c2: 3, classes: 2 };
        const rng = seedrandom(seed);
        const p = initParams(s, normal(rng));
        const norm = { mean: 0.4, std: 0.2 };
        const m = onnxToHlil(cnnOnnx(s, p, norm));
        const raw = Float64Array.from({ length: 64 }, () => Math.round(255 * rng()) / 255);
        const got =
          floatSem(m.program, new Map([['image', Float32Array.from(raw)], ...m.weights])).get('prob') ??
          new Float32Array();
        const want = softmax(
          forward(
            s,
            p,
            raw.map((v) => (v - norm.mean) / norm.std),
          ),
        );
        want.forEach((v, k) => expect(Math.abs(v - (got[k] as number))).toBeLessThan(1e-5));
      }),
      { numRuns: RUNS },
    );
  });

  it('plain SGD lowers the training loss on synthetic X-rays', () => {
    const s: CnnShape = { height: 16, width: 16, c1: 4, c2: 4, classes: 2 };
    const data = xrayDataset('test/train', 300, 16).map((d) => ({
      x: Float64Array.from(d.pixels, (v) => (v - 0.4) / 0.2),
      label: d.lesion ? 1 : 0,
    }));
    const { epochs } = train(s, data.slice(0, 240), data.slice(240), {
      epochs: 4,
      batch: 8,
      rate: 0.1,
      halveEvery: 4,
      rng: seedrandom('sgd'),
    });
    expect(epochs).toHaveLength(4);
    expect(epochs[3]?.loss).toBeLessThan(epochs[0]?.loss ?? 0);
  });
});

describe('the synthetic X-ray generator', () => {
  it('is seeded, in [0, 1], and draws both classes', () => {
    const a = xrayDataset('seed', 40, 12);
    const b = xrayDataset('seed', 40, 12);
    expect(a.map((d) => Array.from(d.pixels))).toEqual(b.map((d) => Array.from(d.pixels)));
    expect(a.every((d) => d.pixels.every((v) => v >= 0 && v <= 1))).toBe(true);
    const lesions = a.filter((d) => d.lesion).length;
    expect(lesions).toBeGreaterThan(5);
    expect(lesions).toBeLessThan(35);
    expect(a.every((d) => (d.scene.nodule !== null) === d.lesion)).toBe(true);
    expect(xrayDataset('other', 1, 12)[0]?.pixels).not.toEqual(a[0]?.pixels);
  });
});
