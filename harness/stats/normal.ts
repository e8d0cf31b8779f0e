/**
 * The standard normal distribution to (nearly) double precision, written out so the statistics do not
 * depend on a package: the complementary error function, the CDF Φ, the quantile Φ⁻¹ and the
 * two-sided p-value of a z statistic.
 *
 *   erfc(x), x ≥ 0: for x < 2 as 1 − erf(x) with the all-positive series
 *       erf(x) = (2/√π) e^{−x²} Σ_{k≥0} 2^k x^{2k+1} / (1·3·5·…·(2k+1))      (A&S 7.1.6)
 *     (no cancellation inside the sum; 1 − erf loses at most ~2.5 digits at x = 2), and for x ≥ 2
 *     with the continued fraction
 *       erfc(x) = (e^{−x²}/√π) · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))   (A&S 7.1.14)
 *     evaluated by the modified Lentz method. Negative x: erfc(−x) = 2 − erfc(x).
 *   Φ(x) = erfc(−x/√2)/2, accurate in relative terms in the lower tail (no 1 − small).
 *   Φ⁻¹(p): a start from A&S 26.2.23 (|error| < 4.5·10⁻⁴), then Newton steps on g(x) = ln Φ(x) − ln p
 *     for p ≤ ½ (Φ⁻¹(p) = −Φ⁻¹(1 − p) above). ln Φ is increasing and concave, so after the first step
 *     every iterate lies at or below the root and the iterates increase to it (quadratically).
 * The tests check these against constants known to 16 digits and against each other (round trips).
 */
import { CryptflowError } from '../../spec/errors.js';

const SQRT_PI = Math.sqrt(Math.PI);

function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let k = 1; k < 200; k++) {
    term *= (2 * x * x) / (2 * k + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x * x) * sum;
}

/** erfc(x) for x ≥ 2 by the continued fraction (modified Lentz). */
function erfcFraction(x: number): number {
  const tiny = 1e-300;
  // b0 = x, a_k = k/2, b_k = x for k ≥ 1.
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x === Infinity) return 0;
  return x < 2 ? 1 - erfSeries(x) : erfcFraction(x);
}

/** Φ(x), the standard normal CDF. */
export function normalCdf(x: number): number {
  return erfc(-x / Math.SQRT2) / 2;
}

/** φ(x), the standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI);
}

/** Φ⁻¹(p) for p in (0, 1); ±∞ at 0 and 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1))
    throw new CryptflowError('input', `a normal quantile needs a probability in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  const t = Math.sqrt(-2 * Math.log(p));
  let x = -(
    t -
    (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
  );
  const lp = Math.log(p);
  for (let i = 0; i < 60; i++) {
    const cdf = normalCdf(x);
    const step = ((Math.log(cdf) - lp) * cdf) / normalPdf(x);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/** The two-sided p-value of a standard normal statistic z: P(|Z| ≥ |z|) = erfc(|z|/√2). */
export function twoSidedP(z: number): number {
  return Number.isNaN(z) ? NaN : erfc(Math.abs(z) / Math.SQRT2);
}

/** z_{0.975} = Φ⁻¹(0.975), the multiplier of a two-sided 95 % normal interval (1.959963984540054). */
export const Z975 = normalQuantile(0.975);
