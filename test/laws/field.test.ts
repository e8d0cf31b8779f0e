/** Field laws for the comparison primes (Porthos 127, SecureNN 67, and small ones), and Z_{2^ℓ−1}. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { Field, OddRing, isPrime } from '../../spec/field.js';

describe.each([127, 67, 11, 2, 251])('Field(%i)', (p) => {
  const F = Field(p);
  const x = fc.integer({ min: 0, max: p - 1 });

  it('is a field', () => {
    fc.assert(
      fc.property(x, x, x, (a, b, c) => {
        expect(F.add(a, b)).toBe(F.add(b, a));
        expect(F.mul(a, b)).toBe(F.mul(b, a));
        expect(F.add(F.add(a, b), c)).toBe(F.add(a, F.add(b, c)));
        expect(F.mul(F.mul(a, b), c)).toBe(F.mul(a, F.mul(b, c)));
        expect(F.mul(a, F.add(b, c))).toBe(F.add(F.mul(a, b), F.mul(a, c)));
        expect(F.add(a, F.neg(a))).toBe(0);
        expect(F.sub(a, b)).toBe(F.add(a, F.neg(b)));
        for (const v of [F.add(a, b), F.sub(a, b), F.mul(a, b), F.neg(a)]) expect(F.isElement(v)).toBe(true);
        if (a !== 0) expect(F.mul(a, F.inv(a))).toBe(1);
      }),
    );
  });

  it('reduces any safe integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (v) => {
        expect(F.reduce(v)).toBe(((v % p) + p) % p);
      }),
    );
  });

  it('refuses to invert 0 and to reduce non-integers', () => {
    expect(() => F.inv(0)).toThrow(/0 has no inverse/);
    expect(() => F.reduce(0.5)).toThrow(CryptflowError);
  });

  it('stores one byte per element', () => {
    expect(F.zeros(4)).toEqual(new Uint8Array(4));
  });
});

describe('Field parameters', () => {
  it.each([1, 4, 256, 257, 128, -3])('refuses modulus %i', (p) => {
    expect(() => Field(p)).toThrow(/field modulus must be a prime below 256/);
  });

  it('knows its primes', () => {
    const primes = Array.from({ length: 60 }, (_, i) => i).filter(isPrime);
    expect(primes).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59]);
  });
});

describe.each([8, 16, 64])('OddRing(%i) = Z_{2^ℓ−1}', (ell) => {
  const Z = OddRing(ell);
  const n = (1n << BigInt(ell)) - 1n;
  const x = fc.bigInt({ min: 0n, max: n - 1n });

  it('is a commutative ring modulo 2^ℓ − 1', () => {
    fc.assert(
      fc.property(x, x, x, (a, b, c) => {
        expect(Z.modulus).toBe(n);
        expect(Z.add(a, b)).toBe((a + b) % n);
        expect(Z.mul(a, b)).toBe((a * b) % n);
        expect(Z.sub(a, b)).toBe((((a - b) % n) + n) % n);
        expect(Z.add(a, Z.neg(a))).toBe(0n);
        expect(Z.mul(a, Z.add(b, c))).toBe(Z.add(Z.mul(a, b), Z.mul(a, c)));
        expect(Z.isElement(Z.reduce(a - b - c))).toBe(true);
      }),
    );
    expect(Z.isElement(n)).toBe(false);
    expect(Z.zeros(2)).toEqual(new BigUint64Array(2));
  });
});
