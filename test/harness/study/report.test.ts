/**
 * The study report (harness/study/report.ts) from hand-made records: the statistics are the library's
 * on the right columns (secure vs plaintext), undefined AUROCs say why, order follows the data, and
 * the results file drops a cut-off last line only when resuming.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { studyReport, scoresCsv } from '../../../harness/study/report.js';
import { appendResult, readResults, type CaseRecord } from '../../../harness/study/results.js';
import { delong, pairedTest } from '../../../harness/stats/delong.js';

function rec(id: string, site: string, label: number, plain: number, secure: number): CaseRecord {
  return {
    case: id,
    site,
    file: `${site}/${id}.png`,
    labels: [label],
    scores: { float: [plain], fixed: [plain], secure: [secure] },
    dice: null,
    maxAbsSecureFixed: 0,
    maxAbsSecureFloat: Math.abs(secure - plain),
    withinBound: true,
    bytes: 100,
    rounds: 3,
    seconds: 0.5,
  };
}

const records = [
  rec('a', 's1', 1, 0.9, 0.8),
  rec('b', 's1', 0, 0.2, 0.3),
  rec('c', 's2', 1, 0.7, 0.75),
  rec('d', 's2', 0, 0.4, 0.35),
  rec('e', 's2', 1, 0.35, 0.55),
  rec('f', 's2', 0, 0.1, 0.1),
];
const ctx = { model: 'm', backend: 'porthos', data: 'd', synthetic: true, labelNames: ['nodule'], bySite: true };

describe('study report', () => {
  it('AUROCs, the paired DeLong test secure vs plaintext, KS, agreement', () => {
    const r = studyReport(
      [...records].reverse(),
      records.map((x) => x.case),
      ctx,
    );
    const l = r.labels[0];
    const labels = records.map((x) => x.labels?.[0] as number);
    const plain = records.map((x) => x.scores?.float[0] as number);
    const secure = records.map((x) => x.scores?.secure[0] as number);
    const want = pairedTest(delong(labels, [secure, plain]));
    expect(l?.plaintext?.auroc).toBeCloseTo(delong(labels, [plain]).aucs[0]?.auroc as number, 14);
    expect(l?.delong?.diff).toBeCloseTo(want.diff, 14);
    expect(l?.delong?.p).toBeCloseTo(want.p, 12);
    expect(l?.maxAbsDiff).toBeCloseTo(0.2, 12);
    expect(l?.agreement).toBeCloseTo(5 / 6, 14);
    expect(l?.bySite.map((s) => s.site)).toEqual(['s1', 's2']);
    expect(l?.bySite[0]?.secure).toBeNull();
    expect(l?.bySite[0]?.note).toMatch(/1 positive and 1 negative/);
    expect(r.cost).toMatchObject({ bytesPerImage: 100, rounds: 3, totalBytes: 600 });
    expect(
      scoresCsv(
        records,
        records.map((x) => x.case),
        ['nodule'],
      ).split('\n')[1],
    ).toBe('a,s1,1,0.9,0.9,0.8');
  });

  it('a cut-off last line is dropped on resume and refused otherwise', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'cf-results-')), 'results.jsonl');
    writeFileSync(f, '');
    appendResult(f, records[0] as CaseRecord);
    appendResult(f, records[1] as CaseRecord);
    appendFileSync(f, '{"case":"c","si');
    expect(() => readResults(f, 'strict')).toThrow(/cut off by an interrupted run/);
    expect(readResults(f, 'ignore').map((r) => r.case)).toEqual(['a', 'b']);
    expect(readFileSync(f, 'utf8').endsWith('"si')).toBe(true);
    expect(readResults(f, 'repair').map((r) => r.case)).toEqual(['a', 'b']);
    expect(readFileSync(f, 'utf8').endsWith('}\n')).toBe(true);
    appendFileSync(f, 'garbage\n');
    expect(() => readResults(f, 'repair')).toThrow(/line 3: not a case record/);
  });
});
