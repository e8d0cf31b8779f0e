/**
 * Mutation kills for protocols/securenn-family/nonlinear/private-compare.ts, `compareTables` (the
 * survivor `p * 128 + ell` → `p / 128 + ell` of line 188, from a targeted run on 2026-12-07): the
 * tables are cached per (p, ℓ), and each pair must get its own. With the key p / 128 + ℓ the fields
 * Z_101 at ℓ = 17 and Z_229 at ℓ = 16 (both valid variants: ℓ ≤ p − 2) would share one entry, and the
 * second would compute PrivateCompare's messages with the first one's reductions.
 */
import { describe, expect, it } from 'vitest';
import { compareTables } from '../../protocols/securenn-family/nonlinear/private-compare.js';

describe("PrivateCompare's tables, one pair per field and ring", () => {
  it('Z_101 at ℓ = 17, then Z_229 at ℓ = 16: each table reduces modulo its own p', () => {
    for (const [p, ell] of [
      [101, 17],
      [229, 16],
      [101, 17],
    ] as const) {
      const { red, mul } = compareTables(p, ell);
      // The kernel's largest index (protocols/kernels/assembly/compare.ts): masked < ℓ·(p + 1) + 3p + 2.
      expect(red.length, `red for p = ${p}, ℓ = ${ell}`).toBeGreaterThanOrEqual(ell * (p + 1) + 3 * p + 2);
      expect(red.every((v, x) => v === x % p)).toBe(true);
      expect(mul.length).toBe(p * p);
      expect(mul.every((v, i) => v === (Math.floor(i / p) * (i % p)) % p)).toBe(true);
    }
  });
});
