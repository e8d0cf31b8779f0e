/**
 * A result outside its guarantee must not look like success (issue 14): `cryptflow run` exits 3 when
 * an output may be wrong — predicted overflow, P(wrap) above --max-failure, an input outside the
 * analysed range — saying which and what to change; --allow-unsafe makes it a warning; a probability
 * bound ≥ 1 reads "no guarantee"; Softmax outputs say what is bounded; plaintext and ideal are marked
 * NOT SECURE; a voxel segmentation is summarised and written with --out; inputs that do not fit the
 * model are refused; compile and run read a symbolic batch axis alike.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunJson } from '../../harness/cli/run-report.js';
import { UNSAFE_EXIT } from '../../harness/cli/safety.js';
import { decodeNpy } from '../../harness/io/npy.js';
import { onnxGraph } from '../../passes/frontend/onnx/writer.js';
import { run, scratch } from './support.js';

const { dir, file } = scratch('guarantees');
const DEFAULT = 'examples/default/lesion-cnn.onnx';
const SAMPLE = 'examples/default/sample-lesion.png';
const wave = (n: number, k: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.5));

/** Numbers printed after "≤" or "P(…) ≤": none may be a probability above 1. */
function noProbabilityAboveOne(text: string): void {
  for (const m of text.matchAll(/P\([^)]*\) ≤ (\S+)/g)) expect(Number(m[1]), m[0]).toBeLessThan(1);
}

describe('run: an output that may be wrong fails the command', () => {
  // 1e11 everywhere: far outside what the default model was analysed for at s = 12.
  const huge = file(
    'huge.json',
    JSON.stringify([[Array.from({ length: 32 }, () => Array.from({ length: 32 }, () => 1e11))]]),
  );

  it('exits 3 after printing the result, naming each reason and what to change', async () => {
    const r = await run('run', DEFAULT, '--input', huge, '--quiet');
    expect(r.code).toBe(UNSAFE_EXIT);
    expect(r.out).toContain('output prob -> client [1,2]');
    expect(r.out).toContain('P(some local truncation wraps): no guarantee (the union bound is ≥ 1)');
    expect(r.out).toMatch(
      /bound on the Softmax probabilities: no guarantee \(the analysed bound is ≥ 1\); bound on the logits \S+/,
    );
    noProbabilityAboveOne(r.out + r.err);
    expect(r.err).toMatch(
      /^cryptflow: error: the result may be wrong \(exit status 3; --allow-unsafe makes this a warning\):/,
    );
    expect(r.err).toMatch(
      /value\(s\) may overflow ℓ = 64 bits .*: lower --scale \(now 12; `cryptflow scale` picks one\) or bring the input into a smaller range/,
    );
    expect(r.err).toMatch(/P\(some local truncation wraps\): no guarantee .*above --max-failure 1e-6/);
  });

  it('--allow-unsafe prints warnings and exits 0; --json says safe: false and why', async () => {
    const r = await run('run', DEFAULT, '--input', huge, '--quiet', '--allow-unsafe', '--json');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^warning \(--allow-unsafe\): the result may be wrong: .*overflow/m);
    const j = JSON.parse(r.out) as RunJson;
    expect(j.safe).toBe(false);
    expect(j.unsafe.map((u) => u.kind)).toEqual(expect.arrayContaining(['overflow', 'truncation']));
    expect(j.truncationFailure).toBe(1);
    expect(j.outputs[0]?.boundOn).toBe('probabilities');
    expect(j.outputs[0]?.bound).toBeNull();
    expect(j.outputs[0]?.logitsBound).toBeGreaterThan(1);
  });

  it('the shipped sample passes: safe, every probability bound below 1', async () => {
    const r = await run('run', DEFAULT, '--input', SAMPLE, '--quiet', '--json', '--seed', 'g');
    expect([r.code, r.err]).toEqual([0, '']);
    const j = JSON.parse(r.out) as RunJson;
    expect([j.safe, j.unsafe, j.secure, j.mode]).toEqual([true, [], true, 'one-thread']);
    expect(j.outputs[0]?.bound).toBeLessThan(1);
    expect(j.outputs[0]?.logitsBound).toBeGreaterThan(0);
    expect(j.truncationFailure).toBeLessThanOrEqual(1e-6);
  });

  it('a tighter --max-failure, or an input outside --input-range, fails the same sample', async () => {
    const strict = await run('run', DEFAULT, '--input', SAMPLE, '--quiet', '--max-failure', '1e-12');
    expect(strict.code).toBe(UNSAFE_EXIT);
    expect(strict.err).toMatch(/P\(some local truncation wraps\) ≤ \S+, above --max-failure 1e-12: lower --scale/);
    const range = await run('run', DEFAULT, '--input', SAMPLE, '--quiet', '--input-range', '0..0.5', '--json');
    expect(range.code).toBe(UNSAFE_EXIT);
    const j = JSON.parse(range.out) as RunJson;
    expect(j.unsafe.map((u) => u.kind)).toEqual(['input-range']);
    expect(range.err).toMatch(
      /the input reaches \[\S+, 0\.7765\], outside the range the analysis assumed \[0, 0\.5\]: no bound covers it; widen --input-range or rescale the input/,
    );
    expect((await run('run', DEFAULT, '--input', SAMPLE, '--quiet', '--input-range', '0..1')).code).toBe(0);
    expect((await run('run', DEFAULT, '--input', SAMPLE, '--max-failure', '3')).code).toBe(2);
  });

  it('--scale 30: an output outside its bound is named, with the overflow behind it', async () => {
    const r = await run('run', DEFAULT, '--input', SAMPLE, '--quiet', '--scale', '30', '--json');
    expect(r.code).toBe(UNSAFE_EXIT);
    const j = JSON.parse(r.out) as RunJson;
    expect(j.outputs[0]?.withinBound).toBe(false);
    expect(j.unsafe.map((u) => u.kind)).toEqual(expect.arrayContaining(['overflow', 'outside-bound']));
    expect(r.err).toMatch(
      /output 'prob': max \|secure − float32\| = \S+ exceeds its compile-time bound \S+; lower --scale \(now 30/,
    );
  });

  it('unet3d: the voxel classes as a histogram, the volume written with --out; its P(wrap) fails the run', async () => {
    const vol = file('vol.json', JSON.stringify(Array.from({ length: 512 }, (_, i) => 0.5 * Math.sin(i))));
    const out = join(dir, 'seg.npy');
    const r = await run('run', 'zoo:unet3d', '--input', vol, '--quiet', '--out', out);
    expect(r.code).toBe(UNSAFE_EXIT);
    const hist = /classes of 512 positions: (.*)/.exec(r.out)?.[1] ?? '';
    const counts = [...hist.matchAll(/(\d+): (\d+) \(/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(counts.reduce((a, [, n]) => a + n, 0)).toBe(512);
    expect(r.out).not.toMatch(/class: (\d+, ){20}/);
    expect(r.out).toMatch(/the float32 model agrees at \d+ of 512/);
    const a = decodeNpy(new Uint8Array(readFileSync(out)), out);
    expect([a.shape, a.descr]).toEqual([[1, 8, 8, 8], '<i4']);
    for (const [k, n] of counts) expect(a.values.filter((v) => v === k).length).toBe(n);
    expect(r.err).toContain(`wrote ${out}: output 'segmentation' [1,8,8,8] as int32 class indices (.npy)`);
    noProbabilityAboveOne(r.out + r.err);
  });
});

describe('run: plaintext and ideal are labelled NOT SECURE', () => {
  const g = onnxGraph({ opset: 13 });
  g.output(
    g.node('Gemm', [g.input('x', ['N', 4]), g.weight('W', [3, 4], wave(12, 0.7)), g.weight('b', [3], [0.1, 0, -0.1])], {
      transB: 1,
    }),
    ['N', 3],
  );
  const model = file('gemm.onnx', g.bytes());
  const input = file('x.json', JSON.stringify([[0.1, -0.2, 0.3, 0.05]]));

  it('in the backend line, the result column and the JSON', async () => {
    for (const backend of ['plaintext', 'ideal']) {
      const r = await run('run', model, '--input', input, '--backend', backend, '--quiet');
      expect(r.code).toBe(0);
      expect(r.out).toContain(
        `backend:  ${backend} — NOT SECURE: a trusted party sees the client's input and the server's weights`,
      );
      expect(r.out).toMatch(new RegExp(`index +${backend} \\(NOT SECURE\\) +fixed \\(plain\\) +float32`));
      const j = JSON.parse(
        (await run('run', model, '--input', input, '--backend', backend, '--quiet', '--json')).out,
      ) as RunJson;
      expect(j.secure).toBe(false);
    }
    const p = await run('run', model, '--input', input, '--quiet', '--json');
    expect((JSON.parse(p.out) as RunJson).secure).toBe(true);
    expect((await run('help', 'run')).out).toMatch(
      /'plaintext' \(NOT SECURE\), 'ideal' \(NOT SECURE\), 'porthos', 'securenn'/,
    );
  });

  it('a symbolic batch axis is read as 1 by run and compile alike, and both say so', async () => {
    const note = "the symbolic batch axis of input 'x' is set to 1 (--batch N to change)";
    const r = await run('run', model, '--input', input, '--quiet');
    expect(r.out).toContain(`note:     ${note}`);
    const c = await run('compile', model);
    expect([c.code, c.out]).toEqual([0, expect.stringContaining(`# note: ${note}`)]);
    const b = await run('compile', model, '--batch', '2');
    expect(b.out).not.toContain('note:');
    expect((await run('run', model, '--input', input, '--quiet', '--batch', '2')).err).toMatch(
      /'x' has shape \[1,4\] \(4 values\); the program declares \[2,4\]/,
    );
  });
});

describe('run: inputs that do not fit the model are refused', () => {
  /** A P5 PGM of w × h pixels. */
  const pgm = (w: number, h: number): Uint8Array =>
    Buffer.concat([
      Buffer.from(`P5\n${w} ${h}\n255\n`, 'latin1'),
      Buffer.from(Array.from({ length: w * h }, (_, i) => (i * 7) % 256)),
    ]);

  it('an image into zoo:logreg [1,784] is refused unless --flatten, which fills it from a 28×28 image', async () => {
    const img = file('digit.pgm', pgm(28, 28));
    const r = await run('run', 'zoo:logreg', '--input', img, '--quiet');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /digit\.pgm: the model's client input has shape \[1,784\], which is not image-shaped: .* this 28×28 image would be squashed into it\. To feed the image's pixels as one flat vector, give --flatten/,
    );
    const f = await run('run', 'zoo:logreg', '--input', img, '--quiet', '--flatten', '--allow-unsafe');
    expect(f.code).toBe(0);
    expect(f.out).toMatch(
      /input: +28×28 gray image → 1 channel\(s\), scaled to \[0, 1\], flattened \(--flatten, row-major\) to \[1,784\]/,
    );
    const small = await run('run', 'zoo:logreg', '--input', file('small.pgm', pgm(10, 10)), '--quiet', '--flatten');
    expect(small.err).toMatch(
      /--flatten uses the image at its own size, 10×10 = 100 pixels, so it fills an input of 100 \(gray\) or 300 \(RGB\) values; .* \[1,784\] \(784 values\)/,
    );
    const json = await run('run', 'zoo:logreg', '--input', file('a.json', '[1]'), '--flatten');
    expect([json.code, json.err]).toEqual([
      2,
      expect.stringMatching(/--mean, --std, --layout and --flatten apply to image inputs/),
    ]);
  });
});
