/**
 * Every HLIL optimisation pass preserves floatSem (passes/hlil/*), on random programs from both the
 * general arbitrary (test/arbitraries/hlil.ts) and the CNN-pattern arbitrary (hlil-patterns.ts):
 *   - ReLU∘MaxPool, constant folding, dead-node removal, and the whole pipeline without BatchNorm:
 *     bit for bit, and the result type-checks;
 *   - BatchNorm (Mul + BiasAdd, or folded into the Conv): within |F_before − R| + |F_after − R| as the
 *     range analysis bounds them (R the exact reals; the new weights carry their rounding bounds);
 *   - what each pass leaves behind: no swappable Relu→MaxPool, no foldable shape node, no dead node,
 *     weights exactly for the server inputs.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHlil } from '../../../ir/check.js';
import type { HProgram } from '../../../ir/hlil.js';
import { operandsOf } from '../../../ir/traverse.js';
import { floatSem } from '../../../semantics/float.js';
import { floatFacts } from '../../../passes/float-to-fixed/analysis-float.js';
import { batchNorm, type BatchNormMode } from '../../../passes/hlil/batchnorm.js';
import { constFold } from '../../../passes/hlil/const-fold.js';
import { deadNodes } from '../../../passes/hlil/dead-nodes.js';
import { optimizeHlil } from '../../../passes/hlil/pipeline.js';
import { reluMaxPool } from '../../../passes/hlil/relu-maxpool.js';
import type { HlilModel } from '../../../passes/hlil/model.js';
import { hlilProgram } from '../../arbitraries/hlil.js';
import { cnnProgram, withWeights, type WithWeights } from '../../arbitraries/hlil-patterns.js';

const RUNS = process.env['CRYPTFLOW_SLOW'] === '1' ? 1000 : 50;
const [LO, HI] = [-2, 2];

const programs = fc.oneof(cnnProgram(5), hlilProgram({ maxNodes: 6 }));

function run(
  p: HProgram,
  weights: ReadonlyMap<string, Float32Array>,
  inputs: ReadonlyMap<string, Float32Array>,
): Map<string, Float32Array> {
  const all = new Map(inputs);
  for (const d of p.decls) {
    const w = weights.get(d.name);
    if (d.kind === 'input' && d.owner === 'server' && w !== undefined) all.set(d.name, w);
  }
  return floatSem(p, all);
}

function expectWellTyped(p: HProgram): void {
  const r = checkHlil(p);
  expect(E.isRight(r) ? [] : r.left.map((e) => e.message)).toEqual([]);
}

function expectWeightsMatch(m: HlilModel): void {
  const server = m.program.decls
    .filter((d) => d.kind === 'input' && d.owner === 'server')
    .map((d) => d.name)
    .sort();
  expect([...m.weights.keys()].sort()).toEqual(server);
}

function exactly(pass: (m: HlilModel) => { model: HlilModel }, w: WithWeights): HlilModel {
  const before = run(w.program, w.weights, w.inputs);
  const { model } = pass({ program: w.program, weights: w.weights });
  expectWellTyped(model.program);
  expect(run(model.program, model.weights, w.inputs)).toEqual(before);
  return model;
}

const counts = new Map<string, number>();
const bump = (k: string, n = 1): void => {
  counts.set(k, (counts.get(k) ?? 0) + n);
};
afterAll(() => console.log(`hlil passes on random programs: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}`));

describe('exact passes preserve floatSem bit for bit', () => {
  it('ReLU∘MaxPool', () => {
    fc.assert(
      fc.property(withWeights(programs, LO, HI), (w) => {
        const m = exactly(reluMaxPool, w);
        const users = new Map<string, number>();
        for (const n of m.program.nodes) for (const v of new Set(operandsOf(n))) users.set(v, (users.get(v) ?? 0) + 1);
        const relus = new Set(m.program.nodes.filter((n) => n.op === 'Relu').map((n) => n.out));
        const outs = new Set(m.program.outputs.map((o) => o.name));
        for (const n of m.program.nodes) {
          if (n.op === 'MaxPool' && relus.has(n.x)) expect(users.get(n.x) !== 1 || outs.has(n.x)).toBe(true);
        }
        bump('relu∘maxpool swaps', reluMaxPool({ program: w.program, weights: w.weights }).report.swapped.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('constant folding of shape-only subgraphs', () => {
    fc.assert(
      fc.property(withWeights(programs, LO, HI), (w) => {
        const m = exactly(constFold, w);
        const known = new Set(
          m.program.decls.filter((d) => d.kind === 'const' || d.owner === 'server').map((d) => d.name),
        );
        for (const n of m.program.nodes) {
          const shapeOnly = ['Reshape', 'Flatten', 'Squeeze', 'Transpose', 'Concat', 'Pad'].includes(n.op);
          expect(shapeOnly && operandsOf(n).every((v) => known.has(v))).toBe(false);
        }
        expectWeightsMatch(m);
        const r = constFold({ program: w.program, weights: w.weights }).report;
        bump('public folds', r.publicFolded.length);
        bump('server folds', r.serverFolded.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('dead-node removal', () => {
    fc.assert(
      fc.property(withWeights(programs, LO, HI), (w) => {
        const m = exactly(deadNodes, w);
        const read = new Set([
          ...m.program.nodes.flatMap((n) => [...operandsOf(n)]),
          ...m.program.outputs.map((o) => o.name),
        ]);
        for (const n of m.program.nodes) expect(read.has(n.out)).toBe(true);
        for (const d of m.program.decls)
          if (!(d.kind === 'input' && d.owner === 'client')) expect(read.has(d.name)).toBe(true);
        expectWeightsMatch(m);
        bump('dead nodes removed', deadNodes({ program: w.program, weights: w.weights }).report.removedNodes.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('the whole pipeline with BatchNorm off', () => {
    fc.assert(
      fc.property(withWeights(programs, LO, HI), (w) => {
        exactly((m) => optimizeHlil(m, { batchNorm: false }), w);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('BatchNorm preserves floatSem up to the analysed rounding', () => {
  it.each(['mul-add', 'fold'] as const)('%s', (mode: BatchNormMode) => {
    fc.assert(
      fc.property(withWeights(cnnProgram(5), LO, HI), (w) => {
        const before = run(w.program, w.weights, w.inputs);
        const { model, report } = batchNorm({ program: w.program, weights: w.weights }, mode);
        expectWellTyped(model.program);
        expectWeightsMatch(deadNodes(model).model);
        const after = run(model.program, model.weights, w.inputs);
        const box = { lo: LO, hi: HI };
        const eb = floatFacts({ program: w.program, weights: w.weights, clientRange: box });
        const ea = floatFacts({
          program: model.program,
          weights: model.weights,
          clientRange: box,
          declErr: report.rounding,
        });
        for (const o of w.program.outputs) {
          const bound = (eb.get(o.name)?.err ?? NaN) + (ea.get(o.name)?.err ?? NaN);
          const [x, y] = [before.get(o.name) ?? new Float32Array(), after.get(o.name) ?? new Float32Array()];
          x.forEach((v, i) => expect(Math.abs(v - (y[i] as number))).toBeLessThanOrEqual(bound));
        }
        expect(model.program.nodes.some((n) => n.op === 'BatchNorm')).toBe(false);
        for (const r of report.rewrites) bump(`bn ${mode} → ${r.as}`);
      }),
      { numRuns: RUNS },
    );
    expect(counts.get(`bn ${mode} → ${mode}`) ?? 0).toBeGreaterThan(0);
  });
});
