/**
 * Mutation kills for protocols/cryptflow2-he/division.ts (exact division by a public constant over Z_p:
 * 84.31 % in the sweep of 2026-12-07, 13 survived, 3 uncovered), by behaviour, over the small prime
 * p = 251 with the functional OT double (each case is a few milliseconds):
 *   - the argument guard (line 37): one divisor per element and every divisor ≥ 1, else the invariant
 *     violation with its message (no suite passed a bad divisor list, so the message was uncovered);
 *   - the remainder-width bound (lines 41–44): the largest divisor whose 5·d fits 64 bits divides
 *     exactly, the next one is refused with code 'usage' and the width in the message;
 *   - truncateP (lines 91–92): a shift by s divides by 2^s, a zero shift returns a fresh copy of the
 *     holder's own share at no cost, and an empty tensor is returned at once, before the shift is
 *     turned into a divisor.
 * Argued equivalent in scripts/mutation/equivalent/protocols__cryptflow2-he__division.json: the empty
 * early return of divideP (38), the `>=` of the max reduction (39) and P1's private copy of x (47).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fDivP } from '../../ideal/cryptflow2-he.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { divideP, truncateP } from '../../protocols/cryptflow2-he/division.js';
import { primeField, sampleP, type PrimeField } from '../../protocols/cryptflow2-he/field.js';
import { InvariantViolation } from '../../spec/errors.js';
import { totalBytes } from '../../harness/network/meter.js';
import { run2 } from '../protocols/cryptflow2/support.js';
import { expectCryptflowRejection } from './support.js';

const F = primeField(251n);

/** Additive shares mod p of known values: P0 holds v + r, P1 holds −r (common PRG). */
function shareP(ctx: PartyContext, field: PrimeField, values: readonly bigint[]): BigUint64Array {
  const r = sampleP(field, ctx.shared(ctx.id === 0 ? 1 : 0), values.length);
  return ctx.id === 0
    ? r.map((v, i) => (v + (values[i] as bigint)) % field.p)
    : r.map((v) => (v === 0n ? 0n : field.p - v));
}

const open = (a: BigUint64Array, b: BigUint64Array): bigint[] => [...a].map((v, i) => (v + (b[i] as bigint)) % F.p);

/** The largest divisor with 5·d below 2^64: its remainder comparisons take exactly 64 bits. */
const D64 = ((1n << 64n) - 1n) / 5n;

/** divideP on shares of `xs` must reject with the invariant violation about the divisor list. */
async function expectDivisorBug(xs: readonly bigint[], divisors: readonly bigint[]): Promise<void> {
  let caught: unknown;
  try {
    await run2(8, 'he-div-guard', (ctx, ot) => divideP(ctx, ot, F, shareP(ctx, F, xs), divisors));
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InvariantViolation);
  expect((caught as Error).message).toContain('division needs one positive divisor per element');
}

describe('divideP refuses a bad divisor list before any message', () => {
  /** Line 37: `divisors.length !== n` → false, `||` → `&&`, the whole condition → false, the message. */
  it('more divisors than elements (all positive)', async () => {
    await expectDivisorBug([5n, 200n], [3n, 3n, 3n]);
  });

  /**
   * Line 37: `some` → `every`, the predicate → `() => undefined`, `d < 1n` → false (a zero divisor
   * among positive ones, and a negative one).
   */
  it.each([
    { name: 'zero', divisors: [3n, 0n, 5n] },
    { name: 'negative', divisors: [3n, 7n, -2n] },
  ])('a $name divisor among positive ones', async ({ divisors }) => {
    await expectDivisorBug([5n, 200n, 17n], divisors);
  });
});

describe('the remainder comparisons take at most 64 bits', () => {
  /** Line 41: `width > 64` → `width >= 64` (the 64-bit case is refused by the mutant). */
  it('the largest divisor whose 5·d fits 64 bits divides exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: F.p - 1n }), { minLength: 1, maxLength: 4 }),
        fc.string(),
        async (xs, seed) => {
          const d = xs.map((_, i) => (i % 2 === 0 ? D64 : 7n));
          const { p0, p1 } = await run2(8, seed, (ctx, ot) => divideP(ctx, ot, F, shareP(ctx, F, xs), d));
          expect(open(p0, p1)).toEqual([...fDivP(F.p, BigUint64Array.from(xs), d)]);
        },
      ),
      { numRuns: 50 },
    );
  });

  /** Lines 41–44: `width > 64` → false and the code and message literals (uncovered in the sweep). */
  it('one more is refused with code usage, naming the width', async () => {
    await expectCryptflowRejection(
      () => run2(8, 'he-div-wide', (ctx, ot) => divideP(ctx, ot, F, shareP(ctx, F, [1n, 2n]), [3n, D64 + 1n])),
      'usage',
      'division by a public constant supports divisors below 2^64/5, got one of 65 bits',
    );
  });
});

describe('truncateP', () => {
  /**
   * Lines 91–92 (killed in the sweep by the conformance suites; pinned here too): the condition → true
   * and the divisor list → `new Array()`. A shift by s divides every element by 2^s.
   */
  it('a shift by s > 0 divides by 2^s', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 0n, max: F.p - 1n }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 9 }),
        fc.string(),
        async (xs, s, seed) => {
          const { p0, p1 } = await run2(8, seed, (ctx, ot) => truncateP(ctx, ot, F, shareP(ctx, F, xs), s));
          const d = xs.map(() => 1n << BigInt(s));
          expect(open(p0, p1)).toEqual([...fDivP(F.p, BigUint64Array.from(xs), d)]);
        },
      ),
      { numRuns: 50 },
    );
  });

  /** Line 91: `x.slice()` → `x` (the zero shift hands back the caller's own array). */
  it('a zero shift returns a fresh copy of the own share, at no cost', async () => {
    const { p0, p1, meter } = await run2(8, 'he-trunc-zero', async (ctx, ot) => {
      const x = shareP(ctx, F, [5n, 250n, 0n]);
      const y = await truncateP(ctx, ot, F, x, 0);
      return { same: y === x, x: [...x], y: [...y] };
    });
    for (const h of [p0, p1]) {
      expect(h.same).toBe(false);
      expect(h.y).toEqual(h.x);
    }
    expect([totalBytes(meter.links), meter.rounds]).toEqual([0, 0]);
  });

  /**
   * Line 91: `x.length === 0` → false. An empty tensor is answered before the shift is read, so even a
   * shift that names no power of two (BigInt(0.5) throws) gives the empty result.
   */
  it('an empty tensor is returned at once, whatever the shift', async () => {
    const { p0, p1 } = await run2(8, 'he-trunc-empty', (ctx, ot) => truncateP(ctx, ot, F, new BigUint64Array(0), 0.5));
    expect([p0.length, p1.length]).toEqual([0, 0]);
  });
});
