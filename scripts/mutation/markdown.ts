/**
 * `npm run mutation -- --report --markdown`: the per-file score table of proofs-notes/mutation.md and
 * the README, printed from the parts rather than copied by hand. One row per measured file:
 *
 *   mutants     every mutant Stryker made in the file (compile errors and ignored ones included);
 *   run         the file's own Stryker run: its seconds and how many suites the import graph selected;
 *   sweep       the score of that run alone;
 *   + later     the score once the kills of suites added since (`--supplement`) are counted;
 *   equivalent  survivors matched by scripts/mutation/equivalent/;
 *   left        survivors neither killed nor argued.
 *
 * Score = (killed + timed out) / (killed + timed out + survived + no coverage), Stryker's definition.
 */

/** One measured file: its final counts, what its supplements killed, and its argued survivors. */
export interface MarkdownRow {
  readonly file: string;
  readonly mutants: number;
  readonly detected: number;
  readonly undetected: number;
  readonly seconds: number;
  readonly suites: number;
  readonly supplementKills: number;
  readonly equivalent: number;
}

const pct = (num: number, den: number): string => (den === 0 ? 'n/a' : `${((100 * num) / den).toFixed(2)} %`);

/** The table, a total row last (bold); an empty list gives only the header and a zero total. */
export function markdownTable(rows: readonly MarkdownRow[]): string {
  const sorted = [...rows].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const line = (r: MarkdownRow, bold: boolean): string => {
    const valid = r.detected + r.undetected;
    const b = (s: string): string => (bold ? `**${s}**` : s);
    return `| ${b(r.file)} | ${b(String(r.mutants))} | ${r.seconds > 0 ? `${r.seconds} s, ${r.suites}` : ''} | ${b(pct(r.detected - r.supplementKills, valid))} | ${b(pct(r.detected, valid))} | ${b(String(r.equivalent))} | ${b(String(r.undetected - r.equivalent))} |`;
  };
  const total: MarkdownRow = {
    file: `${rows.length} files`,
    mutants: rows.reduce((s, r) => s + r.mutants, 0),
    detected: rows.reduce((s, r) => s + r.detected, 0),
    undetected: rows.reduce((s, r) => s + r.undetected, 0),
    seconds: 0,
    suites: 0,
    supplementKills: rows.reduce((s, r) => s + r.supplementKills, 0),
    equivalent: rows.reduce((s, r) => s + r.equivalent, 0),
  };
  return [
    '| file | mutants | run (s, suites) | sweep | + later suites | argued equivalent | left |',
    '|---|---|---|---|---|---|---|',
    ...sorted.map((r) => line(r, false)),
    line(total, true),
  ].join('\n');
}
