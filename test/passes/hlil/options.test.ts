/**
 * The HLIL pipeline's options (passes/hlil/pipeline.ts): the paper preset, one flag per pass that
 * really turns that pass off, and the BatchNorm pass's refusals (unknown parameters, a Conv that
 * cannot take the fold) reported with their reasons.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hlilBuilder } from '../../../ir/builder.js';
import { parseProgram } from '../../../harness/io/program.js';
import { batchNorm } from '../../../passes/hlil/batchnorm.js';
import { noHlilOptimisations, optimizeHlil, paperConfig, type HlilOptions } from '../../../passes/hlil/pipeline.js';
import type { HlilModel } from '../../../passes/hlil/model.js';

function stem(): HlilModel {
  const l = parseProgram(readFileSync(join(import.meta.dirname, 'golden', 'pipeline.before.hlil'), 'utf8'), 'stem');
  if (l.ir !== 'hlil') throw new Error('not HLIL');
  const n = (k: number, v = 0.5): Float32Array => new Float32Array(k).fill(v);
  return {
    program: l.program,
    weights: new Map([
      ['w', n(36)],
      ['g', n(2)],
      ['be', n(2)],
      ['mu', n(2)],
      ['v', n(2)],
      ['fc', n(8)],
    ]),
  };
}

const ops = (m: HlilModel): string[] => m.program.nodes.map((x) => x.op);

describe('HLIL options', () => {
  it('paperConfig: BatchNorm as Mul + BiasAdd (not folded), ReLU∘MaxPool on, and it is the default', () => {
    expect(paperConfig).toEqual({
      constFold: true,
      batchNorm: true,
      foldBatchNorm: false,
      expandBatchNorm: true,
      reluMaxPool: true,
      deadNodes: true,
    });
    expect(Object.isFrozen(paperConfig)).toBe(true);
    expect(optimizeHlil(stem()).model.program).toEqual(optimizeHlil(stem(), paperConfig).model.program);
    expect(ops(optimizeHlil(stem()).model)).toEqual([
      'Conv',
      'Mul',
      'BiasAdd',
      'MaxPool',
      'Relu',
      'GlobalAvgPool',
      'Flatten',
      'MatMul',
    ]);
  });

  it.each<[keyof HlilOptions, (m: HlilModel) => boolean]>([
    ['constFold', (m) => ops(m).includes('Transpose')],
    ['batchNorm', (m) => ops(m).includes('BatchNorm')],
    ['reluMaxPool', (m) => ops(m).indexOf('Relu') < ops(m).indexOf('MaxPool')],
    ['deadNodes', (m) => m.program.decls.some((d) => d.name === 'g')],
  ])('%s: false turns that pass off', (flag, untouched) => {
    const on = optimizeHlil(stem());
    const off = optimizeHlil(stem(), { [flag]: false });
    expect(untouched(on.model)).toBe(false);
    expect(untouched(off.model)).toBe(true);
    expect(off.report[flag as 'constFold']).toBeUndefined();
  });

  it("expandBatchNorm: γ' is shared at the full shape of x (an elementwise product); off, broadcast per channel", () => {
    const gamma = (m: HlilModel) => m.program.decls.find((d) => d.name === 'n:gamma');
    const on = optimizeHlil(stem()).model;
    const off = optimizeHlil(stem(), { expandBatchNorm: false }).model;
    expect(gamma(on)?.shape).toEqual([1, 2, 4, 4]);
    expect(gamma(off)?.shape).toEqual([2, 1, 1]);
    expect(Array.from(on.weights.get('n:gamma') ?? [])).toEqual(
      Array.from(off.weights.get('n:gamma') ?? []).flatMap((g) => new Array<number>(16).fill(g)),
    );
  });

  it('everything off leaves the program as it was; liveness is reported either way', () => {
    const r = optimizeHlil(stem(), noHlilOptimisations);
    expect(r.model.program).toEqual(stem().program);
    expect(r.report.liveness.peakBytes).toBeGreaterThan(0);
  });

  it('foldBatchNorm folds into the Conv', () => {
    const r = optimizeHlil(stem(), { foldBatchNorm: true });
    expect(ops(r.model)).toEqual(['Conv', 'MaxPool', 'Relu', 'GlobalAvgPool', 'Flatten', 'MatMul']);
    expect(r.report.batchNorm?.rewrites).toEqual([{ node: 'n', as: 'fold' }]);
    expect([...r.model.weights.keys()].sort()).toEqual(['fct', 'n:bias', 'w:bn']);
  });
});

describe('BatchNorm refusals', () => {
  function conv2bn(weights: boolean) {
    const b = hlilBuilder();
    const x = b.input('x', [1, 1, 3, 3], 'client');
    const c = b.conv(x, b.input('w', [1, 1, 1, 1], 'server'));
    const p = (name: string): string => b.input(name, [1], 'server');
    const n = b.batchNorm(c, { scale: p('g'), bias: p('be'), mean: p('mu'), var: p('v') });
    b.output(b.add(n, c), 'client');
    const w = new Map(['w', 'g', 'be', 'mu', 'v'].map((k) => [k, Float32Array.of(1)]));
    return { program: b.build(), weights: weights ? w : new Map<string, Float32Array>() };
  }

  it('keeps a BatchNorm whose parameters are not known, saying why', () => {
    const r = batchNorm(conv2bn(false));
    expect(r.report.rewrites).toEqual([
      { node: 't1', as: 'kept', note: 'its parameters are not known at compile time' },
    ]);
    expect(r.model.program).toEqual(conv2bn(false).program);
  });

  it('does not fold into a Conv with other uses, and falls back to Mul + BiasAdd', () => {
    const r = batchNorm(conv2bn(true), 'fold');
    expect(r.report.rewrites).toEqual([
      { node: 't1', as: 'mul-add', note: "not folded: the Conv 't0' has other uses" },
    ]);
    expect(r.model.program.nodes.map((n) => n.op)).toEqual(['Conv', 'Mul', 'BiasAdd', 'Add']);
  });
});
