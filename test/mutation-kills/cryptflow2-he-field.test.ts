/**
 * Mutation kills for protocols/cryptflow2-he/field.ts (the prime field of cryptflow2-he), checked
 * against a plain bigint model written independently of the source:
 *   - `primeField`: which moduli are refused (code 'usage' and the message), the boundaries 3 and
 *     2^62, the cached field object, and `bits` = ⌈log₂ p⌉ on Mersenne primes where p − 1 and p + 1
 *     differ in length;
 *   - `signedP`, `addP`, `subP`, `negP`, `modP` against the model over small primes, the production
 *     prime and the largest prime below 2^62, with the boundary elements 0, (p − 1)/2, (p + 1)/2, p − 1
 *     drawn often;
 *   - `ringToField` / `fieldToRing` against the model over ring widths 2..64, with the ring's most
 *     negative element and the field's range bounds ±(p − 1)/2 drawn often, and the 'input' error
 *     naming `what`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prg, keysFromSeed } from '../../protocols/common/prg.js';
import { HE_PRIME as P41 } from '../../spec/cost/cryptflow2-he.js';
import { caughtImport, expectCryptflowError } from './support.js';

/**
 * field.ts is loaded once at the top with its failure caught, and each test asks `load()` for it: the
 * guard mutants of `primeField` make the module's own `primeField(P41)` throw on load, and a test file
 * that fails to load reports no test results, which Stryker's vitest runner alone counts as a survivor
 * (since then the mutation runs' own runner, test/setup/mutation-runner.ts, turns a failed load into a
 * failed test for every suite; this file's caught load predates it and still pins each guard by its
 * message). The load stays outside the tests so that Stryker runs every test against the mutants hit
 * while loading.
 */
const load = await caughtImport(() => import('../../protocols/cryptflow2-he/field.js'));

const RUNS = 200;

/** Primes the properties range over: tiny, Mersenne, Fermat, production, largest below 2^62. */
const PRIMES: readonly bigint[] = [3n, 7n, 31n, 251n, 65537n, P41, (1n << 62n) - 57n];

// ---- the model ----

const mod = (v: bigint, p: bigint): bigint => ((v % p) + p) % p;
/** The representative of v in [−(p − 1)/2, (p − 1)/2]: v itself while 2v < p (p is odd). */
const signedModel = (v: bigint, p: bigint): bigint => (2n * v < p ? v : v - p);
const abs = (v: bigint): bigint => (v < 0n ? -v : v);
/** An ℓ-bit ring element read signed, into Z_p; undefined when its magnitude is p/2 or more. */
const ringToFieldModel = (v: bigint, ell: number, p: bigint): bigint | undefined => {
  const s = BigInt.asIntN(ell, v);
  return 2n * abs(s) < p ? mod(s, p) : undefined;
};
const bitsModel = (p: bigint): number => {
  let b = 0;
  while (1n << BigInt(b) < p) b++;
  return b;
};

// ---- generators ----

/** An element of Z_p, the boundary elements weighted as heavily as a uniform draw. */
const element = (p: bigint): fc.Arbitrary<bigint> =>
  fc.oneof(fc.constantFrom(0n, 1n, (p - 1n) / 2n, (p + 1n) / 2n, p - 1n), fc.bigInt(0n, p - 1n));

const primeAndVectors = fc
  .constantFrom(...PRIMES)
  .chain((p) =>
    fc
      .integer({ min: 0, max: 12 })
      .chain((n) =>
        fc.tuple(
          fc.constant(p),
          fc.array(element(p), { minLength: n, maxLength: n }),
          fc.array(element(p), { minLength: n, maxLength: n }),
        ),
      ),
  );

/** A ring element of ℓ bits: the ring's and the field's range bounds (either sign) or uniform. */
const ringElement = (ell: number, p: bigint): fc.Arbitrary<bigint> => {
  const top = 1n << BigInt(ell - 1);
  const half = (p - 1n) / 2n;
  const edges = [0n, 1n, top - 1n, top, top + 1n, half, half + 1n, -half, -half - 1n, -1n].map((v) =>
    BigInt.asUintN(ell, v),
  );
  return fc.oneof(fc.constantFrom(...edges), fc.bigInt(0n, (1n << BigInt(ell)) - 1n));
};

const ringCase = fc
  .tuple(fc.constantFrom(...PRIMES), fc.integer({ min: 2, max: 64 }))
  .chain(([p, ell]) =>
    fc.tuple(fc.constant(p), fc.constant(ell), fc.array(ringElement(ell, p), { minLength: 1, maxLength: 8 })),
  );

const arr = (xs: readonly bigint[]): BigUint64Array => BigUint64Array.from(xs);
const list = (xs: BigUint64Array): bigint[] => Array.from(xs);

describe('cryptflow2-he field: primeField', () => {
  /** Pins L36 (every ConditionalExpression/LogicalOperator/EqualityOperator/ArithmeticOperator mutant
   * of the guard but `p > 1n << 62n`) and L37 (both StringLiterals: the code and the message). */
  it('refuses moduli below 3, even ones and those at or above 2^62 with a usage error', async () => {
    const { primeField } = await load();
    for (const p of [-3n, -1n, 0n, 1n, 2n, 4n, 252n, 1n << 41n, (1n << 62n) + 1n, (1n << 62n) + 3n, 1n << 63n]) {
      expectCryptflowError(() => primeField(p), 'usage', 'the field modulus must be an odd prime below 2^62');
    }
  });

  /** Pins L36 `p <= 3n`, `p >= 3n`, `p % 2n !== 0n`, `p < 1n << 62n` and the `true` guard. */
  it('accepts the odd primes from 3 up to the largest below 2^62', async () => {
    const { primeField } = await load();
    for (const p of PRIMES) expect(primeField(p).p).toBe(p);
  });

  /** Pins L35 ConditionalExpression `true` (a fresh field object on every call). */
  it('returns the one cached, frozen field object for a modulus', async () => {
    const { FIELD41, primeField } = await load();
    const a = primeField(65537n);
    expect(primeField(65537n)).toBe(a);
    expect(primeField(P41)).toBe(FIELD41);
    expect(Object.isFrozen(a)).toBe(true);
  });

  /** Pins L38 ArithmeticOperator `p + 1n` in `bits` (7, 31 and 2^61 − 1 are Mersenne primes). */
  it('has bits = ⌈log₂ p⌉ and half = (p − 1)/2', async () => {
    const { FIELD41, primeField } = await load();
    expect(primeField(7n).bits).toBe(3);
    expect(primeField(31n).bits).toBe(5);
    expect(primeField((1n << 61n) - 1n).bits).toBe(61);
    expect(FIELD41.bits).toBe(41);
    for (const p of PRIMES) {
      const F = primeField(p);
      expect(F.bits).toBe(bitsModel(p));
      expect(2n * F.half + 1n).toBe(p);
    }
  });
});

describe('cryptflow2-he field: arithmetic against the bigint model', () => {
  /** Pins L52 EqualityOperator `v >= F.half` ((p − 1)/2 is the largest non-negative reading). */
  it('signedP reads (p − 1)/2 as itself and (p + 1)/2 as −(p − 1)/2', async () => {
    const { primeField, signedP } = await load();
    const F = primeField(251n);
    expect(signedP(F, 125n)).toBe(125n);
    expect(signedP(F, 126n)).toBe(-125n);
    expect(signedP(F, 0n)).toBe(0n);
    expect(signedP(F, 250n)).toBe(-1n);
  });

  /** Pins L57 EqualityOperator `s > F.p` (a + b = p must wrap to 0) and L68 ConditionalExpression
   * `false` (−0 must be 0, not p); with L52 on the same draws. */
  it('addP, subP, negP, signedP, modP agree with the model', async () => {
    const { addP, modP, negP, primeField, signedP, subP } = await load();
    fc.assert(
      fc.property(primeAndVectors, ([p, as, bs]) => {
        const F = primeField(p);
        const a = arr(as);
        const b = arr(bs);
        expect(list(addP(F, a, b))).toEqual(as.map((x, i) => mod(x + (bs[i] as bigint), p)));
        expect(list(subP(F, a, b))).toEqual(as.map((x, i) => mod(x - (bs[i] as bigint), p)));
        expect(list(negP(F, a))).toEqual(as.map((x) => mod(-x, p)));
        for (const x of as) {
          expect(signedP(F, x)).toBe(signedModel(x, p));
          expect(modP(F, x - p * 3n)).toBe(x);
          expect(modP(F, x + p * 5n)).toBe(x);
        }
      }),
      { numRuns: RUNS },
    );
  });

  /** Pins L57 `s > F.p` and L68 `false` on fixed inputs. */
  it('a + (p − a) is 0 and −0 is 0', async () => {
    const { addP, negP, primeField } = await load();
    const F = primeField(251n);
    expect(list(addP(F, arr([1n, 125n, 250n]), arr([250n, 126n, 1n])))).toEqual([0n, 0n, 0n]);
    expect(list(negP(F, arr([0n, 1n, 250n])))).toEqual([0n, 250n, 1n]);
  });
});

describe('cryptflow2-he field: ring ↔ field', () => {
  /** Pins L78 EqualityOperator `v > top` and L79 (ConditionalExpression `false` ×3, LogicalOperator
   * `&&`, EqualityOperators `s >= F.half` and `s <= -F.half`) against the model. */
  it('ringToField and fieldToRing agree with the model', async () => {
    const { fieldToRing, primeField, ringToField } = await load();
    fc.assert(
      fc.property(ringCase, ([p, ell, xs]) => {
        const F = primeField(p);
        const want = xs.map((v) => ringToFieldModel(v, ell, p));
        if (want.some((w) => w === undefined)) {
          expectCryptflowError(() => ringToField(F, ell, arr(xs), 'x'), 'input', 'x has an entry');
        } else {
          const got = ringToField(F, ell, arr(xs), 'x');
          expect(list(got)).toEqual(want);
          expect(list(fieldToRing(F, ell, got))).toEqual(xs);
        }
      }),
      { numRuns: RUNS },
    );
  });

  /** Pins L78 `v > top`: the most negative 7-bit element −64 lies in Z_251's range. */
  it("reads the ring's most negative element as negative", async () => {
    const { primeField, ringToField } = await load();
    const F = primeField(251n);
    expect(list(ringToField(F, 7, arr([64n, 63n, 65n]), 'x'))).toEqual([251n - 64n, 63n, 251n - 63n]);
  });

  /** Pins L79 `s >= F.half`, `s <= -F.half` (the bounds are inside) and the `false`/`&&` mutants
   * (just outside is refused, either sign), and L80 (both StringLiterals: the code and the message). */
  it('accepts ±(p − 1)/2 and refuses ±(p + 1)/2 with an input error naming the value', async () => {
    const { primeField, ringToField } = await load();
    const F = primeField(251n);
    const ell = 16;
    const neg = (v: bigint): bigint => BigInt.asUintN(ell, -v);
    expect(list(ringToField(F, ell, arr([125n, neg(125n)]), 'w'))).toEqual([125n, 126n]);
    for (const bad of [126n, neg(126n), 1n << 14n, neg(1n << 15n)]) {
      expectCryptflowError(
        () => ringToField(F, ell, arr([0n, bad]), 'the weights'),
        'input',
        "the weights has an entry outside the field's range ±(p − 1)/2",
      );
    }
  });

  /** fieldToRing reduces the signed reading mod 2^ℓ (the map the source's L52 feeds). */
  it('fieldToRing maps (p + 1)/2 to −(p − 1)/2 mod 2^ℓ', async () => {
    const { fieldToRing, primeField } = await load();
    const F = primeField(251n);
    expect(list(fieldToRing(F, 8, arr([125n, 126n, 250n, 0n])))).toEqual([125n, 256n - 125n, 255n, 0n]);
  });

  /** Pins L71 ArrowFunction `() => undefined` (sampleP draws Prg.below(p, n)). */
  it("sampleP draws the PRG's rejection-sampled elements of Z_p", async () => {
    const { FIELD41, sampleP } = await load();
    const key = keysFromSeed('cryptflow2-he-field')[0].own;
    const got = sampleP(FIELD41, new Prg(key), 40);
    expect(got).toBeInstanceOf(BigUint64Array);
    expect(list(got)).toEqual(list(new Prg(key).below(P41, 40)));
    expect(list(got).every((v) => v < P41)).toBe(true);
    expect(new Set(list(got)).size).toBe(40);
  });
});
