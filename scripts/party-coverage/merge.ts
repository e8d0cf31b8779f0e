/**
 * The merge of two Istanbul JSON reports line by line (`npm run coverage:parties`): the in-process
 * report (vitest) and the child-process report (c8). A file's lines are the union of the lines either
 * report has statements on; a line counts as covered when either report covers it (Istanbul's line
 * rule: a line is covered when a statement starting on it ran). Percentages of the three columns share
 * that union as denominator, so they compare directly.
 */
import { dirname, relative } from 'node:path';

interface Position {
  readonly line: number;
}

/** The part of an Istanbul file coverage the merge reads. */
export interface FileCoverage {
  readonly path?: string;
  readonly statementMap: Readonly<Record<string, { readonly start: Position; readonly end: Position }>>;
  readonly s: Readonly<Record<string, number>>;
}

export type IstanbulReport = Readonly<Record<string, FileCoverage>>;

export interface LineCounts {
  readonly lines: number;
  readonly inProcess: number;
  readonly children: number;
  readonly merged: number;
}

export interface MergedSummary {
  readonly total: LineCounts;
  readonly folders: readonly (LineCounts & { readonly folder: string })[];
  readonly files: Readonly<Record<string, LineCounts>>;
}

/** Line → covered, by Istanbul's rule (a statement starting on the line ran). */
export function lineHits(f: FileCoverage): Map<number, boolean> {
  const hits = new Map<number, boolean>();
  for (const [id, loc] of Object.entries(f.statementMap)) {
    const line = loc.start.line;
    hits.set(line, (hits.get(line) ?? false) || (f.s[id] ?? 0) > 0);
  }
  return hits;
}

/** The counts of one file from its two line maps. */
export function unionCounts(a: ReadonlyMap<number, boolean>, b: ReadonlyMap<number, boolean>): LineCounts {
  const lines = new Set([...a.keys(), ...b.keys()]);
  let inProcess = 0;
  let children = 0;
  let merged = 0;
  for (const l of lines) {
    const x = a.get(l) === true;
    const y = b.get(l) === true;
    if (x) inProcess++;
    if (y) children++;
    if (x || y) merged++;
  }
  return { lines: lines.size, inProcess, children, merged };
}

const add = (p: LineCounts, q: LineCounts): LineCounts => ({
  lines: p.lines + q.lines,
  inProcess: p.inProcess + q.inProcess,
  children: p.children + q.children,
  merged: p.merged + q.merged,
});
const ZERO: LineCounts = { lines: 0, inProcess: 0, children: 0, merged: 0 };

/** A file's folder for the table: its directory, at most two levels deep (harness/network/tcp → harness/network). */
function folderOf(rel: string): string {
  const d = dirname(rel);
  return d === '.' ? '.' : d.split('/').slice(0, 2).join('/');
}

/** Both reports merged per file (paths relative to `root`), per folder and in total. */
export function mergeReports(inProcess: IstanbulReport, children: IstanbulReport, root: string): MergedSummary {
  const byRel = (r: IstanbulReport): Map<string, FileCoverage> =>
    new Map(Object.entries(r).map(([path, f]) => [relative(root, f.path ?? path), f]));
  const a = byRel(inProcess);
  const b = byRel(children);
  const files: Record<string, LineCounts> = {};
  for (const rel of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const fa = a.get(rel);
    const fb = b.get(rel);
    files[rel] = unionCounts(fa === undefined ? new Map() : lineHits(fa), fb === undefined ? new Map() : lineHits(fb));
  }
  const folders = new Map<string, LineCounts>();
  for (const [rel, c] of Object.entries(files)) folders.set(folderOf(rel), add(folders.get(folderOf(rel)) ?? ZERO, c));
  return {
    total: Object.values(files).reduce(add, ZERO),
    folders: [...folders.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([folder, c]) => ({ folder, ...c })),
    files,
  };
}

const pct = (n: number, d: number): string => `${d === 0 ? '—' : ((100 * n) / d).toFixed(1)} %`;

/** The per-folder table: lines, in-process, child-process and merged line coverage. */
export function formatSummary(s: MergedSummary): string {
  const rows = [
    ['folder', 'lines', 'in-process', 'children', 'merged'],
    ...[...s.folders, { folder: 'all files', ...s.total }].map((r) => [
      r.folder,
      String(r.lines),
      pct(r.inProcess, r.lines),
      pct(r.children, r.lines),
      pct(r.merged, r.lines),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}
