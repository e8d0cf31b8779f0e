/**
 * Secure inference agrees with the clear semantics (harness/runner/inference.ts), as a property over
 * client inputs: logistic regression (784 × 10, CrypTFlow's Fig. 3 model) and a small CNN, under
 * Porthos and SecureNN.
 *   - with the plaintext fixed point (exact ScaleDown): |secure − fixed| ≤ 2·E_fixed, where E_fixed is
 *     the range analysis's bound on |decode(fixed) − R| that holds for exact and local truncation alike
 *     (both results lie within it of the same real R);
 *   - with float32 (floatSem): |secure − float32| ≤ the compile-time bound of each output, and an
 *     ArgMax output's float32 score at the secure index is within the analysis's gap of the maximum;
 *   - the analysis says nothing may overflow and every comparison stays in the protocols' domain.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onnxGraph } from '../../passes/frontend/onnx/writer.js';
import { onnxToHlil } from '../../passes/frontend/onnx/index.js';
import { optimizeHlil } from '../../passes/hlil/pipeline.js';
import { secureInference, type BackendName } from '../../harness/runner/inference.js';

const RUNS = process.env['CRYPTFLOW_SLOW'] === '1' ? 400 : 50;
const wave = (n: number, k: number, a = 1): number[] => Array.from({ length: n }, (_, i) => a * Math.sin(i * k + 0.5));

function logreg(): ReturnType<typeof optimizeHlil>['model'] {
  const g = onnxGraph({ opset: 13 });
  const x = g.input('x', [1, 784]);
  const logits = g.node(
    'Add',
    [g.node('MatMul', [x, g.weight('W', [784, 10], wave(7840, 0.37, 0.1))]), g.weight('b', [10], wave(10, 1.1, 0.2))],
    {},
    { outputs: ['logits'] },
  );
  g.output(logits, [1, 10]);
  g.output(g.node('ArgMax', [logits], { axis: 1, keepdims: 0 }, { outputs: ['cls'] }), [1], 'int64');
  return optimizeHlil(onnxToHlil(g.bytes())).model;
}

function cnn(): ReturnType<typeof optimizeHlil>['model'] {
  const g = onnxGraph({ opset: 13 });
  const x = g.input('x', [1, 1, 8, 8]);
  const c1 = g.node(
    'Conv',
    [x, g.weight('w1', [3, 1, 3, 3], wave(27, 0.7, 0.5)), g.weight('b1', [3], [0.1, -0.1, 0])],
    { pads: [1, 1, 1, 1] },
  );
  const p1 = g.node('MaxPool', [g.node('Relu', [c1])], { kernel_shape: [2, 2], strides: [2, 2] });
  const c2 = g.node('Conv', [p1, g.weight('w2', [4, 3, 3, 3], wave(108, 1.9, 0.4))], {});
  const logits = g.node(
    'Gemm',
    [g.node('Flatten', [g.node('Relu', [c2])]), g.weight('W', [3, 16], wave(48, 1.3, 0.5))],
    { transB: 1 },
    { outputs: ['logits'] },
  );
  g.output(logits, [1, 3]);
  return optimizeHlil(onnxToHlil(g.bytes())).model;
}

const MODELS = [
  { name: 'logistic regression 784×10', model: logreg(), input: 'x', size: 784, lo: -1, hi: 1 },
  { name: 'small CNN', model: cnn(), input: 'x', size: 64, lo: 0, hi: 1 },
];

describe('secure inference agrees with plaintext fixed point and float32 within the bounds', () => {
  for (const m of MODELS) {
    for (const backend of ['porthos', 'securenn'] as BackendName[]) {
      it(`${m.name} under ${backend}`, async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.float({ min: Math.fround(m.lo), max: Math.fround(m.hi), noNaN: true }), {
              minLength: m.size,
              maxLength: m.size,
            }),
            fc.integer({ min: 0, max: 1e6 }),
            async (xs, seed) => {
              const r = await secureInference(m.model, new Map([[m.input, Float32Array.from(xs)]]), {
                backend,
                ell: 64,
                scale: 12,
                seed: String(seed),
              });
              expect(r.range.boundsHold).toBe(true);
              expect(r.range.domain).toEqual([]);
              for (const o of r.outputs) {
                expect(o.withinBound).toBe(true);
                if (o.boundKind === 'argmax-gap') continue;
                expect(o.maxAbsDiff).toBeLessThanOrEqual(o.bound);
                const fixedError = r.range.tensors.find((t) => t.name === o.name)?.llil?.fixedError ?? 0;
                expect(fixedError).toBeGreaterThan(0);
                expect(o.fixedDiff).toBeLessThanOrEqual(2 * fixedError);
              }
            },
          ),
          { numRuns: RUNS },
        );
      });
    }
  }
});
