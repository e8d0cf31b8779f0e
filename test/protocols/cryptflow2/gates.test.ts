import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { drelu } from '../../../protocols/cryptflow2/drelu.js';
import { b2a } from '../../../protocols/cryptflow2/b2a.js';
import { mux } from '../../../protocols/cryptflow2/mux.js';
import { relu, maxPool, argmax } from '../../../protocols/cryptflow2/nonlinear.js';
import { fB2a, fDrelu, fMux } from '../../../ideal/cryptflow2.js';
import { reluWords } from '../../../semantics/kernels/words.js';
import { Ring } from '../../../spec/ring.js';
import { RINGS, addShares, ringValues, run2, runs, shareBits, shareRing, xor } from './support.js';

const bitsArb = fc
  .array(fc.boolean(), { minLength: 1, maxLength: 16 })
  .map((bs) => Uint8Array.from(bs, (b) => (b ? 1 : 0)));

/** Values in the MaxPool/ArgMax domain [−2^{ℓ−2}, 2^{ℓ−2}) as ring elements. */
const inDomain = (ell: number, n: number): fc.Arbitrary<bigint[]> => {
  const b = 1n << BigInt(ell - 2);
  return fc
    .array(fc.oneof(fc.bigInt({ min: -b, max: b - 1n }), fc.constantFrom(-b, b - 1n, 0n, -1n)), {
      minLength: n,
      maxLength: n,
    })
    .map((xs) => xs.map((v) => BigInt.asUintN(ell, v)));
};

describe.each(RINGS)('CrypTFlow2 gates at ℓ = %i', (ell) => {
  it('DReLU reconstructs to F_DReLU on the whole ring', async () => {
    await fc.assert(
      fc.asyncProperty(ringValues(ell, 16), fc.string(), async (xs, seed) => {
        const { p0, p1 } = await run2(ell, seed, (ctx, ot) => drelu(ctx, ot, shareRing(ctx, ell, xs), ell));
        expect(xor(p0, p1)).toEqual([...fDrelu(ell, BigUint64Array.from(xs))]);
      }),
      { numRuns: runs(8) },
    );
  });

  it('B2A reconstructs to F_B2A', async () => {
    await fc.assert(
      fc.asyncProperty(bitsArb, fc.string(), async (bits, seed) => {
        const { p0, p1 } = await run2(ell, seed, (ctx, ot) => b2a(ctx, ot, shareBits(ctx, bits), ell));
        expect(addShares(ell, p0, p1)).toEqual([...fB2a(ell, bits)]);
      }),
      { numRuns: runs(8) },
    );
  });

  it('MUX reconstructs to F_MUX', async () => {
    await fc.assert(
      fc.asyncProperty(bitsArb, ringValues(ell, 16), fc.string(), async (bits, xs, seed) => {
        const vals =
          bits.length <= xs.length
            ? xs.slice(0, bits.length)
            : [...xs, ...new Array<bigint>(bits.length - xs.length).fill(3n)];
        const { p0, p1 } = await run2(ell, seed, (ctx, ot) =>
          mux(ctx, ot, shareBits(ctx, bits), shareRing(ctx, ell, vals), ell),
        );
        expect(addShares(ell, p0, p1)).toEqual([...fMux(ell, bits, BigUint64Array.from(vals))]);
      }),
      { numRuns: runs(8) },
    );
  });

  it('ReLU equals the fixed-point ReLU on the whole ring', async () => {
    await fc.assert(
      fc.asyncProperty(ringValues(ell, 16), fc.string(), async (xs, seed) => {
        const { p0, p1 } = await run2(ell, seed, (ctx, ot) => relu(ctx, ot, shareRing(ctx, ell, xs), ell));
        expect(addShares(ell, p0, p1)).toEqual([...reluWords(ell, BigUint64Array.from(xs))]);
      }),
      { numRuns: runs(8) },
    );
  });

  it('MaxPool and ArgMax (first maximum) on the domain ±2^{ℓ−2}', async () => {
    const ring = Ring(ell);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 7 }),
        fc.string(),
        fc.nat(),
        async (r, c, seed, tie) => {
          const xs = fc.sample(inDomain(ell, r * c), { numRuns: 1, seed: tie })[0] ?? [];
          if (c > 1) xs[r * c - 1] = xs[0] as bigint;
          const windows = Int32Array.from({ length: r * c }, (_, i) => i);
          const { p0, p1 } = await run2(ell, seed, async (ctx, ot) => {
            const x = shareRing(ctx, ell, xs);
            return { max: await maxPool(ctx, ot, x, windows, r, c, ell), arg: await argmax(ctx, ot, x, r, c, ell) };
          });
          const rows = Array.from({ length: r }, (_, o) => xs.slice(o * c, (o + 1) * c).map((v) => ring.signed(v)));
          const best = rows.map((row) => row.reduce((m, v) => (v > m ? v : m)));
          expect(addShares(ell, p0.max, p1.max)).toEqual(best.map((v) => ring.reduce(v)));
          expect(addShares(ell, p0.arg, p1.arg)).toEqual(rows.map((row, o) => BigInt(row.indexOf(best[o] as bigint))));
        },
      ),
      { numRuns: runs(6) },
    );
  });
});
