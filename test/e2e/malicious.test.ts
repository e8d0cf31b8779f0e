/**
 * `cryptflow run|cost --backend malicious` end to end through the CLI's `main`, on a tiny ONNX CNN
 * (Conv → Relu → MaxPool → Gemm; ℓ = 64 and the default s = 48): the secure output equals the plaintext fixed point
 * exactly (exact truncation), metered bytes equal `cost` on every link, worker threads and three TLS
 * processes agree with one thread, and `--corrupt P<i>[:strategy]`
 * makes the run fail with a non-zero exit and an error naming the failed check ("abort").
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/main.js';
import type { RunJson } from '../../harness/cli/run-report.js';
import { onnxGraph } from '../../passes/frontend/onnx/writer.js';

const dir = mkdtempSync(join(tmpdir(), 'cryptflow-malicious-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const wave = (n: number, k: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.5));

function tinyModel(): string {
  const g = onnxGraph({ opset: 13 });
  const x = g.input('x', ['N', 1, 4, 4]);
  const c = g.node('Conv', [x, g.weight('w', [2, 1, 3, 3], wave(18, 0.7)), g.weight('cb', [2], [0.1, -0.1])], {
    pads: [1, 1, 1, 1],
  });
  const p = g.node('MaxPool', [g.node('Relu', [c])], { kernel_shape: [2, 2], strides: [2, 2] });
  const y = g.node(
    'Gemm',
    [g.node('Flatten', [p]), g.weight('W', [3, 8], wave(24, 1.3)), g.weight('b', [3], [0.2, 0, -0.2])],
    { transB: 1 },
  );
  g.output(y, ['N', 3]);
  const path = join(dir, 'tiny.onnx');
  writeFileSync(path, g.bytes());
  return path;
}

describe('cryptflow run|cost --backend malicious', () => {
  const model = tinyModel();
  const input = join(dir, 'x.json');
  writeFileSync(input, JSON.stringify({ x: wave(16, 0.9) }));

  it('equals the plaintext fixed point, and the metered bytes equal cost on every link', async () => {
    const r = await cli('run', model, '--input', input, '--backend', 'malicious', '--seed', 'm', '--json', '--quiet');
    expect([r.code, r.err]).toEqual([0, '']);
    const j = JSON.parse(r.out) as RunJson;
    expect(j.backend).toBe('malicious');
    expect(j.secure).toBe(true);
    expect(j.outputs[0]?.fixedDiff).toBe(0);
    const c = await cli('cost', model, '--backend', 'malicious', '--json');
    expect(c.code).toBe(0);
    const cost = JSON.parse(c.out) as { bytes: { total: number; links: Record<string, number> } };
    expect(cost.bytes.links).toEqual(j.bytes.links);
    expect(cost.bytes.total).toBe(j.bytes.total);
  }, 60_000);

  it('three worker threads and three processes over TLS give the same output and bytes as one thread', async () => {
    const runs = [];
    for (const mode of ['--one-thread', '--threads', '--processes']) {
      const r = await cli('run', model, '--input', input, '--backend', 'malicious', mode, '--json', '--quiet');
      expect([r.code, r.err]).toEqual([0, '']);
      runs.push(JSON.parse(r.out) as RunJson);
    }
    for (const j of runs.slice(1)) {
      expect(j.output).toEqual(runs[0]?.output);
      expect(j.bytes.links).toEqual(runs[0]?.bytes.links);
    }
  }, 120_000);

  it('--corrupt: the honest parties abort naming the check; exit non-zero; nothing is printed as a result', async () => {
    for (const spec of ['P1', 'P0:flip-bit', 'P2:replay', 'P1:inconsistent']) {
      const r = await cli('run', model, '--input', input, '--backend', 'malicious', '--corrupt', spec, '--quiet');
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/abort: .* failed/);
      expect(r.out).toBe('');
    }
  }, 60_000);

  it('--corrupt is refused for other backends and with threads; a bad party is a usage error', async () => {
    const other = await cli('run', model, '--input', input, '--backend', 'porthos', '--corrupt', 'P1', '--quiet');
    expect(other.err).toMatch(/--corrupt applies to the malicious backend/);
    const threads = await cli('run', model, '--input', input, '--backend', 'malicious', '--corrupt', 'P1', '--threads');
    expect(threads.err).toMatch(/drop --processes\/--threads/);
    const bad = await cli('run', model, '--input', input, '--backend', 'malicious', '--corrupt', 'P3:shout');
    expect(bad.err).toMatch(/--corrupt takes P0, P1 or P2/);
    for (const r of [other, threads, bad]) expect(r.code).not.toBe(0);
  });
});
