import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { millionaire, millAnds, andsPerLevel } from '../../../protocols/cryptflow2/millionaire.js';
import { bitTriples, andGates } from '../../../protocols/cryptflow2/and.js';
import { fMill, fAnd } from '../../../ideal/cryptflow2.js';
import { RINGS, run2, runs, xor, ringValues } from './support.js';

describe('AND tree size', () => {
  it('T(q) = 2(q − 1) − ⌈log₂ q⌉ and has ⌈log₂ q⌉ levels', () => {
    for (let q = 1; q <= 40; q++) {
      expect(millAnds(q)).toBe(2 * (q - 1) - Math.ceil(Math.log2(q)));
      expect(andsPerLevel(q).length).toBe(Math.ceil(Math.log2(q)));
    }
  });
});

describe('bit triples and AND gates', () => {
  it('triples satisfy c = a·b and ANDs reconstruct to F_AND', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 40 }),
        fc.string(),
        async (pairs, seed) => {
          const x = Uint8Array.from(pairs, ([a]) => (a ? 1 : 0));
          const y = Uint8Array.from(pairs, ([, b]) => (b ? 1 : 0));
          const { p0, p1 } = await run2(8, seed, async (ctx, ot) => {
            const t = await bitTriples(ctx, ot, x.length);
            const mask = ctx
              .shared(ctx.id === 0 ? 1 : 0)
              .bytes(2 * x.length)
              .map((v) => v & 1);
            const xs = ctx.id === 0 ? x.map((v, i) => v ^ (mask[i] as number)) : mask.subarray(0, x.length);
            const ys = ctx.id === 0 ? y.map((v, i) => v ^ (mask[x.length + i] as number)) : mask.subarray(x.length);
            return { t, z: await andGates(ctx, t, xs, ys) };
          });
          const a = xor(p0.t.a, p1.t.a);
          const b = xor(p0.t.b, p1.t.b);
          expect(xor(p0.t.c, p1.t.c)).toEqual(a.map((v, i) => v & (b[i] as number)));
          expect(xor(p0.z, p1.z)).toEqual([...fAnd(x, y)]);
        },
      ),
      { numRuns: runs(10) },
    );
  });
});

describe("millionaires' protocol", () => {
  for (const w of [...RINGS, 1, 3, 5, 31, 63]) {
    it(`XOR shares of 1{a < b} at w = ${w}`, async () => {
      await fc.assert(
        fc.asyncProperty(ringValues(w, 12), ringValues(w, 12), fc.string(), async (as, bs, seed) => {
          const n = Math.min(as.length, bs.length);
          const a = BigUint64Array.from(as.slice(0, n));
          const b = BigUint64Array.from(bs.slice(0, n));
          b[0] = a[0] as bigint;
          const { p0, p1 } = await run2(w, seed, (ctx, ot) => millionaire(ctx, ot, ctx.id === 0 ? a : b, w));
          expect(xor(p0, p1)).toEqual([...fMill(w, a, b)]);
        }),
        { numRuns: runs(8) },
      );
    });
  }
});
