/**
 * Exhaustive checks of the remaining building blocks on the smallest rings (ℓ = 2, 3, 4), both
 * variants at their production primes, every input once per copy (the copies vary the masks):
 *   - ReLU on every a with signed(a) ∈ [−2^{ℓ−2}, 2^{ℓ−2}) (its domain): max(a, 0);
 *   - SelectShare on every (α, x, y) ∈ {0, 1} × Z_{2^ℓ}²: x + α(y − x);
 *   - a MaxPool step (windows of two) on every ordered pair in [−2^{ℓ−3}, 2^{ℓ−3}) (ℓ = 3, 4; the domain
 *     is empty at ℓ = 2): the maximum, and in SecureNN the position of the first maximum.
 * small-rings.test.ts covers PrivateCompare, ShareConvert, ComputeMSB and ReLU′ the same way.
 */
import { describe, expect, it } from 'vitest';
import { maxPool, relu, selectShare } from '../by-role.js';
import { pow2, reconstruct, run3, shareMod, VARIANTS } from './support.js';

const COPIES = 4;
const signed = (ell: number, a: bigint): bigint => (a >= pow2(ell - 1) ? a - pow2(ell) : a);
const unsigned = (ell: number, a: bigint): bigint => ((a % pow2(ell)) + pow2(ell)) % pow2(ell);

function range(lo: bigint, hi: bigint): bigint[] {
  const out: bigint[] = [];
  for (let x = lo; x < hi; x++) out.push(x);
  return out;
}

describe('ReLU, SelectShare and a MaxPool step, exhaustively at ℓ = 2, 3, 4', () => {
  it('ReLU is max(a, 0) on its whole domain', async () => {
    for (const v of VARIANTS) {
      for (const ell of [2, 3, 4]) {
        const q = pow2(ell - 2);
        const xs = Array.from({ length: COPIES }, () => range(-q, q).map((a) => unsigned(ell, a))).flat();
        const run = await run3(ell, `relu-${v.name}-${ell}`, (ctx) =>
          relu(ctx, v, xs.length, shareMod(ctx, pow2(ell), xs)),
        );
        expect(reconstruct(pow2(ell), run.p0, run.p1)).toEqual(xs.map((a) => (signed(ell, a) > 0n ? a : 0n)));
      }
    }
  });

  it('SelectShare is x + α(y − x) for every α, x, y', async () => {
    for (const ell of [2, 3, 4]) {
      const L = pow2(ell);
      const triples: [bigint, bigint, bigint][] = [];
      for (let c = 0; c < COPIES; c++)
        for (const alpha of [0n, 1n])
          for (const x of range(0n, L)) for (const y of range(0n, L)) triples.push([alpha, x, y]);
      const n = triples.length;
      const run = await run3(ell, `select-${ell}`, (ctx) =>
        selectShare(
          ctx,
          n,
          shareMod(
            ctx,
            L,
            triples.map((t) => t[0]),
          ),
          shareMod(
            ctx,
            L,
            triples.map((t) => t[1]),
          ),
          shareMod(
            ctx,
            L,
            triples.map((t) => t[2]),
          ),
        ),
      );
      expect(reconstruct(L, run.p0, run.p1)).toEqual(triples.map(([alpha, x, y]) => (alpha === 1n ? y : x)));
    }
  });

  it('a MaxPool step gives the maximum of every pair (and SecureNN the first maximum’s position)', async () => {
    for (const v of VARIANTS) {
      for (const ell of [3, 4]) {
        const e = pow2(ell - 3);
        const pairs: [bigint, bigint][] = [];
        for (let c = 0; c < COPIES; c++) for (const a of range(-e, e)) for (const b of range(-e, e)) pairs.push([a, b]);
        const cells = pairs.flat().map((a) => unsigned(ell, a));
        const windows = Int32Array.from(cells.keys());
        let index: BigUint64Array | null = null;
        const run = await run3(ell, `maxpool-${v.name}-${ell}`, async (ctx) => {
          const r = await maxPool(ctx, v, shareMod(ctx, pow2(ell), cells), windows, pairs.length, 2);
          if (ctx.id === 0) index = r.index;
          return r.index === null ? r.max : BigUint64Array.from([...r.max, ...r.index]);
        });
        const all = reconstruct(pow2(ell), run.p0, run.p1);
        const max = pairs.map(([a, b]) => unsigned(ell, a >= b ? a : b));
        expect(all.slice(0, pairs.length)).toEqual(max);
        if (v.maxPoolIndex) {
          expect(index).not.toBeNull();
          expect(all.slice(pairs.length)).toEqual(pairs.map(([a, b]) => (b > a ? 1n : 0n)));
        } else expect(all.length).toBe(pairs.length);
      }
    }
  });
});
