/**
 * Mutation kills for protocols/cryptflow2/bits.ts (sweep of 2026-12-07: 72.09 %, 5 survived, 7 without
 * coverage): the error code of both 'decode' failures of unpackBits (22, 26), and xorBits and bitOf,
 * which no suite reached (47, 49, 54, 56).
 * Listed as equivalent (scripts/mutation/equivalent/protocols__cryptflow2__bits.json): the three
 * four `i < n` loops read as `i <= n` (14, 28, 43, 49), whose extra pass reads undefined (coerced to 0)
 * and writes nothing or past the end of a typed array.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitOf, packBits, unpackBits, xorBits } from '../../protocols/cryptflow2/bits.js';
import { expectCryptflowError } from './support.js';

describe('unpackBits: decode errors', () => {
  /** Pins bits.ts:22 (StringLiteral 'decode'): a message of the wrong length fails with code 'decode'. */
  it('a wrong length is a decode error naming the sender', () => {
    const e = expectCryptflowError(() => unpackBits(new Uint8Array(3), 9, 1, 'shares'), 'decode');
    expect(e.code).toBe('decode');
    expect(e.message).toBe('message from P1 (shares): expected 2 bytes, got 3');
  });

  /** Pins bits.ts:26 (StringLiteral 'decode'): nonzero padding bits fail with code 'decode'. */
  it('nonzero padding bits are a decode error', () => {
    const e = expectCryptflowError(() => unpackBits(Uint8Array.of(0xff, 0x02), 9, 0, 'mask'), 'decode');
    expect(e.code).toBe('decode');
    expect(e.message).toBe('message from P0 (mask): nonzero padding bits');
  });
});

describe('xorBits', () => {
  /**
   * Pins bits.ts:47 (BlockStatement), bits.ts:49 (ConditionalExpression false, EqualityOperator
   * i >= a.length, UpdateOperator i--, which never ends and times out): the elementwise XOR, of a's length.
   */
  it('is the elementwise xor of two bit vectors', () => {
    expect(xorBits(Uint8Array.of(0, 1, 1, 0), Uint8Array.of(0, 0, 1, 1))).toEqual(Uint8Array.of(0, 1, 0, 1));
    expect(xorBits(new Uint8Array(0), new Uint8Array(0))).toEqual(new Uint8Array(0));
    const bit = fc.integer({ min: 0, max: 1 });
    fc.assert(
      fc.property(fc.array(fc.tuple(bit, bit), { minLength: 1, maxLength: 40 }), (pairs) => {
        const a = Uint8Array.from(pairs, (p) => p[0]);
        const b = Uint8Array.from(pairs, (p) => p[1]);
        const out = xorBits(a, b);
        expect(out).toBeInstanceOf(Uint8Array);
        expect(Array.from(out)).toEqual(pairs.map((p) => p[0] ^ p[1]));
      }),
      { numRuns: 100, seed: 0xb175 },
    );
  });
});

describe('bitOf', () => {
  /** Pins bits.ts:54 (BlockStatement) and bits.ts:56 (ArrowFunction () => undefined): bit i of each value. */
  it('extracts bit i of each 64-bit value', () => {
    const values = BigUint64Array.of(0n, 1n, 2n, 3n, 1n << 63n, (1n << 64n) - 1n);
    expect(bitOf(values, 0)).toEqual(Uint8Array.of(0, 1, 0, 1, 0, 1));
    expect(bitOf(values, 1)).toEqual(Uint8Array.of(0, 0, 1, 1, 0, 1));
    expect(bitOf(values, 63)).toEqual(Uint8Array.of(0, 0, 0, 0, 1, 1));
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 63 }),
        (vs, i) => {
          const out = bitOf(BigUint64Array.from(vs), i);
          expect(Array.from(out)).toEqual(vs.map((v) => Number((v >> BigInt(i)) & 1n)));
        },
      ),
      { numRuns: 100, seed: 0xb17 },
    );
  });

  /** Round trip through the wire form, so packBits and unpackBits agree with bitOf on real data. */
  it('packs and unpacks extracted bits unchanged', () => {
    const bits = bitOf(BigUint64Array.of(5n, 6n, 7n, 8n, 9n, 10n, 11n, 12n, 13n), 0);
    expect(unpackBits(packBits(bits), 9, 0, 'round trip')).toEqual(bits);
  });
});
