/**
 * AUROC with DeLong's variance, and DeLong's paired test of equal AUROC (DeLong, DeLong &
 * Clarke-Pearson 1988, Biometrics 44:837), computed with the midrank algorithm of Sun & Xu (2014, IEEE
 * Signal Processing Letters 21:1389) in O((m + n) log(m + n)) per score instead of O(mn).
 *
 * With m positives X and n negatives Y, ψ(x, y) = 1 if x > y, ½ if x = y, 0 if x < y (a higher score
 * means "more likely positive"), the AUROC is the Mann–Whitney statistic θ = (1/mn) Σ_i Σ_j ψ(X_i, Y_j).
 * DeLong's structural components are V10(X_i) = (1/n) Σ_j ψ(X_i, Y_j) and V01(Y_j) = (1/m) Σ_i ψ(X_i, Y_j);
 * for k scores on the same cases, S10 and S01 are the k×k sample covariances (divisors m − 1 and
 * n − 1) of those components and S = S10/m + S01/n estimates Cov(θ̂).
 *
 * Sun & Xu's observation: with T_x the midranks of X among X, T_y of Y among Y and T_z of X ∪ Y among
 * X ∪ Y, V10(X_i) = (T_z(X_i) − T_x(X_i))/n and V01(Y_j) = 1 − (T_z(Y_j) − T_y(Y_j))/m, since T_z − T_x
 * counts the negatives below X_i with ties counted ½. Then θ is the mean of V10.
 *
 * The paired test: z = (θ₁ − θ₂)/√(S₁₁ + S₂₂ − 2S₁₂), two-sided p = P(|Z| ≥ |z|) under N(0, 1). The
 * confidence interval of one AUROC is θ ± z_{0.975}·√S_rr (Wald, not clipped to [0, 1], as stated).
 * Both are asymptotic (normal) approximations; θ and S themselves are exact rational functions of the
 * data (the tests compare them with the O(mn) definitions).
 */
import { CryptflowError } from '../../spec/errors.js';
import { midranks } from './ranks.js';
import { twoSidedP, Z975 } from './normal.js';

export interface AucEstimate {
  readonly auroc: number;
  readonly se: number;
  readonly ci95: readonly [number, number];
}

export interface DelongResult {
  /** Cases with label 1 (m) and with label 0 (n). */
  readonly positives: number;
  readonly negatives: number;
  readonly aucs: readonly AucEstimate[];
  /** Cov(θ̂_r, θ̂_s) estimated by S = S10/m + S01/n. */
  readonly covariance: readonly (readonly number[])[];
}

export interface PairedTest {
  readonly diff: number;
  readonly se: number;
  readonly z: number;
  readonly p: number;
}

function covarianceMatrix(rows: readonly Float64Array[], len: number): number[][] {
  const means = rows.map((r) => r.reduce((s, v) => s + v, 0) / len);
  return rows.map((a, i) =>
    rows.map((b, j) => {
      let s = 0;
      for (let t = 0; t < len; t++)
        s += ((a[t] as number) - (means[i] as number)) * ((b[t] as number) - (means[j] as number));
      return s / (len - 1);
    }),
  );
}

/**
 * Split cases by label. Labels must be 0 or 1, scores finite numbers, both classes present with at
 * least two cases each (the covariances divide by m − 1 and n − 1).
 */
function checkInputs(
  labels: ArrayLike<number>,
  scores: readonly ArrayLike<number>[],
): { pos: number[]; neg: number[] } {
  if (scores.length === 0) throw new CryptflowError('usage', 'the AUROC needs at least one score');
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l === 1) pos.push(i);
    else if (l === 0) neg.push(i);
    else throw new CryptflowError('input', `label of case ${i + 1} is ${String(l)}; labels must be 0 or 1`);
  }
  scores.forEach((s, k) => {
    if (s.length !== labels.length)
      throw new CryptflowError('input', `score ${k + 1} has ${s.length} values for ${labels.length} labels`);
    for (let i = 0; i < s.length; i++)
      if (!Number.isFinite(s[i] as number))
        throw new CryptflowError('input', `score ${k + 1} of case ${i + 1} is not a finite number`);
  });
  if (pos.length === 0 || neg.length === 0)
    throw new CryptflowError(
      'input',
      `the AUROC needs both classes: ${pos.length} positive and ${neg.length} negative cases`,
    );
  if (pos.length < 2 || neg.length < 2)
    throw new CryptflowError(
      'input',
      `DeLong's variance needs at least 2 cases of each class (${pos.length} positive, ${neg.length} negative)`,
    );
  return { pos, neg };
}

/** DeLong structural components of one score (Sun & Xu's midrank form): V10 over positives, V01 over negatives. */
export function structuralComponents(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { v10: Float64Array; v01: Float64Array } {
  const m = x.length;
  const n = y.length;
  const tx = midranks(x);
  const ty = midranks(y);
  const z = new Float64Array(m + n);
  for (let i = 0; i < m; i++) z[i] = x[i] as number;
  for (let j = 0; j < n; j++) z[m + j] = y[j] as number;
  const tz = midranks(z);
  const v10 = Float64Array.from(tx, (t, i) => ((tz[i] as number) - t) / n);
  const v01 = Float64Array.from(ty, (t, j) => 1 - ((tz[m + j] as number) - t) / m);
  return { v10, v01 };
}

/** AUROC, DeLong SE and 95 % CI of each score against binary labels (1 = positive). */
export function delong(labels: ArrayLike<number>, scores: readonly ArrayLike<number>[]): DelongResult {
  const { pos, neg } = checkInputs(labels, scores);
  const m = pos.length;
  const n = neg.length;
  const comps = scores.map((s) =>
    structuralComponents(
      pos.map((i) => s[i] as number),
      neg.map((j) => s[j] as number),
    ),
  );
  const s10 = covarianceMatrix(
    comps.map((c) => c.v10),
    m,
  );
  const s01 = covarianceMatrix(
    comps.map((c) => c.v01),
    n,
  );
  const covariance = s10.map((row, r) => row.map((v, c) => v / m + ((s01[r] as number[])[c] as number) / n));
  const aucs = comps.map((c, r): AucEstimate => {
    const auroc = c.v10.reduce((a, v) => a + v, 0) / m;
    const se = Math.sqrt(Math.max(0, (covariance[r] as number[])[r] as number));
    return { auroc, se, ci95: [auroc - Z975 * se, auroc + Z975 * se] };
  });
  return { positives: m, negatives: n, aucs, covariance };
}

/**
 * DeLong's paired test of θ_a = θ_b. When the difference has zero estimated variance (e.g. identical
 * rankings), z is 0 and p is 1 if the AUROCs are equal, and ±∞ with p = 0 otherwise.
 */
export function pairedTest(r: DelongResult, a = 0, b = 1): PairedTest {
  const A = r.aucs[a];
  const B = r.aucs[b];
  const cov = r.covariance;
  if (A === undefined || B === undefined) throw new CryptflowError('usage', 'the paired DeLong test needs two scores');
  const v =
    ((cov[a] as number[])[a] as number) + ((cov[b] as number[])[b] as number) - 2 * ((cov[a] as number[])[b] as number);
  const diff = A.auroc - B.auroc;
  const se = Math.sqrt(Math.max(0, v));
  // Below ~1e-15 relative, the variance is rounding noise from equal components.
  if (se <= 1e-12)
    return diff === 0 || Math.abs(diff) < 1e-15
      ? { diff, se: 0, z: 0, p: 1 }
      : { diff, se: 0, z: diff > 0 ? Infinity : -Infinity, p: 0 };
  const z = diff / se;
  return { diff, se, z, p: twoSidedP(z) };
}
