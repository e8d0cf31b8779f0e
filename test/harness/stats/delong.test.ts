/**
 * AUROC and DeLong (harness/stats/delong.ts): a published worked example (Hanley & McNeil 1982,
 * Radiology 143:29, Table 1: 109 CT images rated 1–5; area 0.893), small cases derived by hand below,
 * the O(mn) definitions of θ and S (DeLong et al. 1988, eqs. for V10, V01, S10, S01) as an
 * independent implementation, and properties: invariance under increasing transforms, the label swap,
 * the trapezoid area of the ROC curve.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { delong, pairedTest } from '../../../harness/stats/delong.js';
import { rocCurve, trapezoidArea } from '../../../harness/stats/roc-curve.js';
import { midranks } from '../../../harness/stats/ranks.js';

/** The O(mn) definitions: ψ, V10, V01, S10/m + S01/n. */
function naive(labels: number[], scores: number[][]): { auc: number[]; cov: number[][] } {
  const pos = labels.flatMap((l, i) => (l === 1 ? [i] : []));
  const neg = labels.flatMap((l, i) => (l === 0 ? [i] : []));
  const psi = (x: number, y: number): number => (x > y ? 1 : x === y ? 0.5 : 0);
  const v10 = scores.map((s) =>
    pos.map((i) => neg.reduce((a, j) => a + psi(s[i] as number, s[j] as number), 0) / neg.length),
  );
  const v01 = scores.map((s) =>
    neg.map((j) => pos.reduce((a, i) => a + psi(s[i] as number, s[j] as number), 0) / pos.length),
  );
  const auc = v10.map((v) => v.reduce((a, b) => a + b, 0) / pos.length);
  const cov = (vs: number[][], len: number): number[][] =>
    vs.map((a) =>
      vs.map((b) => {
        const ma = a.reduce((x, y) => x + y, 0) / len;
        const mb = b.reduce((x, y) => x + y, 0) / len;
        return a.reduce((s, _, t) => s + ((a[t] as number) - ma) * ((b[t] as number) - mb), 0) / (len - 1);
      }),
    );
  const s10 = cov(v10, pos.length);
  const s01 = cov(v01, neg.length);
  return {
    auc,
    cov: s10.map((r, i) => r.map((v, j) => v / pos.length + ((s01[i] as number[])[j] as number) / neg.length)),
  };
}

const dataset = fc.integer({ min: 4, max: 30 }).chain((n) =>
  fc.record({
    labels: fc
      .array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n })
      .filter((l) => l.filter((x) => x === 1).length >= 2 && l.filter((x) => x === 0).length >= 2),
    a: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: n, maxLength: n }),
    b: fc.array(
      fc.integer({ min: -3000, max: 3000 }).map((i) => i / 1000),
      { minLength: n, maxLength: n },
    ),
  }),
);

describe('midranks', () => {
  it('share the mean rank among ties', () => {
    expect(Array.from(midranks([10, 20, 20, 5, 20]))).toEqual([2, 4, 4, 1, 4]);
  });
});

describe('AUROC with DeLong variance', () => {
  it('Hanley & McNeil (1982) Table 1: θ = 2642/2958 ≈ 0.893', () => {
    const normal = [33, 6, 6, 11, 2];
    const abnormal = [3, 2, 2, 11, 33];
    const labels: number[] = [];
    const ratings: number[] = [];
    normal.forEach((c, r) => {
      for (let k = 0; k < c; k++) {
        labels.push(0);
        ratings.push(r + 1);
      }
    });
    abnormal.forEach((c, r) => {
      for (let k = 0; k < c; k++) {
        labels.push(1);
        ratings.push(r + 1);
      }
    });
    const r = delong(labels, [ratings]);
    expect(r.positives).toBe(51);
    expect(r.negatives).toBe(58);
    expect(r.aucs[0]?.auroc).toBeCloseTo(2642 / 2958, 14);
    expect(r.aucs[0]?.auroc.toFixed(3)).toBe('0.893');
    const n = naive(labels, [ratings]);
    expect(r.covariance[0]?.[0]).toBeCloseTo(n.cov[0]?.[0] as number, 14);
  });

  it('hand-derived: X = {2, 4}, Y = {1, 3}: θ = 3/4, Var = 1/8', () => {
    // ψ: (2,1)=1 (2,3)=0 (4,1)=1 (4,3)=1. V10 = {1/2, 1}, V01 = {1, 1/2}; S10 = S01 = 1/8 (divisor 1).
    const r = delong([1, 1, 0, 0], [[2, 4, 1, 3]]);
    expect(r.aucs[0]?.auroc).toBe(0.75);
    expect(r.covariance[0]?.[0]).toBeCloseTo(0.125, 15);
    expect(r.aucs[0]?.se).toBeCloseTo(Math.sqrt(0.125), 15);
    expect(r.aucs[0]?.ci95[0]).toBeCloseTo(0.75 - 1.959963984540054 * Math.sqrt(0.125), 12);
  });

  it('hand-derived with ties: X = {1, 2}, Y = {1, 0}: θ = 7/8, Var = 1/32', () => {
    // ψ: (1,1)=½ (1,0)=1 (2,1)=1 (2,0)=1. V10 = {3/4, 1}, V01 = {3/4, 1}; S10 = S01 = 1/32.
    const r = delong([1, 1, 0, 0], [[1, 2, 1, 0]]);
    expect(r.aucs[0]?.auroc).toBe(0.875);
    expect(r.covariance[0]?.[0]).toBeCloseTo(1 / 32, 15);
  });

  it('hand-derived paired test: identical scores give z = 0, p = 1; a perfect and a reversed score differ', () => {
    const labels = [1, 1, 0, 0];
    const same = pairedTest(
      delong(labels, [
        [2, 4, 1, 3],
        [2, 4, 1, 3],
      ]),
    );
    expect(same).toEqual({ diff: 0, se: 0, z: 0, p: 1 });
    // Score 1 = {2,4 | 1,3} (θ 3/4), score 2 = {4,3 | 2,1} (θ 1): V10 diff = {1/2−1, 1−1} = {−½, 0},
    // V01 diff = {1−1, ½−1} = {0, −½}: var of each = 1/8, so Var(diff) = 1/16 + 1/16 = 1/8.
    const t = pairedTest(
      delong(labels, [
        [2, 4, 1, 3],
        [4, 3, 2, 1],
      ]),
    );
    expect(t.diff).toBeCloseTo(-0.25, 15);
    expect(t.se).toBeCloseTo(Math.sqrt(0.125), 15);
    expect(t.z).toBeCloseTo(-0.25 / Math.sqrt(0.125), 14);
  });

  it('equals the O(mn) definition (θ and the whole covariance)', () => {
    fc.assert(
      fc.property(dataset, ({ labels, a, b }) => {
        const r = delong(labels, [a, b]);
        const n = naive(labels, [a, b]);
        r.aucs.forEach((e, k) => expect(e.auroc).toBeCloseTo(n.auc[k] as number, 12));
        r.covariance.forEach((row, i) =>
          row.forEach((v, j) => expect(v).toBeCloseTo((n.cov[i] as number[])[j] as number, 12)),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('is invariant under increasing transforms, and the label swap gives 1 − θ with the same SE', () => {
    fc.assert(
      fc.property(dataset, ({ labels, b }) => {
        const r = delong(labels, [b]);
        const t = delong(labels, [b.map((x) => Math.exp(2 * x) + 7)]);
        const s = delong(
          labels.map((l) => 1 - l),
          [b],
        );
        expect(t.aucs[0]?.auroc).toBeCloseTo(r.aucs[0]?.auroc as number, 12);
        expect(t.aucs[0]?.se).toBeCloseTo(r.aucs[0]?.se as number, 12);
        expect(s.aucs[0]?.auroc).toBeCloseTo(1 - (r.aucs[0]?.auroc as number), 12);
        expect(s.aucs[0]?.se).toBeCloseTo(r.aucs[0]?.se as number, 12);
        expect(trapezoidArea(rocCurve(labels, b))).toBeCloseTo(r.aucs[0]?.auroc as number, 12);
        const p = pairedTest(delong(labels, [b, b.map((x) => -x)]));
        expect(p.p).toBeGreaterThanOrEqual(0);
        expect(p.p).toBeLessThanOrEqual(1);
      }),
      { numRuns: 60 },
    );
  });

  it('clear errors: one class, bad labels, non-finite scores, length mismatch', () => {
    expect(() => delong([1, 1, 1], [[1, 2, 3]])).toThrow(/both classes: 3 positive and 0 negative/);
    expect(() => delong([1, 0, 0], [[1, 2, 3]])).toThrow(/at least 2 cases of each class/);
    expect(() => delong([1, 2, 0, 0], [[1, 2, 3, 4]])).toThrow(/labels must be 0 or 1/);
    expect(() => delong([1, 1, 0, 0], [[1, NaN, 3, 4]])).toThrow(/not a finite number/);
    expect(() => delong([1, 1, 0, 0], [[1, 3, 4]])).toThrow(/3 values for 4 labels/);
  });
});
