/**
 * Probabilistic LOCAL truncation (SecureNN §3 / Porthos ScaleDown; CrypTFlow's ScaleDown as the
 * secure backends run it), specified as a set of allowed results with exact probabilities.
 *
 * The rule. x ∈ Z_{2^ℓ} is shared additively, x = x0 + x1 mod 2^ℓ, x0 uniform. Without talking, P0
 * outputs y0 = x0 >> k (arithmetic shift of the signed view) and P1 outputs y1 = −((−x1) >> k). The
 * truncated value is y = y0 + y1 mod 2^ℓ.
 *
 * The statement (derived in proofs-notes/truncation.md). Let x̃ = signed(x), q = ⌊x̃ / 2^k⌋ (the exact
 * ScaleDown), r = x̃ mod 2^k, 0 ≤ k ≤ ℓ − 1. Then always
 *     y = q + c + j·2^{ℓ−k}  (mod 2^ℓ),   c ∈ {0, 1},   j ∈ {0, −1} if x̃ ≥ 0,  j ∈ {0, +1} if x̃ < 0,
 * and over the uniform choice of x0 (2^ℓ equally likely sharings of x):
 *     #(j ≠ 0)         = |x̃|                    P(wrap)  = |x̃| / 2^ℓ
 *     #(c = 1)         = 2^{ℓ−k}·r              P(carry) = r / 2^k
 *     #(c = 1, j ≠ 0)  = |q + 1|·r
 * so every joint outcome count is known exactly (the four cells below). "exact" is q, "ulp" is the
 * single result within one ulp that can occur (q + 1; q − 1 never occurs), "wrap" the results with
 * j ≠ 0. For k = 0, c = 0 always and 2^{ℓ−k} ≡ 0: every outcome equals x.
 */
import { CryptflowError } from '../spec/errors.js';
import { Ring, type Ring as RingT } from '../spec/ring.js';

export interface TruncationOutcome {
  /** The truncated value, reduced mod 2^ℓ. */
  readonly value: bigint;
  readonly carry: 0 | 1;
  /** j: 0 (no wrap), −1 (x̃ ≥ 0 wrapped), +1 (x̃ < 0 wrapped). */
  readonly wrap: -1 | 0 | 1;
  /** Number of the 2^ℓ sharings x0 that produce this outcome. */
  readonly count: bigint;
}

export interface LocalTruncationSpec {
  readonly ell: number;
  readonly k: number;
  /** x reduced mod 2^ℓ. */
  readonly x: bigint;
  /** ⌊signed(x)/2^k⌋ mod 2^ℓ: what ScaleDown means (semantics/fixed.ts). */
  readonly exact: bigint;
  /** Results within one ulp other than exact: [exact + 1]. */
  readonly ulp: readonly bigint[];
  /** Results of a wrap (j ≠ 0): [q + j·2^{ℓ−k}, q + 1 + j·2^{ℓ−k}] mod 2^ℓ, empty when x̃ = 0. */
  readonly wrap: readonly bigint[];
  /** The four (carry, wrap) cells with their exact counts (cells of count 0 included). */
  readonly outcomes: readonly TruncationOutcome[];
  readonly wrapProbability: number;
  readonly carryProbability: number;
}

/** #{t ∈ [0, T) : t mod m < r} for T ≥ 0. */
function countBelow(T: bigint, m: bigint, r: bigint): bigint {
  const rem = T % m;
  return (T / m) * r + (rem < r ? rem : r);
}

function checkShift(ell: number, k: number): void {
  if (!Number.isInteger(k) || k < 0 || k > ell - 1) {
    throw new CryptflowError(
      'usage',
      `local truncation needs an integer shift 0 ≤ k ≤ ℓ − 1 = ${ell - 1}, got ${String(k)}`,
    );
  }
}

/** The allowed results of local truncation of x by k bits in Z_{2^ℓ}, with exact probabilities. */
export function localTruncationAllowed(ell: number, x: bigint, k: number): LocalTruncationSpec {
  const ring = Ring(ell);
  checkShift(ell, k);
  const xr = ring.reduce(x);
  const xs = ring.signed(xr);
  const m = 1n << BigInt(k);
  const q = xs >> BigInt(k);
  const r = xs - q * m;
  const abs = xs < 0n ? -xs : xs;
  const j: -1 | 1 = xs >= 0n ? -1 : 1;
  const shiftWrap = BigInt(j) << BigInt(ell - k);
  // Wrap interval in t = x0_signed + 2^{ℓ−1} ∈ [0, 2^ℓ): [0, |x̃|) when x̃ ≥ 0, [2^ℓ − |x̃|, 2^ℓ) otherwise.
  const start = xs >= 0n ? 0n : ring.modulus - abs;
  const carryWrap = countBelow(start + abs, m, r) - countBelow(start, m, r);
  const carryAll = (ring.modulus / m) * r;
  const cell = (carry: 0 | 1, wrap: -1 | 0 | 1, count: bigint): TruncationOutcome => ({
    value: ring.reduce(q + BigInt(carry) + (wrap === 0 ? 0n : shiftWrap)),
    carry,
    wrap,
    count,
  });
  const outcomes = [
    cell(0, 0, ring.modulus - abs - (carryAll - carryWrap)),
    cell(1, 0, carryAll - carryWrap),
    cell(0, j, abs - carryWrap),
    cell(1, j, carryWrap),
  ];
  const denom = Number(ring.modulus);
  return {
    ell,
    k,
    x: xr,
    exact: ring.reduce(q),
    ulp: [ring.reduce(q + 1n)],
    wrap: abs === 0n ? [] : [ring.reduce(q + shiftWrap), ring.reduce(q + 1n + shiftWrap)],
    outcomes,
    wrapProbability: Number(abs) / denom,
    carryProbability: Number(r) / Number(m),
  };
}

/** The local rule itself: P0's and P1's shares of the truncated value. */
export function localTruncateShares(ring: RingT, x0: bigint, x1: bigint, k: number): readonly [bigint, bigint] {
  return [ring.shrArith(x0, k), ring.neg(ring.shrArith(ring.neg(x1), k))];
}

/** Is y one of the results local truncation may produce for x (exact, within one ulp, or a wrap)? */
export function isAllowedTruncation(spec: LocalTruncationSpec, y: bigint): boolean {
  return y === spec.exact || spec.ulp.includes(y) || spec.wrap.includes(y);
}

/**
 * Classify an observed result: the possible outcome cell (count > 0) it belongs to, or null when no
 * sharing can produce it. (For k = 0 all cells share one value; the first is returned.)
 */
export function classifyTruncation(spec: LocalTruncationSpec, y: bigint): TruncationOutcome | null {
  return spec.outcomes.find((o) => o.value === y && o.count > 0n) ?? null;
}

/**
 * Local DIVISION by a public integer d ≥ 1 (AvgPool and GlobalAvgPool in Porthos and SecureNN: the
 * window sum divided by its public count without talking), the generalisation of local truncation.
 *
 * The rule: P0 outputs ⌊signed(x0)/d⌋, P1 outputs −⌊signed(−x1)/d⌋. With a = signed(x0) and
 * b = signed(−x1) = a − x̃ + j·2^ℓ for the one j ∈ {−1, 0, 1} that lands b in the signed range, the
 * identity ⌊a/d⌋ − ⌊(a − m)/d⌋ ∈ {⌊m/d⌋, ⌊m/d⌋ + 1} (any integers a, m) with m = x̃ − j·2^ℓ gives
 *     y ∈ {⌊(x̃ − j·2^ℓ)/d⌋ + c : c ∈ {0, 1}},   j = 0 except on a wrap,
 * a wrap (j ≠ 0: j = +1 when x̃ ≥ 0, −1 when x̃ < 0) happening for exactly |x̃| of the 2^ℓ sharings.
 * For d = 2^k this is `localTruncationAllowed` (the wrap results q − j·2^{ℓ−k} + c).
 */
export interface LocalDivisionSpec {
  readonly ell: number;
  readonly d: bigint;
  readonly x: bigint;
  /** ⌊signed(x)/d⌋ mod 2^ℓ: what AvgPool means (semantics/fixed.ts). */
  readonly exact: bigint;
  /** Every result local division may produce (exact first). */
  readonly allowed: readonly bigint[];
  /** |x̃| / 2^ℓ. */
  readonly wrapProbability: number;
}

function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

export function localDivisionAllowed(ell: number, x: bigint, d: bigint): LocalDivisionSpec {
  const ring = Ring(ell);
  if (d < 1n) throw new CryptflowError('usage', `local division needs a positive divisor, got ${d}`);
  const xr = ring.reduce(x);
  const xs = ring.signed(xr);
  const q = floorDivBig(xs, d);
  const allowed = new Set<bigint>([ring.reduce(q), ring.reduce(q + 1n)]);
  if (xs !== 0n) {
    const qw = floorDivBig(xs - (xs >= 0n ? 1n : -1n) * ring.modulus, d);
    allowed.add(ring.reduce(qw));
    allowed.add(ring.reduce(qw + 1n));
  }
  const abs = xs < 0n ? -xs : xs;
  return {
    ell,
    d,
    x: xr,
    exact: ring.reduce(q),
    allowed: [...allowed],
    wrapProbability: Number(abs) / Number(ring.modulus),
  };
}

/** The local division rule itself: P0's and P1's shares of ⌊x/d⌋ (up to the allowed set). */
export function localDivideShares(ring: RingT, x0: bigint, x1: bigint, d: bigint): readonly [bigint, bigint] {
  if (d < 1n) throw new CryptflowError('usage', `local division needs a positive divisor, got ${d}`);
  return [
    ring.reduce(floorDivBig(ring.signed(x0), d)),
    ring.neg(ring.reduce(floorDivBig(ring.signed(ring.neg(x1)), d))),
  ];
}
