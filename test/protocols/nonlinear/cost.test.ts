/**
 * The cost functions of spec/cost/nonlinear.ts against (1) COMM-SPEC.md's totals at ℓ = 64, (2) the
 * per-link closed forms written out in proofs-notes/securenn-family.md for every ℓ, and (3) metered
 * runs at ℓ = 64 (the other suites compare metered runs with the cost functions at ℓ ∈ {16, 32, 64}).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { argmax, maxPool, relu } from '../by-role.js';
import { PORTHOS, SECURENN, type Variant } from '../../../protocols/securenn-family/nonlinear/variant.js';
import {
  argmaxCost,
  computeMsbCost,
  dreluCost,
  maxPoolCost,
  privateCompareCost,
  reluCost,
  selectShareCost,
  shareConvertCost,
} from '../../../spec/cost/nonlinear.js';
import { cost, ringBytes, totalBytes, type Cost } from '../../../spec/cost/types.js';
import { pow2, run3, runs, shareMod } from './support.js';

const porthosTotals = { shareConvert: 232, computeMsb: 264, drelu: 496, relu: 536, maxPoolStep: 536, argmaxStep: 576 };
const securennTotals = { shareConvert: 304, computeMsb: 360, drelu: 664, relu: 704, maxPoolStep: 744, argmaxStep: 744 };

describe('COMM-SPEC.md totals at ℓ = 64', () => {
  it('per element: PrivateCompare 128, ShareConvert 232/304, ComputeMSB 264/360, ReLU′ 496/664, ReLU 536/704, SelectShare 40', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (n) => {
        expect(totalBytes(privateCompareCost(64, n).links)).toBe(128 * n);
        expect(totalBytes(selectShareCost(64, n).links)).toBe(40 * n);
        for (const [v, t] of [
          [PORTHOS, porthosTotals],
          [SECURENN, securennTotals],
        ] as const) {
          expect(totalBytes(shareConvertCost(v, 64, n).links)).toBe(t.shareConvert * n);
          expect(totalBytes(computeMsbCost(v, 64, n).links)).toBe(t.computeMsb * n);
          expect(totalBytes(dreluCost(v, 64, n).links)).toBe(t.drelu * n);
          expect(totalBytes(reluCost(v, 64, n).links)).toBe(t.relu * n);
        }
      }),
    );
  });

  it('MaxPool (k − 1)·R·536 / ·744 and ArgMax (c − 1)·r·576 / ·744', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 30 }), (r, k) => {
        expect(totalBytes(maxPoolCost(PORTHOS, 64, r, k).links)).toBe((k - 1) * r * 536);
        expect(totalBytes(maxPoolCost(SECURENN, 64, r, k).links)).toBe((k - 1) * r * 744);
        expect(totalBytes(argmaxCost(PORTHOS, 64, r, k).links)).toBe((k - 1) * r * 576);
        expect(totalBytes(argmaxCost(SECURENN, 64, r, k).links)).toBe((k - 1) * r * 744);
      }),
    );
    expect(totalBytes(argmaxCost(PORTHOS, 64, 1, 1001).links)).toBe(1000 * 576);
  });

  it('metered runs at ℓ = 64 total exactly those numbers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 4 }),
        fc.string(),
        async (n, k, seed) => {
          const L = pow2(64);
          const xs = Array.from({ length: n * k }, (_, i) => BigInt(i % 7) - 3n).map((s) => BigInt.asUintN(64, s));
          const windows = Int32Array.from({ length: n * k }, (_, i) => i);
          for (const [v, t] of [
            [PORTHOS, porthosTotals],
            [SECURENN, securennTotals],
          ] as const) {
            const rl = await run3(64, seed, (ctx) => relu(ctx, v, n, shareMod(ctx, L, xs.slice(0, n))));
            expect(totalBytes(rl.meter.links)).toBe(t.relu * n);
            // Batched: one message per link per step, whatever n (ShareConvert, ComputeMSB, SelectShare).
            expect(rl.meter.messages).toEqual({
              'P0->P1': 3,
              'P1->P0': 3,
              'P0->P2': 3,
              'P1->P2': 3,
              'P2->P0': 4,
              'P2->P1': 6,
            });
            const mp = await run3(64, seed, (ctx) => maxPool(ctx, v, shareMod(ctx, L, xs), windows, n, k));
            expect(totalBytes(mp.meter.links)).toBe((k - 1) * n * t.maxPoolStep);
            const am = await run3(64, seed, (ctx) => argmax(ctx, v, shareMod(ctx, L, xs), n, k));
            expect(totalBytes(am.meter.links)).toBe((k - 1) * n * t.argmaxStep);
          }
        },
      ),
      { numRuns: runs(4) },
    );
  });
});

/** The closed forms of proofs-notes/securenn-family.md, link by link (b = ⌈ℓ/8⌉, h = ⌊n/2⌋). */
function table(v: Variant, ell: number, n: number): Record<'pc' | 'sc' | 'msb' | 'drelu' | 'relu', Cost> {
  const b = ringBytes(ell);
  const h = Math.floor(n / 2);
  const g = n - h;
  const both = v.helperSendsTo === 'both';
  const r = (rounds: number): number => (n === 0 ? 0 : rounds);
  const pc = cost({ 'P0->P2': n * ell, 'P1->P2': n * ell }, r(1));
  const sc = both
    ? cost(
        { 'P0->P2': n * (b + ell), 'P1->P2': n * (b + ell), 'P2->P0': n * (ell + 2 * b), 'P2->P1': n * (ell + 2 * b) },
        r(4),
      )
    : cost(
        {
          'P0->P2': n * (b + ell),
          'P1->P2': n * (b + ell),
          'P2->P0': g * (ell + b) + n * b,
          'P2->P1': h * (ell + b) + n * b,
        },
        r(4),
      );
  const msb = both
    ? cost(
        {
          'P0->P1': 3 * n * b,
          'P1->P0': 3 * n * b,
          'P0->P2': n * ell,
          'P1->P2': n * ell,
          'P2->P0': n * (ell + 3 * b),
          'P2->P1': n * (ell + 4 * b),
        },
        r(5),
      )
    : cost(
        {
          'P0->P1': 3 * n * b,
          'P1->P0': 3 * n * b,
          'P0->P2': n * ell,
          'P1->P2': n * ell,
          'P2->P0': g * (ell + 2 * b),
          'P2->P1': h * (ell + 2 * b) + n * b,
        },
        r(4),
      );
  const drelu = both
    ? cost(
        {
          'P0->P1': 3 * n * b,
          'P1->P0': 3 * n * b,
          'P0->P2': n * (b + 2 * ell),
          'P1->P2': n * (b + 2 * ell),
          'P2->P0': n * (2 * ell + 5 * b),
          'P2->P1': n * (2 * ell + 6 * b),
        },
        r(8),
      )
    : cost(
        {
          'P0->P1': 3 * n * b,
          'P1->P0': 3 * n * b,
          'P0->P2': n * (b + 2 * ell),
          'P1->P2': n * (b + 2 * ell),
          'P2->P0': g * (2 * ell + 3 * b) + n * b,
          'P2->P1': h * (2 * ell + 3 * b) + 2 * n * b,
        },
        r(8),
      );
  const relu = cost(
    { ...drelu.links, 'P0->P1': 5 * n * b, 'P1->P0': 5 * n * b, 'P2->P1': drelu.links['P2->P1'] + n * b },
    r(9),
  );
  return { pc, sc, msb, drelu, relu };
}

describe('per-link closed forms and rounds, every ℓ', () => {
  it('PrivateCompare, ShareConvert, ComputeMSB, ReLU′, ReLU match the written-out table', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(PORTHOS, SECURENN),
        fc.integer({ min: 2, max: 64 }),
        fc.integer({ min: 0, max: 10_000 }),
        (v, ell, n) => {
          const t = table(v, ell, n);
          expect(privateCompareCost(ell, n)).toEqual(t.pc);
          expect(shareConvertCost(v, ell, n)).toEqual(t.sc);
          expect(computeMsbCost(v, ell, n)).toEqual(t.msb);
          expect(dreluCost(v, ell, n)).toEqual(t.drelu);
          expect(reluCost(v, ell, n)).toEqual(t.relu);
        },
      ),
    );
  });

  it('MaxPool and ArgMax: k − 1 steps of ReLU′ plus one product (2R wide with the index), 9 rounds per step', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(PORTHOS, SECURENN),
        fc.integer({ min: 2, max: 64 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 12 }),
        (v, ell, r, k) => {
          const b = ringBytes(ell);
          const step = (width: number): Cost => {
            const d = table(v, ell, r).drelu.links;
            return cost(
              {
                ...d,
                'P0->P1': d['P0->P1'] + 2 * width * b,
                'P1->P0': d['P1->P0'] + 2 * width * b,
                'P2->P1': d['P2->P1'] + width * b,
              },
              9,
            );
          };
          const scaled = (c: Cost, s: number): Cost => ({
            links: Object.fromEntries(Object.entries(c.links).map(([l, x]) => [l, x * s])) as Cost['links'],
            rounds: c.rounds * s,
          });
          expect(maxPoolCost(v, ell, r, k)).toEqual(scaled(step(v.maxPoolIndex ? 2 * r : r), k - 1));
          expect(argmaxCost(v, ell, r, k)).toEqual(scaled(step(2 * r), k - 1));
        },
      ),
    );
  });
});
