/**
 * Mutation kills for protocols/malicious3/division.ts (exact division by public constants for the
 * malicious backend's average pools). What the sweep's suites left open:
 *
 *   - `isPowerOfTwo` on powers of two and on other numbers;
 *   - `divisionKind`'s three answers: 'none' for no divisors or all ones, 'shift' for one power of two
 *     below 2^k shared by every element, 'general' otherwise; the bound ℓ·d ≤ 2^(ℓ−1) at equality and
 *     just past it, a power of two 2^k (no shift, and too large), non-integer, zero and negative
 *     divisors, and one bad divisor among good ones, each an 'unsupported' error naming the largest
 *     divisor and ℓ;
 *   - `divide` by mixed divisors on fixed inputs (the general construction);
 *   - `divide` by ones returns x untouched with no traffic;
 *   - `divide` by one power of two is the truncation: the same values, bytes, messages and rounds as
 *     `truncate`, far less than the general construction.
 *
 * Argued equivalent (scripts/mutation/equivalent/protocols__malicious3__division.json): the message of
 * the `bug` for missing bits of x, which `decompose(…, withBits = true)` always returns.
 */
import { describe, expect, it } from 'vitest';
import { totalBytes } from '../../harness/network/meter.js';
import { truncate } from '../../protocols/malicious3/bits.js';
import { divide, divisionKind, isPowerOfTwo } from '../../protocols/malicious3/division.js';
import { fromBigints } from '../../protocols/malicious3/ring.js';
import type { Auth } from '../../protocols/malicious3/rss.js';
import type { Session } from '../../protocols/malicious3/session.js';
import { reconstruct, run3 } from '../protocols/malicious3/support.js';
import { expectCryptflowError } from './support.js';

describe('malicious3 division: which construction divides', () => {
  /**
   * Kills 21 BlockStatement (isPowerOfTwo returns nothing) and the `Number.isInteger(d)` clause forced
   * true (1/2 and 1/4 have integer logarithms): a fractional divisor is refused, not taken for a shift by
   * a negative amount.
   */
  it('isPowerOfTwo holds for 1, 2, 4, 1024 and not for 3, 6, 0, 1.5, 0.5, 0.25', () => {
    expect([1, 2, 4, 1024].map(isPowerOfTwo)).toEqual([true, true, true, true]);
    expect([3, 6, 0, 1.5, 0.5, 0.25].map(isPowerOfTwo)).toEqual([false, false, false, false, false, false]);
    expectCryptflowError(() => divisionKind(4, [0.5]), 'unsupported', 'malicious: division by 0.5 at ℓ = 4');
  });

  /**
   * Kills 26 BlockStatement, 28 LogicalOperator (`ds[0] && 1`: no divisors become 'general'), 29
   * ArrowFunction / ConditionalExpression false / EqualityOperator (all ones no longer uniform), 30
   * StringLiteral.
   */
  it("no divisors, or all ones, is 'none'", () => {
    expect(divisionKind(16, [])).toBe('none');
    expect(divisionKind(16, [1])).toBe('none');
    expect(divisionKind(16, [1, 1, 1])).toBe('none');
    expect(divisionKind(8, new Float64Array([1, 1]))).toBe('none');
  });

  /** Kills 31 ConditionalExpression false, 31 EqualityOperator `>= k`, 31 StringLiteral. */
  it("one power of two below 2^k for all is 'shift', even past the general bound", () => {
    expect(divisionKind(16, [4, 4, 4])).toBe('shift');
    expect(divisionKind(16, [2])).toBe('shift');
    // 8·64 > 2^7, yet a truncation by 2^6 is exact
    expect(divisionKind(8, [64])).toBe('shift');
    expect(divisionKind(8, [128])).toBe('shift');
  });

  /** Kills 37 StringLiteral and 32 EqualityOperator `<` (ℓ·d = 2^(ℓ−1) exactly is allowed). */
  it("mixed divisors, or one that is not a power of two, within ℓ·d ≤ 2^(ℓ−1) are 'general'", () => {
    expect(divisionKind(16, [3])).toBe('general');
    expect(divisionKind(16, [4, 2])).toBe('general');
    expect(divisionKind(8, [16, 3])).toBe('general');
    expect(divisionKind(4, [2, 1])).toBe('general');
    expect(divisionKind(8, [5, 1, 16])).toBe('general');
  });

  /**
   * Kills 31 ConditionalExpression true and EqualityOperator `<=` (2^k is no shift), 32
   * ConditionalExpression false, 32 ConditionalExpression true (whole predicate), 32 LogicalOperator
   * `… || k * d <= …`, 32 ConditionalExpression true (k·d bound), 32 ArithmeticOperator `k / d` and
   * `k + 1`, and the NoCoverage 34 StringLiteral, 35 StringLiteral and 35 MethodExpression `Math.min`.
   */
  it("past ℓ·d ≤ 2^(ℓ−1) is 'unsupported', naming the largest divisor and ℓ", () => {
    expectCryptflowError(
      () => divisionKind(4, [3]),
      'unsupported',
      'malicious: division by 3 at ℓ = 4 (exact division needs ℓ·d ≤ 2^(ℓ−1))',
    );
    expectCryptflowError(() => divisionKind(4, [3, 2, 1]), 'unsupported', 'division by 3 at ℓ = 4');
    expectCryptflowError(() => divisionKind(8, [17, 16]), 'unsupported', 'division by 17 at ℓ = 8');
    expectCryptflowError(() => divisionKind(4, [16]), 'unsupported', 'division by 16 at ℓ = 4');
    expectCryptflowError(() => divisionKind(8, [256]), 'unsupported', 'division by 256 at ℓ = 8');
  });

  /** Kills 32 MethodExpression `some` (one bad divisor among good ones). */
  it('one divisor past the bound among good ones is refused', () => {
    expectCryptflowError(() => divisionKind(8, [3, 100, 5]), 'unsupported', 'division by 100 at ℓ = 8');
    expectCryptflowError(() => divisionKind(16, [3, 5000]), 'unsupported', 'division by 5000 at ℓ = 16');
  });

  /**
   * Kills 32 ConditionalExpression true (`Number.isInteger(d) && d >= 1`), 32 LogicalOperator
   * `Number.isInteger(d) || d >= 1`, 32 ConditionalExpression true (`d >= 1`).
   */
  it('non-integer, zero and negative divisors are refused', () => {
    expectCryptflowError(() => divisionKind(16, [1.5]), 'unsupported', 'division by 1.5 at ℓ = 16');
    expectCryptflowError(() => divisionKind(16, [3, 2.5]), 'unsupported', 'division by 3 at ℓ = 16');
    expectCryptflowError(() => divisionKind(16, [0]), 'unsupported', 'division by 0 at ℓ = 16');
    expectCryptflowError(() => divisionKind(16, [3, 0]), 'unsupported', 'division by 3 at ℓ = 16');
    expectCryptflowError(() => divisionKind(16, [-3]), 'unsupported', 'division by -3 at ℓ = 16');
  });
});

describe('malicious3 division: divide on three parties', () => {
  const k = 8;
  const s = 8;
  const m = k + s;
  const xs = [0n, 1n, 5n, 127n, 128n, 200n, 255n, 77n, (1n << BigInt(m)) - 3n];

  const runWith = (prog: (st: Session, x: Auth) => Promise<Auth>): ReturnType<typeof run3<Auth>> =>
    run3(k, s, 'm3-division-shift', async (st) => {
      const x = await st.input(0, xs.length, st.id === 0 ? fromBigints(m, xs) : undefined);
      return prog(st, x);
    });

  /**
   * Kills 46 ConditionalExpression false and 46 StringLiteral: without the shift, a power of two takes
   * the general construction (two decompositions, k comparisons per element), so the traffic differs.
   */
  it('divide by 4 for all sends what truncate by 2 sends and gives ⌊signed/4⌋', async () => {
    const viaDivide = await runWith((st, x) => divide(st, x, Array<number>(xs.length).fill(4)));
    const viaTruncate = await runWith((st, x) => truncate(st, x, 2));
    const K = 1n << BigInt(k);
    const low = (parts: readonly Auth[]): bigint[] => reconstruct(m, parts).map((v) => v % K);
    const floor4 = (v: bigint): bigint => BigInt.asUintN(k, BigInt.asIntN(k, v % K) >> 2n);
    expect(low(viaDivide.outputs)).toEqual(xs.map(floor4));
    expect(low(viaTruncate.outputs)).toEqual(xs.map(floor4));
    expect(viaDivide.meter.links).toEqual(viaTruncate.meter.links);
    expect(viaDivide.meter.messages).toEqual(viaTruncate.meter.messages);
    expect(viaDivide.meter.rounds).toBe(viaTruncate.meter.rounds);
    expect(totalBytes(viaDivide.meter.links)).toBeGreaterThan(0);
  });

  /**
   * The general construction (its mutants are also killed by test/protocols/malicious3/bits.test.ts):
   * per-element divisors at the bound 8·d ≤ 2^7 and below, on signed values across the ring, with the
   * output's high bits ignored.
   */
  it('divide by mixed divisors gives ⌊signed/d⌋ mod 2^k per element', async () => {
    const ds = [3, 5, 7, 16, 2, 9, 11, 1, 13];
    const out = await runWith((st, x) => divide(st, x, ds));
    const K = 1n << BigInt(k);
    const floorDiv = (a: bigint, d: bigint): bigint => (a >= 0n ? a / d : -((-a + d - 1n) / d));
    expect(reconstruct(m, out.outputs).map((v) => v % K)).toEqual(
      xs.map((v, i) => BigInt.asUintN(k, floorDiv(BigInt.asIntN(k, v % K), BigInt(ds[i] as number)))),
    );
  });

  /**
   * Kills 45 ConditionalExpression false and 45 StringLiteral: division by ones hands x back as it is
   * and sends nothing beyond the input (the general construction would decompose x).
   */
  it('divide by all ones returns x itself and sends nothing', async () => {
    const viaDivide = await runWith(async (st, x) => {
      const y = await divide(st, x, Array<number>(xs.length).fill(1));
      expect(y).toBe(x);
      return y;
    });
    const inputOnly = await runWith((_st, x) => Promise.resolve(x));
    expect(viaDivide.meter.links).toEqual(inputOnly.meter.links);
    expect(viaDivide.meter.messages).toEqual(inputOnly.meter.messages);
    expect(viaDivide.meter.rounds).toBe(inputOnly.meter.rounds);
  });
});
