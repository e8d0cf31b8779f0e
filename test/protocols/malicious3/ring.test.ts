/** Z_{2^m} vectors (protocols/malicious3/ring.ts) against bigint arithmetic, m up to 128. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Z from '../../../protocols/malicious3/ring.js';
import * as C from '../../../protocols/malicious3/convert.js';

const WIDTHS = [2, 17, 32, 33, 63, 64, 65, 96, 104, 127, 128];

describe.each(WIDTHS)('Z_{2^%i}', (m) => {
  const M = 1n << BigInt(m);
  const el = fc.bigInt({ min: 0n, max: M - 1n });
  const edge = fc.constantFrom(0n, 1n, M - 1n, M >> 1n, (M >> 1n) - 1n, M >> 2n);
  const vec = fc.array(fc.oneof(el, edge), { minLength: 1, maxLength: 12 });
  const pair = vec.chain((a) =>
    fc.tuple(fc.constant(a), fc.array(fc.oneof(el, edge), { minLength: a.length, maxLength: a.length })),
  );
  const mod = (v: bigint): bigint => ((v % M) + M) % M;

  it('adds, subtracts, negates and multiplies as bigint does', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const [x, y] = [Z.fromBigints(m, a), Z.fromBigints(m, b)];
        expect(Z.toBigints(Z.add(m, x, y))).toEqual(a.map((v, i) => mod(v + (b[i] as bigint))));
        expect(Z.toBigints(Z.sub(m, x, y))).toEqual(a.map((v, i) => mod(v - (b[i] as bigint))));
        expect(Z.toBigints(Z.neg(m, x))).toEqual(a.map((v) => mod(-v)));
        expect(Z.toBigints(Z.mul(m, x, y))).toEqual(a.map((v, i) => mod(v * (b[i] as bigint))));
        expect(Z.toBigints(Z.mulReference(m, x, y))).toEqual(a.map((v, i) => mod(v * (b[i] as bigint))));
        expect(Z.toBigints(Z.sumAll(m, x))).toEqual([mod(a.reduce((s, v) => s + v, 0n))]);
      }),
    );
  });

  it('encodes in ⌈m/8⌉ bytes per element and decodes back; rejects out-of-range and short messages', () => {
    fc.assert(
      fc.property(vec, (a) => {
        const x = Z.fromBigints(m, a);
        const bytes = C.encode(m, x);
        expect(bytes.length).toBe(Math.ceil(m / 8) * a.length);
        expect(Z.toBigints(C.decode(m, bytes, a.length, 'test'))).toEqual(a);
      }),
    );
    expect(() => C.decode(m, new Uint8Array(Math.ceil(m / 8) + 1), 1, 'test')).toThrow(
      /abort: message format check failed in test/,
    );
    if (m % 8 !== 0)
      expect(() => C.decode(m, new Uint8Array(Math.ceil(m / 8)).fill(255), 1, 'x')).toThrow(/out of range/);
  });

  it('16-bit limbs recombine to the value', () => {
    fc.assert(
      fc.property(vec, (a) => {
        const x = Z.fromBigints(m, a);
        const terms = Array.from({ length: 8 }, (_, j) => ({ shift16: j, v: C.limb16(x, j) }));
        expect(Z.toBigints(C.shiftedSum(m, a.length, terms))).toEqual(a);
      }),
    );
  });
});

describe('lifting Z_{2^ℓ} into Z_{2^m}', () => {
  it('sign-extends, and the low ℓ bits give the value back', () => {
    for (const [ell, m] of [
      [8, 16],
      [16, 24],
      [32, 72],
      [64, 104],
      [64, 128],
      [33, 40],
    ] as const) {
      fc.assert(
        fc.property(
          fc.array(fc.bigInt({ min: 0n, max: (1n << BigInt(ell)) - 1n }), { minLength: 1, maxLength: 8 }),
          (a) => {
            const x = C.liftSigned(ell, m, BigUint64Array.from(a));
            const signed = a.map((v) => BigInt.asIntN(ell, v));
            expect(Z.toBigints(x)).toEqual(signed.map((v) => BigInt.asUintN(m, v)));
            expect([...C.lowRing(ell, x)]).toEqual(a);
          },
        ),
      );
    }
  });

  it('reads bits', () => {
    const x = Z.fromBigints(104, [(1n << 100n) | 0b1011n]);
    expect(Z.bitAt(x, 0, 100)).toBe(1);
    expect(Z.bitAt(x, 0, 2)).toBe(0);
    expect(Z.bitAt(x, 0, 3)).toBe(1);
  });
});

describe('shifts, constants and choices', () => {
  it('shl, mulConst and choose agree with bigint', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 128 }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 130 }),
        fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }),
        (m, raw, j, c) => {
          const M = 1n << BigInt(m);
          const a = raw.map((v) => v % M);
          const x = Z.fromBigints(m, a);
          expect(Z.toBigints(Z.shl(m, x, j))).toEqual(a.map((v) => (v << BigInt(j)) % M));
          expect(Z.toBigints(Z.mulConst(m, x, c))).toEqual(a.map((v) => BigInt.asUintN(m, v * c)));
          const bits = Uint8Array.from(a, (_, i) => i % 2);
          const y = Z.neg(m, x);
          expect(Z.toBigints(Z.choose(bits, x, y))).toEqual(a.map((v, i) => (i % 2 === 1 ? v : (M - v) % M)));
        },
      ),
    );
  });
});

describe('wasm products = the TypeScript reference', () => {
  it('mul and productShare agree on long vectors at every width', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 128 }), fc.integer({ min: 64, max: 300 }), fc.integer(), (m, n, seed) => {
        const M = 1n << BigInt(m);
        let st = BigInt(seed) & 0xffffffffn;
        const next = (): bigint => {
          st = (st * 6364136223846793005n + 1442695040888963407n) & ((1n << 128n) - 1n);
          return (st ^ (st >> 29n) ^ (st << 17n)) % M;
        };
        const vec = (): Z.Z128 => Z.fromBigints(m, Array.from({ length: n }, next));
        const [xa, xb, ya, yb, z] = [vec(), vec(), vec(), vec(), vec()];
        expect(Z.toBigints(Z.mul(m, xa, ya))).toEqual(Z.toBigints(Z.mulReference(m, xa, ya)));
        const ref = Z.add(m, Z.add(m, Z.mulReference(m, xa, Z.add(m, ya, yb)), Z.mulReference(m, xb, ya)), z);
        expect(Z.toBigints(Z.productShare(m, xa, xb, ya, yb, z))).toEqual(Z.toBigints(ref));
      }),
      { numRuns: 40 },
    );
  });
});

describe('sums of long vectors', () => {
  it('sumAll stays exact past 2^21 elements of 2^128 − 1', () => {
    const n = (1 << 21) + 5;
    const x = Z.fill(128, n, (1n << 128n) - 1n);
    expect(Z.toBigints(Z.sumAll(128, x))).toEqual([BigInt.asUintN(128, -BigInt(n))]);
  });
});
