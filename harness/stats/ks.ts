/**
 * The two-sample, two-sided Kolmogorov–Smirnov test: D = sup_t |F_a(t) − F_b(t)| of the two empirical
 * CDFs, and P(D ≥ d) under H0 (both samples from one continuous distribution).
 *
 * The p-value rule (stated in the result as `method`):
 *   - exact when the pooled sample has no ties and m·n ≤ 10 000: under H0 every one of the C(m+n, m)
 *     interleavings of the two samples is equally likely, and D < d exactly when the lattice path of
 *     the interleaving (a step right per a-value, up per b-value, in sorted order) stays strictly
 *     inside |i/m − j/n| < d. The probability of staying inside is computed along the path with
 *     u(i, j) = u(i−1, j)·i/(i+j) + u(i, j−1)·j/(i+j) (path counts divided by C(i+j, i), so nothing
 *     overflows), and the comparison is made in integers, |i·n − j·m| < d·m·n, since d·m·n is an integer.
 *   - otherwise asymptotic: P(D ≥ d) ≈ Q(λ), λ = d·√(mn/(m+n)), the Kolmogorov limit
 *     Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}, evaluated for λ < 1 by its Jacobi-theta twin
 *     1 − (√(2π)/λ) Σ_{k≥1} e^{−(2k−1)²π²/(8λ²)} (both series converge fast where they are used), with
 *     no small-sample correction. With ties the exact null distribution above does not hold; the
 *     asymptotic p is then conservative.
 */
import { CryptflowError } from '../../spec/errors.js';

export interface KsResult {
  readonly statistic: number;
  readonly p: number;
  readonly method: 'exact' | 'asymptotic';
}

export const EXACT_LIMIT = 10_000;

function sortedFinite(v: ArrayLike<number>, name: string): Float64Array {
  if (v.length === 0) throw new CryptflowError('input', `the Kolmogorov–Smirnov test needs values in sample ${name}`);
  for (let i = 0; i < v.length; i++)
    if (!Number.isFinite(v[i] as number))
      throw new CryptflowError('input', `sample ${name}: value ${i + 1} is not a finite number`);
  return Float64Array.from(v).sort();
}

/** D·m·n as an integer: the largest |i·n − j·m| over the merged sorted samples. */
function statisticTimesMn(a: Float64Array, b: Float64Array): { dmn: number; ties: boolean } {
  const m = a.length;
  const n = b.length;
  let i = 0;
  let j = 0;
  let best = 0;
  let ties = false;
  while (i < m || j < n) {
    const t = i < m && (j >= n || (a[i] as number) <= (b[j] as number)) ? (a[i] as number) : (b[j] as number);
    let ka = 0;
    let kb = 0;
    while (i < m && a[i] === t) [i, ka] = [i + 1, ka + 1];
    while (j < n && b[j] === t) [j, kb] = [j + 1, kb + 1];
    if (ka + kb > 1) ties = true;
    best = Math.max(best, Math.abs(i * n - j * m));
  }
  return { dmn: best, ties };
}

/** P(D ≥ dmn/(mn)) exactly, under H0 without ties. */
export function ksExactP(m: number, n: number, dmn: number): number {
  const row = new Float64Array(n + 1);
  for (let i = 0; i <= m; i++) {
    for (let j = 0; j <= n; j++) {
      const inside = Math.abs(i * n - j * m) < dmn;
      if (!inside) row[j] = 0;
      else if (i === 0 && j === 0) row[j] = 1;
      else
        row[j] =
          (i > 0 ? (row[j] as number) * (i / (i + j)) : 0) + (j > 0 ? (row[j - 1] as number) * (j / (i + j)) : 0);
    }
  }
  return Math.min(1, Math.max(0, 1 - (row[n] as number)));
}

/** Q(λ) = P(sup|Brownian bridge| ≥ λ), the Kolmogorov limit distribution's upper tail. */
export function kolmogorovQ(lambda: number): number {
  if (lambda <= 0) return 1;
  if (lambda < 1) {
    let s = 0;
    for (let k = 1; k < 50; k++) s += Math.exp((-((2 * k - 1) ** 2) * Math.PI * Math.PI) / (8 * lambda * lambda));
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * s));
  }
  let s = 0;
  for (let k = 1; k < 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    s += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-18) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const sa = sortedFinite(a, 'a');
  const sb = sortedFinite(b, 'b');
  const m = sa.length;
  const n = sb.length;
  const { dmn, ties } = statisticTimesMn(sa, sb);
  const statistic = dmn / (m * n);
  if (!ties && m * n <= EXACT_LIMIT) return { statistic, p: dmn === 0 ? 1 : ksExactP(m, n, dmn), method: 'exact' };
  return { statistic, p: kolmogorovQ(statistic * Math.sqrt((m * n) / (m + n))), method: 'asymptotic' };
}
