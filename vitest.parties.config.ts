/**
 * The vitest configuration of `npm run coverage:parties` (scripts/coverage-parties.ts): `npm test`'s
 * configuration with the in-process coverage written as Istanbul JSON (coverage-final.json, the
 * line-level data the merge needs) to coverage/parties/in-process, and without the line thresholds:
 * the run covers only the suites that spawn `cryptflow` processes, so the whole suite's thresholds do
 * not apply to it (`npm test` still enforces them). The test files are named on the command line.
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** Where the in-process report of the party suites goes. */
export const IN_PROCESS_DIR = 'coverage/parties/in-process';

const coverage = base.test?.coverage;

/** `npm test`'s coverage globs (the child-process report uses the same). */
export const COVERAGE_INCLUDE: readonly string[] =
  coverage !== undefined && 'include' in coverage ? (coverage.include ?? []) : [];
export const COVERAGE_EXCLUDE: readonly string[] =
  coverage !== undefined && 'exclude' in coverage ? (coverage.exclude ?? []) : [];

export default defineConfig({
  test: {
    ...base.test,
    coverage: {
      provider: 'v8',
      include: [...COVERAGE_INCLUDE],
      exclude: [...COVERAGE_EXCLUDE],
      reporter: ['json'],
      reportsDirectory: IN_PROCESS_DIR,
    },
  },
});
