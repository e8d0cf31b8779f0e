/**
 * `cryptflow validate`'s engine: run every case of a study not yet in the results (harness/study/
 * results.ts), appending each record as it completes, then write the report (report.json, report.html,
 * scores.csv) from all records. Results live in OUT/results.jsonl, or with worker processes one file per
 * worker (OUT/results.wK.jsonl, worker K taking the cases whose index ≡ K mod N); every
 * OUT/results*.jsonl counts, a case found twice counts once, so a run resumed with another worker count
 * loses and repeats nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CryptflowError } from '../../spec/errors.js';
import type { ServerModel } from '../runner/inference.js';
import type { StudyData } from './cases.js';
import { reportHtml } from './html.js';
import { runCase, type CaseOptions } from './infer.js';
import { studyReport, scoresCsv, type StudyReport } from './report.js';
import { appendResult, readResults, type CaseRecord, type PartialLine } from './results.js';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export function resultsFile(out: string, shard?: Shard): string {
  return join(out, shard === undefined ? 'results.jsonl' : `results.w${shard.index}.jsonl`);
}

/**
 * Every record under OUT (all results*.jsonl), first occurrence of each case. A cut-off last line is
 * handled as `partial` says, except in `own` (this process's file), which is repaired when resuming.
 */
export function readAllResults(out: string, partial: PartialLine, own?: string): CaseRecord[] {
  if (!existsSync(out)) return [];
  const files = readdirSync(out)
    .filter((f) => /^results(\.w\d+)?\.jsonl$/.test(f))
    .sort();
  const seen = new Set<string>();
  const all: CaseRecord[] = [];
  for (const f of files) {
    for (const r of readResults(join(out, f), own !== undefined && join(out, f) === own ? 'repair' : partial)) {
      if (seen.has(r.case)) continue;
      seen.add(r.case);
      all.push(r);
    }
  }
  return all;
}

/** What a results directory was made with; a resumed run must match it (results of two models never mix). */
export interface RunIdentity {
  readonly model: string;
  /** SHA-256 of the model file (empty for zoo:NAME models). */
  readonly modelSha256: string;
  readonly backend: string;
  readonly ell: number;
  readonly scale: number;
}

export function modelIdentity(path: string): string {
  if (path.startsWith('zoo:') || !existsSync(path)) return '';
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Write OUT/run.json, or check that the run there was made the same way. */
export function claimRun(out: string, id: RunIdentity): void {
  mkdirSync(out, { recursive: true });
  const file = join(out, 'run.json');
  if (!existsSync(file)) {
    writeFileSync(file, `${JSON.stringify(id, null, 1)}\n`);
    return;
  }
  let old: Partial<RunIdentity>;
  try {
    old = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunIdentity>;
  } catch {
    throw new CryptflowError('input', `${file}: not valid JSON`);
  }
  const diff = (Object.keys(id) as (keyof RunIdentity)[]).filter((k) => old[k] !== id[k]);
  if (diff.length > 0)
    throw new CryptflowError(
      'usage',
      `${out} holds a run made with another ${diff.join(', ')} (${file}); choose another --out`,
    );
}

export interface CaseProgress {
  readonly done: number;
  readonly total: number;
  readonly skipped: number;
  readonly record: CaseRecord;
}

/** Run this process's share of the cases that have no record yet. */
export async function runCases(
  model: ServerModel,
  data: StudyData,
  out: string,
  o: CaseOptions & { readonly shard?: Shard; readonly resume: boolean; readonly onCase?: (p: CaseProgress) => void },
): Promise<number> {
  mkdirSync(out, { recursive: true });
  const file = resultsFile(out, o.shard);
  // A worker repairs only its own file; another worker may be writing the others.
  const existing =
    o.shard === undefined
      ? readAllResults(out, o.resume ? 'repair' : 'strict')
      : readAllResults(out, 'ignore', o.resume ? file : undefined);
  if (existing.length > 0 && !o.resume && o.shard === undefined)
    throw new CryptflowError(
      'usage',
      `${out} already holds results of ${existing.length} case(s): add --resume to continue that run, or choose another --out`,
    );
  const done = new Set(existing.map((r) => r.case));
  const mine = data.cases.filter((_, i) => o.shard === undefined || i % o.shard.count === o.shard.index);
  const todo = mine.filter((c) => !done.has(c.id));
  let k = 0;
  for (const c of todo) {
    const record = await runCase(model, c, o);
    appendResult(file, record);
    k++;
    o.onCase?.({ done: k, total: todo.length, skipped: mine.length - todo.length, record });
  }
  return todo.length;
}

export interface ReportFiles {
  readonly report: StudyReport;
  readonly json: string;
  readonly html: string;
  readonly csv: string;
  readonly missing: number;
}

/** What the data's manifest.json (written by `data synth`) says: synthetic or not, and the class names of a segmentation set. */
function manifestOf(dir: string): { readonly synthetic: boolean; readonly classNames: readonly string[] } {
  const m = join(dir, 'manifest.json');
  const none = { synthetic: false, classNames: [] };
  if (!existsSync(m)) return none;
  try {
    const j = JSON.parse(readFileSync(m, 'utf8')) as { synthetic?: unknown; kind?: unknown; labels?: unknown };
    const names =
      j.kind === 'ct' && Array.isArray(j.labels) && j.labels.every((x) => typeof x === 'string')
        ? (j.labels as string[])
        : [];
    return { synthetic: j.synthetic === true, classNames: names };
  } catch {
    return none;
  }
}

/** Write report.json, report.html and scores.csv under OUT from every record there. */
export function writeReport(
  data: StudyData,
  out: string,
  c: { readonly model: string; readonly backend: string; readonly bySite: boolean },
): ReportFiles {
  const records = readAllResults(out, 'strict').filter((r) => data.cases.some((x) => x.id === r.case));
  const order = data.cases.map((x) => x.id);
  const manifest = manifestOf(data.dir);
  const report = studyReport(records, order, {
    ...c,
    data: data.dir,
    synthetic: manifest.synthetic,
    classNames: manifest.classNames,
    labelNames: data.labelNames,
  });
  const files = { json: join(out, 'report.json'), html: join(out, 'report.html'), csv: join(out, 'scores.csv') };
  try {
    writeFileSync(files.json, `${JSON.stringify(report, null, 1)}\n`);
    writeFileSync(files.html, reportHtml(report));
    writeFileSync(files.csv, scoresCsv(records, order, data.labelNames));
  } catch (e) {
    throw new CryptflowError(
      'input',
      `cannot write the report under ${out}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`,
    );
  }
  return { report, ...files, missing: data.cases.length - records.length };
}
