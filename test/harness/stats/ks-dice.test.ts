/**
 * Kolmogorov–Smirnov (harness/stats/ks.ts) and Dice (harness/stats/dice.ts): the exact p against a
 * brute-force enumeration of every interleaving, hand-derived small cases, known values of the
 * Kolmogorov limit (its 5 % and 1 % critical values 1.358099 and 1.627624), and properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kolmogorovQ, ksExactP, ksTwoSample } from '../../../harness/stats/ks.js';
import { dicePerClass } from '../../../harness/stats/dice.js';

/** P(D ≥ d) by listing all C(m+n, m) ways to choose which ranks belong to sample a. */
function bruteP(m: number, n: number, dmn: number): number {
  let hits = 0;
  let total = 0;
  for (let mask = 0; mask < 1 << (m + n); mask++) {
    let bits = 0;
    for (let t = mask; t > 0; t >>= 1) bits += t & 1;
    if (bits !== m) continue;
    total++;
    let [i, j, best] = [0, 0, 0];
    for (let k = 0; k < m + n; k++) {
      if ((mask >> k) & 1) i++;
      else j++;
      best = Math.max(best, Math.abs(i * n - j * m));
    }
    if (best >= dmn) hits++;
  }
  return hits / total;
}

describe('Kolmogorov–Smirnov, two-sample', () => {
  it('hand-derived: complete separation of 3 and 3 has D = 1, p = 2/C(6,3) = 0.1', () => {
    const r = ksTwoSample([1, 2, 3], [4, 5, 6]);
    expect([r.statistic, r.method]).toEqual([1, 'exact']);
    expect(r.p).toBeCloseTo(0.1, 15);
    expect(ksTwoSample([1, 2], [3, 4]).p).toBeCloseTo(1 / 3, 15);
    expect(ksTwoSample([1, 3, 5], [2, 4, 6]).statistic).toBeCloseTo(1 / 3, 15);
    expect(ksTwoSample([1, 3, 5], [2, 4, 6]).p).toBeCloseTo(1, 15);
  });

  it('the exact p equals the enumeration of all interleavings', () => {
    for (const [m, n] of [
      [3, 4],
      [5, 5],
      [2, 7],
      [6, 4],
    ] as const) {
      for (let dmn = 1; dmn <= m * n; dmn++) expect(ksExactP(m, n, dmn)).toBeCloseTo(bruteP(m, n, dmn), 12);
    }
  });

  it('the Kolmogorov limit at its critical values, and continuous where its two series meet', () => {
    expect(kolmogorovQ(1.3580986)).toBeCloseTo(0.05, 6);
    expect(kolmogorovQ(1.6276236)).toBeCloseTo(0.01, 6);
    expect(kolmogorovQ(1 - 1e-12)).toBeCloseTo(kolmogorovQ(1 + 1e-12), 10);
    expect(kolmogorovQ(0)).toBe(1);
  });

  it('ties or large samples use the asymptotic p', () => {
    expect(ksTwoSample([1, 1, 2], [2, 3, 3]).method).toBe('asymptotic');
    const a = Array.from({ length: 101 }, (_, i) => i);
    const b = Array.from({ length: 100 }, (_, i) => i + 0.5);
    expect(ksTwoSample(a, b).method).toBe('asymptotic');
  });

  it('D lies in [0, 1], is symmetric, p in [0, 1]', () => {
    const sample = fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const r = ksTwoSample(a, b);
        const s = ksTwoSample(b, a);
        expect(r.statistic).toBeGreaterThanOrEqual(0);
        expect(r.statistic).toBeLessThanOrEqual(1);
        expect(s.statistic).toBe(r.statistic);
        expect(r.p).toBeGreaterThanOrEqual(0);
        expect(r.p).toBeLessThanOrEqual(1);
        expect(ksTwoSample(a, a).statistic).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('clear errors', () => {
    expect(() => ksTwoSample([], [1])).toThrow(/needs values in sample a/);
    expect(() => ksTwoSample([1], [Infinity])).toThrow(/sample b: value 1 is not a finite number/);
  });
});

describe('Dice', () => {
  it('hand-derived per class', () => {
    const d = dicePerClass([0, 1, 1, 2, 2, 2], [0, 1, 2, 2, 2, 0], 4);
    // class 0: |A|=1 |B|=2 both 1 → 2/3; class 1: 2, 1, 1 → 2/3; class 2: 3, 3, 2 → 2/3; class 3: empty → 1.
    expect(d.map((x) => x.dice)).toEqual([2 / 3, 2 / 3, 2 / 3, 1]);
    expect(d[3]?.empty).toBe(true);
  });

  it('is 1 on identical maps, symmetric, in [0, 1]', () => {
    const map = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(map, map, (a, b) => {
        expect(dicePerClass(a, a, 3).every((x) => x.dice === 1)).toBe(true);
        const ab = dicePerClass(a, b, 3);
        expect(ab.map((x) => x.dice)).toEqual(dicePerClass(b, a, 3).map((x) => x.dice));
        for (const x of ab) expect(x.dice >= 0 && x.dice <= 1).toBe(true);
      }),
    );
  });

  it('clear errors', () => {
    expect(() => dicePerClass([0, 1], [0], 2)).toThrow(/one size/);
    expect(() => dicePerClass([0, 5], [0, 1], 2)).toThrow(/outside 0..1/);
  });
});
