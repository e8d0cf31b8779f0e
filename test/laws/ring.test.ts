/**
 * Ring laws of Z_{2^ℓ}, run over every width the project tests (STYLE.md §7: laws as properties over
 * every instance). Each law is checked against plain integer arithmetic modulo 2^ℓ.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { Ring } from '../../spec/ring.js';

const WIDTHS = [8, 16, 32, 64, 2, 7, 63] as const;

const elem = (ell: number): fc.Arbitrary<bigint> => fc.bigInt({ min: 0n, max: (1n << BigInt(ell)) - 1n });

describe.each(WIDTHS)('Ring(%i)', (ell) => {
  const R = Ring(ell);
  const x = elem(ell);
  const mod = 1n << BigInt(ell);
  const modOf = (v: bigint): bigint => ((v % mod) + mod) % mod;

  it('is a commutative ring with identity', () => {
    fc.assert(
      fc.property(x, x, x, (a, b, c) => {
        expect(R.add(a, b)).toBe(R.add(b, a));
        expect(R.mul(a, b)).toBe(R.mul(b, a));
        expect(R.add(R.add(a, b), c)).toBe(R.add(a, R.add(b, c)));
        expect(R.mul(R.mul(a, b), c)).toBe(R.mul(a, R.mul(b, c)));
        expect(R.mul(a, R.add(b, c))).toBe(R.add(R.mul(a, b), R.mul(a, c)));
        expect(R.add(a, 0n)).toBe(a);
        expect(R.mul(a, 1n)).toBe(a);
        expect(R.add(a, R.neg(a))).toBe(0n);
        expect(R.sub(a, b)).toBe(R.add(a, R.neg(b)));
      }),
    );
  });

  it('agrees with integer arithmetic mod 2^ℓ and keeps results canonical', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), x, (v, a) => {
        expect(R.reduce(v)).toBe(modOf(v));
        expect(R.isElement(R.reduce(v))).toBe(true);
        expect(R.mul(a, v)).toBe(modOf(a * v));
      }),
    );
  });

  it('has a signed view that is the two’s complement representative', () => {
    fc.assert(
      fc.property(x, (a) => {
        const s = R.signed(a);
        expect(s >= R.minSigned && s <= R.maxSigned).toBe(true);
        expect(R.reduce(s)).toBe(a);
        expect(R.msb(a)).toBe(s < 0n ? 1 : 0);
      }),
    );
  });

  it('shifts: logical on the unsigned value, arithmetic as floor division of the signed value', () => {
    fc.assert(
      fc.property(x, fc.integer({ min: 0, max: ell }), (a, k) => {
        const p = 1n << BigInt(k);
        expect(R.shl(a, k)).toBe(modOf(a * p));
        expect(R.shrLogical(a, k)).toBe(a / p);
        const s = R.signed(a);
        const floorDiv = s >= 0n || s % p === 0n ? s / p : s / p - 1n;
        expect(R.signed(R.shrArith(a, k))).toBe(floorDiv);
      }),
    );
  });

  it('compares by signed value', () => {
    fc.assert(
      fc.property(x, x, (a, b) => {
        const sa = R.signed(a);
        const sb = R.signed(b);
        expect(R.lt(a, b)).toBe(sa < sb);
        expect(R.le(a, b)).toBe(sa <= sb);
        expect(R.gt(a, b)).toBe(sa > sb);
        expect(R.ge(a, b)).toBe(sa >= sb);
        expect(R.compare(a, b)).toBe(sa < sb ? -1 : sa > sb ? 1 : 0);
      }),
    );
  });

  it('builds and masks tensors', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(1n << 65n), max: 1n << 65n }), { maxLength: 20 }), (vs) => {
        const t = R.fromBigInts(vs);
        expect(Array.from(t)).toEqual(vs.map(modOf));
        const wide = BigUint64Array.from(vs, (v) => BigInt.asUintN(64, v));
        expect(Array.from(R.maskInPlace(wide))).toEqual(vs.map(modOf));
      }),
    );
    expect(R.zeros(3)).toEqual(new BigUint64Array(3));
  });
});

describe('Ring parameters', () => {
  it('is one frozen value per width', () => {
    expect(Ring(16)).toBe(Ring(16));
    expect(Object.isFrozen(Ring(16))).toBe(true);
  });

  it.each([1, 0, 65, 3.5, Number.NaN])('refuses width %s with a clear error', (ell) => {
    expect(() => Ring(ell)).toThrow(CryptflowError);
    expect(() => Ring(ell)).toThrow(/ring width ℓ must be an integer in \[2, 64\]/);
  });

  it('refuses shifts outside [0, ℓ]', () => {
    expect(() => Ring(8).shl(1n, 9)).toThrow(/shift amount/);
    expect(() => Ring(8).shrArith(1n, -1)).toThrow(/shift amount/);
  });

  it('exhaustively matches integer arithmetic at ℓ = 4', () => {
    const R = Ring(4);
    for (let a = 0n; a < 16n; a++) {
      for (let b = 0n; b < 16n; b++) {
        expect(R.add(a, b)).toBe((a + b) % 16n);
        expect(R.mul(a, b)).toBe((a * b) % 16n);
        expect(R.sub(a, b)).toBe((a - b + 16n) % 16n);
      }
    }
  });
});
