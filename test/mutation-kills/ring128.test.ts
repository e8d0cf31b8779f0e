/**
 * Mutation kills for protocols/kernels/ring128.ts (the loader of the wasm products over Z_{2^m},
 * m ≤ 128), checked against a plain bigint model written independently of the source:
 *   - `mulLanes128` and `productLanes128` over every width 1..128, with the boundary widths 1, 63, 64,
 *     65, 127, 128 and the boundary elements 0, 1, 2^63, 2^64 − 1, 2^64, 2^m − 1, 2^128 − 1 drawn often;
 *   - vectors longer than one chunk of 65536 elements (the second, shorter chunk);
 *   - a width outside 1..128 or not whole (0, 129, 64.5, Infinity) is refused as a caller's bug;
 *   - a stale build without the two ring kernels is refused naming them.
 * The fast-check seed is the per-file fixed seed of test/setup/fast-check.ts.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvariantViolation } from '../../spec/errors.js';
import { expectStaleBuild, memoryOnlyWasm } from './support.js';

/** What build/kernels.wasm reads as: the real file (null) or the given bytes. */
const build = vi.hoisted(() => ({ bytes: null as Uint8Array | null }));

vi.mock('node:fs', async (importOriginal) =>
  (await import('./support.js')).fsServingWasm(await importOriginal<typeof import('node:fs')>(), build),
);

const { mulLanes128, productLanes128 } = await import('../../protocols/kernels/ring128.js');

afterEach(() => {
  build.bytes = null;
});

const RUNS = 200;
const CHUNK = 65536;
const W64 = 1n << 64n;

// ---- the model ----

const reduce = (v: bigint, m: number): bigint => v & ((1n << BigInt(Math.min(m, 128))) - 1n);
const mulModel = (m: number, a: bigint, b: bigint): bigint => reduce(a * b, m);
const productModel = (m: number, xa: bigint, xb: bigint, ya: bigint, yb: bigint, zeta: bigint): bigint =>
  reduce(xa * (ya + yb) + xb * ya + zeta, m);

/** Elements as 2n lanes (low, high). */
const toLanes = (xs: readonly bigint[]): BigUint64Array => {
  const out = new BigUint64Array(2 * xs.length);
  xs.forEach((x, i) => {
    out[2 * i] = x % W64;
    out[2 * i + 1] = x / W64;
  });
  return out;
};
const fromLanes = (lanes: BigUint64Array): bigint[] => {
  const out: bigint[] = [];
  for (let i = 0; i < lanes.length; i += 2) out.push((lanes[i] ?? 0n) + (lanes[i + 1] ?? 0n) * W64);
  return out;
};

// ---- generators ----

const width = fc.oneof(fc.constantFrom(1, 63, 64, 65, 127, 128), fc.integer({ min: 1, max: 128 }));

/** A 128-bit element, the boundary elements weighted as heavily as a uniform draw. */
const element = (m: number): fc.Arbitrary<bigint> =>
  fc.oneof(
    fc.constantFrom(0n, 1n, 1n << 63n, W64 - 1n, W64, W64 + 1n, (1n << BigInt(m)) - 1n, (1n << 128n) - 1n),
    fc.bigInt({ min: 0n, max: (1n << BigInt(m)) - 1n }),
    fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
  );

const vectors = (k: number) =>
  width.chain((m) =>
    fc
      .integer({ min: 0, max: 6 })
      .chain((n) =>
        fc.tuple(
          fc.constant(m),
          fc.array(fc.array(element(m), { minLength: n, maxLength: n }), { minLength: k, maxLength: k }),
        ),
      ),
  );

/** A deterministic 128-bit element per index (a fixed odd multiplier), for vectors too long to draw. */
const spread = (i: number, salt: bigint): bigint =>
  (BigInt(i + 1) * 0x9e3779b97f4a7c15f39cc0605cedc835n + salt) & ((1n << 128n) - 1n);

describe('mulLanes128 against the model', () => {
  /** Pins the masks of every width: line 33 ArithmeticOperator `(1n << 64n) + 1n` (m = 128). */
  it('a_i · b_i mod 2^m for every width, boundary elements included', () => {
    fc.assert(
      fc.property(vectors(2), ([m, [a = [], b = []]]) => {
        const got = fromLanes(mulLanes128(m, toLanes(a), toLanes(b)));
        expect(got).toEqual(a.map((x, i) => mulModel(m, x, b[i] ?? 0n)));
      }),
      { numRuns: RUNS },
    );
  });

  it('(2^m − 1)² is 1 mod 2^m at the widths around 64 and 128', () => {
    for (const m of [1, 63, 64, 65, 127, 128]) {
      const top = (1n << BigInt(m)) - 1n;
      expect(fromLanes(mulLanes128(m, toLanes([top, top]), toLanes([top, 0n])))).toEqual([1n, 0n]);
    }
  });
});

describe('productLanes128 against the model', () => {
  /** Pins the masks of every width: line 33 ArithmeticOperator `(1n << 64n) + 1n` (m = 128). */
  it('xa·(ya + yb) + xb·ya + zeta mod 2^m for every width, boundary elements included', () => {
    fc.assert(
      fc.property(vectors(5), ([m, [xa = [], xb = [], ya = [], yb = [], zeta = []]]) => {
        const got = fromLanes(productLanes128(m, toLanes(xa), toLanes(xb), toLanes(ya), toLanes(yb), toLanes(zeta)));
        expect(got).toEqual(xa.map((x, i) => productModel(m, x, xb[i] ?? 0n, ya[i] ?? 0n, yb[i] ?? 0n, zeta[i] ?? 0n)));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('vectors longer than one chunk', () => {
  /** Pins line 46 ArithmeticOperator `n + e0` (the second chunk's length). */
  it('mulLanes128 over CHUNK + 3 elements matches the model everywhere', () => {
    const n = CHUNK + 3;
    const a = Array.from({ length: n }, (_, i) => spread(i, 1n));
    const b = Array.from({ length: n }, (_, i) => spread(i, 77n));
    const got = fromLanes(mulLanes128(128, toLanes(a), toLanes(b)));
    expect(got).toHaveLength(n);
    for (const i of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, CHUNK + 2])
      expect(got[i]).toBe(mulModel(128, a[i] ?? 0n, b[i] ?? 0n));
    expect(got.every((v, i) => v === mulModel(128, a[i] ?? 0n, b[i] ?? 0n))).toBe(true);
  });

  /** Pins line 46 ArithmeticOperator `n + e0` through the five-operand kernel. */
  it('productLanes128 over CHUNK + 1 elements matches the model everywhere', () => {
    const n = CHUNK + 1;
    const ops = [3n, 5n, 7n, 11n, 13n].map((salt) => Array.from({ length: n }, (_, i) => spread(i, salt)));
    const [xa = [], xb = [], ya = [], yb = [], zeta = []] = ops;
    const got = fromLanes(
      productLanes128(
        100,
        ...(ops.map(toLanes) as [BigUint64Array, BigUint64Array, BigUint64Array, BigUint64Array, BigUint64Array]),
      ),
    );
    expect(got).toHaveLength(n);
    expect(
      got.every((v, i) => v === productModel(100, xa[i] ?? 0n, xb[i] ?? 0n, ya[i] ?? 0n, yb[i] ?? 0n, zeta[i] ?? 0n)),
    ).toBe(true);
  });
});

describe('widths above 128', () => {
  /**
   * The widths are whole numbers in 1..128: anything else is an InvariantViolation naming the width
   * (pins the guard; with it, the masks' `m >= 64` and `m >= 128` forced false are equivalent, listed).
   */
  it('m = 0, 129, 64.5 or Infinity is refused, m = 1 and 128 are computed', () => {
    const a = [(1n << 128n) - 1n, W64 + 5n, 0n];
    const b = [(1n << 128n) - 1n, W64 - 1n, 9n];
    for (const m of [0, 129, 64.5, Infinity, -1, Number.NaN]) {
      expect(() => mulLanes128(m, toLanes(a), toLanes(b))).toThrow(InvariantViolation);
      expect(() => mulLanes128(m, toLanes(a), toLanes(b))).toThrow(`Z_2^m lanes take a whole m in 1..128, got ${m}`);
      expect(() => productLanes128(m, toLanes(a), toLanes(b), toLanes(b), toLanes(a), toLanes(a))).toThrow(
        InvariantViolation,
      );
    }
    for (const m of [1, 128])
      expect(fromLanes(mulLanes128(m, toLanes(a), toLanes(b)))).toEqual(a.map((x, i) => mulModel(m, x, b[i] ?? 0n)));
  });
});

describe('a stale build', () => {
  /** Pins line 26 ArrayDeclaration `[]` (the loader would then not check for its own two kernels). */
  it('without the ring kernels is a usage error naming mulRing128 and productRing128', async () => {
    build.bytes = memoryOnlyWasm();
    vi.resetModules();
    const fresh = await import('../../protocols/kernels/ring128.js');
    expectStaleBuild(
      () => fresh.mulLanes128(8, new BigUint64Array(2), new BigUint64Array(2)),
      /is stale \(missing mulRing128, productRing128\); run `npm run build:wasm`/,
    );
  });
});
