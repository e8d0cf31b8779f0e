/**
 * Mutation kills for protocols/cryptflow2/product.ts (otProduct), survivors of the sweep of 2026-12-07:
 * which party skips its local term f(x_i, y_i) when an operand is held in the clear (129, 130), and
 * that the local term's array, owned by the caller's kernel, is copied before the cross terms are
 * accumulated into it (131). Listed as equivalent (scripts/mutation/equivalent/
 * protocols__cryptflow2__product.json): group()'s loop bound and cursor copy (44, 50) and the default
 * kernels' name (127).
 */
import { describe, expect, it } from 'vitest';
import type { PartyContext } from '../../protocols/common/party.js';
import { otProduct, type ProductOwners } from '../../protocols/cryptflow2/product.js';
import { mulTerms } from '../../protocols/cryptflow2/terms.js';
import { RINGS, addShares, run2, shareRing } from '../protocols/cryptflow2/support.js';

const X = [3n, 0n, 250n, 77n, 1n];
const Y = [9n, 41n, 0n, 200n, 255n];
const terms = mulTerms([X.length], [Y.length]);

const times = (ell: number, x: readonly bigint[], y: readonly bigint[]): bigint[] =>
  x.map((v, i) => BigInt.asUintN(ell, v * (y[i] as bigint)));

/** This party's share of an operand: additive shares, or the clear value at its owner and 0 at the other. */
function operand(ctx: PartyContext, ell: number, values: readonly bigint[], owner: 0 | 1 | undefined): BigUint64Array {
  if (owner === undefined) return shareRing(ctx, ell, values);
  return ctx.id === owner ? BigUint64Array.from(values) : new BigUint64Array(values.length);
}

const OWNERS: readonly (0 | 1 | undefined)[] = [undefined, 0, 1];

describe('otProduct: local terms with clear operands', () => {
  /**
   * Pins product.ts:129 (ConditionalExpression false: peer 0 at both parties, so P0 skips its own
   * local term when it holds x or y in the clear and the product loses x0·y0) and product.ts:130
   * (ConditionalExpression false on the whole test, on owners.x === peer and on owners.y === peer, and
   * LogicalOperator &&): a party runs the local kernel exactly when neither operand is held in the clear
   * by its peer, and the shares reconstruct x·y for every pair of owners.
   */
  it('a party calls the local kernel iff its peer holds neither operand in the clear', async () => {
    for (const ell of RINGS) {
      const x = X.map((v) => BigInt.asUintN(ell, v));
      const y = Y.map((v) => BigInt.asUintN(ell, v));
      for (const ox of OWNERS) {
        for (const oy of OWNERS) {
          const owners: ProductOwners = { x: ox, y: oy };
          const calls = [0, 0];
          const { p0, p1 } = await run2(ell, `product owners ${ell} ${ox} ${oy}`, (ctx, ot) =>
            otProduct(
              ctx,
              ot,
              terms,
              operand(ctx, ell, x, ox),
              operand(ctx, ell, y, oy),
              (a, b) => {
                calls[ctx.id] = (calls[ctx.id] as number) + 1;
                return BigUint64Array.from(times(ell, [...a], [...b]));
              },
              ell,
              owners,
            ),
          );
          expect(addShares(ell, p0, p1)).toEqual(times(ell, x, y));
          expect(calls).toEqual([0, 1].map((id) => (ox === 1 - id || oy === 1 - id ? 0 : 1)));
        }
      }
    }
  });
});

describe("otProduct: the local kernel's array", () => {
  /**
   * Pins product.ts:131 (MethodExpression local(x, y) for local(x, y).slice()): the array the local
   * kernel returns is left as it was; accumulating the cross terms into it in place would overwrite
   * it with the party's output share.
   */
  it('leaves the array returned by the local kernel unchanged', async () => {
    for (const ell of RINGS) {
      const kept: BigUint64Array[] = [];
      const expected: bigint[][] = [];
      const { p0, p1 } = await run2(ell, `product local ${ell}`, (ctx, ot) => {
        const xs = shareRing(ctx, ell, X);
        const ys = shareRing(ctx, ell, Y);
        const own = BigUint64Array.from(times(ell, [...xs], [...ys]));
        kept[ctx.id] = own;
        expected[ctx.id] = [...own];
        return otProduct(ctx, ot, terms, xs, ys, () => own, ell);
      });
      expect(addShares(ell, p0, p1)).toEqual(times(ell, X, Y));
      expect([...(kept[0] as BigUint64Array)]).toEqual(expected[0]);
      expect([...(kept[1] as BigUint64Array)]).toEqual(expected[1]);
      expect(p0).not.toBe(kept[0]);
      expect(p1).not.toBe(kept[1]);
    }
  });
});
