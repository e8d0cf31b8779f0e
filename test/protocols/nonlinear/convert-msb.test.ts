/**
 * ShareConvert and ComputeMSB: exact results on random values and the ring's edges, metered bytes and
 * rounds against spec/cost, and ShareConvert's r = 0 case exercised many times at ℓ = 8.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeMsb, shareConvert } from '../by-role.js';
import { computeMsbCost, shareConvertCost } from '../../../spec/cost/nonlinear.js';
import { measured, odd, pow2, reconstruct, run3, runs, shareMod, testPrg, VARIANTS, RINGS } from './support.js';

/** Unsigned values of [0, m) mixed with the given edge values. */
function unsignedValues(m: bigint, extra: readonly bigint[], maxLength: number): fc.Arbitrary<bigint[]> {
  return fc.array(fc.oneof(fc.bigInt({ min: 0n, max: m - 1n }), fc.constantFrom(...extra)), {
    minLength: 1,
    maxLength,
    size: 'max',
  });
}

const ringCase = (edgesOf: (ell: number) => bigint[], modulusOf: (ell: number) => bigint) =>
  fc.constantFrom(...RINGS).chain((ell) =>
    fc.record({
      ell: fc.constant(ell),
      xs: unsignedValues(modulusOf(ell), edgesOf(ell), 40),
      v: fc.constantFrom(...VARIANTS),
      seed: fc.string(),
    }),
  );

describe('ShareConvert (SecureNN Alg. 4): Z_{2^ℓ} → Z_{2^ℓ−1}', () => {
  it('reconstructs to a mod (2^ℓ − 1) — a itself unless a = 2^ℓ − 1 — at the spec cost', async () => {
    const edges = (ell: number): bigint[] => [
      0n,
      1n,
      pow2(ell - 1) - 1n,
      pow2(ell - 1),
      pow2(ell) - 2n,
      pow2(ell) - 1n,
    ];
    await fc.assert(
      fc.asyncProperty(ringCase(edges, pow2), async ({ ell, xs, v, seed }) => {
        const n = xs.length;
        const run = await run3(ell, seed, (ctx) => shareConvert(ctx, v, n, shareMod(ctx, pow2(ell), xs)));
        expect(reconstruct(odd(ell), run.p0, run.p1)).toEqual(xs.map((a) => a % odd(ell)));
        expect(measured(run.meter)).toEqual(shareConvertCost(v, ell, n));
      }),
      { numRuns: runs(50) },
    );
  });

  it('is exact when the common mask r is 0 (the whitepaper compares with r − 1 = 2^ℓ − 1 there): ℓ = 8, many elements', async () => {
    // With ℓ = 8 the mask is 0 for about n/256 elements per run; without the fix each is off by one.
    const ell = 8;
    const n = 3000;
    for (const v of VARIANTS) {
      const xs = [...testPrg(`sc8-${v.name}`).ring(ell, n)];
      const run = await run3(ell, `sc8-${v.name}`, (ctx) => shareConvert(ctx, v, n, shareMod(ctx, pow2(ell), xs)));
      expect(reconstruct(odd(ell), run.p0, run.p1)).toEqual(xs.map((a) => a % odd(ell)));
    }
  });
});

describe('ComputeMSB (SecureNN Alg. 5): shares over Z_{2^ℓ−1} → MSB over Z_{2^ℓ}', () => {
  it('reconstructs to the top bit of a for every a ∈ Z_{2^ℓ−1}, at the spec cost', async () => {
    const edges = (ell: number): bigint[] => [
      0n,
      1n,
      pow2(ell - 1) - 1n,
      pow2(ell - 1),
      pow2(ell) - 3n,
      pow2(ell) - 2n,
    ];
    await fc.assert(
      fc.asyncProperty(ringCase(edges, odd), async ({ ell, xs, v, seed }) => {
        const n = xs.length;
        const run = await run3(ell, seed, (ctx) => computeMsb(ctx, v, n, shareMod(ctx, odd(ell), xs)));
        expect(reconstruct(pow2(ell), run.p0, run.p1)).toEqual(xs.map((a) => (a >= pow2(ell - 1) ? 1n : 0n)));
        expect(measured(run.meter)).toEqual(computeMsbCost(v, ell, n));
      }),
      { numRuns: runs(50) },
    );
  });
});
