/**
 * A family of tests with stated power: two-sample tests of proportions on bit-level events of a view.
 *
 * stats.ts compares whole cell tables (16 cells, 4 × 4 quarters), whose power against a small bias
 * is hard to state. Here every statistic is one event E of a view, and a test compares the fraction
 * of real views in E with the fraction of simulated ones. A bias of δ in P(E) — a mask's top bit
 * with P(1) = 1/2 − δ, a zero that appears more often, two bits that agree more often than not — is
 * detected with a probability the normal approximation gives in closed form (`detectableBias`), so
 * the smallest bias each check detects with probability ≥ 0.99 at its false-alarm rate is a number,
 * not a hope. The events:
 *   - per coordinate, each of its bits (bit b of the element's residue, b < ⌈log₂ m⌉);
 *   - per coordinate whose modulus is not a power of two (Z_p, Z_{2^ℓ−1}), "the element is 0";
 *   - per modulus that is not a power of two, "no coordinate of that group is 0" and "exactly one
 *     is" (the zero patterns of PrivateCompare's d = d⁰ + d¹, which P2 sees);
 *   - per pair of coordinates (when the view has at most MAX_PAIR_COORDINATES), the xor of their
 *     top bits (two coordinates that move together);
 *   - per triple of coordinates (when the view has at most MAX_TRIPLE_COORDINATES), the xor of their
 *     top bits (a leak visible only through three coordinates at once, invisible to every pair).
 * A test's statistic is z = (x̂ − ŷ) / √(p̄(1 − p̄)(1/N + 1/M)), p̄ the pooled fraction; its two-sided
 * p-value is P(χ²₁ ≥ z²). The family rejects when its smallest p-value is below α / T (Bonferroni
 * over its T tests).
 *
 * Power. With N real and M simulated views, a test at level a = α / T detects a bias δ with
 * probability ≥ π when δ ≥ (z_{1−a/2} + z_π) · √(¼ (1/N + 1/M)) — ¼ bounds p(1 − p), so the bound
 * holds for every base rate (normal approximation; test/security/power.test.ts checks it by Monte
 * Carlo). `samplesFor` inverts it.
 */
import { bug } from '../../spec/errors.js';
import { chiSquareSurvival } from '../conformance/stats.js';

/** Triples of coordinates are tested only in views of at most this many coordinates (C(24, 3) = 2024). */
export const MAX_TRIPLE_COORDINATES = 24;
/** Pairs of coordinates are tested only in views of at most this many coordinates (C(64, 2) = 2016). */
export const MAX_PAIR_COORDINATES = 64;

export interface BiasEvent {
  readonly name: () => string;
  readonly holds: (s: Int32Array) => boolean;
}

const bitsOfModulus = (m: number): number => Math.max(1, Math.ceil(Math.log2(m)));
const isPow2 = (m: number): boolean => (m & (m - 1)) === 0;

/** The events of a view with these moduli (see the header). */
export function biasEvents(moduli: readonly number[], describe: (k: number) => string): BiasEvent[] {
  const out: BiasEvent[] = [];
  const top = moduli.map((m) => 1 << (bitsOfModulus(m) - 1));
  const topBit = (s: Int32Array, k: number): number => (((s[k] as number) & (top[k] as number)) === 0 ? 0 : 1);
  moduli.forEach((m, k) => {
    for (let b = 0; b < bitsOfModulus(m); b++)
      out.push({ name: () => `bit ${b} of ${describe(k)}`, holds: (s) => (((s[k] as number) >> b) & 1) === 1 });
    if (!isPow2(m)) out.push({ name: () => `${describe(k)} = 0`, holds: (s) => s[k] === 0 });
  });
  for (const m of new Set(moduli.filter((x) => !isPow2(x)))) {
    const ks = moduli.flatMap((x, k) => (x === m ? [k] : []));
    const zeros = (s: Int32Array): number => ks.reduce((a, k) => a + (s[k] === 0 ? 1 : 0), 0);
    out.push({ name: () => `no element of Z_${m} is 0`, holds: (s) => zeros(s) === 0 });
    out.push({ name: () => `exactly one element of Z_${m} is 0`, holds: (s) => zeros(s) === 1 });
  }
  if (moduli.length <= MAX_PAIR_COORDINATES)
    for (let i = 0; i < moduli.length; i++)
      for (let j = i + 1; j < moduli.length; j++)
        out.push({
          name: () => `top bits of ${describe(i)} and ${describe(j)} differ`,
          holds: (s) => (topBit(s, i) ^ topBit(s, j)) === 1,
        });
  if (moduli.length <= MAX_TRIPLE_COORDINATES)
    for (let i = 0; i < moduli.length; i++)
      for (let j = i + 1; j < moduli.length; j++)
        for (let k = j + 1; k < moduli.length; k++)
          out.push({
            name: () => `xor of the top bits of ${describe(i)}, ${describe(j)} and ${describe(k)}`,
            holds: (s) => (topBit(s, i) ^ topBit(s, j) ^ topBit(s, k)) === 1,
          });
  return out;
}

export interface BiasFinding {
  readonly feature: string;
  /** The fraction of each sample in the event. */
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly pValue: number;
}

export interface BiasComparison {
  readonly tests: number;
  readonly worst: BiasFinding | null;
}

/** Two-sample test of proportions: counts a of n and b of m. */
export function proportionTest(a: number, n: number, b: number, m: number): { z: number; pValue: number } {
  const pooled = (a + b) / (n + m);
  const v = pooled * (1 - pooled) * (1 / n + 1 / m);
  if (v === 0) return { z: 0, pValue: 1 };
  const z = (a / n - b / m) / Math.sqrt(v);
  return { z, pValue: chiSquareSurvival(z * z, 1) };
}

/** Run the family on samples x (real) and y (simulated). */
export function compareBias(
  x: readonly Int32Array[],
  y: readonly Int32Array[],
  moduli: readonly number[],
  describe: (k: number) => string = (k) => `coordinate ${k + 1}`,
): BiasComparison {
  for (const s of [...x, ...y])
    if (s.length !== moduli.length) bug(`a sample of ${s.length} coordinates for ${moduli.length} moduli`);
  const events = biasEvents(moduli, describe);
  if (x.length === 0 || y.length === 0) return { tests: 0, worst: null };
  let worst: BiasFinding | null = null;
  for (const e of events) {
    let a = 0;
    let b = 0;
    for (const s of x) if (e.holds(s)) a++;
    for (const s of y) if (e.holds(s)) b++;
    const t = proportionTest(a, x.length, b, y.length);
    if (worst === null || t.pValue < worst.pValue)
      worst = { feature: e.name(), x: a / x.length, y: b / y.length, z: t.z, pValue: t.pValue };
  }
  return { tests: events.length, worst };
}

/** z with P(|Z| > z) = tail for a standard normal Z (bisection on P(χ²₁ ≥ z²)). */
export function normalTailQuantile(tail: number): number {
  if (!(tail > 0 && tail < 1)) bug(`a two-sided tail probability in (0, 1), got ${tail}`);
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (chiSquareSurvival(mid * mid, 1) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The smallest bias δ in one event's probability that a family of `tests` tests at false-alarm rate
 * α (per family) detects with probability ≥ `power`, with n real and m simulated samples.
 */
export function detectableBias(n: number, m: number, tests: number, alpha: number, power = 0.99): number {
  const za = normalTailQuantile(alpha / Math.max(1, tests));
  const zb = normalTailQuantile(2 * (1 - power));
  return (za + zb) * Math.sqrt(0.25 * (1 / n + 1 / m));
}

/** The fewest real samples n (with m = ratio · n simulated) for which detectableBias ≤ δ. */
export function samplesFor(delta: number, tests: number, alpha: number, power = 0.99, ratio = 4): number {
  const za = normalTailQuantile(alpha / Math.max(1, tests));
  const zb = normalTailQuantile(2 * (1 - power));
  const k = (za + zb) / delta;
  return Math.ceil(k * k * 0.25 * (1 + 1 / ratio));
}

export function describeBias(f: BiasFinding | null): string {
  if (f === null) return 'nothing to compare';
  return `${f.feature}: ${f.x.toFixed(4)} real vs ${f.y.toFixed(4)} simulated, z = ${f.z.toFixed(2)}, p = ${f.pValue.toExponential(2)}`;
}
