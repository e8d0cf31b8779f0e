/**
 * `cryptflow compile` and `cryptflow scale` end to end through `main`: where the program and the
 * range report go, the HLIL pass flags, placement, the SVG plot, and every bad flag or file giving a
 * clear message and the right exit code (1 bad input, 2 usage).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, scratch } from './support.js';
import { parseProgram } from '../../harness/io/program.js';

const { dir, file } = scratch('compile');

const CNN = file(
  'cnn.hlil',
  `# conv → BN → relu → maxpool → dense, weights on the server
hlil
input x : f32[1,1,4,4] @client
input w : f32[2,1,3,3] @server
input g : f32[2] @server
input be : f32[2] @server
input mu : f32[2] @server
input v : f32[2] @server
input W : f32[8,3] @server
c = Conv(x, w) strides=[1,1] pads=[1,1,1,1] dilations=[1,1] groups=1
n = BatchNorm(c, g, be, mu, v) epsilon=0.001
r = Relu(n)
m = MaxPool(r) kernel=[2,2] strides=[2,2] pads=[0,0,0,0]
f = Flatten(m) axis=1
logits = MatMul(f, W)
cls = ArgMax(logits) axis=1 keepdims=false
output logits -> client
output cls -> client
`,
);

const wave = (n: number, k: number): number[] =>
  Array.from({ length: n }, (_, i) => Math.round(100 * Math.sin(i * k + 1)) / 100);
const WEIGHTS = file(
  'cnn.weights.json',
  JSON.stringify({ w: wave(18, 0.7), g: [1.5, 0.5], be: [0.1, -0.2], mu: [0.05, 0], v: [0.5, 2], W: wave(24, 1.3) }),
);
const CAL_DIR = join(dir, 'cal');
mkdirSync(CAL_DIR);
writeFileSync(join(CAL_DIR, 'a.json'), JSON.stringify({ x: wave(16, 0.9) }));
writeFileSync(join(CAL_DIR, 'b.json'), JSON.stringify([{ x: wave(16, 2.1) }, { x: wave(16, 0.3) }]));

describe('cryptflow compile', () => {
  it('prints the LLIL program followed by the range report as comments; the output is still a program', async () => {
    const r = await run('compile', CNN, '--weights', WEIGHTS, '--input-range', '-1..1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^llil ell=64/);
    expect(r.out).toContain(
      '# HLIL passes: const-fold 0 public, 0 server; batchnorm 1 Mul+BiasAdd, 0 folded, 0 kept; relu∘maxpool 1 swapped',
    );
    expect(r.out).toMatch(/# range report, every client input entry in \[-1, 1\]:/);
    expect(r.out).toMatch(
      /#   output logits -> client \[1,3\]: range \[[-0-9.e]+, [0-9.e]+\], \|fixed − float32\| ≤ [0-9.e-]+/,
    );
    expect(r.out).toMatch(/#   output cls -> client \[1\]: ArgMax: the fixed index is a float maximum up to/);
    expect(r.out).toContain('# overflow: none possible');
    expect(r.out).toMatch(/# local truncation: \d+ truncated elements; P\(some truncation wraps\) ≤/);
    expect(r.out).toMatch(/# peak memory: HLIL float32 [0-9.]+ k?B \(at [^)]+\); LLIL at 8 B\/element/);
    expect(parseProgram(r.out, 'stdout').ir).toBe('llil');
  });

  it('--emit hlil shows the optimised HLIL; the pass flags change it', async () => {
    const paper = await run('compile', CNN, '--weights', WEIGHTS, '--emit', 'hlil');
    expect(paper.out).toContain('n:scaled = Mul(c, n:gamma)');
    expect(paper.out).toContain('m = Relu(m:max)');
    const kept = await run(
      'compile',
      CNN,
      '--weights',
      WEIGHTS,
      '--emit',
      'hlil',
      '--no-bn-precompute',
      '--no-relu-maxpool',
    );
    expect(kept.out).toContain('n = BatchNorm(c, g, be, mu, v)');
    expect(kept.out).toContain('m = MaxPool(r)');
    const folded = await run('compile', CNN, '--weights', WEIGHTS, '--emit', 'hlil', '--fold-bn');
    expect(folded.out).toContain('n = Conv(x, w:bn, n:bias)');
    expect(folded.out).toContain('batchnorm 0 Mul+BiasAdd, 1 folded, 0 kept');
  });

  it('--emit json prints one JSON line, the report on standard error; -o writes the file and prints the report', async () => {
    const j = await run('compile', CNN, '--weights', WEIGHTS, '--emit', 'json');
    expect((JSON.parse(j.out) as { ir: string }).ir).toBe('llil');
    expect(j.err).toContain('range report');
    const path = join(dir, 'out.llil');
    const o = await run('compile', CNN, '--weights', WEIGHTS, '-o', path, '--bitlen', '40', '--scale', '10');
    expect(o.code).toBe(0);
    expect(readFileSync(path, 'utf8')).toMatch(/^llil ell=40\n/);
    expect(o.out).toMatch(/^cryptflow compile .*ℓ = 40, s = 10, eager ScaleDown placement/);
  });

  it('--placement lazy: no more ScaleDowns, and none before an ArgMax', async () => {
    const count = (s: string): number => Number(/\((\d+) ScaleDown\)/.exec(s)?.[1] ?? NaN);
    const eager = await run('compile', CNN, '--weights', WEIGHTS);
    const lazy = await run('compile', CNN, '--weights', WEIGHTS, '--placement', 'lazy');
    expect(count(lazy.out)).toBe(count(eager.out));
    expect(lazy.out).toContain('m:max : secret fix[1,2,2,2]@24 = MaxPool(n)');
    expect(lazy.out).toContain('lazy ScaleDown placement');
    const mlp = file(
      'mlp.hlil',
      'hlil\ninput x : f32[1,4] @client\nconst W : f32[4,2] = [1, 2, 3, 4, 5, 6, 7, 8]\nh = MatMul(x, W)\ncls = ArgMax(h) axis=1 keepdims=false\noutput cls -> client\n',
    );
    expect(count((await run('compile', mlp)).out)).toBe(1);
    expect(count((await run('compile', mlp, '--placement', 'lazy')).out)).toBe(0);
  });

  it('reports values that may overflow a small ring', async () => {
    const r = await run(
      'compile',
      CNN,
      '--weights',
      WEIGHTS,
      '--bitlen',
      '20',
      '--scale',
      '8',
      '--input-range',
      '-50..50',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /# overflow: \d+ value\(s\) may exceed ℓ = 20 bits, so the bounds above do not hold: .*needs \d+ bits/,
    );
  });

  it('takes an HLIL program in JSON form, and a weights file that also holds client inputs', async () => {
    const json = join(dir, 'logreg.hlil.json');
    expect((await run('print', 'examples/logreg.hlil', '--json', '--out', json)).code).toBe(0);
    const r = await run('compile', json, '--weights', 'examples/logreg.inputs.json');
    expect(r.code).toBe(0);
    expect(r.out).toContain('#   output p -> client [1,3]: range [0, 1]');
    const extra = file('extra.json', JSON.stringify({ W: new Array(48).fill(0), b: [0, 0, 0], z: [1] }));
    expect((await run('compile', json, '--weights', extra)).err).toMatch(/unknown input\(s\) 'z'/);
  });

  it('without weights the program compiles and the report says what is missing', async () => {
    const r = await run('compile', CNN);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "range report: skipped, the weights of 'w', 'g', 'be', 'mu', 'v', 'W' are not given (--weights FILE)",
    );
    expect(r.out).toContain('batchnorm 0 Mul+BiasAdd, 0 folded, 1 kept');
  });

  it.each([
    [['--input-range', '3..1'], /--input-range needs a range lo..hi with lo ≤ hi/],
    [['--input-range', 'wide'], /--input-range needs a range/],
    [['--placement', 'late'], /--placement must be one of eager, lazy/],
    [['--emit', 'c'], /--emit must be one of llil, hlil, json/],
    [['--paper', '--fold-bn'], /--paper fixes every HLIL pass; drop --fold-bn/],
    [['--fold-bn', '--no-bn-precompute'], /--fold-bn needs BatchNorm precomputation/],
    [['-q'], /unknown option -q/],
    [['--scale', '40'], /scale|ring width/],
  ])('usage error %j → exit 2', async (flags, message) => {
    const r = await run('compile', CNN, '--weights', WEIGHTS, ...flags);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(flags[0] === '--scale' ? 1 : 2);
  });

  it('bad files → exit 1 with the file named and no values echoed', async () => {
    expect((await run('compile', join(dir, 'none.hlil'))).err).toMatch(/cannot read model .*none\.hlil: ENOENT/);
    const secret = 0.123456789;
    const bad = file(
      'bad.weights.json',
      JSON.stringify({ w: [secret], g: [1, 1], be: [0, 0], mu: [0, 0], v: [1, 1], W: wave(24, 1) }),
    );
    const r = await run('compile', CNN, '--weights', bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/'w' has shape \[1\] \(1 values\); the program declares \[2,1,3,3\]/);
    expect(r.err).not.toContain(String(secret));
    const llil = file(
      'p.llil',
      'llil ell=16\ninput x : fix[2]@4 @client\ny : secret fix[2]@4 = Relu(x)\noutput y -> client\n',
    );
    const l = await run('compile', llil);
    expect([l.code, l.err]).toEqual([
      2,
      expect.stringMatching(/is an LLIL program; compile takes a model or an HLIL program/),
    ]);
    const onnx = file('m.onnx', 'not really protobuf');
    expect((await run('compile', onnx, '--weights', WEIGHTS)).err).toMatch(/--weights is for HLIL programs/);
  });
});

describe('cryptflow scale', () => {
  it('prints a table with a row per scale and the chosen scale, and writes an SVG plot', async () => {
    const plot = join(dir, 'sweep.svg');
    const r = await run(
      'scale',
      CNN,
      '--weights',
      WEIGHTS,
      '--calibration',
      CAL_DIR,
      '--range',
      '4..14',
      '--bitlen',
      '32',
      '--plot',
      plot,
      '--max-failure',
      '1',
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^scale sweep: ℓ = 32, eager placement, 3 calibration input\(s\)/);
    expect(r.out).toMatch(/scale\s+top-1\s+max \|err\|\s+mean \|err\|\s+bound\s+overflow\s+P\(wrap\)/);
    for (let s = 4; s <= 14; s++) expect(r.out).toMatch(new RegExp(`\\n\\s*${s}  `));
    expect(r.out).toMatch(/\nbest scale: \d+\nrule: highest top-1 agreement, then lowest max error/);
    const svg = readFileSync(plot, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('best s = ');
  });

  it('never recommends a scale whose P(wrap) exceeds the default --max-failure 1e-6; bounds ≥ 1 read "no guarantee"', async () => {
    const r = await run(
      'scale',
      CNN,
      '--weights',
      WEIGHTS,
      '--calibration',
      CAL_DIR,
      '--range',
      '4..14',
      '--bitlen',
      '32',
      '--json',
    );
    const s = JSON.parse(r.out) as {
      best: number | null;
      rule: string;
      rows: { scale: number; truncationFailure?: number }[];
    };
    expect(s.rule).toContain('P(truncation wraps) ≤ 0.000001');
    const best = s.rows.find((x) => x.scale === s.best);
    if (s.best !== null) expect(best?.truncationFailure ?? Infinity).toBeLessThanOrEqual(1e-6);
    expect(s.rows.some((x) => (x.truncationFailure ?? 0) > 1e-6)).toBe(true);
    const text = await run(
      'scale',
      CNN,
      '--weights',
      WEIGHTS,
      '--calibration',
      CAL_DIR,
      '--range',
      '4..14',
      '--bitlen',
      '32',
    );
    for (const line of text.out.split('\n').filter((l) => /^\s*\d+  /.test(l))) {
      const last =
        line
          .trim()
          .split(/\s{2,}/)
          .pop() ?? '';
      expect(last === 'no guarantee' || Number(last) < 1, line).toBe(true);
    }
    const wide = await run(
      'scale',
      CNN,
      '--weights',
      WEIGHTS,
      '--calibration',
      CAL_DIR,
      '--range',
      '4..14',
      '--bitlen',
      '64',
      '--json',
    );
    const w = JSON.parse(wide.out) as { best: number | null; rows: { scale: number; truncationFailure?: number }[] };
    expect(w.best).not.toBeNull();
    expect(w.rows.find((x) => x.scale === w.best)?.truncationFailure ?? Infinity).toBeLessThanOrEqual(1e-6);
  });

  it('--json gives the sweep; the best row has no predicted overflow', async () => {
    const r = await run(
      'scale',
      CNN,
      '--weights',
      WEIGHTS,
      '--calibration',
      join(CAL_DIR, 'b.json'),
      '--range',
      '6..10',
      '--json',
      '--placement',
      'lazy',
    );
    const s = JSON.parse(r.out) as {
      best: number;
      samples: number;
      placement: string;
      rows: { scale: number; status: string; predictedOverflow: boolean; top1Agreement: number }[];
    };
    expect([s.samples, s.placement]).toEqual([2, 'lazy']);
    expect(s.rows.map((x) => x.scale)).toEqual([6, 7, 8, 9, 10]);
    expect(s.rows.find((x) => x.scale === s.best)?.predictedOverflow).toBe(false);
  });

  it.each([
    [[], 2, /scale needs --calibration/],
    [['--calibration', CAL_DIR, '--range', '9..3'], 2, /--range needs a range lo..hi with lo ≤ hi \(integers\)/],
    [['--calibration', CAL_DIR, '--max-failure', '2'], 2, /--max-failure needs a probability/],
    [['--calibration', join(dir, 'nowhere')], 1, /cannot read calibration .*nowhere: ENOENT/],
  ])('bad use %j', async (flags, code, message) => {
    const r = await run('scale', CNN, '--weights', WEIGHTS, ...(flags as string[]));
    expect([r.code, r.err]).toEqual([code, expect.stringMatching(message)]);
  });

  it('refuses calibration entries that are not client inputs, and a model without its weights', async () => {
    const cal = file('server.json', JSON.stringify({ x: wave(16, 1), W: wave(24, 1) }));
    const r = await run('scale', CNN, '--weights', WEIGHTS, '--calibration', cal);
    expect([r.code, r.err]).toEqual([1, expect.stringMatching(/unknown input\(s\) 'W'; the program declares 'x'/)]);
    const nw = await run('scale', CNN, '--calibration', CAL_DIR);
    expect([nw.code, nw.err]).toEqual([2, expect.stringMatching(/give the weights of 'w', .* with --weights FILE/)]);
  });

  it('is listed in the help', async () => {
    const h = await run('help');
    expect(h.out).toMatch(/\n  scale +scale selection/);
    expect((await run('help', 'scale')).out).toContain('--calibration');
  });
});
