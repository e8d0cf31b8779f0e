/** Fixed-point encoding: rounding, error bounds, range boundaries and refusals (spec/fixed.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { FixedPoint } from '../../spec/fixed.js';

const CASES = [
  { ell: 64, scale: 12 },
  { ell: 32, scale: 12 },
  { ell: 16, scale: 8 },
  { ell: 8, scale: 3 },
] as const;

describe.each(CASES)('FixedPoint ℓ=$ell s=$scale', ({ ell, scale }) => {
  const near = FixedPoint({ ell, scale });
  const floor = FixedPoint({ ell, scale, rounding: 'floor' });
  const inRange = fc.double({ min: near.lowReal, max: near.highReal, noNaN: true }).filter((r) => r < near.highReal);

  // Errors are checked in units of 2^−s with exact comparisons: y = r·2^s is exact in binary64; when
  // y is not an integer |y| < 2^52, so k ± ½ and k + 1 are exact too and no rounding hides a violation.
  it('nearest-even: |encode(r) − r·2^s| ≤ ½, i.e. error ≤ 2^−s−1', () => {
    fc.assert(
      fc.property(inRange, (r) => {
        const y = r * near.unit;
        const k = near.ring.signed(near.encode(r));
        if (Number.isInteger(y)) expect(k).toBe(BigInt(y));
        else expect(Number(k) - 0.5 <= y && y <= Number(k) + 0.5).toBe(true);
        expect(Math.abs(near.decode(near.encode(r)) - r)).toBeLessThanOrEqual(near.encodeErrorBound);
      }),
    );
  });

  it('floor: encode(r) ≤ r·2^s < encode(r) + 1, i.e. error in (−2^−s, 0]', () => {
    fc.assert(
      fc.property(
        inRange.filter((r) => r >= floor.lowReal && r < floor.highReal),
        (r) => {
          const y = r * floor.unit;
          const k = floor.ring.signed(floor.encode(r));
          if (Number.isInteger(y)) expect(k).toBe(BigInt(y));
          else expect(Number(k) <= y && y < Number(k) + 1).toBe(true);
        },
      ),
    );
  });

  it('decode is a left inverse of encode on the grid (exact round trip of every representable point)', () => {
    const maxK = Number(near.ring.maxSigned);
    fc.assert(
      fc.property(fc.integer({ min: -Math.min(maxK + 1, 2 ** 50), max: Math.min(maxK, 2 ** 50) }), (k) => {
        const r = k / near.unit;
        expect(near.decode(near.encode(r))).toBe(r);
        expect(floor.decode(floor.encode(r))).toBe(r);
      }),
    );
  });

  it('accepts the range bounds exactly and refuses just outside them', () => {
    const ulp = 1 / near.unit;
    expect(near.canEncode(near.lowReal)).toBe(true);
    expect(near.canEncode(near.highReal)).toBe(false);
    expect(floor.canEncode(floor.lowReal)).toBe(true);
    expect(floor.canEncode(floor.highReal)).toBe(false);
    if (ell <= 52) {
      expect(near.decode(near.encode(near.highReal - ulp / 4))).toBe(Number(near.ring.maxSigned) / near.unit);
      expect(near.canEncode(near.lowReal - ulp)).toBe(false);
      expect(floor.canEncode(floor.highReal - ulp / 4)).toBe(true);
      expect(floor.canEncode(floor.lowReal - ulp / 4)).toBe(false);
    }
    expect(() => near.encode(near.highReal, 'input x[3]')).toThrow(CryptflowError);
    expect(() => near.encode(near.highReal, 'input x[3]')).toThrow(
      /input x\[3\] is outside the range representable at scale/,
    );
  });

  it('refuses NaN and infinities', () => {
    for (const v of [Number.NaN, Infinity, -Infinity]) {
      expect(near.canEncode(v)).toBe(false);
      expect(() => near.encode(v)).toThrow(/not a finite number/);
    }
  });

  it('encodes tensors elementwise and names the offending position, not the value', () => {
    const xs = [0.5, -0.25, 1];
    const enc = near.encodeTensor(xs, 'input x');
    expect(Array.from(near.decodeTensor(enc))).toEqual(xs);
    const bad = [0, near.highReal * 2];
    try {
      near.encodeTensor(bad, 'input x');
      expect.unreachable();
    } catch (e) {
      expect((e as CryptflowError).code).toBe('fixed-range');
      expect((e as Error).message).toContain('input x[1]');
      expect((e as Error).message).not.toContain(String(near.highReal * 2));
    }
  });
});

describe('FixedPoint rounding rules', () => {
  it('rounds ties to even and floors when asked', () => {
    const near = FixedPoint({ ell: 16, scale: 1 });
    const floor = FixedPoint({ ell: 16, scale: 1, rounding: 'floor' });
    // r·2 = 0.5, 1.5, 2.5, −0.5, −1.5
    expect([0.25, 0.75, 1.25, -0.25, -0.75].map((r) => near.ring.signed(near.encode(r)))).toEqual([
      0n,
      2n,
      2n,
      0n,
      -2n,
    ]);
    expect([0.25, 0.75, 1.25, -0.25, -0.75].map((r) => floor.ring.signed(floor.encode(r)))).toEqual([
      0n,
      1n,
      2n,
      -1n,
      -2n,
    ]);
    expect(near.decode(near.encode(-0))).toBe(0);
  });

  it('is exact on values far beyond 2^53 at ℓ = 64', () => {
    const fp = FixedPoint({ ell: 64, scale: 0 });
    expect(fp.ring.signed(fp.encode(2 ** 62))).toBe(1n << 62n);
    expect(fp.ring.signed(fp.encode(-(2 ** 63)))).toBe(-(1n << 63n));
    expect(fp.canEncode(2 ** 63)).toBe(false);
  });

  it.each([
    [64, 64],
    [8, -1],
    [16, 2.5],
    [70, 12],
  ])('refuses ℓ=%d, s=%d', (ell, scale) => {
    expect(() => FixedPoint({ ell, scale })).toThrow(CryptflowError);
  });
});
