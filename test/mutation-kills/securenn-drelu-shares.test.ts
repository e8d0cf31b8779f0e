/**
 * Mutation kill for protocols/securenn-family/nonlinear/drelu.ts, the one survivor of the sweep of
 * 2026-12-07: line 36 (EqualityOperator ctx.id !== 0), which lets P1 rather than P0 add the constant 1
 * to the negated ComputeMSB share. The reconstructed ReLU′ is the same either way, so the test checks
 * each holder's own share against a replay of the same seeded run of ShareConvert and ComputeMSB.
 */
import { describe, expect, it } from 'vitest';
import { Ring } from '../../spec/ring.js';
import { computeMsb, drelu, shareConvert } from '../protocols/by-role.js';
import { reconstruct, RINGS, run3, shareMod, VARIANTS } from '../protocols/nonlinear/support.js';

describe('SecureNN ReLU′: which holder adds the one', () => {
  /**
   * Pins drelu.ts:36 (EqualityOperator ctx.id !== 0): for a seeded run, P0's ReLU′ share is
   * 1 − m0 and P1's is −m1 (mod 2^ℓ), where m0, m1 are the ComputeMSB shares that the same seeded run
   * of ShareConvert(2a) and ComputeMSB gives each holder. Moving the 1 to P1 changes both shares.
   */
  it('P0 holds 1 − its ComputeMSB share, P1 the negation of its own', async () => {
    for (const ell of RINGS) {
      const ring = Ring(ell);
      const m = ring.modulus;
      const quarter = m >> 2n;
      const values = [0n, 1n, 2n, 7n, quarter - 1n, m - 1n, m - 2n, m - quarter, m - 9n, quarter >> 1n];
      const n = values.length;
      for (const v of VARIANTS) {
        const seed = `securenn drelu shares ${ell} ${v.name}`;
        const d = await run3(ell, seed, (ctx) => drelu(ctx, v, n, shareMod(ctx, m, values)));
        const msb = await run3(ell, seed, async (ctx) => {
          const a = shareMod(ctx, m, values);
          const y = await shareConvert(
            ctx,
            v,
            n,
            a.map((x) => (2n * x) % m),
          );
          return computeMsb(ctx, v, n, y);
        });
        expect(reconstruct(m, d.p0, d.p1)).toEqual(values.map((x) => (x < quarter ? 1n : 0n)));
        expect([...d.p0]).toEqual([...msb.p0].map((x) => (1n + m - x) % m));
        expect([...d.p1]).toEqual([...msb.p1].map((x) => (m - x) % m));
      }
    }
  });
});
