/**
 * Golden IR tests of the HLIL passes: each `golden/<case>.before.hlil` is run through its pass and
 * printed (printHlil); the text must equal `golden/<case>.after.hlil` byte for byte. The after files
 * were reviewed by hand (the arithmetic of the BatchNorm cases is worked in proofs-notes/hlil-batchnorm.md).
 * UPDATE_GOLDEN=1 rewrites the after files instead of comparing (then review the diff).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printHlil } from '../../../ir/text.js';
import { parseProgram } from '../../../harness/io/program.js';
import { batchNorm } from '../../../passes/hlil/batchnorm.js';
import { constFold } from '../../../passes/hlil/const-fold.js';
import { deadNodes } from '../../../passes/hlil/dead-nodes.js';
import type { HlilModel } from '../../../passes/hlil/model.js';
import { optimizeHlil, paperConfig } from '../../../passes/hlil/pipeline.js';
import { reluMaxPool } from '../../../passes/hlil/relu-maxpool.js';

const DIR = join(import.meta.dirname, 'golden');

function load(file: string, weights: ReadonlyMap<string, Float32Array> = new Map()): HlilModel {
  const l = parseProgram(readFileSync(join(DIR, file), 'utf8'), file);
  if (l.ir !== 'hlil') throw new Error(`${file} is not HLIL`);
  return { program: l.program, weights };
}

const ones = (n: number): Float32Array => new Float32Array(n).fill(0.5);
const stemWeights = new Map<string, Float32Array>([
  ['w', ones(36)],
  ['g', Float32Array.of(3, 0.5)],
  ['be', Float32Array.of(0, 1)],
  ['mu', Float32Array.of(1, -1)],
  ['v', Float32Array.of(4, 0.25)],
  ['fc', Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8)],
]);

const CASES: readonly (readonly [string, string, (m: HlilModel) => HlilModel])[] = [
  ['relu-maxpool', 'relu-maxpool.before.hlil', (m) => reluMaxPool(m).model],
  ['batchnorm (Mul + BiasAdd)', 'batchnorm.before.hlil', (m) => batchNorm(m).model],
  ['batchnorm-fold', 'batchnorm.before.hlil', (m) => batchNorm(m, 'fold').model],
  ['const-fold', 'const-fold.before.hlil', (m) => constFold(m).model],
  ['dead-nodes', 'dead-nodes.before.hlil', (m) => deadNodes(m).model],
  ['pipeline', 'pipeline.before.hlil', (m) => optimizeHlil({ ...m, weights: stemWeights }, paperConfig).model],
];

describe('golden HLIL passes', () => {
  it.each(CASES)('%s', (name, before, pass) => {
    const got = printHlil(pass(load(before)).program);
    const file = join(DIR, `${name.replace(/ .*$/, '')}.after.hlil`);
    if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(file)) writeFileSync(file, got);
    expect(got).toBe(readFileSync(file, 'utf8'));
  });

  it('the pipeline golden case keeps the new BatchNorm weights on the server, with the right values', () => {
    const { model } = optimizeHlil({ ...load('pipeline.before.hlil'), weights: stemWeights }, paperConfig);
    const eps = Math.fround(1e-5);
    const gp = [3 / Math.sqrt(4 + eps), 0.5 / Math.sqrt(0.25 + eps)];
    expect(Array.from(model.weights.get('n:gamma') ?? [])).toEqual(
      gp.flatMap((g) => new Array<number>(16).fill(Math.fround(g))),
    );
    expect(Array.from(model.weights.get('n:beta') ?? [])).toEqual(
      [0 - (gp[0] as number) * 1, 1 - (gp[1] as number) * -1].map(Math.fround),
    );
    expect(Array.from(model.weights.get('fct') ?? [])).toEqual([1, 3, 5, 7, 2, 4, 6, 8]);
    expect([...model.weights.keys()].sort()).toEqual(['fct', 'n:beta', 'n:gamma', 'w']);
  });
});
