import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { divide, truncate } from '../../../protocols/cryptflow2/division.js';
import { fDiv, fTrunc } from '../../../ideal/cryptflow2.js';
import { Ring } from '../../../spec/ring.js';
import { RINGS, addShares, ringValues, run2, runs, shareRing } from './support.js';

describe.each(RINGS)('faithful truncation and division at ℓ = %i', (ell) => {
  it('truncation by s equals ⌊signed(x)/2^s⌋ exactly (F_Trunc), for s in [0, ℓ]', async () => {
    await fc.assert(
      fc.asyncProperty(ringValues(ell, 12), fc.integer({ min: 0, max: ell + 1 }), fc.string(), async (xs, s, seed) => {
        const { p0, p1 } = await run2(ell, seed, (ctx, ot) => truncate(ctx, ot, shareRing(ctx, ell, xs), s, ell));
        const ring = Ring(ell);
        expect(addShares(ell, p0, p1)).toEqual(
          [...fTrunc(ell, BigUint64Array.from(xs), Math.min(s, ell - 1))].map((v, i) =>
            s >= ell ? ring.reduce(ring.signed(xs[i] as bigint) < 0n ? -1n : 0n) : v,
          ),
        );
      }),
      { numRuns: runs(10) },
    );
  });

  it('division by public divisors equals ⌊signed(x)/d⌋ exactly (F_Div)', async () => {
    const dArb = fc.oneof(
      fc.bigInt({ min: 1n, max: 20n }),
      fc.constantFrom(
        1n,
        2n,
        3n,
        9n,
        49n,
        300n,
        1n << BigInt(Math.min(ell - 1, 61)),
        (1n << BigInt(Math.min(ell, 58))) + 5n,
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(ringValues(ell, 1), dArb), { minLength: 1, maxLength: 10 }),
        fc.string(),
        async (pairs, seed) => {
          const xs = pairs.map(([v]) => v[0] as bigint);
          const ds = pairs.map(([, d]) => d);
          const { p0, p1 } = await run2(ell, seed, (ctx, ot) => divide(ctx, ot, shareRing(ctx, ell, xs), ds, ell));
          expect(addShares(ell, p0, p1)).toEqual([...fDiv(ell, BigUint64Array.from(xs), ds)]);
        },
      ),
      { numRuns: runs(10) },
    );
  });
});

describe('division input checks', () => {
  it('a divisor with 5d ≥ 2^64 is a usage error, not a hang', async () => {
    await expect(
      run2(64, 's', (ctx, ot) => divide(ctx, ot, shareRing(ctx, 64, [5n]), [3n << 61n], 64)),
    ).rejects.toThrow(/divisors below 2\^64\/5/);
  });
});
