/**
 * Mutation kills for ideal/building-blocks.ts: what the protocol-versus-F suite
 * (test/ideal/building-blocks.test.ts) leaves unpinned, checked on the functionalities directly.
 *
 *   - each F's identity: its `name` and the protocol file named by `realizedBy` (which must exist);
 *   - F_PC and F_SC are exact everywhere: `inDomain` is `true` for every element, one per element;
 *   - F_PC refuses inputs of unequal lengths with an InvariantViolation naming the three lengths;
 *   - F_DReLU's domain is signed(a) ∈ [−2^{ℓ−2}, 2^{ℓ−2}), both ends pinned, and every F agrees with a
 *     plain model written here on unsigned integers (no Ring/OddRing helpers) on random inputs.
 */
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { F_DReLU, F_MSB, F_PC, F_SC } from '../../ideal/building-blocks.js';
import { InvariantViolation } from '../../spec/errors.js';
import { Ring } from '../../spec/ring.js';

const ELLS = [2, 5, 16, 31, 63, 64] as const;

/** Plain model: the unsigned representative mod 2^ℓ. */
const modPow2 = (ell: number, v: bigint): bigint => v % (1n << BigInt(ell));
/** Plain model: the two's-complement reading of v mod 2^ℓ. */
const signedOf = (ell: number, v: bigint): bigint => {
  const u = modPow2(ell, v);
  return u >= 1n << BigInt(ell - 1) ? u - (1n << BigInt(ell)) : u;
};

/** A 64-bit word: uniform, or near 0, 2^{ℓ−2}, 2^{ℓ−1}, 2^ℓ − 1 (the edges the Fs care about). */
const word = (ell: number): fc.Arbitrary<bigint> => {
  const m = 1n << BigInt(ell);
  const edges = [0n, 1n, m / 4n, m / 2n, m - m / 4n, m - 1n].flatMap((e) => [e - 1n, e, e + 1n]);
  return fc.oneof(
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    fc.constantFrom(...edges.map((e) => ((e % m) + m) % m)),
  );
};

const caseOf = fc
  .constantFrom(...ELLS)
  .chain((ell) => fc.record({ ell: fc.constant(ell), xs: fc.array(word(ell), { minLength: 0, maxLength: 20 }) }));

describe('building-block functionalities: identity', () => {
  /** Kills lines 44, 45, 56, 57, 64, 65, 72, 73 StringLiteral (name / realizedBy emptied). */
  it('names each F and the protocol file that realises it', () => {
    const expected = [
      [F_PC, 'F_PC', 'protocols/securenn-family/nonlinear/private-compare.ts'],
      [F_SC, 'F_SC', 'protocols/securenn-family/nonlinear/share-convert.ts'],
      [F_MSB, 'F_MSB', 'protocols/securenn-family/nonlinear/compute-msb.ts'],
      [F_DReLU, 'F_DReLU', 'protocols/securenn-family/nonlinear/drelu.ts'],
    ] as const;
    for (const [f, name, file] of expected) {
      expect(f.name).toBe(name);
      expect(f.realizedBy).toBe(file);
      expect(existsSync(f.realizedBy), f.realizedBy).toBe(true);
    }
  });
});

describe('building-block functionalities: domains', () => {
  /**
   * Kills line 41 ArrowFunction, ArrayDeclaration (`new Array()`), BooleanLiteral (`fill(false)`),
   * line 46 and line 58 ArrowFunction (`inDomain` returning undefined).
   */
  it('F_PC and F_SC are exact on every element', () => {
    fc.assert(
      fc.property(caseOf, ({ ell, xs }) => {
        const ring = Ring(ell);
        const x = BigUint64Array.from(xs);
        const all = xs.map(() => true);
        expect(F_SC.inDomain(ring, x)).toEqual(all);
        const input = { x, r: x.slice().reverse(), beta: new Uint8Array(xs.length) };
        expect(F_PC.inDomain(ring, input)).toEqual(all);
      }),
      { numRuns: 60 },
    );
    expect(F_SC.inDomain(Ring(8), BigUint64Array.of(0n, 255n, 7n))).toEqual([true, true, true]);
    expect(
      F_PC.inDomain(Ring(8), { x: BigUint64Array.of(3n, 4n), r: BigUint64Array.of(1n, 9n), beta: Uint8Array.of(1, 0) }),
    ).toEqual([true, true]);
  });

  /** Kills line 76 ConditionalExpression (lower bound `false`) and EqualityOperator (`> -quarter`). */
  it('F_DReLU is exact on exactly [−2^{ℓ−2}, 2^{ℓ−2})', () => {
    const ring = Ring(8);
    // 192 = −64 = −2^{ℓ−2} (in), 191 = −65 (out), 63 (in), 64 (out), 0 (in), 255 = −1 (in), 128 = −128 (out).
    const a = BigUint64Array.of(192n, 191n, 63n, 64n, 0n, 255n, 128n);
    expect(F_DReLU.inDomain(ring, a)).toEqual([true, false, true, false, true, true, false]);
    const r64 = Ring(64);
    const q = 1n << 62n;
    const b = BigUint64Array.of((1n << 64n) - q, (1n << 64n) - q - 1n, q - 1n, q);
    expect(F_DReLU.inDomain(r64, b)).toEqual([true, false, true, false]);
    fc.assert(
      fc.property(caseOf, ({ ell, xs }) => {
        const quarter = 1n << BigInt(ell - 2);
        const want = xs.map((v) => signedOf(ell, v) >= -quarter && signedOf(ell, v) < quarter);
        expect(F_DReLU.inDomain(Ring(ell), BigUint64Array.from(xs))).toEqual(want);
      }),
      { numRuns: 80 },
    );
  });

  /** Pins line 66 (F_MSB.inDomain), which the protocol suite also covers, without running a protocol. */
  it('F_MSB is exact on Z_{2^ℓ−1}: every word below 2^ℓ − 1', () => {
    fc.assert(
      fc.property(caseOf, ({ ell, xs }) => {
        const want = xs.map((v) => v < (1n << BigInt(ell)) - 1n);
        expect(F_MSB.inDomain(Ring(ell), BigUint64Array.from(xs))).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });
});

describe('building-block functionalities: values', () => {
  /** Kills line 48 ConditionalExpression (whole guard / either operand `false`), LogicalOperator (`&&`), line 49 StringLiteral. */
  it('F_PC refuses inputs of unequal lengths, naming the lengths', () => {
    const ring = Ring(16);
    const x = BigUint64Array.of(1n, 2n, 3n);
    const cases: [BigUint64Array, Uint8Array, string][] = [
      [BigUint64Array.of(1n, 2n), Uint8Array.of(0, 1, 0), 'F_PC on 3, 2, 3 entries'],
      [BigUint64Array.of(1n, 2n, 3n), Uint8Array.of(0, 1), 'F_PC on 3, 3, 2 entries'],
      [BigUint64Array.of(1n, 2n, 3n, 4n), Uint8Array.of(0, 1, 1, 1), 'F_PC on 3, 4, 4 entries'],
    ];
    for (const [r, beta, message] of cases) {
      let caught: unknown;
      try {
        F_PC.apply(ring, { x, r, beta });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InvariantViolation);
      expect((caught as Error).message).toContain(message);
    }
  });

  /** Pins the `apply` of lines 50, 59, 67 and 78 (comparison, reduction, bit and sign mutants) without a protocol run. */
  it('F_PC, F_SC, F_MSB and F_DReLU agree with a plain model and with hand-computed values', () => {
    const r8 = Ring(8);
    expect([
      ...F_PC.apply(r8, {
        x: BigUint64Array.of(5n, 5n, 4n, 300n),
        r: BigUint64Array.of(4n, 5n, 5n, 44n),
        beta: Uint8Array.of(0, 1, 1, 0),
      }),
    ]).toEqual([1, 1, 1, 0]);
    expect([...F_SC.apply(r8, BigUint64Array.of(0n, 254n, 255n, 100n))]).toEqual([0n, 254n, 0n, 100n]);
    expect([...F_MSB.apply(r8, BigUint64Array.of(127n, 128n, 254n, 0n))]).toEqual([0n, 1n, 1n, 0n]);
    expect([...F_DReLU.apply(r8, BigUint64Array.of(0n, 127n, 128n, 255n))]).toEqual([1n, 1n, 0n, 0n]);
    fc.assert(
      fc.property(
        caseOf.chain((c) =>
          fc.record({
            c: fc.constant(c),
            rs: fc.array(word(c.ell), { minLength: c.xs.length, maxLength: c.xs.length }),
            betas: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: c.xs.length, maxLength: c.xs.length }),
          }),
        ),
        ({ c: { ell, xs }, rs, betas }) => {
          const ring = Ring(ell);
          const x = BigUint64Array.from(xs);
          const r = BigUint64Array.from(rs);
          const beta = Uint8Array.from(betas);
          const pc = xs.map((v, i) => (betas[i] as number) ^ (modPow2(ell, v) > modPow2(ell, rs[i] as bigint) ? 1 : 0));
          expect([...F_PC.apply(ring, { x, r, beta })]).toEqual(pc);
          const odd = (1n << BigInt(ell)) - 1n;
          expect([...F_SC.apply(ring, x)]).toEqual(xs.map((v) => v % odd));
          const inOdd = xs.map((v) => v % odd);
          expect([...F_MSB.apply(ring, BigUint64Array.from(inOdd))]).toEqual(
            inOdd.map((v) => (v >= 1n << BigInt(ell - 1) ? 1n : 0n)),
          );
          expect([...F_DReLU.apply(ring, x)]).toEqual(xs.map((v) => (signedOf(ell, v) >= 0n ? 1n : 0n)));
        },
      ),
      { numRuns: 80 },
    );
  });
});
