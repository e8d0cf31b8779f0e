/**
 * Mutation kills for protocols/malicious3/convert.ts (Z_{2^m} vectors to and from the LLIL ring, the
 * wire and 16-bit limbs). What the sweep's suites left open:
 *
 *   - `liftSigned` from an ℓ that is not a multiple of 32 fills every bit from ℓ up with the sign
 *     (the words wholly above ℓ take all ones);
 *   - `decode`'s two aborts are `protocol` errors with the documented message: the length one names
 *     the received and the expected byte counts, the range one says "element out of range";
 *   - `shiftedSum` is Σ_t 2^{16·shift_t}·v_t mod 2^m exactly, for every m and shift, and a term's
 *     limbs never spill into the next element; a term at or above 2^m is dropped unread.
 *
 * Argued equivalent (scripts/mutation/equivalent/protocols__malicious3__convert.json): `bits < 0` in
 * the fill mask (at bits = 0 the shift gives all ones too), loop bounds `<=` whose extra pass only
 * writes past the end of a fresh typed array (or writes 0 over a zero word), and the limb loop's
 * `j < words.length` dropped or widened (the extra writes put 0 into words of the same element that
 * are still 0).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode, liftSigned, shiftedSum } from '../../protocols/malicious3/convert.js';
import { fromBigints, mod, toBigints } from '../../protocols/malicious3/ring.js';
import { expectCryptflowError } from './support.js';

const u64 = (vs: readonly bigint[]): BigUint64Array => BigUint64Array.from(vs.map((v) => BigInt.asUintN(64, v)));

/** signed_ℓ(x) mod 2^m, the specification of `liftSigned`. */
function liftSpec(ell: number, m: number, x: bigint): bigint {
  return mod(m, BigInt.asIntN(ell, x));
}

describe('malicious3 convert: liftSigned', () => {
  /** Pins 21 ConditionalExpression false (the words above ℓ get a shifted mask instead of all ones). */
  it('fills every bit above ℓ with the sign for ℓ not a multiple of 32', () => {
    const x = u64([(1n << 20n) - 1n, 1n << 19n, 5n, 0n]);
    expect(toBigints(liftSigned(20, 128, x))).toEqual([(1n << 128n) - 1n, (1n << 128n) - (1n << 19n), 5n, 0n]);
    expect(toBigints(liftSigned(20, 64, x))).toEqual([(1n << 64n) - 1n, (1n << 64n) - (1n << 19n), 5n, 0n]);
  });

  /** Pins 21 ConditionalExpression false over the whole range of ℓ and m. */
  it('is signed_ℓ(x) mod 2^m for every ℓ ≤ 64 and m ≥ ℓ', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 64 }),
        fc.integer({ min: 0, max: 64 }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: 1, maxLength: 4 }),
        (ell, extra, raw) => {
          const m = Math.min(128, ell + extra);
          const xs = raw.map((v) => BigInt.asUintN(ell, v));
          expect(toBigints(liftSigned(ell, m, u64(xs)))).toEqual(xs.map((v) => liftSpec(ell, m, v)));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('malicious3 convert: decode aborts', () => {
  /** Pins 66 StringLiteral (the code) and 67 ArithmeticOperator b / n (the expected count). */
  it('a frame of the wrong length is a protocol abort naming both byte counts', () => {
    // m = 20: 3 bytes per element, 4 elements expected
    expectCryptflowError(
      () => decode(20, new Uint8Array(11), 4, 'open'),
      'protocol',
      /^abort: message format check failed in open \(11 bytes, expected 12\)$/,
    );
  });

  /** Pins 75 StringLiteral (the message of the range abort). */
  it('an element at or above 2^m is a protocol abort saying so', () => {
    const ok = encode(20, fromBigints(20, [1n, (1n << 20n) - 1n]));
    expect(toBigints(decode(20, ok, 2, 'share'))).toEqual([1n, (1n << 20n) - 1n]);
    const bad = Uint8Array.from(ok);
    bad[5] = 0x10;
    expectCryptflowError(
      () => decode(20, bad, 2, 'share'),
      'protocol',
      /^abort: message format check failed in share \(element out of range\)$/,
    );
  });
});

/** Σ_t 2^{16·shift_t} · v_t mod 2^m with bigints. */
function shiftedSumSpec(m: number, n: number, terms: readonly { shift16: number; v: readonly bigint[] }[]): bigint[] {
  return Array.from({ length: n }, (_, i) =>
    mod(
      m,
      terms.reduce((acc, t) => acc + ((t.v[i] as bigint) << BigInt(16 * t.shift16)), 0n),
    ),
  );
}

describe('malicious3 convert: shiftedSum', () => {
  /**
   * Pins 103 LogicalOperator ||, 103:43 ConditionalExpression true, EqualityOperator q + j <= 4 and
   * ArithmeticOperator q - j: the limbs of a term shifted by 5, 6 or 7 stay in their own element.
   */
  it('keeps every term in its own element (hand-checked, m = 128)', () => {
    const v = [0xffffffffffffffffn, 0x123456789abcdefn, 0n];
    for (const shift16 of [5, 6, 7]) {
      const got = toBigints(shiftedSum(128, 3, [{ shift16, v: u64(v) }]));
      expect(got).toEqual(v.map((x) => mod(128, x << BigInt(16 * shift16))));
    }
    const mixed = [
      { shift16: 0, v: [1n, 2n, 3n] },
      { shift16: 7, v: [0xffffn, 0x10001n, 0xabcdef0123456789n] },
    ];
    expect(
      toBigints(
        shiftedSum(
          128,
          3,
          mixed.map((t) => ({ shift16: t.shift16, v: u64(t.v) })),
        ),
      ),
    ).toEqual([1n + (0xffffn << 112n), 2n + (1n << 112n), 3n + (0x6789n << 112n)]);
  });

  /** Pins the limb loop at 103 for m not a multiple of 16 (20, 33, 48, 64, 65, 127, 128). */
  it('is the exact shifted sum mod 2^m for every width', () => {
    for (const m of [20, 33, 48, 64, 65, 127, 128]) {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 4 }).chain((n) =>
            fc.array(
              fc.record({
                shift16: fc.integer({ min: 0, max: Math.ceil(m / 16) - 1 }),
                v: fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: n, maxLength: n }),
              }),
              { minLength: 1, maxLength: 4 },
            ),
          ),
          (terms) => {
            const n = (terms[0] as { v: bigint[] }).v.length;
            const got = shiftedSum(
              m,
              n,
              terms.map((t) => ({ shift16: t.shift16, v: u64(t.v) })),
            );
            expect(toBigints(got)).toEqual(shiftedSumSpec(m, n, terms));
          },
        ),
        { numRuns: 50 },
      );
    }
  });

  /**
   * Pins 94 ConditionalExpression false and EqualityOperator 16 * shift16 > m: a term whose shift is
   * at or above m contributes nothing and its vector is not read (here an empty placeholder).
   */
  it('drops a term at or above 2^m without reading it', () => {
    for (const [m, shift16] of [
      [64, 4],
      [48, 3],
      [20, 2],
      [33, 5],
    ] as const) {
      const got = shiftedSum(m, 2, [
        { shift16: 0, v: u64([7n, 9n]) },
        { shift16, v: new BigUint64Array(0) },
      ]);
      expect(toBigints(got)).toEqual([7n, 9n]);
    }
  });
});
