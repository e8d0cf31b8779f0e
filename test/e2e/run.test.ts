/**
 * `cryptflow run` end to end through the CLI's `main`: the shipped default model (examples/default)
 * on its sample images under Porthos, a tiny ONNX CNN under every backend, the JSON object's shape and
 * byte accounting, progress on standard error and --quiet, replay with --seed, and the errors a user
 * meets (no input, a missing file, a wrong shape, an unsupported image, a bad backend) with their exit
 * codes and messages that carry no values.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/main.js';
import type { RunJson } from '../../harness/cli/run-report.js';
import { crc32 } from '../../harness/io/png.js';
import { onnxGraph } from '../../passes/frontend/onnx/writer.js';

const dir = mkdtempSync(join(tmpdir(), 'cryptflow-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const DEFAULT = 'examples/default/lesion-cnn.onnx';
const LABELS = 'examples/default/labels.json';
const wave = (n: number, k: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.5));

/** Conv 3×3 → Relu → MaxPool 2×2 → Flatten → Gemm to 3 logits; the batch axis symbolic. */
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
  return file('tiny.onnx', g.bytes());
}

function checkBytes(j: RunJson): void {
  const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);
  expect(Object.keys(j.bytes.links).sort()).toEqual(['P0->P1', 'P0->P2', 'P1->P0', 'P1->P2', 'P2->P0', 'P2->P1']);
  expect(sum(j.bytes.sent)).toBe(j.bytes.total);
  expect(sum(j.bytes.recv)).toBe(j.bytes.total);
  expect(sum(j.bytes.links)).toBe(j.bytes.total);
  expect(j.bytes.sent.P0).toBe(j.bytes.links['P0->P1'] + (j.bytes.links['P0->P2'] ?? NaN));
  expect(j.bytes.recv.P2).toBe((j.bytes.links['P0->P2'] ?? NaN) + (j.bytes.links['P1->P2'] ?? NaN));
}

describe('cryptflow run: the default model', () => {
  it('classifies the lesion sample under Porthos and prints JSON with the required fields', async () => {
    const r = await cli(
      'run',
      DEFAULT,
      '--input',
      'examples/default/sample-lesion.png',
      '--labels',
      LABELS,
      '--json',
      '--quiet',
      '--seed',
      'e2e',
    );
    expect([r.code, r.err]).toEqual([0, '']);
    const j = JSON.parse(r.out) as RunJson;
    expect(j.backend).toBe('porthos');
    expect(j.output).toHaveLength(2);
    expect((j.output[0] ?? 0) + (j.output[1] ?? 0)).toBeCloseTo(1, 5);
    expect([j.argmax, j.class]).toEqual([1, 'lesion']);
    expect(j.outputs[0]?.withinBound).toBe(true);
    expect(j.boundsHold).toBe(true);
    expect(j.domainRisks).toBe(0);
    checkBytes(j);
    expect(j.bytes.total).toBeGreaterThan(0);
    expect(j.rounds).toBeGreaterThan(0);
    expect(j.seconds).toBeGreaterThanOrEqual(0);
  });

  it('prints the class, secure next to float32, and the communication as text; progress on stderr', async () => {
    const r = await cli('run', DEFAULT, '--input', 'examples/default/sample-clear.pgm', '--labels', LABELS);
    expect(r.code).toBe(0);
    expect(r.out).toContain('class: 0 (no lesion) (the float32 model agrees)');
    expect(r.out).toMatch(
      /max \|secure − float32\| = \S+ ≤ \S+ \(compile-time bound on the Softmax probabilities; bound on the logits \S+\): within/,
    );
    expect(r.out).toMatch(/P\(some local truncation wraps\) ≤ \S+ \(--max-failure 1e-6\)/);
    expect(r.out).toMatch(/communication \(computation phase; input sharing and the output reveal are not counted\)/);
    expect(r.out).toMatch(/P2 sent +\S+ \S+ +received/);
    expect(r.err).toMatch(/\[\d+\/\d+\] \S+ +\S+ +[\d.]+ [kM]?B sent, [\d.]+ s — done/);
    const quiet = await cli('run', DEFAULT, '--input', 'examples/default/sample-clear.pgm', '--quiet');
    expect([quiet.code, quiet.err]).toEqual([0, '']);
  });
});

describe('cryptflow run: a tiny ONNX CNN on every backend', () => {
  const model = tinyModel();
  const input = file('x.json', JSON.stringify({ x: wave(16, 0.9) }));

  it('every backend agrees with float32 within the bound; plaintext is the exact fixed point; Porthos sends less than SecureNN', async () => {
    const runs = new Map<string, RunJson>();
    for (const backend of ['plaintext', 'ideal', 'porthos', 'securenn']) {
      const r = await cli('run', model, '--input', input, '--backend', backend, '--seed', 's', '--json', '--quiet');
      expect([r.code, r.err]).toEqual([0, '']);
      const j = JSON.parse(r.out) as RunJson;
      runs.set(backend, j);
      expect(j.backend).toBe(backend);
      const o = j.outputs[0];
      expect(o?.shape).toEqual([1, 3]);
      expect(o?.withinBound).toBe(true);
      expect(o?.maxAbsDiff).toBeLessThanOrEqual(o?.bound ?? 0);
      expect(j.argmax).toBe(o?.floatArgmax?.[0]);
      checkBytes(j);
    }
    expect(runs.get('plaintext')?.outputs[0]?.fixedDiff).toBe(0);
    expect(runs.get('porthos')?.bytes.total).toBeLessThan(runs.get('securenn')?.bytes.total ?? 0);
  });

  it('--check-views records the view of every party on every backend; the counts cover the metered bytes and the reveal', async () => {
    for (const backend of ['plaintext', 'ideal', 'porthos', 'securenn']) {
      const r = await cli(
        'run',
        model,
        '--input',
        input,
        '--backend',
        backend,
        '--seed',
        's',
        '--json',
        '--quiet',
        '--check-views',
      );
      expect([r.code, r.err]).toEqual([0, '']);
      const j = JSON.parse(r.out) as RunJson;
      expect(j.views?.map((v) => v.party)).toEqual(['P0', 'P1', 'P2']);
      const received = (j.views ?? []).reduce((a, v) => a + v.bytes, 0);
      // The compute phase plus the reveal of the 3 logits to the client (3 ring elements from P1).
      expect(received, backend).toBe(j.bytes.total + 3 * 8);
      j.views?.forEach((v) =>
        expect(v.bytes, `${backend} ${v.party}`).toBe(
          (j.bytes.recv[v.party as 'P0' | 'P1' | 'P2'] ?? NaN) + (v.party === 'P0' ? 24 : 0),
        ),
      );
    }
    const text = await cli('run', model, '--input', input, '--quiet', '--check-views');
    expect(text.out).toMatch(/^views checked: every message and opening allowed .* received P0 [\d,]+ messages/m);
    const both = await cli('run', model, '--input', input, '--check-views', '--processes');
    expect([both.code, both.err]).toEqual([
      2,
      'cryptflow: error: --check-views records the views of an in-memory run; it does not apply with --processes',
    ]);
  });

  it('shows a long output truncated in text, whole in JSON', async () => {
    const g = onnxGraph({ opset: 13 });
    const x = g.input('x', [1, 1, 4, 4]);
    g.output(
      g.node('Flatten', [
        g.node('Relu', [g.node('Conv', [x, g.weight('w', [2, 1, 3, 3], wave(18, 0.7))], { pads: [1, 1, 1, 1] })]),
      ]),
      [1, 32],
    );
    const wide = file('wide.onnx', g.bytes());
    const text = await cli('run', wide, '--input', input, '--quiet');
    expect(text.code).toBe(0);
    expect(text.out).toContain('… 24 more of 32 values (--json prints them all)');
    const j = JSON.parse((await cli('run', wide, '--input', input, '--quiet', '--json')).out) as RunJson;
    expect(j.output).toHaveLength(32);
    expect(j.argmax).toBe(j.output.indexOf(Math.max(...j.output)));
  });

  it('a seed replays the run exactly', async () => {
    const a = JSON.parse(
      (await cli('run', model, '--input', input, '--seed', '7', '--json', '--quiet')).out,
    ) as RunJson;
    const b = JSON.parse(
      (await cli('run', model, '--input', input, '--seed', '7', '--json', '--quiet')).out,
    ) as RunJson;
    expect(b.output).toEqual(a.output);
    expect(b.bytes).toEqual(a.bytes);
  });

  it('--threads runs the parties in worker threads: the same outputs, bytes and rounds as one thread', async () => {
    const a = JSON.parse(
      (await cli('run', model, '--input', input, '--seed', '7', '--json', '--quiet')).out,
    ) as RunJson;
    const t = await cli('run', model, '--input', input, '--seed', '7', '--json', '--quiet', '--threads');
    expect([t.code, t.err]).toEqual([0, '']);
    const b = JSON.parse(t.out) as RunJson;
    expect(b.output).toEqual(a.output);
    expect(b.bytes).toEqual(a.bytes);
    expect(b.rounds).toBe(a.rounds);
    const both = await cli('run', model, '--input', input, '--threads', '--processes');
    expect([both.code, both.err]).toEqual([
      2,
      'cryptflow: error: --processes and --threads are ways to place the parties; give one',
    ]);
    const views = await cli('run', model, '--input', input, '--threads', '--check-views');
    expect(views.code).toBe(2);
    expect(views.err).toMatch(/--check-views.*one thread; drop --threads/);
    const plain = await cli('run', model, '--input', input, '--threads', '--backend', 'plaintext');
    expect(plain.code).toBe(2);
    expect(plain.err).toMatch(
      /--threads runs the parties of a protocol backend \(porthos, securenn, cryptflow2, cryptflow2-he, malicious\), not plaintext/,
    );
  });

  it('the conv policy changes Porthos convolutions only', async () => {
    const [paper, reshaped] = await Promise.all(
      ['paper', 'reshaped'].map(
        async (p) =>
          JSON.parse(
            (await cli('run', model, '--input', input, '--conv-policy', p, '--json', '--quiet')).out,
          ) as RunJson,
      ),
    );
    expect(reshaped?.bytes.total).not.toBe(paper?.bytes.total);
    const bad = await cli('run', model, '--input', input, '--backend', 'securenn', '--conv-policy', 'reshaped');
    expect([bad.code, bad.err]).toEqual([
      2,
      expect.stringMatching(/--conv-policy applies to the porthos backend \(securenn always uses im2col\)/),
    ]);
  });
});

/** A 1×1 PNG whose IHDR says `depth` bits and `interlace`. */
function pngWith(depth: number, interlace: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.set([depth, 0, 0, 0, interlace], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(3))),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

describe('cryptflow run: errors', () => {
  const model = tinyModel();

  it('usage errors exit 2: no --input, a bad backend, a bad layout', async () => {
    const none = await cli('run', model);
    expect([none.code, none.err]).toEqual([2, expect.stringMatching(/run needs --input FILE/)]);
    const backend = await cli('run', model, '--input', 'x.json', '--backend', 'aramis');
    expect([backend.code, backend.err]).toEqual([
      2,
      expect.stringMatching(
        /--backend must be one of plaintext, ideal, porthos, securenn, cryptflow2, cryptflow2-he, plaintext2, ideal2, malicious, got 'aramis'/,
      ),
    ]);
    const layout = await cli('run', DEFAULT, '--input', 'examples/default/sample-clear.pgm', '--layout', 'chw');
    expect(layout.code).toBe(2);
  });

  it('input errors exit 1 with the file and shapes, never the values', async () => {
    const missing = await cli('run', model, '--input', join(dir, 'nope.json'));
    expect([missing.code, missing.err]).toEqual([
      1,
      expect.stringMatching(/cannot read input file .*nope\.json: ENOENT/),
    ]);
    const shape = await cli('run', model, '--input', file('short.json', JSON.stringify({ x: [0.987654, 0.5, 0.25] })));
    expect([shape.code, shape.err]).toEqual([
      1,
      expect.stringMatching(/short\.json: 'x' has shape \[3\] \(3 values\); the program declares \[1,1,4,4\]/),
    ]);
    expect(shape.err).not.toContain('0.987654');
    for (const [bytes, message] of [
      [pngWith(16, 0), /deep\.png: 16-bit PNG images are not supported/],
      [pngWith(8, 1), /deep\.png: interlaced \(Adam7\) PNG images are not supported/],
    ] as const) {
      const r = await cli('run', DEFAULT, '--input', file('deep.png', bytes));
      expect([r.code, r.err]).toEqual([1, expect.stringMatching(message)]);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    const labels = await cli(
      'run',
      DEFAULT,
      '--input',
      'examples/default/sample-clear.pgm',
      '--labels',
      file('l.txt', 'a\nb\nc\n'),
      '--quiet',
    );
    expect([labels.code, labels.err]).toEqual([
      1,
      expect.stringMatching(/3 class names for the 2 classes of output 'prob'/),
    ]);
  });

  it('an HLIL program without its weights is a usage error naming them', async () => {
    const r = await cli(
      'run',
      'examples/logreg.hlil',
      '--input',
      file('lr.json', JSON.stringify({ x: wave(16, 0.2) })),
    );
    expect([r.code, r.err]).toEqual([
      2,
      expect.stringMatching(/run needs every weight: give 'W', 'b' with --weights FILE/),
    ]);
    const ok = await cli(
      'run',
      'examples/logreg.hlil',
      '--weights',
      'examples/logreg.inputs.json',
      '--input',
      join(dir, 'lr.json'),
      '--json',
      '--quiet',
    );
    expect(ok.code).toBe(0);
    const j = JSON.parse(ok.out) as RunJson;
    expect(j.outputs.map((o) => o.name)).toEqual(['cls', 'p']);
    expect(j.outputs[0]?.boundKind).toBe('argmax-gap');
    expect(j.argmax).toBe(j.outputs[0]?.secure[0]);
  });
});
