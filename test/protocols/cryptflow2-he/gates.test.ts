/**
 * The prime-field gates and nonlinear layers of cryptflow2-he (protocols/cryptflow2-he/gates.ts,
 * nonlinear.ts, division.ts) against their ideal functionalities (ideal/cryptflow2-he.ts): shares
 * reconstruct mod p exactly, over small primes (where the edges of the field are hit often) and the
 * production prime p = 2^41 − 65535. OT: the functional test double (fast), as the cryptflow2 tests.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fArgmaxP, fB2aP, fDivP, fDreluP, fMaxP, fMuxP, fReluP } from '../../../ideal/cryptflow2-he.js';
import type { PartyContext } from '../../../protocols/common/party.js';
import { P41, primeField, sampleP, type PrimeField } from '../../../protocols/cryptflow2-he/field.js';
import { b2aP, dreluP, muxP } from '../../../protocols/cryptflow2-he/gates.js';
import { argmaxP, maxPoolP, reluP } from '../../../protocols/cryptflow2-he/nonlinear.js';
import { divideP } from '../../../protocols/cryptflow2-he/division.js';
import { run2, runs, shareBits, xor } from '../cryptflow2/support.js';

const PRIMES = [11n, 251n, 65537n, P41] as const;

/** Additive shares mod p of known values: P0 holds v + r, P1 holds −r (common PRG). */
function shareP(ctx: PartyContext, F: PrimeField, values: readonly bigint[]): BigUint64Array {
  const r = sampleP(F, ctx.shared(ctx.id === 0 ? 1 : 0), values.length);
  return ctx.id === 0 ? r.map((v, i) => (v + (values[i] as bigint)) % F.p) : r.map((v) => (v === 0n ? 0n : F.p - v));
}

const addP = (F: PrimeField, a: BigUint64Array, b: BigUint64Array): bigint[] =>
  [...a].map((v, i) => (v + (b[i] as bigint)) % F.p);

/** Field elements with the edges (0, ±1, ±(p−1)/2, …) mixed in. */
const fieldValues = (F: PrimeField, n: number): fc.Arbitrary<bigint[]> =>
  fc.array(
    fc.oneof(
      fc.bigInt({ min: 0n, max: F.p - 1n }),
      fc.constantFrom(0n, 1n, F.p - 1n, F.half, F.half + 1n, F.half - 1n),
    ),
    { minLength: 1, maxLength: n, size: 'max' },
  );

/** Signed values in (−p/4, p/4), the MaxPool/ArgMax domain. */
const quarterValues = (F: PrimeField, n: number): fc.Arbitrary<bigint[]> => {
  const q = (F.p - 1n) / 4n;
  return fc
    .array(fc.bigInt({ min: -q + 1n, max: q - 1n }), { minLength: n, maxLength: n })
    .map((xs) => xs.map((v) => (v < 0n ? v + F.p : v)));
};

const bitsArb = fc
  .array(fc.boolean(), { minLength: 1, maxLength: 12 })
  .map((bs) => Uint8Array.from(bs, (b) => (b ? 1 : 0)));

describe.each(PRIMES)('cryptflow2-he gates over Z_p, p = %s', (p) => {
  const F = primeField(p);

  it('DReLU_p reconstructs to F_DReLU on the whole field', async () => {
    await fc.assert(
      fc.asyncProperty(fieldValues(F, 12), fc.string(), async (xs, seed) => {
        const { p0, p1 } = await run2(16, seed, (ctx, ot) => dreluP(ctx, ot, F, shareP(ctx, F, xs)));
        expect(xor(p0, p1)).toEqual([...fDreluP(p, BigUint64Array.from(xs))]);
      }),
      { numRuns: runs(6) },
    );
  });

  it('B2A_p and MUX_p reconstruct to F_B2A and F_MUX', async () => {
    await fc.assert(
      fc.asyncProperty(bitsArb, fc.string(), async (bits, seed) => {
        const xs = Array.from(bits, (_, i) => (BigInt(i) * 7919n + 3n) % p);
        const { p0, p1 } = await run2(16, seed, async (ctx, ot) => {
          const b = shareBits(ctx, bits);
          return [await b2aP(ctx, ot, F, b), await muxP(ctx, ot, F, b, shareP(ctx, F, xs))] as const;
        });
        expect(addP(F, p0[0], p1[0])).toEqual([...fB2aP(bits)]);
        expect(addP(F, p0[1], p1[1])).toEqual([...fMuxP(bits, BigUint64Array.from(xs))]);
      }),
      { numRuns: runs(6) },
    );
  });

  it('ReLU_p reconstructs to F_ReLU on the whole field', async () => {
    await fc.assert(
      fc.asyncProperty(fieldValues(F, 12), fc.string(), async (xs, seed) => {
        const { p0, p1 } = await run2(16, seed, (ctx, ot) => reluP(ctx, ot, F, shareP(ctx, F, xs)));
        expect(addP(F, p0, p1)).toEqual([...fReluP(p, BigUint64Array.from(xs))]);
      }),
      { numRuns: runs(6) },
    );
  });

  it('division by public constants is exact on the whole field (F_Div)', async () => {
    const divisor = fc.oneof(fc.constantFrom(1n, 2n, 4n, 9n, 4096n, 32768n), fc.bigInt({ min: 1n, max: 1000n }));
    await fc.assert(
      fc.asyncProperty(
        fieldValues(F, 10),
        fc.array(divisor, { minLength: 10, maxLength: 10 }),
        fc.string(),
        async (xs, ds, seed) => {
          const d = ds.slice(0, xs.length);
          const { p0, p1 } = await run2(16, seed, (ctx, ot) => divideP(ctx, ot, F, shareP(ctx, F, xs), d));
          expect(addP(F, p0, p1)).toEqual([...fDivP(p, BigUint64Array.from(xs), d)]);
        },
      ),
      { numRuns: runs(6) },
    );
  });

  it('MaxPool_p and ArgMax_p reconstruct to F_Max and F_ArgMax on (−p/4, p/4)', async () => {
    await fc.assert(
      fc.asyncProperty(quarterValues(F, 15), fc.string(), async (xs, seed) => {
        const windows = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
        const { p0, p1 } = await run2(16, seed, async (ctx, ot) => {
          const x = shareP(ctx, F, xs);
          return [await maxPoolP(ctx, ot, F, x, windows, 3, 5), await argmaxP(ctx, ot, F, x, 5, 3)] as const;
        });
        const x = BigUint64Array.from(xs);
        expect(addP(F, p0[0], p1[0])).toEqual([...fMaxP(p, x, windows, 3, 5)]);
        expect(addP(F, p0[1], p1[1])).toEqual([...fArgmaxP(p, x, 5, 3)]);
      }),
      { numRuns: runs(5) },
    );
  });
});
