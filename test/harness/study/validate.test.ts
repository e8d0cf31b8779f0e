/**
 * `cryptflow validate` end to end on small synthetic sets: a run killed mid-way (SIGKILL of a child
 * process after k results) and resumed gives the report of an uninterrupted run; multi-label (one
 * sigmoid per pathology) and segmentation (Dice per class) reports; usage errors.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { main } from '../../../harness/cli/main.js';
import { synthesize } from '../../../harness/study/synth.js';

const root = mkdtempSync(join(tmpdir(), 'cf-validate-'));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every SVG of the page has balanced tags (a well-formedness check without a browser). */
function svgsBalanced(html: string): number {
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  for (const svg of svgs) {
    const stack: string[] = [];
    for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
      if (m[3] === '/') continue;
      if (m[1] === '/') expect(stack.pop()).toBe(m[2]);
      else stack.push(m[2] as string);
    }
    expect(stack).toEqual([]);
  }
  return svgs.length;
}

/** Debian's chromium, if installed. */
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? null;

const lines = (f: string): number =>
  existsSync(f)
    ? readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l !== '').length
    : 0;

/** report.json without the wall-clock figures (they differ between any two runs). */
function stable(dir: string): unknown {
  const r = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
    cost: Record<string, unknown> & { bySite: Record<string, unknown>[] };
  };
  const { secondsPerImage: _a, totalSeconds: _b, ...cost } = r.cost;
  return { ...r, cost: { ...cost, bySite: r.cost.bySite.map(({ secondsPerImage: _c, ...s }) => s) } };
}

/** A small synthetic CXR set (2 sites × 3 images) and a labels file with its first pathology (nodule) only. */
function noduleSet(name: string, seed: string, labelsName: string): { data: string; labels: string } {
  const data = join(root, name);
  synthesize({ kind: 'cxr', sites: 2, perSite: 3, seed, out: data, size: 32 });
  const labels = join(root, labelsName);
  const rows = readFileSync(join(data, 'labels.csv'), 'utf8').split('\n');
  writeFileSync(labels, rows.map((l) => l.split(',').slice(0, 4).join(',')).join('\n'));
  return { data, labels };
}

describe('cryptflow validate', () => {
  it('resumes after a kill and reports what an uninterrupted run reports', async () => {
    const { data, labels } = noduleSet('cxr', 'r2', 'nodule.csv');
    const common = [
      'examples/default/lesion-cnn.onnx',
      '--data',
      data,
      '--labels-file',
      labels,
      '--backend',
      'porthos',
      '--seed',
      's',
      '--sites',
      '--quiet',
    ];
    const killed = join(root, 'killed');
    const results = join(killed, 'results.jsonl');
    const child = spawn(process.execPath, ['bin/cryptflow.js', 'validate', ...common, '--out', killed], {
      stdio: 'ignore',
    });
    const atKill = await new Promise<number>((resolve) => {
      const t = setInterval(() => {
        const n = lines(results);
        if (n >= 2) {
          child.kill('SIGKILL');
          clearInterval(t);
          resolve(n);
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(t);
        resolve(lines(results));
      });
    });
    expect(atKill).toBeGreaterThanOrEqual(2);
    expect(atKill).toBeLessThan(6);
    expect(existsSync(join(killed, 'report.json'))).toBe(false);
    // Without --resume the existing results are not overwritten.
    expect((await cli(['validate', ...common, '--out', killed])).err).toMatch(/already holds results .* add --resume/);
    const resumed = await cli(['validate', ...common, '--out', killed, '--resume']);
    expect(resumed.code).toBe(0);
    expect(lines(results)).toBe(6);
    const fresh = join(root, 'fresh');
    expect((await cli(['validate', ...common, '--out', fresh])).code).toBe(0);
    expect(stable(killed)).toEqual(stable(fresh));
    expect(readFileSync(join(killed, 'scores.csv'), 'utf8')).toBe(readFileSync(join(fresh, 'scores.csv'), 'utf8'));
    const html = readFileSync(join(fresh, 'report.html'), 'utf8');
    expect(html).toMatch(/SYNTHETIC DATA/);
    expect(html).toMatch(/<svg[^>]*aria-label="ROC: nodule"/);
    expect(svgsBalanced(html)).toBeGreaterThanOrEqual(4);
  });

  // A real browser draws the page: Debian's chromium (.ci/run installs it), headless, takes a screenshot,
  // and the plaintext (blue) and secure (orange) series must both be on it. Without chromium on PATH
  // the test is a visible todo rather than a pass.
  if (chromium === null) it.todo('report.html renders in headless Chromium (install chromium to run this test)');
  else
    it('report.html renders in headless Chromium: both series of the ROC curves and bars are drawn', async () => {
      const { data, labels } = noduleSet('shot-data', 'shot', 'shot.csv');
      const out = join(root, 'shot');
      const r = await cli([
        'validate',
        'examples/default/lesion-cnn.onnx',
        '--data',
        data,
        '--labels-file',
        labels,
        '--backend',
        'porthos',
        '--seed',
        's',
        '--sites',
        '--quiet',
        '--out',
        out,
      ]);
      expect(r.code, r.err).toBe(0);
      const png = join(root, 'shot.png');
      const args = [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        '--window-size=1200,1400',
        `--screenshot=${png}`,
        `file://${join(out, 'report.html')}`,
      ];
      const done = spawnSync(chromium, args, { timeout: 60_000, stdio: 'ignore' });
      expect(done.status, `chromium exited with ${String(done.status)}`).toBe(0);
      const image = decode(readFileSync(png));
      expect(image.width).toBe(1200);
      const near = (rgb: readonly [number, number, number]): number => {
        let count = 0;
        const c = image.channels;
        for (let i = 0; i + 2 < image.data.length; i += c) {
          if (
            Math.abs(Number(image.data[i]) - rgb[0]) +
              Math.abs(Number(image.data[i + 1]) - rgb[1]) +
              Math.abs(Number(image.data[i + 2]) - rgb[2]) <
            30
          )
            count++;
        }
        return count;
      };
      // The series colours of harness/study's SVG: plaintext #1f77b4, secure #ff7f0e.
      expect(near([0x1f, 0x77, 0xb4])).toBeGreaterThan(300);
      expect(near([0xff, 0x7f, 0x0e])).toBeGreaterThan(300);
    }, 120_000);

  it('--workers 2 shares the cases between two processes and reports what one process does', async () => {
    const { data, labels } = noduleSet('workers', 'r2', 'workers.csv');
    const common = [
      'examples/default/lesion-cnn.onnx',
      '--data',
      data,
      '--labels-file',
      labels,
      '--backend',
      'plaintext',
      '--quiet',
    ];
    const [one, two] = [join(root, 'w1'), join(root, 'w2')];
    expect((await cli(['validate', ...common, '--out', one])).code).toBe(0);
    const r = await cli(['validate', ...common, '--out', two, '--workers', '2']);
    expect(r.code).toBe(0);
    expect([lines(join(two, 'results.w0.jsonl')), lines(join(two, 'results.w1.jsonl'))]).toEqual([3, 3]);
    expect(stable(two)).toEqual(stable(one));
    // Results of another model or backend never mix into this directory.
    expect(
      (await cli(['validate', ...common.map((a) => (a === 'plaintext' ? 'ideal' : a)), '--out', one, '--resume'])).err,
    ).toMatch(/holds a run made with another backend/);
  });

  it('multi-label: one sigmoid per pathology, per site', async () => {
    const model = 'examples/cxr/cxr-multilabel.onnx';
    const data = join(root, 'ml');
    synthesize({ kind: 'cxr', sites: 2, perSite: 6, seed: 'ml', out: data, size: 32 });
    const out = join(root, 'ml-out');
    const r = await cli([
      'validate',
      model,
      '--data',
      data,
      '--backend',
      'plaintext',
      '--sites',
      '--out',
      out,
      '--quiet',
      '--json',
    ]);
    expect(r.err).toBe('');
    const rep = JSON.parse(r.out) as {
      labels: { name: string; bySite: { site: string }[]; agreement: number }[];
      synthetic: boolean;
    };
    expect(rep.synthetic).toBe(true);
    expect(rep.labels.map((l) => l.name)).toEqual(['nodule', 'effusion', 'cardiomegaly']);
    expect(rep.labels[0]?.bySite.map((s) => s.site)).toEqual(['site-1', 'site-2']);
    expect(readFileSync(join(out, 'scores.csv'), 'utf8').split('\n')[0]).toBe(
      'case,site,nodule,effusion,cardiomegaly,nodule.plaintext,nodule.fixed,nodule.secure,effusion.plaintext,effusion.fixed,effusion.secure,cardiomegaly.plaintext,cardiomegaly.fixed,cardiomegaly.secure',
    );
  });

  it('segmentation: Dice per class, secure vs fixed point and vs the masks', async () => {
    const data = join(root, 'ct');
    synthesize({ kind: 'ct', sites: 1, perSite: 2, seed: 'ct', out: data, size: 16 });
    const out = join(root, 'ct-out');
    const r = await cli([
      'validate',
      'examples/ct/ct-unet3d.onnx',
      '--data',
      data,
      '--backend',
      'plaintext',
      '--out',
      out,
      '--quiet',
      '--json',
    ]);
    expect(r.err).toBe('');
    const seg = (
      JSON.parse(r.out) as {
        segmentation: {
          classes: number;
          classNames: string[];
          secureVsFixed: number[];
          secureVsTruth: number[];
          agreement: number;
        };
      }
    ).segmentation;
    expect(seg.classes).toBe(3);
    expect(seg.classNames).toEqual(['background', 'liver', 'kidney']);
    expect(seg.secureVsFixed).toEqual([1, 1, 1]);
    expect(seg.agreement).toBe(1);
    expect(seg.secureVsTruth.every((d) => d > 0.3 && d <= 1)).toBe(true);
  });

  it('usage errors are clear', async () => {
    expect((await cli(['validate', 'examples/default/lesion-cnn.onnx'])).err).toMatch(/needs --data DIR/);
    expect((await cli(['validate', 'examples/default/lesion-cnn.onnx', '--data', join(root, 'none')])).err).toMatch(
      /not a directory/,
    );
    expect(
      (await cli(['validate', 'examples/default/lesion-cnn.onnx', '--data', root, '--backend', 'nope'])).err,
    ).toMatch(/--backend must be one of plaintext, ideal, porthos, securenn/);
  });
});
