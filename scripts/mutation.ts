/**
 * `npm run mutation`: Stryker's mutation score of protocols/, ideal/ and semantics/, one source file per
 * Stryker run, merged into one report.
 *
 * Why one file at a time: Stryker instruments every file it mutates with a switch per mutant, and the
 * instrumented code is what every test then runs. With all 40 files instrumented at once the suites run
 * about five times slower (the bigint kernels and codecs are hot loops full of switches), so a single
 * `stryker run` over the three folders takes many hours on two cores; instrumenting one file keeps the
 * rest of the code at full speed and the whole sweep to a few hours. Each file keeps its own incremental
 * file (reports/stryker-incremental/FILE.json), so a rerun retests only mutants whose code or covering
 * tests changed, and its own JSON report (reports/mutation/parts/FILE.json).
 *
 * The parts are merged (test ids and mutant ids renumbered, tests deduplicated by file and name) into
 * reports/mutation/mutation.json and .html, and a score table per folder and per file is printed and
 * written to reports/mutation/scores.json. Score = (killed + timed out) / (killed + timed out + survived
 * + no coverage), Stryker's definition.
 *
 *   npm run mutation                            every file (skips nothing; incremental per file)
 *   npm run mutation -- semantics/truncation.ts ideal   only these files or folders, then merge all parts
 *   npm run mutation -- --report                merge and print the existing parts, run nothing
 *   npm run mutation -- --resume                only files without a part, or whose source changed since it
 *   npm run mutation -- --supplement FILE…      run the suites added since a part was measured, record kills
 *   npm run mutation -- --survivors             also list the survivors not argued equivalent (JSON lines)
 *   npm run mutation -- --markdown              also print the per-file table of proofs-notes/mutation.md
 *   npm run mutation -- --jobs 2                run two files' Stryker runs at a time
 *   npm run mutation -- --break 85              exit 1 when the total score is below 85
 *   npm run mutation -- --help                  print these lines
 *
 * Configuration (mutators, timeouts, test selection) lives in stryker.config.mjs and
 * vitest.mutation.config.ts; the notes and the measured scores in proofs-notes/mutation.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTATION_SUITES } from '../vitest.mutation.config.js';
import { type Equivalent, equivalentIndex } from './mutation/equivalent.js';
import { markdownTable, type MarkdownRow } from './mutation/markdown.js';
import { isFresh, readPart, type SweepRecord, writePart } from './mutation/parts.js';
import { expandSuites, importClosures, suitesFor } from './mutation/related.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOTS = ['protocols', 'ideal', 'semantics'] as const;
/** AssemblyScript, compiled by asc into build/kernels.wasm: not JavaScript that vitest can load. */
const EXCLUDED = [`semantics${sep}kernels${sep}wasm${sep}assembly${sep}`, `protocols${sep}kernels${sep}assembly${sep}`];
const REPORT_DIR = join(ROOT, 'reports', 'mutation');
const PARTS_DIR = join(REPORT_DIR, 'parts');
const LOGS_DIR = join(REPORT_DIR, 'logs');
const CONFIGS_DIR = join(REPORT_DIR, 'configs');
const OUT_DIR = join(REPORT_DIR, 'out');
const INCREMENTAL_DIR = join(ROOT, 'reports', 'stryker-incremental');
const STRYKER_BIN = join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');

type Status =
  'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';

interface Position {
  readonly line: number;
  readonly column: number;
}
interface MutantResult {
  id: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly location: { readonly start: Position; readonly end: Position };
  readonly status: Status;
  coveredBy?: string[];
  killedBy?: string[];
  readonly [k: string]: unknown;
}
interface FileResult {
  readonly language: string;
  readonly source: string;
  readonly mutants: MutantResult[];
}
interface TestDefinition {
  id: string;
  readonly name: string;
  readonly location?: { readonly start: Position };
}
interface TestFile {
  readonly source?: string;
  readonly tests: TestDefinition[];
}
interface Report {
  readonly schemaVersion: string;
  readonly thresholds: { readonly high: number; readonly low: number };
  readonly files: Record<string, FileResult>;
  readonly testFiles?: Record<string, TestFile>;
  readonly projectRoot?: string;
  readonly sweep?: SweepRecord;
}

interface Counts {
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  other: number;
}

/** Every mutable source file under the three folders, as a path relative to the root with '/'. */
function sourceFiles(): string[] {
  const out: string[] = [];
  for (const top of ROOTS) {
    for (const entry of readdirSync(join(ROOT, top), { recursive: true, encoding: 'utf8' })) {
      const rel = join(top, entry);
      if (!rel.endsWith('.ts') || rel.endsWith('.d.ts')) continue;
      if (EXCLUDED.some((prefix) => rel.startsWith(prefix))) continue;
      out.push(rel.split(sep).join('/'));
    }
  }
  return out.sort();
}

const slug = (file: string): string => file.replace(/\.ts$/, '').split('/').join('__');

/** A bad command line: printed as one line with the usage, never as a stack trace. */
class UsageError extends Error {}

/** The usage lines of this file's header comment (the `npm run mutation` lines). */
function usage(): string {
  const header = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  return header
    .filter((l) => l.startsWith(' *   npm run mutation'))
    .map((l) => l.slice(3))
    .join('\n');
}

function parseArgs(argv: readonly string[]): {
  help: boolean;
  selectors: string[];
  reportOnly: boolean;
  survivors: boolean;
  breakAt: number | null;
  jobs: number;
  resume: boolean;
  supplement: boolean;
  markdown: boolean;
} {
  const selectors: string[] = [];
  let reportOnly = false;
  let survivors = false;
  let breakAt: number | null = null;
  let jobs = 1;
  let resume = false;
  let supplement = false;
  let markdown = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--help' || a === '-h') help = true;
    else if (a === '--report') reportOnly = true;
    else if (a === '--resume') resume = true;
    else if (a === '--supplement') supplement = true;
    else if (a === '--markdown') markdown = true;
    else if (a === '--survivors') survivors = true;
    else if (a === '--break') {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0 || v > 100)
        throw new UsageError(`--break needs a score between 0 and 100, got ${String(argv[i])}`);
      breakAt = v;
    } else if (a === '--jobs') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1 || v > 64)
        throw new UsageError(`--jobs needs a whole number of parallel Stryker runs (1–64), got ${String(argv[i])}`);
      jobs = v;
    } else if (a.startsWith('-'))
      throw new UsageError(
        `unknown option ${a} (known: --help, --report, --resume, --supplement, --survivors, --markdown, --break N, --jobs N)`,
      );
    else selectors.push(a.replace(/\/+$/, ''));
  }
  return { help, selectors, reportOnly, survivors, breakAt, jobs, resume, supplement, markdown };
}

/** Where one file's run writes: its own config, sandbox and JSON report, so runs can go in parallel. */
function partPaths(name: string): { config: string; json: string; temp: string } {
  return {
    config: join(CONFIGS_DIR, `${name}.mjs`),
    json: join(OUT_DIR, `${name}.json`),
    temp: join('.stryker-tmp', name),
  };
}

interface StrykerRun {
  readonly status: number | null;
  readonly output: string;
  readonly seconds: number;
  /** The commit the run measured (taken when it started: Stryker copies the tree then). */
  readonly commit: string;
  /** Stryker's JSON report, or null when it wrote none (no mutants, or a failed run). */
  readonly report: Report | null;
}

/** Stryker over one file with the given suites; `tag` keeps a supplement's files apart from the part's. */
async function runStryker(file: string, suites: readonly string[], tag = ''): Promise<StrykerRun> {
  const name = `${slug(file)}${tag}`;
  const paths = partPaths(name);
  rmSync(paths.json, { force: true });
  writeFileSync(
    paths.config,
    `import base from '${relative(CONFIGS_DIR, join(ROOT, 'stryker.config.mjs')).split(sep).join('/')}';\n` +
      `export default { ...base, ...${JSON.stringify({
        mutate: [file],
        incrementalFile: relative(ROOT, join(INCREMENTAL_DIR, `${name}.json`)),
        reporters: ['json', 'clear-text'],
        jsonReporter: { fileName: relative(ROOT, paths.json) },
        tempDirName: paths.temp,
      })} };\n`,
  );
  const started = Date.now();
  const commit = headCommit();
  const { status, output } = await new Promise<{ status: number | null; output: string }>((done) => {
    const child = spawn(process.execPath, [STRYKER_BIN, 'run', relative(ROOT, paths.config)], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0', MUTATION_TESTS: suites.join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    child.on('error', (e) => done({ status: null, output: `${Buffer.concat(chunks).toString('utf8')}\n${e.message}` }));
    child.on('close', (code) => done({ status: code, output: Buffer.concat(chunks).toString('utf8') }));
  });
  writeFileSync(join(LOGS_DIR, `${name}.log`), `suites (${suites.length}): ${suites.join(' ')}\n\n${output}`);
  // A run that stops early (no mutants, a failed dry run) leaves its sandbox behind.
  rmSync(join(ROOT, paths.temp), { recursive: true, force: true });
  rmSync(paths.config, { force: true });
  const seconds = Math.round((Date.now() - started) / 1000);
  const empty = /Instrumented 1 source file\(s\) with 0 mutant\(s\)/.test(output);
  const report =
    !empty && status === 0 && existsSync(paths.json) ? (JSON.parse(readFileSync(paths.json, 'utf8')) as Report) : null;
  rmSync(paths.json, { force: true });
  return { status: empty ? 0 : status, output, seconds, commit, report };
}

const summary = (c: Counts): string =>
  `${fmtScore(c)} (${c.killed + c.timeout} killed, ${c.survived} survived, ${c.noCoverage} no coverage`;

/** One Stryker run over one file; resolves false when Stryker itself failed (not when mutants survive). */
async function runPart(file: string, suites: readonly string[]): Promise<boolean> {
  const run = await runStryker(file, suites);
  if (run.status !== 0) {
    console.log(`  ${file}: stryker failed (exit ${String(run.status)}), see reports/mutation/logs/${slug(file)}.log`);
    return false;
  }
  if (run.report === null) {
    storeEmpty(file, run.seconds, suites.length);
    console.log(`  ${file}: no mutants (${run.seconds} s)`);
    return true;
  }
  writePart(PARTS_DIR, slug(file), run.report, {
    file,
    commit: run.commit,
    finished: new Date().toISOString(),
    seconds: run.seconds,
    suites: suites.length,
  });
  const c = countAll(Object.values(run.report.files).flatMap((f) => f.mutants));
  console.log(`  ${file}: ${summary(c)}; ${suites.length} suite(s), ${run.seconds} s)`);
  return true;
}

const mutantKey = (m: MutantResult): string =>
  [
    m.mutatorName,
    m.replacement ?? '',
    m.location.start.line,
    m.location.start.column,
    m.location.end.line,
    m.location.end.column,
  ].join('|');

/**
 * `--supplement`: run a fresh part's surviving mutants against the suites added since it was measured
 * (those the file's import graph selects now that are not among the part's test files), and record
 * each one they kill. Sound because a full run kills a mutant when any covering test fails: the kills
 * of a subset of the suites are kills of the whole. The part keeps its record, with the supplement's
 * suites, commit and date added, so the report is what one run with all suites would give, except
 * that a supplement never turns a kill back into a survivor.
 */
async function supplementPart(file: string, suites: readonly string[]): Promise<boolean> {
  const part = readPart<Report>(PARTS_DIR, slug(file));
  if (part === null || !isFresh(part, file, readFileSync(join(ROOT, file), 'utf8'))) {
    console.log(`  ${file}: no fresh part to supplement (run it first)`);
    return true;
  }
  const added = suites.filter((s) => part.testFiles?.[s] === undefined);
  const mutants = part.files[file]?.mutants ?? [];
  const open = mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
  if (added.length === 0 || open.length === 0) {
    console.log(`  ${file}: nothing to supplement (${added.length} new suite(s), ${open.length} survivor(s))`);
    return true;
  }
  const run = await runStryker(file, added, '.supplement');
  if (run.status !== 0 || run.report === null) {
    console.log(`  ${file}: supplement failed, see reports/mutation/logs/${slug(file)}.supplement.log`);
    return false;
  }
  const testFiles: Record<string, TestFile> = { ...(part.testFiles ?? {}) };
  const ids = new Map<string, string>();
  let next = Object.values(testFiles).reduce((n, tf) => n + tf.tests.length, 0);
  for (const [name, tf] of Object.entries(run.report.testFiles ?? {})) {
    const tests = tf.tests.map((t) => {
      const id = `s${next++}`;
      ids.set(t.id, id);
      return { ...t, id };
    });
    testFiles[name] = { ...(tf.source === undefined ? {} : { source: tf.source }), tests };
  }
  const fresh = new Map(
    Object.values(run.report.files).flatMap((f) => f.mutants.map((m) => [mutantKey(m), m] as const)),
  );
  let killed = 0;
  const merged = mutants.map((m) => {
    if (m.status !== 'Survived' && m.status !== 'NoCoverage') return m;
    const s = fresh.get(mutantKey(m));
    if (s === undefined || (s.status !== 'Killed' && s.status !== 'Timeout')) return m;
    killed++;
    return { ...m, status: s.status, killedBy: (s.killedBy ?? []).map((i) => ids.get(i) ?? i) };
  });
  const record = part.sweep ?? { file, commit: 'unrecorded', finished: '', seconds: 0, suites: 0 };
  const supplements = [
    ...(record.supplements ?? []),
    { suites: added, commit: run.commit, finished: new Date().toISOString(), seconds: run.seconds, killed },
  ];
  writePart(
    PARTS_DIR,
    slug(file),
    { ...part, files: { ...part.files, [file]: { ...(part.files[file] as FileResult), mutants: merged } }, testFiles },
    { ...record, supplements },
  );
  const c = countAll(merged);
  console.log(`  ${file}: +${killed} killed by ${added.length} new suite(s) in ${run.seconds} s → ${summary(c)})`);
  return true;
}

/** A file without mutants (types only) still gets a part, so `--resume` knows it was measured. */
function storeEmpty(file: string, seconds: number, suites: number): void {
  const source = readFileSync(join(ROOT, file), 'utf8');
  writePart(
    PARTS_DIR,
    slug(file),
    {
      files: { [file]: { language: 'typescript', source, mutants: [] } },
      schemaVersion: '1.0',
      thresholds: { high: 90, low: 85 },
    },
    { file, commit: headCommit(), finished: new Date().toISOString(), seconds, suites },
  );
}

/** The commit the working tree is on, with `+dirty` when tracked files differ from it. */
function headCommit(): string {
  const head = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
  const commit = head.status === 0 ? head.stdout.trim() : 'unknown';
  return dirty.status === 0 && dirty.stdout.trim() !== '' ? `${commit}+dirty` : commit;
}

/** Run the parts `jobs` at a time, largest first (by source size) so the long ones do not come last. */
async function runParts(files: readonly string[], jobs: number, resume: boolean): Promise<number> {
  const suites = expandSuites(ROOT, MUTATION_SUITES);
  const closures = await importClosures(ROOT, suites);
  const queue = [...files].sort((a, b) => statSync(join(ROOT, b)).size - statSync(join(ROOT, a)).size);
  let failed = 0;
  let done = 0;
  const t0 = Date.now();
  const worker = async (): Promise<void> => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      // With --resume a part may have appeared since the start (another sweep sharing the parts folder).
      const part = resume ? readPart<Report>(PARTS_DIR, slug(file)) : null;
      if (part !== null && isFresh(part, file, readFileSync(join(ROOT, file), 'utf8'))) {
        console.log(`  ${file}: measured meanwhile, skipped`);
      } else if (!(await runPart(file, suitesFor(file, closures)))) failed++;
      done++;
      console.log(`    ${done} / ${files.length} files, ${Math.round((Date.now() - t0) / 60_000)} min`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, files.length)) }, () => worker()));
  return failed;
}

function emptyCounts(): Counts {
  return { killed: 0, timeout: 0, survived: 0, noCoverage: 0, other: 0 };
}

function add(c: Counts, s: Status): void {
  if (s === 'Killed') c.killed++;
  else if (s === 'Timeout') c.timeout++;
  else if (s === 'Survived') c.survived++;
  else if (s === 'NoCoverage') c.noCoverage++;
  else c.other++;
}

function countAll(mutants: readonly MutantResult[]): Counts {
  const c = emptyCounts();
  for (const m of mutants) add(c, m.status);
  return c;
}

function score(c: Counts): number | null {
  const valid = c.killed + c.timeout + c.survived + c.noCoverage;
  return valid === 0 ? null : (100 * (c.killed + c.timeout)) / valid;
}

function fmtScore(c: Counts): string {
  const s = score(c);
  return s === null ? 'n/a' : `${s.toFixed(2)} %`;
}

/** Merge the per-file parts: fresh mutant ids, test ids keyed by (test file, test name). */
function merge(parts: readonly Report[]): Report {
  const files: Record<string, FileResult> = {};
  const testFiles: Record<string, TestFile> = {};
  const globalTest = new Map<string, string>();
  let nextMutant = 0;
  for (const part of parts) {
    const local = new Map<string, string>();
    for (const [testFile, tf] of Object.entries(part.testFiles ?? {})) {
      const merged =
        testFiles[testFile] ??
        (testFiles[testFile] = { ...(tf.source === undefined ? {} : { source: tf.source }), tests: [] });
      for (const t of tf.tests) {
        const key = `${testFile}\u0000${t.name}`;
        let id = globalTest.get(key);
        if (id === undefined) {
          id = String(globalTest.size);
          globalTest.set(key, id);
          merged.tests.push({ ...t, id });
        }
        local.set(t.id, id);
      }
    }
    const remap = (ids: readonly string[] | undefined): string[] | undefined =>
      ids === undefined ? undefined : ids.map((i) => local.get(i) ?? i);
    for (const [name, f] of Object.entries(part.files)) {
      files[name] = {
        ...f,
        mutants: f.mutants.map((m) => {
          const coveredBy = remap(m.coveredBy);
          const killedBy = remap(m.killedBy);
          return {
            ...m,
            id: String(nextMutant++),
            ...(coveredBy === undefined ? {} : { coveredBy }),
            ...(killedBy === undefined ? {} : { killedBy }),
          };
        }),
      };
    }
  }
  return { schemaVersion: '1.0', thresholds: { high: 90, low: 85 }, files, testFiles, projectRoot: ROOT };
}

/** The HTML report, the way Stryker's own html reporter writes it (mutation-testing-elements). */
function writeHtml(report: Report, path: string): boolean {
  let script: string;
  try {
    script = readFileSync(
      createRequire(import.meta.url).resolve('mutation-testing-elements/dist/mutation-test-elements.js'),
      'utf8',
    );
  } catch {
    return false;
  }
  const json = JSON.stringify(report).replace(/</g, '<"+"');
  writeFileSync(
    path,
    `<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>cryptflow-ts mutation report</title>\n<script>\n${script}\n</script>\n</head>\n<body>\n` +
      `<mutation-test-report-app titlePostfix="cryptflow-ts"></mutation-test-report-app>\n` +
      `<script>\nconst app = document.querySelector('mutation-test-report-app');\napp.report = ${json};\n` +
      `function updateTheme() { document.body.style.backgroundColor = app.themeBackgroundColor; }\n` +
      `app.addEventListener('theme-changed', updateTheme);\nupdateTheme();\n</script>\n</body>\n</html>\n`,
  );
  return true;
}

/** Per folder (every ancestor) and per file, in tree order. */
function table(report: Report): { rows: { path: string; counts: Counts }[]; total: Counts } {
  const byPath = new Map<string, Counts>();
  const total = emptyCounts();
  for (const [name, f] of Object.entries(report.files)) {
    const segments = name.split('/');
    const keys = segments.map((_, i) => segments.slice(0, i + 1).join('/') + (i < segments.length - 1 ? '/' : ''));
    for (const m of f.mutants) {
      add(total, m.status);
      for (const key of keys) {
        let c = byPath.get(key);
        if (c === undefined) byPath.set(key, (c = emptyCounts()));
        add(c, m.status);
      }
    }
  }
  const rows = [...byPath.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, counts]) => ({ path, counts }));
  return { rows, total };
}

function printTable(rows: readonly { path: string; counts: Counts }[], total: Counts): void {
  const width = Math.max(10, ...rows.map((r) => r.path.length + 2 * (r.path.replace(/\/$/, '').split('/').length - 1)));
  const line = (label: string, c: Counts): string =>
    `${label.padEnd(width)} ${fmtScore(c).padStart(9)} ${String(c.killed).padStart(7)} ${String(c.timeout).padStart(8)} ${String(c.survived).padStart(9)} ${String(c.noCoverage).padStart(7)}`;
  console.log(
    `${'file'.padEnd(width)} ${'score'.padStart(9)} ${'killed'.padStart(7)} ${'timeout'.padStart(8)} ${'survived'.padStart(9)} ${'no cov'.padStart(7)}`,
  );
  console.log(line('all files', total));
  for (const r of rows) {
    const depth = r.path.replace(/\/$/, '').split('/').length - 1;
    console.log(
      line(
        `${'  '.repeat(depth)}${
          r.path
            .split('/')
            .filter((s) => s !== '')
            .pop() ?? r.path
        }${r.path.endsWith('/') ? '/' : ''}`,
        r.counts,
      ),
    );
  }
}

interface Survivor {
  readonly file: string;
  readonly mutant: MutantResult;
  readonly code: string;
  readonly listed: Equivalent | undefined;
}

/** Every surviving or uncovered mutant, with its source line and its entry in the equivalent list. */
function survivorsOf(report: Report): Survivor[] {
  const index = equivalentIndex();
  const out: Survivor[] = [];
  for (const [file, f] of Object.entries(report.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const lines = f.source.split('\n');
    for (const mutant of f.mutants) {
      if (mutant.status !== 'Survived' && mutant.status !== 'NoCoverage') continue;
      const code = (lines[mutant.location.start.line - 1] ?? '').trim();
      const listed = index(file, mutant.mutatorName, mutant.replacement ?? '', code, mutant.location.start.column);
      out.push({ file, mutant, code, listed });
    }
  }
  return out;
}

/** The unexplained survivors, one JSON object per line in scripts/mutation/equivalent/'s format. */
function printSurvivors(survivors: readonly Survivor[]): void {
  for (const s of survivors) {
    if (s.listed !== undefined) continue;
    const entry = {
      file: s.file,
      line: s.mutant.location.start.line,
      column: s.mutant.location.start.column,
      mutator: s.mutant.mutatorName,
      replacement: s.mutant.replacement ?? '',
      code: s.code,
      reason: `${s.mutant.status}: `,
    };
    console.log(`${JSON.stringify(entry)},`);
  }
}

/** A measured file's row of the markdown table: its merged counts, its part's run, its argued survivors. */
function markdownRow(file: string, part: Report, report: Report, left: readonly Survivor[]): MarkdownRow {
  const mutants = report.files[file]?.mutants ?? [];
  const c = countAll(mutants);
  return {
    file,
    mutants: mutants.length,
    detected: c.killed + c.timeout,
    undetected: c.survived + c.noCoverage,
    seconds: part.sweep?.seconds ?? 0,
    suites: part.sweep?.suites ?? 0,
    supplementKills: (part.sweep?.supplements ?? []).reduce((s, x) => s + x.killed, 0),
    equivalent: left.filter((x) => x.file === file && x.listed !== undefined).length,
  };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`mutation: ${e.message}\n\nusage:\n${usage()}`);
    return 2;
  }
  if (args.help) {
    console.log(`usage:\n${usage()}\n\nscores and notes: proofs-notes/mutation.md`);
    return 0;
  }
  const { selectors, reportOnly, survivors, breakAt, jobs, resume, supplement, markdown } = args;
  for (const d of [PARTS_DIR, LOGS_DIR, INCREMENTAL_DIR, CONFIGS_DIR, OUT_DIR]) mkdirSync(d, { recursive: true });
  const all = sourceFiles();
  const selected =
    selectors.length === 0 ? all : all.filter((f) => selectors.some((s) => f === s || f.startsWith(`${s}/`)));
  const chosen = resume
    ? selected.filter((f) => {
        const part = readPart<Report>(PARTS_DIR, slug(f));
        return part === null || !isFresh(part, f, readFileSync(join(ROOT, f), 'utf8'));
      })
    : selected;
  if (selectors.length > 0 && selected.length === 0) {
    console.error(`no mutable file matches ${selectors.join(', ')} (files under ${ROOTS.join('/, ')}/)`);
    return 2;
  }
  let failed = 0;
  if (supplement && !reportOnly) {
    console.log(`supplementing ${chosen.length} part(s) with the suites added since they were measured`);
    const closures = await importClosures(ROOT, expandSuites(ROOT, MUTATION_SUITES));
    for (const file of chosen) if (!(await supplementPart(file, suitesFor(file, closures)))) failed++;
  } else if (!reportOnly) {
    console.log(
      `mutation testing ${chosen.length} file(s), one Stryker run each (logs in reports/mutation/logs/)` +
        (resume ? `; ${selected.length - chosen.length} skipped: their parts measured their current source` : ''),
    );
    failed = await runParts(chosen, jobs, resume);
  }
  const stored = all.map((f) => ({ file: f, part: readPart<Report>(PARTS_DIR, slug(f)) }));
  for (const { file, part } of stored)
    if (part !== null && part.sweep === undefined)
      // A plain part from an older run of this script: store it compressed, as measured now.
      writePart(PARTS_DIR, slug(file), part, {
        file,
        commit: 'unrecorded',
        finished: statSync(join(PARTS_DIR, `${slug(file)}.json`)).mtime.toISOString(),
        seconds: 0,
        suites: 0,
      });
  const present = stored.filter((s): s is { file: string; part: Report } => s.part !== null);
  const partFiles = present.map((s) => s.file);
  const parts = present.map((s) => s.part);
  const stale = present.filter((s) => !isFresh(s.part, s.file, readFileSync(join(ROOT, s.file), 'utf8')));
  const report = merge(parts);
  writeFileSync(join(REPORT_DIR, 'mutation.json'), JSON.stringify(report));
  const html = writeHtml(report, join(REPORT_DIR, 'mutation.html'));
  const { rows, total } = table(report);
  writeFileSync(
    join(REPORT_DIR, 'scores.json'),
    JSON.stringify(
      {
        generated: new Date().toISOString(),
        total: { ...total, score: score(total) },
        rows: rows.map((r) => ({ path: r.path, ...r.counts, score: score(r.counts) })),
      },
      null,
      2,
    ),
  );
  console.log('');
  printTable(rows, total);
  const missing = all.filter((f) => !partFiles.includes(f));
  const records = parts.flatMap((p) => (p.sweep === undefined ? [] : [p.sweep]));
  const dates = records.map((r) => r.finished.slice(0, 10)).sort();
  const commits = [...new Set(records.map((r) => r.commit))];
  console.log(
    `\n${partFiles.length} of ${all.length} file(s) measured` +
      (dates.length > 0
        ? ` (${dates[0]}${dates.at(-1) !== dates[0] ? ` to ${dates.at(-1)}` : ''}, commits ${commits.join(', ')})`
        : '') +
      (missing.length === 0
        ? '; every file measured'
        : `; ${missing.length} not yet measured${missing.length <= 20 ? `: ${missing.join(' ')}` : ' (`--resume` runs them)'}`),
  );
  if (stale.length > 0)
    console.log(
      `stale (the source changed since the part was measured; \`--resume\` reruns them): ${stale.map((s) => s.file).join(' ')}`,
    );
  console.log(
    `report: ${relative(ROOT, join(REPORT_DIR, 'mutation.json'))}${html ? `, ${relative(ROOT, join(REPORT_DIR, 'mutation.html'))}` : ' (no HTML: mutation-testing-elements not found)'}`,
  );
  const left = survivorsOf(report);
  const listed = left.filter((x) => x.listed !== undefined).length;
  const valid = total.killed + total.timeout + total.survived + total.noCoverage;
  console.log(
    `survivors and uncovered: ${left.length}; argued equivalent (scripts/mutation/equivalent/): ${listed}; ` +
      `unexplained: ${left.length - listed}` +
      (valid - listed > 0
        ? `; score over the mutants not argued equivalent: ${((100 * (total.killed + total.timeout)) / (valid - listed)).toFixed(2)} %`
        : ''),
  );
  if (markdown) {
    console.log('');
    console.log(markdownTable(present.map(({ file, part }) => markdownRow(file, part, report, left))));
  }
  if (survivors) {
    console.log('');
    printSurvivors(left);
  }
  if (failed > 0) {
    console.error(`${failed} Stryker run(s) failed`);
    return 1;
  }
  const s = score(total);
  if (breakAt !== null && (s === null || s < breakAt)) {
    console.error(`mutation score ${s === null ? 'n/a' : s.toFixed(2)} is below --break ${breakAt}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
