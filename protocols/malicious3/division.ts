/**
 * Exact division by a public constant, ⌊signed_k(x) / d⌋ mod 2^k, for the average pools of the
 * malicious backend (a construction of ours on the bit decomposition of bits.ts; the same identity
 * underlies division by constants in Catrina & Saxena, FC 2010, §3, and CrypTFlow2's exact division).
 *
 * 1. u = x + 2^{k−1} mod 2^k is x's signed value shifted to [0, 2^k): its bits are those of x mod 2^k
 *    (from `decompose(…, withBits)`) with the top bit flipped.
 * 2. With C = 2^{k−1}: u − C = d·(Σ_i u_i·⌊2^i/d⌋ − ⌊C/d⌋) + T, T = Σ_i u_i·(2^i mod d) − (C mod d),
 *    so ⌊(u − C)/d⌋ = Σ_i u_i·⌊2^i/d⌋ − ⌊C/d⌋ + ⌊T/d⌋, all linear in the shared bits but ⌊T/d⌋.
 * 3. −d < T < k·d, so ⌊T/d⌋ = Σ_{j=0}^{k−1} [T ≥ j·d] − 1: k comparisons of T − j·d with 0, in one
 *    batch (`nonNegative`), exact while k·d ≤ 2^{k−1} (the values stay inside the signed range).
 * Each element may have its own d (an AvgPool whose border windows count fewer cells). Cost:
 * decompose(n), then decompose(k·n); one power-of-two d for all takes the cheaper truncation.
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import { decompose, nonNegative, oneMinus, truncate } from './bits.js';
import { concat, fill, fromBigints, slice, type Z128 } from './ring.js';
import { auth, type Auth } from './rss.js';
import type { Session } from './session.js';

/** d = 2^s for a whole s ≥ 0 (1, 2, 4, …; not 1/2, whose log2 is the integer −1). */
export function isPowerOfTwo(d: number): boolean {
  return Number.isInteger(d) && Number.isInteger(Math.log2(d));
}

/** How `divide` divides by these divisors: nothing, one truncation, or the general construction. */
export function divisionKind(k: number, divisors: ArrayLike<number>): 'none' | 'shift' | 'general' {
  const ds = Array.from(divisors);
  const d0 = ds[0] ?? 1;
  const uniform = ds.every((d) => d === d0);
  if (uniform && d0 === 1) return 'none';
  if (uniform && isPowerOfTwo(d0) && Math.log2(d0) < k) return 'shift';
  if (!ds.every((d) => Number.isInteger(d) && d >= 1 && k * d <= 2 ** (k - 1)))
    throw new CryptflowError(
      'unsupported',
      `malicious: division by ${Math.max(...ds)} at ℓ = ${k} (exact division needs ℓ·d ≤ 2^(ℓ−1))`,
    );
  return 'general';
}

/** ⌊signed_k(x_e) / d_e⌋ mod 2^k for every element e and its public divisor d_e. */
export async function divide(st: Session, x: Auth, divisors: ArrayLike<number>): Promise<Auth> {
  const { m } = st;
  const k = st.params.k;
  const kind = divisionKind(k, divisors);
  if (kind === 'none') return x;
  if (kind === 'shift') return truncate(st, x, Math.log2(divisors[0] as number));
  const n = x.x.a.n;
  const D = Array.from(divisors, (d) => BigInt(d));
  const perElement = (f: (d: bigint) => bigint): Z128 => fromBigints(m, D.map(f));
  const bits = (await decompose(st, x, undefined, true)).xBits ?? bug('bits of x');
  const u = bits.map((b, i) => (i === k - 1 ? oneMinus(st, b) : b));
  const C = 1n << BigInt(k - 1);
  let q = st.ofPublic(perElement((d) => -(C / d)));
  let t = st.ofPublic(perElement((d) => -(C % d)));
  u.forEach((ui, i) => {
    const p = 1n << BigInt(i);
    q = auth.add(
      m,
      q,
      auth.mulPublic(
        m,
        ui,
        perElement((d) => p / d),
      ),
    );
    t = auth.add(
      m,
      t,
      auth.mulPublic(
        m,
        ui,
        perElement((d) => p % d),
      ),
    );
  });
  // [T ≥ j·d] for j = 0 … k−1, as one batch of k·n comparisons
  const shifted = Array.from({ length: k }, (_, j) =>
    auth.addPublic(
      m,
      st.id,
      st.alpha,
      t,
      perElement((d) => -BigInt(j) * d),
    ),
  );
  const stacked: Auth = {
    x: { a: concat(shifted.map((v) => v.x.a)), b: concat(shifted.map((v) => v.x.b)) },
    mac: { a: concat(shifted.map((v) => v.mac.a)), b: concat(shifted.map((v) => v.mac.b)) },
  };
  const ge = await nonNegative(st, stacked);
  for (let j = 0; j < k; j++)
    q = auth.add(
      m,
      q,
      auth.map(ge, (v) => slice(v, j * n, n)),
    );
  return auth.addPublic(m, st.id, st.alpha, q, fill(m, n, -1n));
}
