/**
 * `cryptflow stats roc FILE.csv --label COL --score COL [--score COL2] [--json]` and
 * `cryptflow stats ks FILE.csv --a COL --b COL [--json]`: the statistics of a validation study
 * (harness/stats/) on a CSV table of scores.
 *
 *   roc → {"n", "positives", "scores": [{"name", "auroc", "se", "ci95": [lo, hi]}],
 *          "delong": {"diff", "se", "z", "p"}}   (delong: the paired test of the first two scores;
 *          null with one score). Labels are 0/1, 1 positive; a higher score means more likely positive.
 *   ks  → {"statistic", "p"}   (two-sample, two-sided; the text form also says exact or asymptotic).
 */
import { CryptflowError } from '../../spec/errors.js';
import { numericColumn, readCsv } from '../io/csv.js';
import { delong, pairedTest } from '../stats/delong.js';
import { ksTwoSample } from '../stats/ks.js';
import { getBoolean, getString, getStrings, type FlagSpec, type ParsedArgs } from './args.js';

export const STATS_FLAGS: Readonly<Record<string, FlagSpec>> = {
  label: { kind: 'string', help: 'roc: the column of 0/1 labels (1 = positive)' },
  score: { kind: 'string', help: 'roc: a score column (give --score twice for the paired DeLong test)', repeat: true },
  a: { kind: 'string', help: 'ks: the first sample column' },
  b: { kind: 'string', help: 'ks: the second sample column' },
  json: { kind: 'boolean', help: 'print one JSON object' },
};

export interface RocJson {
  readonly n: number;
  readonly positives: number;
  readonly scores: readonly {
    readonly name: string;
    readonly auroc: number;
    readonly se: number;
    readonly ci95: readonly [number, number];
  }[];
  readonly delong: { readonly diff: number; readonly se: number; readonly z: number; readonly p: number } | null;
}

export interface KsJson {
  readonly statistic: number;
  readonly p: number;
}

function need(args: ParsedArgs, name: string, what: string): string {
  const v = getString(args, name);
  if (v === undefined) throw new CryptflowError('usage', `${what} needs --${name} COLUMN`);
  return v;
}

export function rocStats(file: string, labelCol: string, scoreCols: readonly string[]): RocJson {
  if (scoreCols.length === 0)
    throw new CryptflowError('usage', 'stats roc needs --score COLUMN (once, or twice for the paired test)');
  if (scoreCols.length > 2)
    throw new CryptflowError('usage', `stats roc takes one or two --score columns, got ${scoreCols.length}`);
  const t = readCsv(file);
  const labels = numericColumn(t, labelCol);
  labels.forEach((l, i) => {
    if (l !== 0 && l !== 1)
      throw new CryptflowError(
        'input',
        `${file} line ${t.rows[i]?.line ?? 0}, column '${labelCol}': labels must be 0 or 1`,
      );
  });
  const scores = scoreCols.map((c) => numericColumn(t, c));
  const r = delong(labels, scores);
  return {
    n: labels.length,
    positives: r.positives,
    scores: r.aucs.map((a, k) => ({ name: scoreCols[k] as string, auroc: a.auroc, se: a.se, ci95: a.ci95 })),
    delong: scores.length === 2 ? pairedTest(r) : null,
  };
}

export function ksStats(file: string, a: string, b: string): KsJson & { readonly method: string } {
  const t = readCsv(file);
  const r = ksTwoSample(numericColumn(t, a), numericColumn(t, b));
  return { statistic: r.statistic, p: r.p, method: r.method };
}

const f4 = (x: number): string => x.toFixed(4);
const fp = (p: number): string => (p < 1e-4 ? p.toExponential(2) : p.toFixed(4));

export function statsCommand(args: ParsedArgs): string {
  const [what, file] = args.positional;
  const json = getBoolean(args, 'json');
  if (file === undefined)
    throw new CryptflowError(
      'usage',
      'stats needs a subcommand and a CSV file: stats roc FILE.csv … | stats ks FILE.csv …',
    );
  if (what === 'roc') {
    const r = rocStats(file, need(args, 'label', 'stats roc'), getStrings(args, 'score'));
    if (json) return JSON.stringify(r);
    const lines = [`${r.n} cases, ${r.positives} positive, ${r.n - r.positives} negative`];
    for (const s of r.scores)
      lines.push(`${s.name}: AUROC ${f4(s.auroc)} (DeLong SE ${f4(s.se)}, 95% CI ${f4(s.ci95[0])}–${f4(s.ci95[1])})`);
    if (r.delong !== null)
      lines.push(
        `paired DeLong test: difference ${f4(r.delong.diff)}, SE ${f4(r.delong.se)}, z = ${r.delong.z.toFixed(3)}, two-sided p = ${fp(r.delong.p)}`,
      );
    return lines.join('\n');
  }
  if (what === 'ks') {
    const r = ksStats(file, need(args, 'a', 'stats ks'), need(args, 'b', 'stats ks'));
    if (json) return JSON.stringify({ statistic: r.statistic, p: r.p });
    return `two-sample Kolmogorov–Smirnov: D = ${f4(r.statistic)}, two-sided p = ${fp(r.p)} (${r.method})`;
  }
  throw new CryptflowError('usage', `unknown stats subcommand '${what ?? ''}' (roc or ks)`);
}
