/**
 * `npm run coverage:parties`: the coverage of the spawned `cryptflow` processes, merged with the
 * in-process coverage (issue 20; proofs-notes/mutation.md, "Coverage of party processes").
 *
 * 1. Runs the suites that spawn `cryptflow` processes (PARTY_SUITES) under vitest with its in-process
 *    coverage (vitest.parties.config.ts: Istanbul JSON, no thresholds) and NODE_V8_COVERAGE set, which
 *    every spawned process inherits and writes its raw V8 coverage to at exit.
 * 2. Keeps the raw files of the `cryptflow` processes (scripts/party-coverage/children.ts) and has c8 map them
 *    through tsx's source maps into an Istanbul report (coverage/parties/children).
 * 3. Merges the two line by line (a line is covered when either report covers it;
 *    scripts/party-coverage/merge.ts), prints the in-process, child-process and merged line coverage per
 *    folder, and writes coverage/merged/summary.json.
 *
 *   npm run coverage:parties                              the steps above (about 2 min on 2 cores)
 *   npm run coverage:parties -- --in-process FILE         merge with another in-process report instead,
 *                                                         e.g. the whole suite's coverage-final.json
 *                                                         (`npx vitest run --coverage --coverage.reporter=json`)
 *   npm run coverage:parties -- --keep-raw                keep the raw V8 files (coverage/parties/raw*)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { COVERAGE_EXCLUDE, COVERAGE_INCLUDE, IN_PROCESS_DIR } from '../vitest.parties.config.js';
import { c8Report, collectMarked, PARTY_SUITES } from './party-coverage/children.js';
import { formatSummary, mergeReports, type IstanbulReport } from './party-coverage/merge.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const at = args.indexOf('--in-process');
const inProcessFile = at >= 0 ? args[at + 1] : undefined;
if (at >= 0 && inProcessFile === undefined) fail('--in-process needs a coverage-final.json path');
const keepRaw = args.includes('--keep-raw');

const out = join(root, 'coverage/parties');
const raw = join(out, 'raw');
const kids = join(out, 'raw-children');
const childReport = join(out, 'children');
rmSync(out, { recursive: true, force: true });
rmSync(join(root, 'coverage/merged'), { recursive: true, force: true });
mkdirSync(raw, { recursive: true });

const t0 = performance.now();
const run = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--config',
    'vitest.parties.config.ts',
    '--coverage',
    ...PARTY_SUITES,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_V8_COVERAGE: raw } },
);
const runS = (performance.now() - t0) / 1000;
if (run.status !== 0) fail(`the party suites failed (vitest exit ${run.status ?? run.signal ?? 'unknown'})`);

const t1 = performance.now();
const files = collectMarked(raw, kids);
if (files === 0) fail(`no raw coverage of a cryptflow process under ${raw}: were the children started?`);
c8Report({
  tempDirectory: kids,
  reportDir: childReport,
  include: COVERAGE_INCLUDE,
  exclude: [...COVERAGE_EXCLUDE, '**/node_modules/**'],
  cwd: root,
});
const c8S = (performance.now() - t1) / 1000;
if (!keepRaw) {
  rmSync(raw, { recursive: true, force: true });
  rmSync(kids, { recursive: true, force: true });
}

const inProcessPath = inProcessFile ?? join(root, IN_PROCESS_DIR, 'coverage-final.json');
const summary = mergeReports(read(inProcessPath), read(join(childReport, 'coverage-final.json')), root);
console.log(
  `\ncoverage of the party suites: in-process (vitest, ${inProcessFile ?? IN_PROCESS_DIR}), ` +
    `child processes (c8, ${files} raw files), merged (line union)\n`,
);
console.log(formatSummary(summary));
console.log(`\nvitest ${runS.toFixed(0)} s, c8 and merge ${c8S.toFixed(1)} s; coverage/merged/summary.json`);
mkdirSync(join(root, 'coverage/merged'), { recursive: true });
writeFileSync(
  join(root, 'coverage/merged/summary.json'),
  JSON.stringify(
    {
      suites: PARTY_SUITES,
      inProcess: inProcessFile ?? `${IN_PROCESS_DIR}/coverage-final.json`,
      children: 'coverage/parties/children/coverage-final.json',
      childRawFiles: files,
      seconds: { vitest: Math.round(runS), c8: Math.round(c8S * 10) / 10 },
      ...summary,
    },
    null,
    2,
  ),
);

function read(path: string): IstanbulReport {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as IstanbulReport;
  } catch (e) {
    return fail(`cannot read the coverage report ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function fail(message: string): never {
  console.error(`coverage:parties: ${message}`);
  process.exit(1);
}
