/**
 * Mutation testing of the verified core (`npm run mutation`, issue 8 "test strength"): Stryker mutates
 * protocols/, ideal/ and semantics/ and runs the suites of vitest.mutation.config.ts against each
 * mutant, with per-test coverage so a mutant only reruns the tests that reach it. The AssemblyScript
 * kernels (semantics/kernels/wasm/assembly/, protocols/kernels/assembly/) are compiled by asc into build/kernels.wasm, not loaded
 * through vitest, so they cannot be mutated here; their differential tests pin them against the TypeScript
 * references instead. Reports go to reports/mutation/ (clear text, HTML, JSON); the incremental file
 * reports/stryker-incremental.json lets a rerun retest only the mutants whose code or tests changed.
 * `--mutate` narrows a run (e.g. `npx stryker run --mutate ideal/prep.ts,semantics/truncation.ts`);
 * STRYKER_CONCURRENCY raises the number of test runner processes (1 by default: the suites are
 * CPU-bound).
 * Proofs-notes: proofs-notes/mutation.md.
 */

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  packageManager: 'npm',
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'protocols/**/*.ts',
    'ideal/**/*.ts',
    'semantics/**/*.ts',
    '!semantics/kernels/wasm/assembly/**',
    '!protocols/kernels/assembly/**',
    '!**/*.d.ts',
  ],
  ignorePatterns: ['coverage', 'dist', 'reports', '.bench-out', '.scratch', 'docs', 'proofs-notes', '.stryker-tmp'],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 1),
  timeoutMS: 30_000,
  timeoutFactor: 2,
  // the initial run of all suites touching a hot file (e.g. malicious3/ring.ts) takes over 15 min instrumented
  dryRunTimeoutMinutes: 60,
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};

export default config;
