/**
 * Explicit test and hook timeouts, scaled for mutation runs.
 *
 * A suite that gives a test or hook its own timeout (`it(name, fn, timeout(60_000))`) states how long
 * the work may take in a plain run. Under Stryker the mutated file is instrumented with a switch and a
 * coverage counter per mutant, and in the hot loops (ring arithmetic, codecs) the same test then runs
 * ten times slower or more. An unscaled 60 s limit failed Stryker's initial test run on
 * protocols/malicious3/ring.ts (test/protocols/malicious3/chunks.test.ts, 7 s plain), which stops the
 * whole file's measurement. vitest.mutation.config.ts sets TEST_TIMEOUT_SCALE; plain runs leave it
 * unset, so `npm test` keeps the stated limits. Stryker still times out a mutant that hangs with its
 * own limit (stryker.config.mjs timeoutMS and timeoutFactor), so a larger vitest limit loses no
 * detection.
 */

/** The factor explicit timeouts are multiplied by: TEST_TIMEOUT_SCALE, or 1 when it is unset. */
export const TIMEOUT_SCALE: number = parseScale(process.env['TEST_TIMEOUT_SCALE']);

/** TEST_TIMEOUT_SCALE read as a factor: unset or empty is 1; anything but a number ≥ 1 is an error. */
export function parseScale(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale < 1) {
    throw new Error(`TEST_TIMEOUT_SCALE must be a number ≥ 1, got "${raw}"`);
  }
  return scale;
}

/** A test's or hook's timeout of `ms` milliseconds in a plain run, scaled by TIMEOUT_SCALE. */
export function timeout(ms: number): number {
  return ms * TIMEOUT_SCALE;
}
