/**
 * The child-process half of `npm run coverage:parties` (scripts/coverage-parties.ts): which suites spawn
 * `cryptflow` processes, which raw V8 coverage files those processes wrote, and c8's mapping of them.
 *
 * With NODE_V8_COVERAGE set, every Node process (and every worker thread, and tsx's loader thread)
 * writes `coverage-<pid>-<time>-<n>.json` at exit: `{ result: [{ url, functions }] }` per script it
 * ran. A process is a `cryptflow` process when one of its files lists the marker script
 * (bin/cryptflow.js); all files with that process id are kept, since the loader and worker threads
 * of the same process write their own. The vitest workers' files are dropped: their coverage is the
 * in-process report's.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The test files that start `cryptflow` processes (a test keeps this list equal to the files that do). */
export const PARTY_SUITES: readonly string[] = [
  'test/e2e/malicious.test.ts',
  'test/e2e/run.test.ts',
  'test/harness/study/validate.test.ts',
  'test/network/tcp/processes.test.ts',
  'test/network/tcp/two-party.test.ts',
];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const C8 = join(ROOT, 'node_modules/c8/bin/c8.js');
const RAW_NAME = /^coverage-(\d+)-\d+-\d+\.json$/;

interface RawCoverage {
  readonly result?: readonly { readonly url?: string }[];
}

function scriptsOf(path: string): readonly string[] {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as RawCoverage;
    return (raw.result ?? []).map((r) => r.url ?? '');
  } catch {
    return [];
  }
}

/**
 * The raw files (names, sorted) of the processes that ran a script whose URL ends with `marker`
 * (default bin/cryptflow.js), every file of such a process id included.
 */
export function markedProcessFiles(rawDir: string, marker = 'bin/cryptflow.js'): string[] {
  const byPid = new Map<string, string[]>();
  for (const name of readdirSync(rawDir)) {
    const m = RAW_NAME.exec(name);
    if (m === null) continue;
    const pid = m[1] ?? '';
    byPid.set(pid, [...(byPid.get(pid) ?? []), name]);
  }
  const kept: string[] = [];
  for (const names of byPid.values())
    if (names.some((n) => scriptsOf(join(rawDir, n)).some((url) => url.endsWith(`/${marker}`)))) kept.push(...names);
  return kept.sort();
}

/** Copies the marked processes' raw files from `rawDir` to `destDir`; returns how many. */
export function collectMarked(rawDir: string, destDir: string, marker?: string): number {
  mkdirSync(destDir, { recursive: true });
  const files = markedProcessFiles(rawDir, marker);
  for (const name of files) copyFileSync(join(rawDir, name), join(destDir, name));
  return files.length;
}

export interface C8ReportOptions {
  /** The raw V8 files. */
  readonly tempDirectory: string;
  /** Where coverage-final.json (Istanbul JSON, absolute paths) goes. */
  readonly reportDir: string;
  /** Globs relative to `cwd`, applied to the source-mapped paths. */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly cwd: string;
}

/** c8 report: the raw files mapped through their source maps into an Istanbul JSON report. */
export function c8Report(o: C8ReportOptions): void {
  const args = [
    C8,
    'report',
    '--temp-directory',
    o.tempDirectory,
    '--report-dir',
    o.reportDir,
    '--reporter',
    'json',
    '--exclude-after-remap',
    ...o.include.flatMap((g) => ['--include', g]),
    ...o.exclude.flatMap((g) => ['--exclude', g]),
  ];
  const r = spawnSync(process.execPath, args, { cwd: o.cwd, encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`c8 report failed (exit ${r.status ?? r.signal ?? 'unknown'}): ${r.stderr.trim().slice(0, 500)}`);
}
