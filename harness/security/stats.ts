/**
 * Comparing two samples of views (or outputs): are they drawn from the same distribution?
 *
 * A view is a vector of group elements (typed.ts). Its full distribution is far too large to
 * tabulate, so the comparison runs a family of two-sample chi-square homogeneity tests on statistics
 * of it, chosen to see the ways a protocol leaks:
 *   - per coordinate, its high cells (⌊v·C/m⌋, C = min(16, m)) — a biased mask, a share sent in the
 *     clear, a value that depends on the input;
 *   - per coordinate, its image in a small quotient group (v mod q: q = 16 for Z_{2^ℓ}, the largest
 *     divisor ≤ 32 of an odd modulus) — bias in the low bits;
 *   - per pair of coordinates of the same group, the difference and the sum (binned the same way) — a
 *     mask used twice makes a difference constant, a share split twice makes a sum constant;
 *   - per pair of coordinates, their joint high quarters (4 × 4 cells) — other dependence.
 * Each test is Pearson's homogeneity statistic over the cells either sample uses, with its p-value
 * from the chi-square law (harness/conformance/stats.ts). The comparison fails when the smallest
 * p-value is below α / (number of tests) — Bonferroni, so the whole family's false-alarm rate is at
 * most α (up to the chi-square approximation), whatever the dependence between the tests.
 *
 * Samples must be independent draws (independent runs); a sample is an Int32Array of coordinates.
 */
import { bug } from '../../spec/errors.js';
import { chiSquareSurvival } from '../conformance/stats.js';

export interface Finding {
  readonly feature: string;
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
}

export interface Comparison {
  /** How many tests the family ran. */
  readonly tests: number;
  /** The test with the smallest p-value (null when there was nothing to test). */
  readonly worst: Finding | null;
}

/** Is the family's smallest p-value below α / tests? */
export function rejects(c: Comparison, alpha: number): boolean {
  return c.worst !== null && c.worst.pValue < alpha / Math.max(1, c.tests);
}

/** A homomorphic image Z_m → Z_q with 2 ≤ q ≤ 32 that adds information beyond the high cells, or null. */
export function quotientOf(m: number): number | null {
  if (m <= 16) return null;
  if ((m & (m - 1)) === 0) return 16;
  for (let q = 32; q >= 2; q--) if (m % q === 0) return q;
  return null;
}

function hiCells(m: number): number {
  return Math.min(16, m);
}

interface Feature {
  readonly name: () => string;
  readonly cells: number;
  readonly bin: (s: Int32Array) => number;
}

function featuresOf(moduli: readonly number[], describe: (k: number) => string): Feature[] {
  const out: Feature[] = [];
  const hi = (m: number, c: number) => (v: number) => Math.floor((v * c) / m);
  moduli.forEach((m, k) => {
    const c = hiCells(m);
    const h = hi(m, c);
    out.push({ name: () => `high cells of ${describe(k)}`, cells: c, bin: (s) => h(s[k] as number) });
    const q = quotientOf(m);
    if (q !== null) out.push({ name: () => `${describe(k)} mod ${q}`, cells: q, bin: (s) => (s[k] as number) % q });
  });
  for (let i = 0; i < moduli.length; i++) {
    for (let j = i + 1; j < moduli.length; j++) {
      const mi = moduli[i] as number;
      const mj = moduli[j] as number;
      const qi = Math.min(4, mi);
      const qj = Math.min(4, mj);
      out.push({
        name: () => `joint high quarters of ${describe(i)} and ${describe(j)}`,
        cells: qi * qj,
        bin: (s) => Math.floor(((s[i] as number) * qi) / mi) * qj + Math.floor(((s[j] as number) * qj) / mj),
      });
      if (mi !== mj) continue;
      const q = quotientOf(mi);
      const c = q ?? hiCells(mi);
      const reduce = q !== null ? (v: number) => v % q : hi(mi, c);
      out.push({
        name: () => `difference of ${describe(i)} and ${describe(j)}`,
        cells: c,
        bin: (s) => reduce(((((s[i] as number) - (s[j] as number)) % mi) + mi) % mi),
      });
      out.push({
        name: () => `sum of ${describe(i)} and ${describe(j)}`,
        cells: c,
        bin: (s) => reduce(((s[i] as number) + (s[j] as number)) % mi),
      });
    }
  }
  return out;
}

/** Pearson's two-sample homogeneity statistic over the cells either sample uses. */
export function homogeneity(a: Int32Array, b: Int32Array, na: number, nb: number): { statistic: number; df: number } {
  const n = na + nb;
  let statistic = 0;
  let used = 0;
  for (let c = 0; c < a.length; c++) {
    const x = a[c] as number;
    const y = b[c] as number;
    if (x + y === 0) continue;
    used++;
    const ea = ((x + y) * na) / n;
    const eb = ((x + y) * nb) / n;
    statistic += ((x - ea) * (x - ea)) / ea + ((y - eb) * (y - eb)) / eb;
  }
  return { statistic, df: Math.max(0, used - 1) };
}

/**
 * Run the family of tests on samples x and y of vectors with the given moduli. `describe` names a
 * coordinate in reports.
 */
export function compareSamples(
  x: readonly Int32Array[],
  y: readonly Int32Array[],
  moduli: readonly number[],
  describe: (k: number) => string = (k) => `coordinate ${k + 1}`,
): Comparison {
  for (const s of [...x, ...y])
    if (s.length !== moduli.length) bug(`a sample of ${s.length} coordinates for ${moduli.length} moduli`);
  if (x.length === 0 || y.length === 0) return { tests: 0, worst: null };
  const features = featuresOf(moduli, describe);
  let best: { feature: Feature; statistic: number; df: number; pValue: number } | null = null;
  let tests = 0;
  for (const f of features) {
    const a = new Int32Array(f.cells);
    const b = new Int32Array(f.cells);
    for (const s of x) {
      const cell = f.bin(s);
      a[cell] = (a[cell] as number) + 1;
    }
    for (const s of y) {
      const cell = f.bin(s);
      b[cell] = (b[cell] as number) + 1;
    }
    const { statistic, df } = homogeneity(a, b, x.length, y.length);
    tests++;
    if (df === 0) continue;
    const pValue = chiSquareSurvival(statistic, df);
    if (best === null || pValue < best.pValue || (pValue === best.pValue && statistic / df > best.statistic / best.df))
      best = { feature: f, statistic, df, pValue };
  }
  const worst =
    best === null
      ? null
      : { feature: best.feature.name(), statistic: best.statistic, df: best.df, pValue: best.pValue };
  return { tests, worst };
}

export function describeFinding(f: Finding | null): string {
  if (f === null) return 'nothing to compare';
  return `${f.feature}: χ² = ${f.statistic.toFixed(1)}, df = ${f.df}, p = ${f.pValue.toExponential(2)}`;
}
