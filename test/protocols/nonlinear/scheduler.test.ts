/**
 * Ordering robustness: deliveries on different links resolve in orders fast-check's scheduler picks
 * (per-link FIFO kept, as TCP keeps it); outputs still reconstruct correctly and the meter still
 * reads the spec cost (rounds are a property of the message dependencies, not of timing).
 * The hook schedules a delivery once its message has arrived (support.ts, `scheduled`).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { argmax, maxPool, relu } from '../by-role.js';
import { argmaxCost, maxPoolCost, reluCost } from '../../../spec/cost/nonlinear.js';
import { measured, pow2, reconstruct, run3, runs, scheduled, shareMod, VARIANTS } from './support.js';

const ELLS = [16, 32, 64] as const;

describe('non-linear protocols under adversarial delivery order (fc.scheduler)', () => {
  it('ReLU reconstructs max(a, 0) and meters its cost, over several distinct delivery orders', async () => {
    const orders = new Map<string, Set<string>>();
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.constantFrom(...VARIANTS),
        fc.constantFrom(...ELLS),
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 8 }),
        async (s, v, ell, vals) => {
          const L = pow2(ell);
          const xs = vals.map((x) => BigInt.asUintN(ell, BigInt(x)));
          const order: string[] = [];
          const deliver = scheduled(s);
          const run = run3(
            ell,
            'sched-relu',
            (ctx) => relu(ctx, v, xs.length, shareMod(ctx, L, xs)),
            (p, label) => deliver(p, label).then((m) => (order.push(label), m)),
          );
          const done = await s.waitFor(run);
          orders.set(v.name, (orders.get(v.name) ?? new Set<string>()).add(order.join(' ')));
          expect(reconstruct(L, done.p0, done.p1)).toEqual(
            vals.map((x) => BigInt.asUintN(ell, BigInt(Math.max(x, 0)))),
          );
          expect(measured(done.meter)).toEqual(reluCost(v, ell, xs.length));
        },
      ),
      { numRuns: runs(25) },
    );
    expect(Math.max(...[...orders.values()].map((o) => o.size))).toBeGreaterThan(1);
  });

  it('MaxPool (with SecureNN’s index) and ArgMax reconstruct correctly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.constantFrom(...VARIANTS),
        fc.constantFrom(...ELLS),
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 6, maxLength: 6 }),
        async (s, v, ell, vals) => {
          const L = pow2(ell);
          const xs = vals.map((x) => BigInt.asUintN(ell, BigInt(x)));
          const windows = Int32Array.from([0, 1, 2, 3, 4, 5]);
          const mp = await s.waitFor(
            run3(ell, 'sched-mp', (ctx) => maxPool(ctx, v, shareMod(ctx, L, xs), windows, 2, 3), scheduled(s)),
          );
          const am = await s.waitFor(
            run3(ell, 'sched-am', (ctx) => argmax(ctx, v, shareMod(ctx, L, xs), 2, 3), scheduled(s)),
          );
          const rows = [vals.slice(0, 3), vals.slice(3, 6)];
          const first = rows.map((row) => row.indexOf(Math.max(...row)));
          expect(reconstruct(L, mp.p0.max, mp.p1.max)).toEqual(
            rows.map((row) => BigInt.asUintN(ell, BigInt(Math.max(...row)))),
          );
          if (v.maxPoolIndex)
            expect(reconstruct(L, mp.p0.index ?? new BigUint64Array(0), mp.p1.index ?? new BigUint64Array(0))).toEqual(
              first.map(BigInt),
            );
          expect(reconstruct(L, am.p0.index ?? new BigUint64Array(0), am.p1.index ?? new BigUint64Array(0))).toEqual(
            first.map(BigInt),
          );
          expect(measured(mp.meter)).toEqual(maxPoolCost(v, ell, 2, 3));
          expect(measured(am.meter)).toEqual(argmaxCost(v, ell, 2, 3));
        },
      ),
      { numRuns: runs(15) },
    );
  });
});
