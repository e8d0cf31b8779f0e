/**
 * The suite's fast-check seeding (test/setup/fast-check.ts): a fixed seed per file, derived from its
 * path, different between files, used by fast-check unless FC_SEED or CRYPTFLOW_SLOW says otherwise.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BASE_SEED, fileSeed } from './fast-check.js';

describe('per-file fast-check seeds', () => {
  it('is a fixed function of the path: FNV-1a xor the base seed, a positive int32', () => {
    expect(fileSeed('test/setup/fast-check.test.ts')).toBe(fileSeed('test/setup/fast-check.test.ts'));
    expect(fileSeed('test\\setup\\fast-check.test.ts')).toBe(fileSeed('test/setup/fast-check.test.ts'));
    expect(fileSeed('')).toBe((0x811c9dc5 ^ BASE_SEED) & 0x7fffffff);
    const seeds = ['a.test.ts', 'b.test.ts', 'test/protocols/backends.test.ts', 'test/e2e/tables.test.ts'].map(
      fileSeed,
    );
    expect(new Set(seeds).size).toBe(seeds.length);
    for (const s of seeds) expect(Number.isSafeInteger(s) && s >= 0 && s < 2 ** 31).toBe(true);
  });

  it('is the seed fast-check uses in this file (unless FC_SEED or CRYPTFLOW_SLOW replaces it)', () => {
    const fromEnv = process.env['FC_SEED'];
    const configured = fc.readConfigureGlobal().seed;
    if (fromEnv !== undefined && fromEnv !== '') expect(configured).toBe(Number(fromEnv));
    else if (process.env['CRYPTFLOW_SLOW'] !== '1') expect(configured).toBe(fileSeed('test/setup/fast-check.test.ts'));
    expect(fc.sample(fc.integer(), { numRuns: 3 })).toEqual(fc.sample(fc.integer(), { numRuns: 3 }));
  });
});
