/**
 * Mutation kills for protocols/cryptflow2-he/nonlinear.ts (ReLU, MaxPool and ArgMax over Z_p: 92.00 % in
 * the sweep of 2026-12-07, 6 survived), by behaviour, both parties run with the functional OT double:
 *   - ArgMax over rows of 6 elements, whose tree has an odd level after an even one: the index column
 *     that moves up unpaired must be the one aligned with the unpaired value column (line 69);
 *   - the shared start index is held by P0 (j) and P1 (0), as the header documents: in the one MUX of a
 *     two-element row, P0's offers for the index half differ by its index difference (0 − 1) and P1's
 *     two offers are equal, its index difference being 0 (line 104).
 * Listed as equivalent (scripts/mutation/equivalent/protocols__cryptflow2-he__nonlinear.json): the
 * optional chaining on `cols[0]` (46: `level` runs only while there are two columns or more) and the
 * three mutants of the index guard (67: `bestIdx` is non-null exactly when `idx` is).
 */
import { describe, expect, it } from 'vitest';
import type { PartyContext } from '../../protocols/common/party.js';
import type { OtChannel } from '../../protocols/ot/types.js';
import { P41, primeField, sampleP, type PrimeField } from '../../protocols/cryptflow2-he/field.js';
import { argmaxP } from '../../protocols/cryptflow2-he/nonlinear.js';
import { run2 } from '../protocols/cryptflow2/support.js';

const F = primeField(P41);

/** Additive shares mod p of known signed values: P0 holds v + r, P1 holds −r (common PRG). */
function shareP(ctx: PartyContext, field: PrimeField, values: readonly bigint[]): BigUint64Array {
  const r = sampleP(field, ctx.shared(ctx.id === 0 ? 1 : 0), values.length);
  const v = values.map((x) => (x < 0n ? x + field.p : x));
  return ctx.id === 0 ? r.map((s, i) => (s + (v[i] as bigint)) % field.p) : r.map((s) => (s === 0n ? 0n : field.p - s));
}

const open = (a: BigUint64Array, b: BigUint64Array): bigint[] => [...a].map((v, i) => (v + (b[i] as bigint)) % F.p);

describe('argmaxP: the index columns follow the value columns', () => {
  /**
   * Pins 69 ConditionalExpression true. Six columns: level 1 leaves three (m01, m23, m45); level 2
   * pairs m01 with m23 and moves m45 up, with its index. Pushing the last index column even when the
   * count is even leaves a fourth, stale index column (the original column 5) that level 2 then moves
   * up instead of the index of m45: a maximum at column 4 would be reported at 5.
   */
  it('rows of 6 with the maximum at column 4 (and at 5, 0, 2) give its index', async () => {
    const rows: readonly (readonly bigint[])[] = [
      [1n, 2n, 3n, 4n, 9n, 5n],
      [-7n, -3n, -5n, -6n, 8n, -1n],
      [0n, 1n, 2n, 3n, 4n, 6n],
      [5n, -2n, 1n, 0n, 3n, 4n],
      [2n, 2n, 7n, 1n, 7n, 0n],
    ];
    const { p0, p1 } = await run2(16, 'argmax-six', (ctx, ot) =>
      argmaxP(ctx, ot, F, shareP(ctx, F, rows.flat()), 5, 6),
    );
    expect(open(p0, p1)).toEqual([4n, 4n, 5n, 0n, 2n]);
  });
});

describe('argmaxP: P0 holds the start index j, P1 holds 0', () => {
  /**
   * Pins 104 EqualityOperator (P1 holding j and P0 0 instead). One row of two: the level's MUX takes
   * [a − b, ia − ib] from each party, and each offers (m0, m1) with m_t = (s ⊕ t ? x : 0) − r. P0's
   * index difference is 0 − 1, so its two index offers differ by ±1 mod p; P1's is 0 − 0, so its two
   * index offers are equal. The mutant swaps the two.
   */
  it('the index half of each party’s MUX offers reflects its own start index', async () => {
    const offers: [BigUint64Array, BigUint64Array][][] = [[], []];
    await run2(16, 'argmax-start', (ctx, ot) => {
      const watched: OtChannel = {
        ...ot,
        send2: async (m0, m1, ell) => {
          offers[ctx.id]?.push([m0.slice(), m1.slice()]);
          return ot.send2(m0, m1, ell);
        },
      };
      return argmaxP(ctx, watched, F, shareP(ctx, F, [3n, -2n]), 1, 2);
    });
    const indexOffers = (id: 0 | 1): [bigint, bigint] => {
      const last = offers[id]?.at(-1);
      expect(last?.[0].length).toBe(2);
      return [last?.[0][1] ?? -1n, last?.[1][1] ?? -1n];
    };
    const [a0, b0] = indexOffers(0);
    expect([1n, F.p - 1n]).toContain((b0 - a0 + F.p) % F.p);
    const [a1, b1] = indexOffers(1);
    expect(a1).toBe(b1);
  });
});
