/**
 * Mutation kills for protocols/cryptflow2/nonlinear.ts, the survivors of the sweep of 2026-12-07: the
 * index bookkeeping of the ArgMax tree when a level has an odd column that moves up (80, 81), and
 * which party holds the initial index shares (114).
 * Listed as equivalent (scripts/mutation/equivalent/protocols__cryptflow2__nonlinear.json): the
 * optional chaining of cols[0] (42; level runs only on two or more columns), and the three mutants of
 * 78 and the one of 81 that drop a test that is always true there (bestIdx is set exactly when idx is,
 * and idx always has as many entries as cols, so lastIdx is defined).
 */
import { describe, expect, it } from 'vitest';
import { argmax } from '../../protocols/cryptflow2/nonlinear.js';
import { drelu } from '../../protocols/cryptflow2/drelu.js';
import { mux } from '../../protocols/cryptflow2/mux.js';
import { addShares, RINGS, run2, shareRing } from '../protocols/cryptflow2/support.js';

const ring = (ell: number, vs: readonly number[]): bigint[] => vs.map((v) => BigInt.asUintN(ell, BigInt(v)));

/** Runs the two-party ArgMax of the rows (all of the same length) and reconstructs each row's index. */
async function argmaxOf(ell: number, seed: string, rows: readonly (readonly number[])[]): Promise<bigint[]> {
  const c = rows[0]?.length ?? 0;
  const xs = ring(ell, rows.flat());
  const { p0, p1 } = await run2(ell, seed, (ctx, ot) => argmax(ctx, ot, shareRing(ctx, ell, xs), rows.length, c, ell));
  return addShares(ell, p0, p1);
}

describe('argmax: an odd column that moves up keeps its index', () => {
  /**
   * Pins nonlinear.ts:80 (EqualityOperator t <= pairs): with three columns the first level pushes one
   * extra, empty index array, so the third column's index is lost when it wins the second level (the
   * index reads as 0 instead of 2).
   */
  it('three columns with the maximum last give index 2', async () => {
    const rows = [
      [1, 2, 9],
      [-3, -7, -1],
      [0, 0, 5],
      [-20, 4, 11],
    ];
    for (const ell of RINGS) {
      expect(await argmaxOf(ell, `cf2 argmax three ${ell}`, rows)).toEqual([2n, 2n, 2n, 2n]);
    }
  });

  /**
   * Pins nonlinear.ts:81 (ConditionalExpression true, LogicalOperator odd || …): with six columns
   * the first level (even) pushes the last column's index again, so at the second level (odd) the
   * column that moves up carries index 5 instead of the index of the winner of columns 4 and 5.
   */
  it('six columns with the maximum at 4 give index 4', async () => {
    const rows = [
      [3, -5, 7, 1, 20, 9],
      [-9, -8, -7, -6, -1, -5],
      [0, 1, 2, 3, 30, 4],
    ];
    for (const ell of RINGS) {
      expect(await argmaxOf(ell, `cf2 argmax six ${ell}`, rows)).toEqual([4n, 4n, 4n]);
    }
  });

  /** Also pins 80 and 81 (the mutants above): six and seven columns, the maximum at every position. */
  it('six and seven columns: every position of the maximum', async () => {
    for (const c of [6, 7]) {
      const rows = Array.from({ length: c }, (_, m) => Array.from({ length: c }, (_, j) => (j === m ? 25 : j - 3)));
      for (const ell of RINGS) {
        const want = rows.map((_, m) => BigInt(m));
        expect(await argmaxOf(ell, `cf2 argmax all ${c} ${ell}`, rows)).toEqual(want);
      }
    }
  });
});

describe('argmax: P0 holds the initial indices', () => {
  /**
   * Pins nonlinear.ts:114 (EqualityOperator ctx.id !== 0): for two columns ArgMax is one level, so
   * each party's index share must be its share of ib plus its share of MUX(DReLU(a − b), (a − b, ia − ib))
   * from a replay of the same seeded run with P0 holding ia = 0, ib = 1 and P1 holding zeros. Moving the
   * indices to P1 reconstructs the same index but changes both parties' shares.
   */
  it('each party holds its share of the replayed one-level tree', async () => {
    for (const ell of RINGS) {
      const values = [
        [5, 2],
        [-4, 6],
        [0, 0],
        [-9, -10],
        [13, 14],
      ];
      const r = values.length;
      const xs = ring(ell, values.flat());
      const seed = `cf2 argmax shares ${ell}`;
      const got = await run2(ell, seed, (ctx, ot) => argmax(ctx, ot, shareRing(ctx, ell, xs), r, 2, ell));
      const replay = await run2(ell, seed, async (ctx, ot) => {
        const x = shareRing(ctx, ell, xs);
        const a = BigUint64Array.from({ length: r }, (_, o) => x[2 * o] as bigint);
        const b = BigUint64Array.from({ length: r }, (_, o) => x[2 * o + 1] as bigint);
        const d = a.map((v, i) => BigInt.asUintN(ell, v - (b[i] as bigint)));
        const s = await drelu(ctx, ot, d, ell);
        const ib = ctx.id === 0 ? 1n : 0n;
        const both = new BigUint64Array(2 * r);
        both.set(d);
        both.fill(BigInt.asUintN(ell, -ib), r);
        const bits = new Uint8Array(2 * r);
        bits.set(s);
        bits.set(s, r);
        const sel = await mux(ctx, ot, bits, both, ell);
        return sel.subarray(r).map((v) => BigInt.asUintN(ell, v + ib));
      });
      expect(addShares(ell, got.p0, got.p1)).toEqual([0n, 1n, 0n, 0n, 1n]);
      expect([...got.p0]).toEqual([...replay.p0]);
      expect([...got.p1]).toEqual([...replay.p1]);
    }
  });
});
