/**
 * Mutation kills for protocols/cryptflow2/terms.ts, survivors of the sweep of 2026-12-07: the defect
 * raised for Mul operands that do not broadcast (33), and the shape-only term counts the cost function
 * uses — mulCounts (104), matmulCounts (108) and convCounts (124, 133, 139) — which must equal the
 * number of terms and the distinct x and y indices (usedOf) of the term lists themselves, for empty
 * shapes (no term, so no element of either operand is used) and for kernel taps that only ever land in
 * the padding. Listed as equivalent (scripts/mutation/equivalent/protocols__cryptflow2__terms.json):
 * matmulTerms' row loop bound (44: the extra row only writes past the typed arrays' ends) and
 * convCounts' T = 0 guard (139: shapes have positive extents, so T = 0 only when an axis has no valid
 * tap, which already zeroes ux and uy).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  convCounts,
  convTerms,
  matmulCounts,
  matmulTerms,
  mulCounts,
  mulTerms,
  usedOf,
  type AnyConv,
  type TermCounts,
  type Terms,
} from '../../protocols/cryptflow2/terms.js';
import { broadcastShapes, type Shape } from '../../spec/geometry.js';
import { expectDefect } from './defect-support.js';

/** The counts read off an explicit term list: T and the distinct indices of each operand's column. */
const countsOf = (t: Terms): TermCounts => ({ terms: t.out.length, ux: usedOf(t.x), uy: usedOf(t.y) });

const NONE: TermCounts = { terms: 0, ux: 0, uy: 0 };

describe('mulTerms / mulCounts', () => {
  /** Pins terms.ts:33 (StringLiteral ""): the defect names the operands that do not broadcast. */
  it('operands that do not broadcast are a defect with its message', async () => {
    await expectDefect(() => mulTerms([2, 3], [4]), 'Mul operands do not broadcast');
  });

  /**
   * Pins terms.ts:104 (ConditionalExpression false, both: ux and uy). An empty output has no term, so
   * neither operand has a used element, even the one of size 1 broadcast against the empty axis.
   */
  it('counts equal the term list, with no used element when the output is empty', () => {
    const cases: readonly [Shape, Shape, TermCounts][] = [
      [[0], [1], NONE],
      [[1], [0], NONE],
      [[2, 1], [1, 0], NONE],
      [[3, 0], [1, 1], NONE],
      [[2, 1], [1, 3], { terms: 6, ux: 2, uy: 3 }],
      [[4], [4], { terms: 4, ux: 4, uy: 4 }],
      [[], [2, 2], { terms: 4, ux: 1, uy: 4 }],
    ];
    for (const [a, b, want] of cases) {
      const out = broadcastShapes(a, b);
      if (out === null) throw new Error(`test shapes ${String(a)} and ${String(b)} must broadcast`);
      const got = mulCounts(a, b, out);
      expect(got, `${JSON.stringify(a)} · ${JSON.stringify(b)}`).toEqual(want);
      expect(got).toEqual(countsOf(mulTerms(a, b)));
    }
  });
});

describe('matmulTerms / matmulCounts', () => {
  /**
   * Pins terms.ts:108 (ConditionalExpression false, both: ux when n = 0 and uy when m = 0): an empty
   * product uses no element of either operand, and the counts match matmulTerms for every m, k, n.
   */
  it('counts equal the term list, with no used element when m or n is 0', () => {
    expect(matmulCounts(2, 3, 0)).toEqual(NONE);
    expect(matmulCounts(0, 3, 2)).toEqual(NONE);
    expect(matmulCounts(2, 3, 4)).toEqual({ terms: 24, ux: 6, uy: 12 });
    fc.assert(
      fc.property(fc.nat(4), fc.nat(4), fc.nat(4), (m, k, n) => {
        expect(matmulCounts(m, k, n)).toEqual(countsOf(matmulTerms(m, k, n)));
      }),
      { numRuns: 80 },
    );
  });
});

describe('convCounts', () => {
  const conv = (pads: readonly number[], strides = [1, 1], dilations = [1, 1], groups = 1): AnyConv => ({
    kind: 'conv',
    g: { strides, pads, dilations, groups },
  });
  const transpose = (pads: readonly number[], strides = [1, 1]): AnyConv => ({
    kind: 'transpose',
    g: { strides, pads, dilations: [1, 1], groups: 1, outputPadding: [0, 0] },
  });

  /**
   * Pins terms.ts:124 (BooleanLiteral true) and terms.ts:133 (ConditionalExpression true): a kernel tap
   * that lands in the padding for every output position is not a used weight. A 3×3 kernel over a 1×1
   * input padded by 1 reads only its centre tap; the transposed twin (pads cropping the output to 1×1)
   * likewise.
   */
  it('taps that only ever read padding are not used weights', () => {
    const cases: readonly [AnyConv, Shape, Shape, TermCounts][] = [
      [conv([1, 1, 1, 1]), [1, 2, 1, 1], [3, 2, 3, 3], { terms: 6, ux: 2, uy: 6 }],
      [conv([1, 1, 0, 0]), [1, 1, 1, 1], [1, 1, 2, 2], { terms: 1, ux: 1, uy: 1 }],
      [transpose([1, 1, 1, 1]), [1, 1, 1, 1], [1, 2, 3, 3], { terms: 2, ux: 1, uy: 2 }],
    ];
    for (const [c, x, w, want] of cases) {
      const got = convCounts(c, x, w);
      expect(got, `${c.kind} ${JSON.stringify(x)} ${JSON.stringify(w)}`).toEqual(want);
      expect(got).toEqual(countsOf(convTerms(c, x, w)));
    }
  });

  /**
   * With stride 2 over a 1×1 input padded by 1 on each side, both output positions read padding only:
   * the layer has no term and uses no element of either operand (the case terms.ts:139 guards; that
   * guard's mutant is equivalent, see the header).
   */
  it('a convolution whose outputs all read padding has no term and no used element', () => {
    const cases: readonly [AnyConv, Shape, Shape][] = [
      [conv([1, 1, 1, 1], [2, 2]), [1, 2, 1, 1], [3, 2, 1, 1]],
      [conv([0, 1, 0, 1], [1, 2]), [2, 1, 3, 1], [2, 1, 2, 1]],
    ];
    for (const [c, x, w] of cases) {
      const got = convCounts(c, x, w);
      expect(got, `${c.kind} ${JSON.stringify(x)} ${JSON.stringify(w)}`).toEqual(NONE);
      expect(got).toEqual(countsOf(convTerms(c, x, w)));
    }
  });

  /** Pins terms.ts:124 and 133 over random 2-D geometries: the counts equal those of convTerms' term list. */
  it('counts equal the term list over random geometries', () => {
    const axis = fc.record({
      inp: fc.integer({ min: 1, max: 4 }),
      ker: fc.integer({ min: 1, max: 3 }),
      pb: fc.nat(2),
      pe: fc.nat(2),
      s: fc.integer({ min: 1, max: 2 }),
      d: fc.integer({ min: 1, max: 2 }),
    });
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 2 }),
        axis,
        axis,
        (transposed, n, groups, cig, cog, h, v) => {
          const pads = [h.pb, v.pb, h.pe, v.pe];
          const [strides, dilations] = [
            [h.s, v.s],
            [h.d, v.d],
          ];
          const x = [n, groups * cig, h.inp, v.inp];
          const c: AnyConv = transposed
            ? { kind: 'transpose', g: { strides, pads, dilations, groups, outputPadding: [0, 0] } }
            : { kind: 'conv', g: { strides, pads, dilations, groups } };
          const w = transposed ? [groups * cig, cog, h.ker, v.ker] : [groups * cog, cig, h.ker, v.ker];
          const fits = (a: typeof h, pb: number, pe: number): boolean =>
            transposed ? a.s * (a.inp - 1) + a.d * (a.ker - 1) + 1 > pb + pe : a.inp + pb + pe >= a.d * (a.ker - 1) + 1;
          fc.pre(fits(h, h.pb, h.pe) && fits(v, v.pb, v.pe));
          expect(convCounts(c, x, w)).toEqual(countsOf(convTerms(c, x, w)));
        },
      ),
      { numRuns: 150 },
    );
  });
});
