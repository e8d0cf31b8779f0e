/**
 * The word-at-a-time byte loops of the non-linear protocols (proofs-notes/performance.md §11) against
 * the plain loops they replace, on generated inputs with every alignment: the range check of Z_p
 * messages (`firstByteAtLeast`, codec.ts), P2's zero test in PrivateCompare (`anyZeroSum`), and the
 * word loops that replaced bigint maps in ShareConvert and ComputeMSB (`lowBits`, `isZero`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstByteAtLeast } from '../../protocols/common/codec.js';
import { anyZeroSum } from '../../protocols/securenn-family/nonlinear/private-compare.js';
import { isZero, lowBits } from '../../semantics/kernels/words.js';

/** `bytes` at byte offset `shift` of a larger buffer, so that the 4-byte alignment varies. */
function shifted(bytes: Uint8Array, shift: number): Uint8Array {
  const buf = new Uint8Array(bytes.length + shift);
  buf.set(bytes, shift);
  return buf.subarray(shift);
}

describe('word-at-a-time byte loops ≡ the plain loops', () => {
  it('firstByteAtLeast: the index of the first byte ≥ p, for every p and alignment', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 256 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (p, raw, shift, small) => {
          // Half of the cases keep most bytes below p, so the first offender can sit anywhere.
          const bytes = shifted(small ? raw.map((b) => (b % 8 === 0 ? b : b % p)) : raw, shift);
          expect(firstByteAtLeast(bytes, p)).toBe(bytes.findIndex((b) => b >= p));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('anyZeroSum: element e is 1 iff some pair of its entries sums to 0 mod p', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 3, 5, 37, 67, 127, 128, 131, 251),
        fc.constantFrom(1, 3, 4, 8, 16, 64),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 3 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 1000 })),
        (p, ell, n, shift, draws) => {
          const it = draws[Symbol.iterator]();
          const next = (): number => it.next().value as number;
          const d0 = new Uint8Array(n * ell).map(() => next() % p);
          // Mostly non-zero sums, with a zero sum (0 or p) placed at random.
          const d1 = d0.map((x) => {
            const r = next();
            return r % 9 === 0 ? (p - x) % p : (p - x + 1 + (r % (p - 1 || 1))) % p;
          });
          const want = new Uint8Array(n);
          for (let e = 0; e < n; e++)
            for (let k = e * ell; k < (e + 1) * ell; k++)
              if (((d0[k] as number) + (d1[k] as number)) % p === 0) want[e] = 1;
          expect(anyZeroSum(shifted(d0, shift), shifted(d1, shift), p, n, ell)).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('lowBits and isZero read the 32-bit words as the bigint definitions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constant(1n << 32n))),
        (xs) => {
          const a = BigUint64Array.from(xs);
          expect([...lowBits(a)]).toEqual(xs.map((x) => Number(x & 1n)));
          expect([...isZero(a)]).toEqual(xs.map((x) => (x === 0n ? 1 : 0)));
        },
      ),
    );
  });
});
