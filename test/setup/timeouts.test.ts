/** test/setup/timeouts.ts: explicit timeouts are scaled only when TEST_TIMEOUT_SCALE asks for it. */
import { describe, expect, it } from 'vitest';
import { parseScale, timeout, TIMEOUT_SCALE } from './timeouts.js';

describe('test timeouts scaled for mutation runs', () => {
  it('reads an unset or empty TEST_TIMEOUT_SCALE as 1 and a number ≥ 1 as itself', () => {
    expect(parseScale(undefined)).toBe(1);
    expect(parseScale('')).toBe(1);
    expect(parseScale('1')).toBe(1);
    expect(parseScale('10')).toBe(10);
    expect(parseScale('2.5')).toBe(2.5);
  });

  it('rejects a scale that would shorten a timeout or is not a number, naming the value', () => {
    for (const raw of ['0', '0.5', '-3', 'ten', 'Infinity', 'NaN']) {
      expect(() => parseScale(raw)).toThrow(`TEST_TIMEOUT_SCALE must be a number ≥ 1, got "${raw}"`);
    }
  });

  it('multiplies a stated timeout by the scale this run was started with', () => {
    expect(TIMEOUT_SCALE).toBe(parseScale(process.env['TEST_TIMEOUT_SCALE']));
    expect(timeout(60_000)).toBe(60_000 * TIMEOUT_SCALE);
  });
});
