/**
 * The vitest configuration Stryker runs (stryker.config.mjs, `npm run mutation`): only the suites that
 * exercise the mutated folders — protocols/, ideal/, semantics/ — through their own tests, the
 * harness backends and conformance suites, and test/mutation-kills/. Same setup file and run counts
 * as `npm test`, timeouts ten times as long (MUTATION_TIMEOUT_SCALE below), and a fixed fast-check seed
 * (FC_SEED, overridable from the environment),
 * so a mutant is killed or survives the same way on every run and the incremental report stays
 * meaningful. Coverage is off: Stryker measures its own per-test coverage. The runner
 * (test/setup/mutation-runner.ts) gives a test file that throws while being imported one failing test
 * carrying the error, and a top-level suite whose `describe` body throws one failing test likewise:
 * Stryker's vitest runner reads only test results, so without it a mutant that only breaks module
 * loading or suite collection was reported Survived and such a file was skipped in the dry run.
 *
 * MUTATION_TESTS (comma-separated test files or globs) narrows the suites. `npm run mutation` sets it per
 * source file to the suites whose import graph contains that file (scripts/mutation/related.ts: the same
 * verdicts under per-test coverage, without the other suites' dry run). By hand, for a targeted run on
 * one source file — e.g. `MUTATION_TESTS=test/mutation-kills/codec-context.test.ts npx stryker run
 * --mutate protocols/common/codec.ts --incrementalFile reports/stryker-targeted/codec.json`. A
 * targeted score measures that subset only; the reported scores come from `npm run mutation`.
 */
import { defineConfig } from 'vitest/config';

/** The fixed fast-check seed of mutation runs (any integer; change it to sample other inputs). */
const MUTATION_SEED = '20240817';

/**
 * How much longer than in `npm test` a test or hook may run here (test/setup/timeouts.ts): the file
 * being mutated runs instrumented, many times slower in its hot loops. A mutant that hangs is still
 * cut off by Stryker's own timeout (stryker.config.mjs), so the larger limit costs no detection.
 */
const MUTATION_TIMEOUT_SCALE = 10;

/** The suites a full mutation run uses (scripts/mutation.ts narrows them per file by import graph). */
export const MUTATION_SUITES: readonly string[] = [
  'test/protocols/**/*.test.ts',
  'test/ideal/**/*.test.ts',
  'test/semantics/**/*.test.ts',
  'test/harness/backends.test.ts',
  'test/harness/conformance/**/*.test.ts',
  'test/mutation-kills/**/*.test.ts',
];

const targeted = (process.env['MUTATION_TESTS'] ?? '')
  .split(',')
  .map((t) => t.trim())
  .filter((t) => t !== '');

export default defineConfig({
  test: {
    include: targeted.length > 0 ? targeted : [...MUTATION_SUITES],
    exclude: ['**/node_modules/**', '.stryker-tmp/**', 'reports/**'],
    setupFiles: ['test/setup/fast-check.ts'],
    runner: './test/setup/mutation-runner.ts',
    env: { FC_SEED: process.env['FC_SEED'] ?? MUTATION_SEED, TEST_TIMEOUT_SCALE: String(MUTATION_TIMEOUT_SCALE) },
    testTimeout: 120_000 * MUTATION_TIMEOUT_SCALE,
    hookTimeout: 60_000 * MUTATION_TIMEOUT_SCALE,
    coverage: { enabled: false },
  },
});
