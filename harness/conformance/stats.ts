/**
 * The statistics behind the conformance suite's probabilistic checks, each with a stated false-alarm
 * rate α (the probability that a CORRECT backend is reported as failing one check).
 *
 *   - Pearson chi-square tests (goodness of fit to the uniform distribution; homogeneity of two
 *     samples), p-values from the chi-square distribution: Q(df/2, x/2), the regularised upper
 *     incomplete gamma function (series below a + 1, Lentz continued fraction above; ln Γ by the
 *     Lanczos approximation, g = 7). A test fails when p < α. The chi-square law is the large-sample
 *     limit; the suite keeps every expected cell count ≥ 5 where it can (see README.md).
 *   - A Chernoff bound for counts of independent rare events (wraps of local division): for a sum X of
 *     independent Bernoulli(p_i) with μ = Σ p_i, P(X ≥ μ + t) ≤ exp(−t² / (2μ + t)); solving
 *     exp(−t²/(2μ + t)) = α gives t = (L + √(L² + 8Lμ)) / 2 with L = ln(1/α). The lower tail:
 *     P(X ≤ μ − t) ≤ exp(−t² / (2μ)), t = √(2μL).
 *   - Bernstein's inequality for sums of independent bounded counts whose parts may depend on each
 *     other (the wraps of one protocol run): for independent W_r ∈ [0, n_r] with means μ_r,
 *     Var W_r ≤ n_r·μ_r =: v_r, so with v = Σ v_r, b = max n_r, μ = Σ μ_r:
 *     P(Σ W_r ≥ μ + t) ≤ exp(−t² / (2(v + bt/3))), and t = bL/3 + √((bL/3)² + 2vL) makes it α.
 */
import { bug } from '../../spec/errors.js';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function lnGamma(x: number): number {
  if (!(x > 0)) bug(`lnGamma of a non-positive argument ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i++) s += (LANCZOS[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Q(a, x) = Γ(a, x) / Γ(a): the regularised upper incomplete gamma function, a > 0, x ≥ 0. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - front * sum);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return front * h;
}

/** P(χ²_df ≥ x). */
export function chiSquareSurvival(x: number, df: number): number {
  if (df <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}

export interface ChiSquare {
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
  /** The smallest expected cell count (the approximation's quality). */
  readonly minExpected: number;
}

/** Goodness of fit of `counts` to the uniform distribution over its cells. */
export function chiSquareUniform(counts: readonly number[]): ChiSquare {
  const n = counts.reduce((s, c) => s + c, 0);
  const k = counts.length;
  if (n === 0 || k < 2) return { statistic: 0, df: 0, pValue: 1, minExpected: n / Math.max(k, 1) };
  const e = n / k;
  const statistic = counts.reduce((s, c) => s + ((c - e) * (c - e)) / e, 0);
  return { statistic, df: k - 1, pValue: chiSquareSurvival(statistic, k - 1), minExpected: e };
}

/** Homogeneity of two samples' histograms over the same cells (cells empty in both are dropped). */
export function chiSquareHomogeneity(a: readonly number[], b: readonly number[]): ChiSquare {
  if (a.length !== b.length) bug(`histograms of ${a.length} and ${b.length} cells`);
  const na = a.reduce((s, c) => s + c, 0);
  const nb = b.reduce((s, c) => s + c, 0);
  const n = na + nb;
  const cols = a.map((x, i) => [x, b[i] as number] as const).filter(([x, y]) => x + y > 0);
  if (na === 0 || nb === 0 || cols.length < 2) return { statistic: 0, df: 0, pValue: 1, minExpected: 0 };
  let statistic = 0;
  let minExpected = Infinity;
  for (const [x, y] of cols) {
    const ea = ((x + y) * na) / n;
    const eb = ((x + y) * nb) / n;
    statistic += ((x - ea) * (x - ea)) / ea + ((y - eb) * (y - eb)) / eb;
    minExpected = Math.min(minExpected, ea, eb);
  }
  const df = cols.length - 1;
  return { statistic, df, pValue: chiSquareSurvival(statistic, df), minExpected };
}

/** The largest count of independent events with total mean μ a correct process exceeds w.p. ≤ α. */
export function chernoffUpper(mu: number, alpha: number): number {
  const L = Math.log(1 / alpha);
  return mu + (L + Math.sqrt(L * L + 8 * L * mu)) / 2;
}

/** The largest total of independent counts W_r ∈ [0, n_r] (mean μ, v = Σ n_r μ_r, b = max n_r) exceeded w.p. ≤ α. */
export function bernsteinUpper(mu: number, v: number, b: number, alpha: number): number {
  const L = Math.log(1 / alpha);
  const c = (b * L) / 3;
  return mu + c + Math.sqrt(c * c + 2 * v * L);
}

/** The smallest count a correct process falls below w.p. ≤ α. */
export function chernoffLower(mu: number, alpha: number): number {
  return mu - Math.sqrt(2 * mu * Math.log(1 / alpha));
}

/** The top `bits` bits of an ℓ-bit ring element, as a cell index in [0, 2^bits). */
export function topBits(ell: number, v: bigint, bits: number): number {
  const k = Math.min(bits, ell);
  return Number(v >> BigInt(ell - k));
}
