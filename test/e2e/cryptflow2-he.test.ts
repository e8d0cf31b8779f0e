/**
 * `cryptflow run --backend cryptflow2-he` and `cryptflow cost --backend cryptflow2-he` end to end through
 * the CLI's `main` on a tiny ONNX CNN (Conv, ReLU, MaxPool, Gemm) and the zoo's logistic regression:
 * the outputs equal the plaintext fixed point exactly (`fixedDiff` 0: the program's values stay far
 * inside ±(p − 1)/2, where the Z_p fixed point is the ring's), the run's bytes on P0->P1 and P1->P0
 * equal what `cost` computes, the views check passes, and worker threads give the same outputs and bytes;
 * a scale whose values may leave the field's range is refused (exit 3, 'field-range').
 */
import { describe, expect, it } from 'vitest';
import type { RunJson } from '../../harness/cli/run-report.js';
import type { CostReport } from '../../harness/cli/cost.js';
import { onnxGraph } from '../../passes/frontend/onnx/writer.js';
import { run, scratch } from './support.js';

const tmp = scratch('cryptflow2-he');
const wave = (n: number, k: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.5));

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
  expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(0);
  return JSON.parse(r.out) as T;
}

describe('cryptflow2-he through the CLI', () => {
  const tiny = tinyModel();
  const tinyInput = tmp.file('x.json', JSON.stringify({ x: wave(16, 0.9) }));
  const logregInput = tmp.file('image.json', JSON.stringify({ image: wave(784, 0.37).map((v) => 0.5 + 0.5 * v) }));

  for (const [name, model, input] of [
    ['tiny CNN', tiny, tinyInput],
    ['zoo:logreg', 'zoo:logreg', logregInput],
  ] as const) {
    it(`${name} at ℓ = 64, s = 12: outputs equal the plaintext fixed point; bytes = cost, link by link`, async () => {
      const flags = ['--seed', 'he', '--json', '--quiet'];
      const he = await json<RunJson>('run', model, '--input', input, '--backend', 'cryptflow2-he', ...flags);
      expect(he.backend).toBe('cryptflow2-he');
      for (const o of he.outputs) expect(o.fixedDiff, o.name).toBe(0);
      expect(Object.keys(he.bytes.links)).toEqual(['P0->P1', 'P1->P0']);
      const cost = await json<CostReport>('cost', model, '--backend', 'cryptflow2-he', '--json');
      expect(cost.bytes).toEqual(he.bytes);
    }, 60_000);
  }

  it('a scale whose products leave the field is refused (exit 3, field-range) while the ring (ℓ = 64) holds them', async () => {
    const r = await run(
      'run',
      'zoo:logreg',
      '--input',
      logregInput,
      '--backend',
      'cryptflow2-he',
      '--scale',
      '22',
      '--json',
      '--quiet',
    );
    expect(r.code).toBe(3);
    const j = JSON.parse(r.out) as RunJson;
    expect(j.unsafe.map((u) => u.kind)).toContain('field-range');
    expect(j.unsafe.map((u) => u.kind)).not.toContain('overflow');
  }, 60_000);

  it('--check-views and --threads: every message declared; threads give the same outputs and bytes', async () => {
    const flags = ['--seed', 'hev', '--json', '--quiet'];
    const viewed = await json<RunJson>(
      'run',
      tiny,
      '--input',
      tinyInput,
      '--backend',
      'cryptflow2-he',
      '--check-views',
      ...flags,
    );
    expect(viewed.views?.map((v) => v.party)).toEqual(['P0', 'P1']);
    const thr = await json<RunJson>(
      'run',
      tiny,
      '--input',
      tinyInput,
      '--backend',
      'cryptflow2-he',
      '--threads',
      ...flags,
    );
    expect(thr.outputs.map((o) => o.secure)).toEqual(viewed.outputs.map((o) => o.secure));
    expect(thr.bytes).toEqual(viewed.bytes);
  }, 60_000);
});
