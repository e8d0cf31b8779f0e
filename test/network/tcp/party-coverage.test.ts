/**
 * Coverage of the spawned party processes (issue 20; `npm run coverage:parties`,
 * scripts/coverage-parties.ts). `npm test`'s coverage (vitest, provider v8) measures the test
 * processes only; the `cryptflow` processes the party suites spawn write raw V8 coverage when
 * NODE_V8_COVERAGE is set, c8 maps it through tsx's source maps, and the two reports are merged line
 * by line (a line is covered when either report covers it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { c8Report, collectMarked, markedProcessFiles, PARTY_SUITES } from '../../../scripts/party-coverage/children.js';
import {
  formatSummary,
  lineHits,
  mergeReports,
  unionCounts,
  type IstanbulReport,
} from '../../../scripts/party-coverage/merge.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SELF = 'test/network/tcp/party-coverage.test.ts';
const tmp = mkdtempSync(join(tmpdir(), 'cryptflow-party-cov-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fixture program: line 3 runs for argument `a`, line 5 otherwise. */
const BRANCH = [
  "const arg = process.argv[2] ?? '';",
  "if (arg === 'a') {",
  "  process.stdout.write('took a\\n');",
  '} else {',
  "  process.stdout.write('took b\\n');",
  '}',
  '',
].join('\n');

function node(args: readonly string[], cwd: string, coverageDir: string): void {
  const r = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_V8_COVERAGE: coverageDir },
  });
  expect(r.status, r.stderr).toBe(0);
}

const report = (dir: string): IstanbulReport =>
  JSON.parse(readFileSync(join(dir, 'coverage-final.json'), 'utf8')) as IstanbulReport;

describe('coverage of spawned party processes', () => {
  it('counts a line once, covered when either report covers it', () => {
    const a = new Map([
      [1, true],
      [2, false],
      [3, false],
    ]);
    const b = new Map([
      [2, true],
      [4, false],
    ]);
    expect(unionCounts(a, b)).toEqual({ lines: 4, inProcess: 1, children: 1, merged: 2 });
    expect(unionCounts(a, new Map())).toEqual({ lines: 3, inProcess: 1, children: 0, merged: 1 });
  });

  it('keeps the marked processes’ raw V8 files, maps them with c8 and merges two runs line by line', () => {
    const dir = join(tmp, 'fixture');
    mkdirSync(join(dir, 'lib'), { recursive: true });
    writeFileSync(join(dir, 'lib/branch.js'), BRANCH);
    const rawA = join(dir, 'raw-a');
    node(['lib/branch.js', 'a'], dir, rawA);
    node(['-e', 'void 0'], dir, rawA);
    expect(readdirSync(rawA)).toHaveLength(2);
    expect(markedProcessFiles(rawA, 'lib/branch.js')).toHaveLength(1);
    expect(collectMarked(rawA, join(dir, 'kept-a'), 'lib/branch.js')).toBe(1);
    node(['lib/branch.js', 'b'], dir, join(dir, 'raw-b'));

    const opts = { include: ['lib/**'], exclude: [], cwd: dir };
    c8Report({ ...opts, tempDirectory: join(dir, 'kept-a'), reportDir: join(dir, 'rep-a') });
    c8Report({ ...opts, tempDirectory: join(dir, 'raw-b'), reportDir: join(dir, 'rep-b') });
    const [fa] = Object.values(report(join(dir, 'rep-a')));
    const [fb] = Object.values(report(join(dir, 'rep-b')));
    if (fa === undefined || fb === undefined) throw new Error('c8 wrote no file coverage');
    expect([lineHits(fa).get(3), lineHits(fa).get(5)]).toEqual([true, false]);
    expect([lineHits(fb).get(3), lineHits(fb).get(5)]).toEqual([false, true]);

    const s = mergeReports(report(join(dir, 'rep-a')), report(join(dir, 'rep-b')), dir);
    const f = s.files['lib/branch.js'];
    expect(f?.lines).toBe(6);
    expect(f?.merged).toBe(6);
    expect(f?.inProcess).toBeLessThan(6);
    expect(f?.children).toBeLessThan(6);
    expect(s.folders.map((r) => r.folder)).toEqual(['lib']);
    expect(formatSummary(s)).toMatch(/^lib +6 +\d+\.\d % +\d+\.\d % +100\.0 %$/m);
  });

  it('a `cryptflow` child writes raw coverage that c8 maps to harness/cli through tsx’s source maps', () => {
    const raw = join(tmp, 'cli-raw');
    node(['bin/cryptflow.js', '--version'], ROOT, raw);
    const files = markedProcessFiles(raw);
    expect(files.length).toBeGreaterThan(0);
    c8Report({
      tempDirectory: raw,
      reportDir: join(tmp, 'cli-report'),
      include: ['harness/cli/**'],
      exclude: [],
      cwd: ROOT,
    });
    const main = report(join(tmp, 'cli-report'))[join(ROOT, 'harness/cli/main.ts')];
    if (main === undefined) throw new Error('harness/cli/main.ts missing from the child report');
    const hits = [...lineHits(main).values()];
    expect(hits.filter((h) => h).length).toBeGreaterThan(10);
    expect(hits.some((h) => !h)).toBe(true);
  });

  it('PARTY_SUITES names every test file that spawns `cryptflow` processes, and only existing ones', () => {
    for (const s of PARTY_SUITES) expect(existsSync(join(ROOT, s)), s).toBe(true);
    const spawns = /(?<!why: )'--(processes|workers)'|bin\/cryptflow\.js|CRYPTFLOW_BIN/;
    const walk = (d: string): string[] =>
      readdirSync(join(ROOT, d), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(`${d}/${e.name}`) : e.name.endsWith('.test.ts') ? [`${d}/${e.name}`] : [],
      );
    const found = walk('test').filter((f) => f !== SELF && spawns.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(found.sort()).toEqual([...PARTY_SUITES].sort());
  });
});
