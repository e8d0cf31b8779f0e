/**
 * The mutation sweep's bookkeeping (scripts/mutation/parts.ts, related.ts): parts round-trip through
 * their compressed form with their sweep record, a part is fresh exactly while its file's source is
 * unchanged, a plain part from an older run still reads; the suite selection keeps every suite whose
 * import graph holds the file and falls back to all suites for a file none imports.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownTable } from '../../scripts/mutation/markdown.js';
import { isFresh, readPart, type StoredReport, writePart } from '../../scripts/mutation/parts.js';
import { expandSuites, importClosures, suitesFor } from '../../scripts/mutation/related.js';

const dir = mkdtempSync(join(tmpdir(), 'mutation-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const report = (source: string): StoredReport => ({
  files: { 'semantics/x.ts': { language: 'typescript', source, mutants: [{ id: '0', status: 'Survived' }] } },
  testFiles: { 'test/x.test.ts': { tests: [{ id: '0', name: 't' }] } },
  schemaVersion: '1.0',
  thresholds: { high: 90, low: 85 },
});
const record = { file: 'semantics/x.ts', commit: 'abc', finished: '2026-12-07T05:00:00.000Z', seconds: 3, suites: 1 };

describe('mutation parts', () => {
  it('round-trip compressed, with the sweep record, and are fresh only for the measured source', () => {
    writePart(dir, 'semantics__x', report('const a = 1;\n'), record);
    const back = readPart(dir, 'semantics__x');
    expect(back?.sweep).toEqual(record);
    expect(back?.files['semantics/x.ts']?.mutants).toEqual([{ id: '0', status: 'Survived' }]);
    expect(isFresh(back as StoredReport, 'semantics/x.ts', 'const a = 1;\n')).toBe(true);
    expect(isFresh(back as StoredReport, 'semantics/x.ts', 'const a = 2;\n')).toBe(false);
    expect(isFresh(back as StoredReport, 'semantics/y.ts', 'const a = 1;\n')).toBe(false);
  });

  it('read a plain part of an older run, and nothing where there is none', () => {
    writeFileSync(join(dir, 'semantics__old.json'), JSON.stringify(report('x')));
    expect(readPart(dir, 'semantics__old')?.files['semantics/x.ts']?.source).toBe('x');
    expect(readPart(dir, 'semantics__none')).toBeNull();
  });
});

describe('suite selection by import graph', () => {
  it('keeps the suites that import a file, directly or through others', async () => {
    const root = mkdtempSync(join(dir, 'graph-'));
    const files: Record<string, string> = {
      'src/leaf.ts': 'export const leaf = 1;\n',
      'src/mid.ts': "import { leaf } from './leaf.js';\nexport const mid = leaf + 1;\n",
      'src/lazy.ts': 'export const lazy = 3;\n',
      'src/alone.ts': 'export const alone = 4;\n',
      'test/a/one.test.ts': "import { mid } from '../../src/mid.js';\nexport const one = mid;\n",
      'test/a/two.test.ts': "export const two = async () => (await import('../../src/lazy.js')).lazy;\n",
      'test/b/three.test.ts': "import { leaf } from '../../src/leaf.js';\nexport const three = leaf;\n",
    };
    for (const [f, text] of Object.entries(files)) {
      const path = join(root, f);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
    }
    const suites = expandSuites(root, ['test/a/**/*.test.ts', 'test/b/three.test.ts', 'test/c/missing.test.ts']);
    expect(suites).toEqual(['test/a/one.test.ts', 'test/a/two.test.ts', 'test/b/three.test.ts']);
    const closures = await importClosures(root, suites);
    expect(suitesFor('src/leaf.ts', closures)).toEqual(['test/a/one.test.ts', 'test/b/three.test.ts']);
    expect(suitesFor('src/mid.ts', closures)).toEqual(['test/a/one.test.ts']);
    expect(suitesFor('src/lazy.ts', closures)).toEqual(['test/a/two.test.ts']);
    expect(suitesFor('src/alone.ts', closures)).toEqual(suites);
    expect(() => expandSuites(root, ['test/*.ts'])).toThrow(/unsupported pattern/);
  });
});

describe('the markdown score table', () => {
  it('gives per file the sweep score, the score with later suites, argued and left survivors, and a total', () => {
    const rows = [
      {
        file: 'semantics/z.ts',
        mutants: 12,
        detected: 9,
        undetected: 1,
        seconds: 40,
        suites: 2,
        supplementKills: 0,
        equivalent: 1,
      },
      {
        file: 'ideal/a.ts',
        mutants: 8,
        detected: 6,
        undetected: 2,
        seconds: 7,
        suites: 1,
        supplementKills: 2,
        equivalent: 1,
      },
    ];
    expect(markdownTable(rows).split('\n')).toEqual([
      '| file | mutants | run (s, suites) | sweep | + later suites | argued equivalent | left |',
      '|---|---|---|---|---|---|---|',
      '| ideal/a.ts | 8 | 7 s, 1 | 50.00 % | 75.00 % | 1 | 1 |',
      '| semantics/z.ts | 12 | 40 s, 2 | 90.00 % | 90.00 % | 1 | 0 |',
      '| **2 files** | **20** |  | **72.22 %** | **83.33 %** | **2** | **1** |',
    ]);
    expect(markdownTable([]).split('\n').at(-1)).toBe('| **0 files** | **0** |  | **n/a** | **n/a** | **0** | **0** |');
  });
});

describe('npm run mutation command line', () => {
  const run = (args: readonly string[]): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/mutation.ts', ...args], { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('prints its usage for --help and exits 0, running nothing', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('npm run mutation -- --resume');
    expect(r.stdout).toContain('npm run mutation -- --help');
  });

  it('refuses an unknown option or a bad --jobs with one line and the usage, exit 2, no stack trace', () => {
    for (const [args, message] of [
      [['--bogus'], 'unknown option --bogus'],
      [['--jobs', 'x'], '--jobs needs a whole number'],
      [['--break', '101'], '--break needs a score between 0 and 100'],
    ] as const) {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`mutation: ${message}`);
      expect(r.stderr).toContain('usage:');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
