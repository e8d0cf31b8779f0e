/**
 * ReLU′, ReLU and SelectShare: exact on ReLU′'s precondition, the stated function (1 − bit_{ℓ−2}) on
 * the whole ring, metered costs, Porthos = SecureNN on the same inputs, and the empty call.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { drelu, relu, selectShare } from '../by-role.js';
import { PORTHOS, SECURENN } from '../../../protocols/securenn-family/nonlinear/variant.js';
import { dreluCost, reluCost, selectShareCost } from '../../../spec/cost/nonlinear.js';
import { DEAL_BLOCK } from '../../../protocols/securenn-family/nonlinear/deal.js';
import {
  measured,
  pow2,
  reconstruct,
  RINGS,
  run3,
  runs,
  shareMod,
  signedValues,
  testPrg,
  VARIANTS,
} from './support.js';

const signed = (ell: number, x: bigint): bigint => BigInt.asIntN(ell, x);
const quarter = (ell: number): bigint => pow2(ell - 2);

/** ℓ, values with signed view in [lo(ℓ), hi(ℓ)) plus edges, a variant and a seed. */
const caseIn = (lo: (ell: number) => bigint, hi: (ell: number) => bigint, maxLength = 40) =>
  fc.constantFrom(...RINGS).chain((ell) =>
    fc.record({
      ell: fc.constant(ell),
      xs: signedValues(ell, lo(ell), hi(ell), maxLength),
      v: fc.constantFrom(...VARIANTS),
      seed: fc.string(),
    }),
  );

describe('ReLU′ (DReLU, SecureNN Alg. 6)', () => {
  it('is 1{a ≥ 0} exactly on the precondition signed(a) ∈ [−2^{ℓ−2}, 2^{ℓ−2}), at the spec cost', async () => {
    await fc.assert(
      fc.asyncProperty(
        caseIn((ell) => -quarter(ell), quarter),
        async ({ ell, xs, v, seed }) => {
          const run = await run3(ell, seed, (ctx) => drelu(ctx, v, xs.length, shareMod(ctx, pow2(ell), xs)));
          expect(reconstruct(pow2(ell), run.p0, run.p1)).toEqual(xs.map((a) => (signed(ell, a) >= 0n ? 1n : 0n)));
          expect(measured(run.meter)).toEqual(dreluCost(v, ell, xs.length));
        },
      ),
      { numRuns: runs(40) },
    );
  });

  it('computes 1 − bit_{ℓ−2}(a) on the whole ring (so outside the precondition it is the stated wrong sign)', async () => {
    await fc.assert(
      fc.asyncProperty(
        caseIn(
          (ell) => -pow2(ell - 1),
          (ell) => pow2(ell - 1),
        ),
        async ({ ell, xs, v, seed }) => {
          const run = await run3(ell, seed, (ctx) => drelu(ctx, v, xs.length, shareMod(ctx, pow2(ell), xs)));
          expect(reconstruct(pow2(ell), run.p0, run.p1)).toEqual(xs.map((a) => 1n - ((a >> BigInt(ell - 2)) & 1n)));
        },
      ),
      { numRuns: runs(30) },
    );
    // The boundary itself: 2^{ℓ−2} is positive but doubles into the negative half.
    const ell = 16;
    const run = await run3(ell, 'edge', (ctx) =>
      drelu(ctx, PORTHOS, 2, shareMod(ctx, pow2(ell), [quarter(ell) - 1n, quarter(ell)])),
    );
    expect(reconstruct(pow2(ell), run.p0, run.p1)).toEqual([1n, 0n]);
  });

  it('is exact on all of signed [−2^{ℓ−2}, 2^{ℓ−2}) at ℓ = 8 (exhaustive), both variants', async () => {
    const ell = 8;
    const xs = Array.from({ length: 128 }, (_, i) => BigInt.asUintN(ell, BigInt(i - 64)));
    for (const v of VARIANTS) {
      const run = await run3(ell, `dr8-${v.name}`, (ctx) => drelu(ctx, v, xs.length, shareMod(ctx, pow2(ell), xs)));
      expect(reconstruct(pow2(ell), run.p0, run.p1)).toEqual(xs.map((a) => (signed(ell, a) >= 0n ? 1n : 0n)));
    }
  });
});

describe('ReLU (SecureNN Alg. 7) and SelectShare (Alg. 2)', () => {
  it('ReLU is max(a, 0) exactly on the precondition, at the spec cost', async () => {
    await fc.assert(
      fc.asyncProperty(
        caseIn((ell) => -quarter(ell), quarter),
        async ({ ell, xs, v, seed }) => {
          const run = await run3(ell, seed, (ctx) => relu(ctx, v, xs.length, shareMod(ctx, pow2(ell), xs)));
          expect(reconstruct(pow2(ell), run.p0, run.p1)).toEqual(xs.map((a) => (signed(ell, a) >= 0n ? a : 0n)));
          expect(measured(run.meter)).toEqual(reluCost(v, ell, xs.length));
        },
      ),
      { numRuns: runs(40) },
    );
  });

  it('SelectShare gives x + α(y − x) for secret bits α, at the spec cost', async () => {
    const arb = fc.constantFrom(...RINGS).chain((ell) =>
      fc.record({
        ell: fc.constant(ell),
        rows: fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 1 }),
            fc.bigInt({ min: 0n, max: pow2(ell) - 1n }),
            fc.bigInt({ min: 0n, max: pow2(ell) - 1n }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        seed: fc.string(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(arb, async ({ ell, rows, seed }) => {
        const L = pow2(ell);
        const n = rows.length;
        const column = (k: 0 | 1 | 2): bigint[] => rows.map((r) => BigInt(r[k]));
        const run = await run3(ell, seed, (ctx) =>
          selectShare(ctx, n, shareMod(ctx, L, column(0)), shareMod(ctx, L, column(1)), shareMod(ctx, L, column(2))),
        );
        expect(reconstruct(L, run.p0, run.p1)).toEqual(rows.map(([a, x, y]) => (a === 1 ? y : x)));
        expect(measured(run.meter)).toEqual(selectShareCost(ell, n));
      }),
      { numRuns: runs(40) },
    );
  });

  it('Porthos and SecureNN reconstruct to the same ReLU′ and ReLU on the same inputs', async () => {
    await fc.assert(
      fc.asyncProperty(
        caseIn((ell) => -quarter(ell), quarter),
        async ({ ell, xs, seed }) => {
          const L = pow2(ell);
          const out = async (f: typeof relu | typeof drelu, v: typeof PORTHOS): Promise<bigint[]> => {
            const run = await run3(ell, `${seed}-${v.name}`, (ctx) => f(ctx, v, xs.length, shareMod(ctx, L, xs)));
            return reconstruct(L, run.p0, run.p1);
          };
          expect(await out(drelu, PORTHOS)).toEqual(await out(drelu, SECURENN));
          expect(await out(relu, PORTHOS)).toEqual(await out(relu, SECURENN));
        },
      ),
      { numRuns: runs(20) },
    );
  });

  it('streamed in blocks: ReLU on n = 2·DEAL_BLOCK + 3 (three blocks of every deal and of PrivateCompare, the last short) is max(a, 0) at the spec cost, both variants', async () => {
    const ell = 16;
    const n = 2 * DEAL_BLOCK + 3;
    const q = quarter(ell);
    const xs = [...testPrg('relu blocks').ring(ell, n)].map((x) => BigInt.asUintN(ell, (x % (2n * q)) - q));
    for (const v of VARIANTS) {
      const run = await run3(ell, `relu blocks ${v.name}`, (ctx) => relu(ctx, v, n, shareMod(ctx, pow2(ell), xs)));
      const got = reconstruct(pow2(ell), run.p0, run.p1);
      const want = xs.map((a) => (signed(ell, a) >= 0n ? a : 0n));
      expect(got.every((g, i) => g === want[i])).toBe(true);
      expect(measured(run.meter)).toEqual(reluCost(v, ell, n));
    }
  });

  it('n = 0 sends nothing and returns empty shares', async () => {
    for (const v of VARIANTS) {
      const run = await run3(64, 'empty', (ctx) => relu(ctx, v, 0, new BigUint64Array(0)));
      expect(run.p0.length + run.p1.length + run.p2.length).toBe(0);
      expect(measured(run.meter)).toEqual(reluCost(v, 64, 0));
      expect(run.meter.rounds).toBe(0);
    }
  });
});
