/**
 * MaxPool and ArgMax: maxima and first-maximum indices on random windows with frequent ties, metered
 * costs, Porthos = SecureNN on the same inputs, and the NonlinearLayer adapter the backend takes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { argmax, maxPool } from '../by-role.js';
import { nonlinearLayer } from '../../../protocols/securenn-family/nonlinear/layer.js';
import { PORTHOS, SECURENN, type Variant } from '../../../protocols/securenn-family/nonlinear/variant.js';
import { argmaxCost, maxPoolCost, reluCost } from '../../../spec/cost/nonlinear.js';
import {
  measured,
  pow2,
  reconstruct,
  RINGS,
  run3,
  run3Roles,
  runs,
  shareHeld,
  shareMod,
  signedValues,
  VARIANTS,
} from './support.js';

const eighth = (ell: number): bigint => pow2(ell - 3);

/** Index of the first maximum by signed value, and the maximum. */
function firstMax(ell: number, cells: readonly bigint[]): { max: bigint; index: number } {
  let index = 0;
  for (let t = 1; t < cells.length; t++)
    if (BigInt.asIntN(ell, cells[t] as bigint) > BigInt.asIntN(ell, cells[index] as bigint)) index = t;
  return { max: cells[index] as bigint, index };
}

/** Inputs in the precondition range [−2^{ℓ−3}, 2^{ℓ−3}) with ties made likely (a few distinct values). */
const poolCase = fc.constantFrom(...RINGS).chain((ell) =>
  fc
    .record({
      r: fc.integer({ min: 1, max: 12 }),
      k: fc.integer({ min: 1, max: 6 }),
      size: fc.integer({ min: 1, max: 30 }),
      v: fc.constantFrom(...VARIANTS),
      seed: fc.string(),
    })
    .chain(({ r, k, size, v, seed }) =>
      fc.record({
        ell: fc.constant(ell),
        xs: signedValues(ell, -eighth(ell), eighth(ell), size).chain((pool) =>
          fc.array(fc.constantFrom(...pool), { minLength: size, maxLength: size }),
        ),
        windows: fc.array(fc.integer({ min: 0, max: size - 1 }), { minLength: r * k, maxLength: r * k }),
        r: fc.constant(r),
        k: fc.constant(k),
        v: fc.constant(v),
        seed: fc.constant(seed),
      }),
    ),
);

describe('MaxPool (SecureNN Alg. 8; Porthos without the index)', () => {
  it('gives each window’s maximum (and, in SecureNN, the position of its first maximum) at the spec cost', async () => {
    await fc.assert(
      fc.asyncProperty(poolCase, async ({ ell, xs, windows, r, k, v, seed }) => {
        const L = pow2(ell);
        const run = await run3(ell, seed, (ctx) =>
          maxPool(ctx, v, shareMod(ctx, L, xs), Int32Array.from(windows), r, k),
        );
        const want = Array.from({ length: r }, (_, w) =>
          firstMax(
            ell,
            windows.slice(w * k, w * k + k).map((i) => xs[i] as bigint),
          ),
        );
        expect(reconstruct(L, run.p0.max, run.p1.max)).toEqual(want.map((m) => m.max));
        if (v.maxPoolIndex) {
          expect(reconstruct(L, run.p0.index ?? new BigUint64Array(0), run.p1.index ?? new BigUint64Array(0))).toEqual(
            want.map((m) => BigInt(m.index)),
          );
        } else {
          expect(run.p0.index).toBeNull();
        }
        expect(measured(run.meter)).toEqual(maxPoolCost(v, ell, r, k));
      }),
      { numRuns: runs(30) },
    );
  });
});

describe('ArgMax (index-tracking max, both variants)', () => {
  const argCase = fc.constantFrom(...RINGS).chain((ell) =>
    fc
      .record({
        r: fc.integer({ min: 1, max: 8 }),
        c: fc.integer({ min: 1, max: 7 }),
        v: fc.constantFrom(...VARIANTS),
        seed: fc.string(),
      })
      .chain(({ r, c, v, seed }) =>
        fc.record({
          ell: fc.constant(ell),
          xs: signedValues(ell, -eighth(ell), eighth(ell), 4).chain((pool) =>
            fc.array(
              fc.oneof(
                fc.constantFrom(...pool),
                fc.bigInt({ min: -eighth(ell), max: eighth(ell) - 1n }).map((s) => BigInt.asUintN(ell, s)),
              ),
              { minLength: r * c, maxLength: r * c },
            ),
          ),
          r: fc.constant(r),
          c: fc.constant(c),
          v: fc.constant(v),
          seed: fc.constant(seed),
        }),
      ),
  );

  it('gives the index of the first maximum of every row (and the maximum) at the spec cost', async () => {
    await fc.assert(
      fc.asyncProperty(argCase, async ({ ell, xs, r, c, v, seed }) => {
        const L = pow2(ell);
        const run = await run3(ell, seed, (ctx) => argmax(ctx, v, shareMod(ctx, L, xs), r, c));
        const want = Array.from({ length: r }, (_, w) => firstMax(ell, xs.slice(w * c, w * c + c)));
        expect(reconstruct(L, run.p0.index ?? new BigUint64Array(0), run.p1.index ?? new BigUint64Array(0))).toEqual(
          want.map((m) => BigInt(m.index)),
        );
        expect(reconstruct(L, run.p0.max, run.p1.max)).toEqual(want.map((m) => m.max));
        expect(measured(run.meter)).toEqual(argmaxCost(v, ell, r, c));
      }),
      { numRuns: runs(30) },
    );
  });

  it('Porthos and SecureNN reconstruct to the same MaxPool maxima and ArgMax indices on the same inputs', async () => {
    await fc.assert(
      fc.asyncProperty(poolCase, async ({ ell, xs, windows, r, k, seed }) => {
        const L = pow2(ell);
        const both = async (v: Variant): Promise<[bigint[], bigint[]]> => {
          const mp = await run3(ell, `${seed}-mp-${v.name}`, (ctx) =>
            maxPool(ctx, v, shareMod(ctx, L, xs), Int32Array.from(windows), r, k),
          );
          const am = await run3(ell, `${seed}-am-${v.name}`, (ctx) =>
            argmax(
              ctx,
              v,
              shareMod(
                ctx,
                L,
                windows.map((i) => xs[i] as bigint),
              ),
              r,
              k,
            ),
          );
          return [
            reconstruct(L, mp.p0.max, mp.p1.max),
            reconstruct(L, am.p0.index ?? new BigUint64Array(0), am.p1.index ?? new BigUint64Array(0)),
          ];
        };
        expect(await both(PORTHOS)).toEqual(await both(SECURENN));
      }),
      { numRuns: runs(15) },
    );
  });
});

describe('nonlinearLayer: the NonlinearLayer the family backend takes', () => {
  it('relu, maxPool and argmax reconstruct as above and meter exactly their declared costs', async () => {
    const ell = 32;
    const L = pow2(ell);
    const xs = [5n, -7n, 0n, 3n, -1n, 9n].map((s) => BigInt.asUintN(ell, s));
    for (const v of VARIANTS) {
      const layer = nonlinearLayer(v);
      const rl = await run3Roles(
        ell,
        `layer-relu-${v.name}`,
        (h) => layer.holder.relu(h, shareHeld(h, L, xs), xs.length),
        (p) => layer.helper.relu(p, xs.length),
      );
      expect(reconstruct(L, rl.p0, rl.p1)).toEqual(xs.map((a) => (BigInt.asIntN(ell, a) >= 0n ? a : 0n)));
      expect(measured(rl.meter)).toEqual(layer.reluCost(ell, xs.length));
      expect(layer.reluCost(ell, xs.length)).toEqual(reluCost(v, ell, xs.length));
      const windows = Int32Array.from([0, 1, 2, 3, 4, 5]);
      const mp = await run3Roles(
        ell,
        `layer-mp-${v.name}`,
        (h) => layer.holder.maxPool(h, shareHeld(h, L, xs), windows, 2, 3),
        (p) => layer.helper.maxPool(p, windows, 2, 3),
      );
      expect(reconstruct(L, mp.p0, mp.p1)).toEqual([5n, 9n]);
      expect(measured(mp.meter)).toEqual(layer.maxPoolCost(ell, 2, 3));
      const am = await run3Roles(
        ell,
        `layer-am-${v.name}`,
        (h) => layer.holder.argmax(h, shareHeld(h, L, xs), 2, 3),
        (p) => layer.helper.argmax(p, 2, 3),
      );
      expect(reconstruct(L, am.p0, am.p1)).toEqual([0n, 2n]);
      expect(measured(am.meter)).toEqual(layer.argmaxCost(ell, 2, 3));
      expect(layer.rings).toContain(64);
    }
  });
});
