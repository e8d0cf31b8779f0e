/** Random bits, ReLU, comparison and exact truncation of the malicious backend (protocols/malicious3/bits.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBigints } from '../../../protocols/malicious3/ring.js';
import { randomBits, relu, truncate } from '../../../protocols/malicious3/bits.js';
import { divide } from '../../../protocols/malicious3/division.js';
import type { Auth } from '../../../protocols/malicious3/rss.js';
import { reconstruct, reconstructMac, run3 } from './support.js';

describe.each([
  [8, 8],
  [16, 4],
])('k = %i, s = %i', (k, s) => {
  const m = k + s;
  const M = 1n << BigInt(m);
  const K = 1n << BigInt(k);
  const el = fc.bigInt({ min: 0n, max: M - 1n });
  const low = (v: bigint): bigint => v % K;
  const signed = (v: bigint): bigint => BigInt.asIntN(k, low(v));

  it('random bits are bits, with valid MACs', async () => {
    const { outputs } = await run3(k, s, 'bits', async (st) => {
      const bits = await randomBits(st, 64, 2);
      return { bits, alpha: { x: st.alpha, mac: st.alpha } };
    });
    const [alpha] = reconstruct(
      m,
      outputs.map((o) => o.alpha),
    );
    for (const j of [0, 1]) {
      const b = reconstruct(
        m,
        outputs.map((o) => o.bits[j] as Auth),
      );
      expect(b.every((v) => v === 0n || v === 1n)).toBe(true);
      expect(b.filter((v) => v === 1n).length).toBeGreaterThan(10);
      expect(
        reconstructMac(
          m,
          outputs.map((o) => o.bits[j] as Auth),
        ),
      ).toEqual(b.map((v) => (v * (alpha as bigint)) % M));
    }
  });

  it('ReLU is exact on all of Z_{2^k} (high bits are garbage and ignored)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(el, { minLength: 1, maxLength: 8 }), fc.string(), async (xs, seed) => {
        const { outputs } = await run3(k, s, seed, async (st) => {
          const x = await st.input(1, xs.length, st.id === 1 ? fromBigints(m, xs) : undefined);
          return relu(st, x);
        });
        const y = reconstruct(m, outputs).map(low);
        expect(y).toEqual(xs.map((v) => (signed(v) > 0n ? low(v) : 0n)));
      }),
      { numRuns: 8 },
    );
  });

  it('truncation is ⌊signed/2^f⌋ mod 2^k exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(el, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: k - 1 }),
        fc.string(),
        async (xs, f, seed) => {
          const { outputs } = await run3(k, s, seed, async (st) => {
            const x = await st.input(0, xs.length, st.id === 0 ? fromBigints(m, xs) : undefined);
            return truncate(st, x, f);
          });
          const y = reconstruct(m, outputs).map(low);
          const F = 1n << BigInt(f);
          const floorDiv = (a: bigint): bigint => (a >= 0n ? a / F : -((-a + F - 1n) / F));
          expect(y).toEqual(xs.map((v) => BigInt.asUintN(k, floorDiv(signed(v)))));
        },
      ),
      { numRuns: 8 },
    );
  });
});

describe('exact division by public constants (division.ts)', () => {
  it('⌊signed/d⌋ mod 2^k for per-element divisors, k = 8 and 12', async () => {
    for (const [k, s] of [
      [8, 4],
      [12, 4],
    ] as const) {
      const m = k + s;
      const M = 1n << BigInt(m);
      const maxD = Math.floor(2 ** (k - 1) / k);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.bigInt({ min: 0n, max: M - 1n }), fc.integer({ min: 1, max: maxD })), {
            minLength: 1,
            maxLength: 6,
          }),
          fc.string(),
          async (xd, seed) => {
            const xs = xd.map(([v]) => v);
            const ds = xd.map(([, d]) => d);
            const { outputs } = await run3(k, s, seed, async (st) => {
              const x = await st.input(0, xs.length, st.id === 0 ? fromBigints(m, xs) : undefined);
              return divide(st, x, ds);
            });
            const K = 1n << BigInt(k);
            const y = reconstruct(m, outputs).map((v) => v % K);
            const floorDiv = (a: bigint, d: bigint): bigint => (a >= 0n ? a / d : -((-a + d - 1n) / d));
            expect(y).toEqual(
              xs.map((v, i) => BigInt.asUintN(k, floorDiv(BigInt.asIntN(k, v % K), BigInt(ds[i] as number)))),
            );
          },
        ),
        { numRuns: 6 },
      );
    }
  });
});
