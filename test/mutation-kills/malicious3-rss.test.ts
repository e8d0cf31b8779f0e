/**
 * Mutation kills for protocols/malicious3/rss.ts (replicated sharing over Z_{2^(k+s)}). What the
 * sweep's suites left open:
 *
 *   - `m3Params` accepts exactly the integers 2 ≤ k ≤ 64 and 1 ≤ s with k + s ≤ 128, and refuses
 *     every other k or s with a defect naming them (both boundaries of each bound, non-integers);
 *   - `rss.neg` negates both components mod 2^m;
 *   - `broadcastRss` refuses a sharing of more than one element (a defect naming the count) and
 *     repeats the one element n times in both components;
 *   - `constant` is n copies of c reduced mod 2^m.
 *
 * Argued equivalent (scripts/mutation/equivalent/protocols__malicious3__rss.json): `i <= n` in
 * `broadcastRss`'s copy loop (the extra pass writes lanes 2n and 2n + 1 of a BigUint64Array of
 * length 2n, which typed arrays ignore).
 */
import { describe, expect, it } from 'vitest';
import { fromBigints, toBigints } from '../../protocols/malicious3/ring.js';
import { broadcastRss, constant, m3Params, rss, type Rss } from '../../protocols/malicious3/rss.js';
import { expectDefect } from './defect-support.js';

describe('malicious3 rss: parameter guards', () => {
  /** Kills 34 `k <= 2`, `k >= 64` and 35 `s <= 1`, `k + s >= 128`: the edges k = 2, 64, s = 1, k + s = 128 are accepted. */
  it('accepts the boundary parameters and derives m = k + s', () => {
    for (const [k, s] of [
      [2, 1],
      [64, 1],
      [64, 64],
      [2, 126],
      [32, 48],
    ] as const) {
      const p = m3Params(k, s);
      expect(p).toEqual({ k, s, m: k + s });
      expect(Object.isFrozen(p)).toBe(true);
    }
  });

  /**
   * Kills 34 ConditionalExpression (false, whole and per clause), both LogicalOperator mutants and
   * the StringLiteral (empty message).
   */
  it('refuses k outside the integers 2..64 with a defect naming k', async () => {
    for (const k of [1, 0, -3, 65, 2.5, 63.5, Number.NaN]) {
      await expectDefect(() => m3Params(k, 40), `value width k = ${k}`);
    }
  });

  /**
   * Kills 35 ConditionalExpression (false, whole and per clause), both LogicalOperator mutants,
   * `k - s` and the StringLiteral (empty message).
   */
  it('refuses s that is not a positive integer or makes k + s exceed 128', async () => {
    const bad: readonly (readonly [number, number])[] = [
      [64, 0],
      [2, 0],
      [64, -1],
      [64, 65],
      [63, 66],
      [2, 127],
      [32, 1.5],
      [32, Number.NaN],
    ];
    for (const [k, s] of bad) {
      await expectDefect(() => m3Params(k, s), `statistical parameter s = ${s} with k = ${k}`);
    }
  });
});

describe('malicious3 rss: local share operations', () => {
  const m = 70;
  const top = (1n << 70n) - 1n;

  /** Kills 82 ArrowFunction (undefined) and ObjectLiteral ({}): both components negated mod 2^m. */
  it('neg negates both components mod 2^m', () => {
    const x: Rss = { a: fromBigints(m, [0n, 1n, 5n, top]), b: fromBigints(m, [2n, 0n, 1n << 69n, 7n]) };
    const y = rss.neg(m, x);
    expect(toBigints(y.a)).toEqual([0n, top, (1n << 70n) - 5n, 1n]);
    expect(toBigints(y.b)).toEqual([(1n << 70n) - 2n, 0n, 1n << 69n, (1n << 70n) - 7n]);
    expect(toBigints(rss.add(m, x, y).a)).toEqual([0n, 0n, 0n, 0n]);
  });

  /** Kills 113 ConditionalExpression (false) and StringLiteral (empty message). */
  it('broadcastRss refuses a sharing of more than one element', async () => {
    const two: Rss = { a: fromBigints(m, [1n, 2n]), b: fromBigints(m, [3n, 4n]) };
    await expectDefect(() => broadcastRss(two, 3), 'broadcast of a 2-element sharing');
    const none: Rss = { a: fromBigints(m, []), b: fromBigints(m, []) };
    await expectDefect(() => broadcastRss(none, 3), 'broadcast of a 0-element sharing');
  });

  /** Pins the copy loop: every one of the n elements carries the one element, in both components. */
  it('broadcastRss repeats the element n times in each component', () => {
    const one: Rss = { a: fromBigints(m, [top]), b: fromBigints(m, [(1n << 64n) + 9n]) };
    const out = broadcastRss(one, 4);
    expect(out.a.n).toBe(4);
    expect(out.a.lanes.length).toBe(8);
    expect(toBigints(out.a)).toEqual([top, top, top, top]);
    expect(toBigints(out.b)).toEqual(Array.from({ length: 4 }, () => (1n << 64n) + 9n));
    expect(toBigints(broadcastRss(one, 0).a)).toEqual([]);
  });

  /** Kills 126 BlockStatement ({}): n copies of c, reduced mod 2^m. */
  it('constant is n copies of c mod 2^m', () => {
    expect(toBigints(constant(m, 3, 5n))).toEqual([5n, 5n, 5n]);
    expect(toBigints(constant(m, 2, -1n))).toEqual([top, top]);
    expect(toBigints(constant(8, 2, 0x1ffn))).toEqual([0xffn, 0xffn]);
    expect(constant(m, 0, 1n).n).toBe(0);
  });
});
