/**
 * The word-level ring arithmetic (semantics/kernels/words.ts) against its bigint definitions, entry
 * by entry, at every width 2 ≤ ℓ ≤ 64 and on both moduli, with vectors biased towards the edges
 * (0, 1, the modulus minus one or two, the word boundaries) where carries and wraps happen.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OddRing } from '../../../spec/field.js';
import { Ring } from '../../../spec/ring.js';
import {
  addMod,
  doubleMod,
  addPow2,
  filled,
  firstOutOfRange,
  fromSmall,
  gather,
  maskInPlace,
  negMod,
  reluWords,
  shiftRightSigned,
  subMod,
  subPow2,
  wrapsPow2,
  type Modulus,
} from '../../../semantics/kernels/words.js';

const ELL = fc.integer({ min: 2, max: 64 });

/** Values below `bound`, half of them drawn from the edges. */
function value(bound: bigint): fc.Arbitrary<bigint> {
  const edges = [
    0n,
    1n,
    2n,
    bound - 1n,
    bound - 2n,
    bound - 3n,
    bound >> 1n,
    (bound >> 1n) - 1n,
    (1n << 32n) - 1n,
    1n << 32n,
    (1n << 32n) + 1n,
    (1n << 31n) - 1n,
  ].filter((v) => v >= 0n && v < bound);
  return fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: 0n, max: bound - 1n }));
}

function vectors(bound: bigint): fc.Arbitrary<[BigUint64Array, BigUint64Array]> {
  return fc
    .array(fc.tuple(value(bound), value(bound)), { minLength: 0, maxLength: 40 })
    .map((ps) => [BigUint64Array.from(ps.map((p) => p[0])), BigUint64Array.from(ps.map((p) => p[1]))]);
}

const bigMod = (m: Modulus): bigint => (m.odd ? (1n << BigInt(m.ell)) - 1n : 1n << BigInt(m.ell));
const mod = (x: bigint, m: bigint): bigint => ((x % m) + m) % m;

const cases = ELL.chain((ell) =>
  fc.boolean().chain((odd) => vectors(bigMod({ ell, odd })).map(([a, b]) => ({ m: { ell, odd }, a, b }))),
);

describe('word-level ring arithmetic equals its bigint definition', () => {
  it('add, sub and neg modulo 2^ℓ and 2^ℓ − 1', () => {
    fc.assert(
      fc.property(cases, ({ m, a, b }) => {
        const M = bigMod(m);
        expect(addMod(m, a, b)).toEqual(BigUint64Array.from(a, (x, i) => mod(x + (b[i] as bigint), M)));
        expect(subMod(m, a, b)).toEqual(BigUint64Array.from(a, (x, i) => mod(x - (b[i] as bigint), M)));
        expect(negMod(m, a)).toEqual(BigUint64Array.from(a, (x) => mod(-x, M)));
      }),
      { numRuns: 400 },
    );
  });

  it('wrap bits, gathers and masks modulo 2^ℓ', () => {
    fc.assert(
      fc.property(
        ELL.chain((ell) => vectors(1n << BigInt(ell)).map(([a, b]) => ({ ell, a, b }))),
        ({ ell, a, b }) => {
          const L = 1n << BigInt(ell);
          expect(addPow2(ell, a, b)).toEqual(BigUint64Array.from(a, (x, i) => (x + (b[i] as bigint)) % L));
          expect(subPow2(ell, a, b)).toEqual(BigUint64Array.from(a, (x, i) => mod(x - (b[i] as bigint), L)));
          expect(wrapsPow2(ell, a, b)).toEqual(Uint8Array.from(a, (x, i) => (x + (b[i] as bigint) >= L ? 1 : 0)));
          const idx = Int32Array.from(a, (_, i) => (i % 3 === 2 ? -1 : (i * 7) % a.length));
          expect(gather(b, idx)).toEqual(BigUint64Array.from(idx, (j) => (j < 0 ? 0n : (b[j] as bigint))));
          const wide = BigUint64Array.from(a, (x, i) => x | (((b[i] as bigint) << BigInt(ell)) % (1n << 64n)));
          expect(maskInPlace(ell, wide)).toEqual(
            BigUint64Array.from(a, (x, i) => BigInt.asUintN(ell, x | ((b[i] as bigint) << BigInt(ell)))),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('arithmetic right shift is ⌊signed(a) / 2^k⌋ modulo 2^ℓ, and ReLU keeps the non-negative entries', () => {
    fc.assert(
      fc.property(
        ELL.chain((ell) =>
          fc.tuple(fc.constant(ell), fc.integer({ min: 0, max: ell - 1 }), vectors(1n << BigInt(ell))),
        ),
        ([ell, k, [a]]) => {
          expect(shiftRightSigned(ell, k, a)).toEqual(
            BigUint64Array.from(a, (x) => BigInt.asUintN(ell, BigInt.asIntN(ell, x) >> BigInt(k))),
          );
          expect(reluWords(ell, a)).toEqual(BigUint64Array.from(a, (x) => (BigInt.asIntN(ell, x) < 0n ? 0n : x)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('range checks find the first entry at or above the bound', () => {
    fc.assert(
      fc.property(
        ELL,
        fc.boolean(),
        fc.array(fc.nat({ max: 7 }), { maxLength: 12 }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 12 }),
        (ell, odd, picks, random) => {
          const m = { ell, odd };
          const bound = bigMod(m);
          // Around the bound, and values whose low word is all ones while the high word is not.
          const edges = [
            bound - 1n,
            bound,
            bound + 1n,
            (1n << 32n) - 1n,
            (1n << 63n) | 0xffffffffn,
            (bound - 1n) & ~0xffffffffn,
            bound - 2n,
            0n,
          ].map((x) => BigInt.asUintN(64, x));
          const xs = [...picks.map((i) => edges[i] as bigint), ...random];
          expect(firstOutOfRange(m, BigUint64Array.from(xs))).toBe(xs.findIndex((x) => x >= bound));
        },
      ),
      { numRuns: 400 },
    );
    expect(firstOutOfRange({ ell: 64, odd: true }, BigUint64Array.of(0n, (1n << 64n) - 2n, (1n << 64n) - 1n))).toBe(2);
    expect(firstOutOfRange({ ell: 64, odd: false }, BigUint64Array.of((1n << 64n) - 1n))).toBe(-1);
    expect(
      firstOutOfRange({ ell: 64, odd: true }, BigUint64Array.of((1n << 32n) - 1n, (1n << 63n) | 0xffffffffn)),
    ).toBe(-1);
  });

  it('odd-modulus carries across the word boundary', () => {
    // (2^64 − 2) + (2^32 + 1) = 2^64 + 2^32 − 1 ≡ 2^32 (mod 2^64 − 1): the +1 after the wrap carries.
    const m = { ell: 64, odd: true };
    expect(addMod(m, BigUint64Array.of((1n << 64n) - 2n), BigUint64Array.of((1n << 32n) + 1n))).toEqual(
      BigUint64Array.of(1n << 32n),
    );
    // 2^32 − (2^32 + 1) ≡ 2^64 − 2 (mod 2^64 − 1): the −1 after the borrow crosses the low word.
    expect(subMod(m, BigUint64Array.of(1n << 32n), BigUint64Array.of((1n << 32n) + 1n))).toEqual(
      BigUint64Array.of((1n << 64n) - 2n),
    );
    expect(subMod(m, BigUint64Array.of(0n), BigUint64Array.of(1n << 32n))).toEqual(
      BigUint64Array.of((1n << 64n) - 1n - (1n << 32n)),
    );
  });

  it('takes the frozen Ring(ℓ) and OddRing(ℓ) as its moduli, and builds small constants', () => {
    for (const ell of [2, 7, 32, 64]) {
      const [ring, odd] = [Ring(ell), OddRing(ell)];
      expect([ring.odd, odd.odd, bigMod(ring), bigMod(odd)]).toEqual([false, true, ring.modulus, odd.modulus]);
      const top = BigUint64Array.of(odd.modulus - 1n);
      expect(addMod(ring, top, BigUint64Array.of(1n))).toEqual(BigUint64Array.of(ring.mask));
      expect(addMod(odd, top, BigUint64Array.of(1n))).toEqual(BigUint64Array.of(0n));
      expect(doubleMod(odd, BigUint64Array.of(odd.modulus - 1n))).toEqual(BigUint64Array.of(odd.modulus - 2n));
    }
    expect(fromSmall([0, 1, 4294967295])).toEqual(BigUint64Array.of(0n, 1n, 4294967295n));
    expect(filled(3, 7)).toEqual(BigUint64Array.of(7n, 7n, 7n));
  });
});
