/**
 * `cryptflow stats roc|ks` (harness/cli/stats.ts): the JSON shapes of issue 19, numbers that agree with
 * the library (harness/stats/), and the errors for a missing column, a non-numeric cell, one class,
 * and a CSV that is not a table.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../harness/cli/main.js';
import { parseCsv } from '../../../harness/io/csv.js';

const dir = mkdtempSync(join(tmpdir(), 'cf-stats-'));
function csv(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// X = {2, 4} positives, Y = {1, 3} negatives (θ = 3/4, Var = 1/8, hand-derived in delong.test.ts).
const table = csv('t.csv', 'case,"label",a,b\nc1,1,2,4\nc2,1,4,3\nc3,0,1,2\nc4,0,3,1\n');

describe('cryptflow stats', () => {
  it('roc prints the JSON shape with one and two scores', async () => {
    const one = await cli(['stats', 'roc', table, '--label', 'label', '--score', 'a', '--json']);
    expect(one.code).toBe(0);
    const j = JSON.parse(one.out) as Record<string, unknown>;
    expect(Object.keys(j)).toEqual(['n', 'positives', 'scores', 'delong']);
    expect(j).toMatchObject({ n: 4, positives: 2, delong: null, scores: [{ name: 'a', auroc: 0.75 }] });
    const s = (j['scores'] as { se: number; ci95: number[] }[])[0];
    expect(s?.se).toBeCloseTo(Math.sqrt(1 / 8), 14);
    expect(s?.ci95[1]).toBeCloseTo(0.75 + 1.959963984540054 * Math.sqrt(1 / 8), 12);
    const two = JSON.parse(
      (await cli(['stats', 'roc', table, '--label', 'label', '--score', 'a', '--score', 'b', '--json'])).out,
    ) as { scores: { name: string }[]; delong: Record<string, number> };
    expect(two.scores.map((x) => x.name)).toEqual(['a', 'b']);
    expect(Object.keys(two.delong)).toEqual(['diff', 'se', 'z', 'p']);
    expect(two.delong['diff']).toBeCloseTo(-0.25, 14);
    const text = await cli(['stats', 'roc', table, '--label', 'label', '--score', 'a', '--score', 'b']);
    expect(text.out).toMatch(/paired DeLong test: difference -0\.2500/);
  });

  it('ks prints {statistic, p}', async () => {
    const r = await cli(['stats', 'ks', table, '--a', 'a', '--b', 'b', '--json']);
    expect(JSON.parse(r.out)).toEqual({ statistic: 0, p: 1 });
    const sep = csv('sep.csv', 'x,y\n1,4\n2,5\n3,6\n');
    const j = JSON.parse((await cli(['stats', 'ks', sep, '--a', 'x', '--b', 'y', '--json'])).out) as {
      statistic: number;
      p: number;
    };
    expect(j.statistic).toBe(1);
    expect(j.p).toBeCloseTo(0.1, 14);
    expect((await cli(['stats', 'ks', sep, '--a', 'x', '--b', 'y'])).out).toMatch(/\(exact\)/);
  });

  it('clear errors', async () => {
    const missing = await cli(['stats', 'roc', table, '--label', 'label', '--score', 'zz']);
    expect(missing).toMatchObject({
      code: 1,
      err: expect.stringContaining("no column 'zz' (columns: case, label, a, b)"),
    });
    const bad = csv('bad.csv', 'y,s\n1,0.5\n0,abc\n1,0.2\n0,0.1\n');
    expect((await cli(['stats', 'roc', bad, '--label', 'y', '--score', 's'])).err).toMatch(
      /line 3, column 's': 'abc' is not a number/,
    );
    const oneClass = csv('one.csv', 'y,s\n1,0.5\n1,0.2\n');
    expect((await cli(['stats', 'roc', oneClass, '--label', 'y', '--score', 's'])).err).toMatch(
      /needs both classes: 2 positive and 0 negative/,
    );
    const nonBinary = csv('nb.csv', 'y,s\n1,0.5\n2,0.2\n');
    expect((await cli(['stats', 'roc', nonBinary, '--label', 'y', '--score', 's'])).err).toMatch(
      /labels must be 0 or 1/,
    );
    expect((await cli(['stats', 'roc', table, '--label', 'label'])).code).toBe(2);
    expect((await cli(['stats', 'auc', table])).err).toMatch(/unknown stats subcommand 'auc'/);
    expect((await cli(['stats', 'roc', join(dir, 'nope.csv'), '--label', 'y', '--score', 's'])).err).toMatch(
      /cannot read .*ENOENT/,
    );
    expect(() => parseCsv('a,b\n1\n', 'x.csv')).toThrow(/line 2: 1 fields, the header has 2/);
    expect(() => parseCsv('a,"b\n', 'x.csv')).toThrow(/not closed/);
  });
});
