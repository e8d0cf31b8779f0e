/**
 * The per-file results of `npm run mutation`, kept in the repository (reports/mutation/parts/FILE.json.gz,
 * about 20–30 kB each) so a sweep accumulates across sessions and machines: a sweep of all 98 files
 * takes hours on two cores. Each part is Stryker's JSON report for one source file (less the run's
 * configuration), gzip-compressed, with a `sweep` record of when and on what commit it was measured.
 *
 * A part is fresh while its file's source is what the part measured (the report embeds the source);
 * `npm run mutation -- --resume` runs only the files without a fresh part. Tests added since a part was
 * measured can only be missing from it (a part is then a lower bound for its file); the report prints
 * the range of dates and commits it merges.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

export interface SweepRecord {
  readonly file: string;
  readonly commit: string;
  readonly finished: string;
  readonly seconds: number;
  readonly suites: number;
  /** Runs of the part's survivors against suites added later (`--supplement`), and what they killed. */
  readonly supplements?: readonly {
    readonly suites: readonly string[];
    readonly commit: string;
    readonly finished: string;
    readonly seconds: number;
    readonly killed: number;
  }[];
}

/** The fields of a Stryker report a part keeps (the merge and the HTML need no more). */
export interface StoredReport {
  readonly files: Record<string, { readonly source: string; readonly mutants: unknown[]; readonly language: string }>;
  readonly testFiles?: Record<string, unknown>;
  readonly schemaVersion: string;
  readonly thresholds: { readonly high: number; readonly low: number };
  readonly sweep?: SweepRecord;
}

const gzPath = (dir: string, slug: string): string => join(dir, `${slug}.json.gz`);
const legacyPath = (dir: string, slug: string): string => join(dir, `${slug}.json`);

export function readPart<R extends StoredReport>(dir: string, slug: string): R | null {
  if (existsSync(gzPath(dir, slug)))
    return JSON.parse(gunzipSync(readFileSync(gzPath(dir, slug))).toString('utf8')) as R;
  if (existsSync(legacyPath(dir, slug))) return JSON.parse(readFileSync(legacyPath(dir, slug), 'utf8')) as R;
  return null;
}

/** Store a Stryker report as the part of `record.file` (compressed; the plain form removed). */
export function writePart(dir: string, slug: string, report: StoredReport, record: SweepRecord): void {
  const { files, testFiles, schemaVersion, thresholds } = report;
  const stored: StoredReport = {
    files,
    ...(testFiles === undefined ? {} : { testFiles }),
    schemaVersion,
    thresholds,
    sweep: record,
  };
  writeFileSync(gzPath(dir, slug), gzipSync(Buffer.from(JSON.stringify(stored), 'utf8'), { level: 9 }));
  rmSync(legacyPath(dir, slug), { force: true });
}

/** Whether the part measured the file's current source. */
export function isFresh(part: StoredReport, file: string, currentSource: string): boolean {
  return part.files[file]?.source === currentSource;
}
