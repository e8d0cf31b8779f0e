/**
 * The conformance suite's statistics (harness/conformance/stats.ts) against known values: ln Γ at
 * integers and 1/2, chi-square tail probabilities from tables (and the closed form for df = 2), the
 * Chernoff thresholds solving their defining equations, and the two chi-square tests on textbook
 * counts.
 */
import { describe, expect, it } from 'vitest';
import {
  bernsteinUpper,
  chernoffLower,
  chernoffUpper,
  chiSquareHomogeneity,
  chiSquareSurvival,
  chiSquareUniform,
  gammaQ,
  lnGamma,
  topBits,
} from '../../../harness/conformance/stats.js';

describe('conformance statistics', () => {
  it('ln Γ at integers and at 1/2', () => {
    let fact = 1;
    for (let n = 1; n <= 20; n++) {
      expect(lnGamma(n)).toBeCloseTo(Math.log(fact), 9);
      fact *= n;
    }
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it('chi-square tails: table values and the df = 2 closed form', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 10);
    expect(chiSquareSurvival(30.57791416689249, 15)).toBeCloseTo(0.01, 10);
    expect(chiSquareSurvival(37.69729821835383, 15)).toBeCloseTo(0.001, 10);
    expect(chiSquareSurvival(24.995790139728616, 15)).toBeCloseTo(0.05, 10);
    for (const x of [0.1, 1, 5, 20, 60]) expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
    expect(chiSquareSurvival(0, 15)).toBe(1);
    expect(gammaQ(3, 100)).toBeLessThan(1e-35);
    // Far tail, relative accuracy: Q(1/2, x/2) = erfc(√(x/2)); for x = 50, erfc(5) = 1.5374597944280348e-12.
    expect(chiSquareSurvival(50, 1) / 1.5374597944280348e-12).toBeCloseTo(1, 8);
  });

  it('Chernoff thresholds solve exp(−t²/(2μ + t)) = α and exp(−t²/2μ) = α', () => {
    for (const mu of [0, 0.5, 3, 80, 10_000]) {
      for (const alpha of [1e-3, 1e-6]) {
        const t = chernoffUpper(mu, alpha) - mu;
        expect(Math.exp(-(t * t) / (2 * mu + t))).toBeCloseTo(alpha, 12);
        if (mu > 0) {
          const s = mu - chernoffLower(mu, alpha);
          expect(Math.exp(-(s * s) / (2 * mu))).toBeCloseTo(alpha, 12);
        }
      }
    }
  });

  it('the Bernstein threshold solves exp(−t²/(2(v + bt/3))) = α and is the Chernoff one up to b', () => {
    for (const [mu, v, b] of [
      [0, 0, 1],
      [3, 3, 1],
      [80, 800, 10],
      [1e4, 5e5, 64],
    ] as const) {
      const t = bernsteinUpper(mu, v, b, 1e-6) - mu;
      expect(Math.exp(-(t * t) / (2 * (v + (b * t) / 3)))).toBeCloseTo(1e-6, 12);
    }
    // One element per run (b = 1, v = μ): no weaker than twice the Chernoff margin.
    expect(bernsteinUpper(50, 50, 1, 1e-6) - 50).toBeLessThan(2 * (chernoffUpper(50, 1e-6) - 50));
  });

  it('goodness of fit and homogeneity on textbook counts', () => {
    // 60 rolls of a die: Σ(O − 10)²/10 = (4 + 1 + 9 + 0 + 16 + 16)/10 = 4.6.
    const die = chiSquareUniform([8, 9, 13, 10, 14, 6]);
    expect(die.statistic).toBeCloseTo(4.6, 12);
    expect(die.df).toBe(5);
    expect(die.pValue).toBeCloseTo(chiSquareSurvival(4.6, 5), 12);
    // 2 × 2 table [[10, 20], [30, 40]]: expected [[12, 18], [28, 42]], χ² = 4/12 + 4/18 + 4/28 + 4/42.
    const h = chiSquareHomogeneity([10, 20, 0], [30, 40, 0]);
    expect(h.statistic).toBeCloseTo(4 / 12 + 4 / 18 + 4 / 28 + 4 / 42, 12);
    expect(h.df).toBe(1);
    expect(chiSquareHomogeneity([5, 0], [7, 0]).pValue).toBe(1);
    expect(chiSquareHomogeneity([50, 0], [0, 50]).pValue).toBeLessThan(1e-20);
  });

  it('top bits of a ring element', () => {
    expect(topBits(16, 0xabcdn, 4)).toBe(0xa);
    expect(topBits(64, 0xf000000000000000n, 4)).toBe(15);
    expect(topBits(3, 5n, 4)).toBe(5);
  });
});
