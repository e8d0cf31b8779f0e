/**
 * `cryptflow run --backend cryptflow2` and `cryptflow cost --backend cryptflow2` end to end through
 * the CLI's `main`, on small models (a tiny ONNX CNN with Conv, ReLU, MaxPool and Gemm, and the zoo's
 * logistic regression), at small rings: the two-party run's outputs are bit-equal to the `plaintext`
 * backend's at the same --bitlen/--scale (CrypTFlow2's truncation is faithful), its bytes — on the two
 * links P0->P1 and P1->P0, no P2 anywhere — equal what `cost` computes link by link, and worker
 * threads give the same outputs and bytes. Rounds: the cost walk's bound plus the base-OT setup's.
 * With CRYPTFLOW_SLOW=1 also every other small zoo network (securenn-a … -d, lenet, unet3d: 10 s to
 * 3 min each on this machine), bit-equal to the plaintext fixed point and metered = cost walk.
 */
import { describe, expect, it } from 'vitest';
import type { RunJson } from '../../harness/cli/run-report.js';
import type { CostReport } from '../../harness/cli/cost.js';
import { otSetupCost } from '../../spec/cost/ot.js';
import { onnxGraph } from '../../passes/frontend/onnx/writer.js';
import { numel } from '../../spec/geometry.js';
import { onnxToHlil } from '../../passes/frontend/onnx/index.js';
import { optimizeHlil, paperConfig } from '../../passes/hlil/pipeline.js';
import { allLinks, costProgram } from '../../harness/cost/walk.js';
import { backendOf, secureInference } from '../../harness/runner/inference.js';
import { zooEntry, zooModel } from '../../harness/zoo/zoo.js';
import { run, scratch } from './support.js';

const tmp = scratch('cryptflow2');
const wave = (n: number, k: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.5));

/** Conv 3×3 → Relu → MaxPool 2×2 → Flatten → Gemm to 3 logits. */
function tinyModel(): string {
  const g = onnxGraph({ opset: 13 });
  const x = g.input('x', [1, 1, 4, 4]);
  const c = g.node('Conv', [x, g.weight('w', [2, 1, 3, 3], wave(18, 0.7)), g.weight('cb', [2], [0.1, -0.1])], {
    pads: [1, 1, 1, 1],
  });
  const p = g.node('MaxPool', [g.node('Relu', [c])], { kernel_shape: [2, 2], strides: [2, 2] });
  const y = g.node(
    'Gemm',
    [g.node('Flatten', [p]), g.weight('W', [3, 8], wave(24, 1.3)), g.weight('b', [3], [0.2, 0, -0.2])],
    { transB: 1 },
  );
  g.output(y, [1, 3]);
  return tmp.file('tiny.onnx', g.bytes());
}

async function json<T>(...argv: string[]): Promise<T> {
  const r = await run(...argv);
  expect(
    r.err.split('\n').filter((l) => /error/.test(l)),
    argv.join(' '),
  ).toEqual([]);
  expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(0);
  return JSON.parse(r.out) as T;
}

function twoPartyBytes(j: RunJson | CostReport): void {
  expect(Object.keys(j.bytes.links)).toEqual(['P0->P1', 'P1->P0']);
  expect(Object.keys(j.bytes.sent)).toEqual(['P0', 'P1']);
  expect(j.bytes.total).toBe(j.bytes.links['P0->P1'] + j.bytes.links['P1->P0']);
  expect(j.bytes.total).toBeGreaterThan(0);
}

describe('cryptflow2 through the CLI', () => {
  const tiny = tinyModel();
  const tinyInput = tmp.file('x.json', JSON.stringify({ x: wave(16, 0.9) }));
  const logregInput = tmp.file('image.json', JSON.stringify({ image: wave(784, 0.37).map((v) => 0.5 + 0.5 * v) }));
  const cases = [
    ['tiny CNN', tiny, tinyInput, '16', '6'],
    ['tiny CNN', tiny, tinyInput, '32', '10'],
    ['zoo:logreg', 'zoo:logreg', logregInput, '32', '8'],
  ] as const;

  // ℓ = 16 is small enough that the range analysis predicts overflow (run exits 3): both backends wrap
  // alike, and bit-equality is what these runs check, so they pass --allow-unsafe.
  for (const [name, model, input, bitlen, scale] of cases) {
    it(`${name} at ℓ = ${bitlen}, s = ${scale}: outputs bit-equal to plaintext; bytes = cost, link by link`, async () => {
      const flags = ['--bitlen', bitlen, '--scale', scale, '--seed', 'c2', '--json', '--quiet', '--allow-unsafe'];
      const two = await json<RunJson>('run', model, '--input', input, '--backend', 'cryptflow2', ...flags);
      const plain = await json<RunJson>('run', model, '--input', input, '--backend', 'plaintext', ...flags);
      expect(two.backend).toBe('cryptflow2');
      expect(two.outputs.map((o) => o.secure)).toEqual(plain.outputs.map((o) => o.secure));
      for (const o of two.outputs) expect(o.fixedDiff, o.name).toBe(0);
      twoPartyBytes(two);
      const cost = await json<CostReport>(
        'cost',
        model,
        '--backend',
        'cryptflow2',
        '--bitlen',
        bitlen,
        '--scale',
        scale,
        '--json',
      );
      twoPartyBytes(cost);
      expect(cost.bytes).toEqual(two.bytes);
      // The run's clock also counts the base OTs' rounds (the 'setup' phase, once per session).
      expect(two.rounds).toBeLessThanOrEqual(cost.rounds + otSetupCost().rounds);
      expect(two.rounds).toBeGreaterThan(otSetupCost().rounds);
    }, 60_000);
  }

  it('--check-views: every message of both parties is declared and masked; two views, no P2', async () => {
    const j = await json<RunJson>(
      'run',
      tiny,
      '--input',
      tinyInput,
      '--backend',
      'cryptflow2',
      '--bitlen',
      '16',
      '--scale',
      '6',
      '--seed',
      'c2v',
      '--check-views',
      '--json',
      '--quiet',
      '--allow-unsafe',
    );
    expect(j.views?.map((v) => v.party)).toEqual(['P0', 'P1']);
    expect(j.views?.every((v) => v.received > 0)).toBe(true);
  }, 60_000);

  it('--threads runs the two parties in two threads: the same outputs and bytes; the text report names no P2', async () => {
    const flags = ['--bitlen', '16', '--scale', '6', '--seed', 'c2t', '--quiet', '--allow-unsafe'];
    const mem = await json<RunJson>('run', tiny, '--input', tinyInput, '--backend', 'cryptflow2', '--json', ...flags);
    const thr = await json<RunJson>(
      'run',
      tiny,
      '--input',
      tinyInput,
      '--backend',
      'cryptflow2',
      '--threads',
      '--json',
      ...flags,
    );
    expect(thr.outputs.map((o) => o.secure)).toEqual(mem.outputs.map((o) => o.secure));
    expect(thr.bytes).toEqual(mem.bytes);
    const text = await run('run', tiny, '--input', tinyInput, '--backend', 'cryptflow2', ...flags);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/backend: {2}cryptflow2: two parties, no helper/);
    expect(text.out).toMatch(/links: P0->P1 .*, P1->P0 /);
    expect(text.out).not.toMatch(/P2/);
  }, 60_000);
});

const SLOW_NETS =
  process.env['CRYPTFLOW_SLOW'] === '1'
    ? ['securenn-a', 'securenn-b', 'securenn-c', 'securenn-d', 'lenet', 'unet3d']
    : [];

// Declared only with CRYPTFLOW_SLOW=1 (an empty suite fails vitest).
if (SLOW_NETS.length > 0)
  describe('cryptflow2 on the small zoo networks (CRYPTFLOW_SLOW)', () => {
    for (const name of SLOW_NETS) {
      it(`${name} at ℓ = 32, s = 8: bit-equal to the plaintext fixed point; metered = cost walk on P0<->P1`, async () => {
        const entry = zooEntry(name);
        const imported = onnxToHlil(zooModel(name));
        const { model } = optimizeHlil(imported, paperConfig);
        const input = new Map([
          [
            imported.inputs.get(entry.input.name) ?? entry.input.name,
            Float32Array.from({ length: numel(entry.input.shape) }, (_, i) => 0.5 + 0.5 * Math.sin(0.37 * i)),
          ],
        ]);
        const r = await secureInference(model, input, { backend: 'cryptflow2', ell: 32, scale: 8, seed: name });
        for (const o of r.outputs) expect(o.fixedDiff, o.name).toBe(0);
        expect(r.links).toEqual(allLinks(costProgram(r.plan.program, backendOf('cryptflow2', undefined)).bytes.links));
      }, 600_000);
    }
  });
