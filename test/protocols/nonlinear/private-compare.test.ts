/**
 * PrivateCompare: P2's output bit against every kind of r (random, 0, 2^ℓ − 1, x, x ± 1), metered
 * bytes and rounds against spec/cost, the uniformity of one party's message to P2 even given the bit
 * shares P2 dealt, and the p > ℓ + 1 condition.
 */
import { describe, expect, it } from 'vitest';
import { Field } from '../../../spec/field.js';
import fc from 'fast-check';
import { privateCompare, relu } from '../by-role.js';
import { checkVariant, PORTHOS, SECURENN, type Variant } from '../../../protocols/securenn-family/nonlinear/variant.js';
import { bitsOf } from '../../../protocols/securenn-family/nonlinear/arith.js';
import { STREAM_BLOCK } from '../../../protocols/securenn-family/nonlinear/private-compare.js';
import { privateCompareCost } from '../../../spec/cost/nonlinear.js';
import { CryptflowError } from '../../../spec/errors.js';
import type { PartyContext } from '../../../protocols/common/party.js';
import { chiSquareCritical, FALSE_ALARM, measured, pow2, run3, runs, testPrg, VARIANTS, RINGS } from './support.js';

/** Z_p shares of the bits of xs: P0's drawn from `p0` (or fixed), P1's the complement. */
function bitShares(
  ell: number,
  p: number,
  xs: readonly bigint[],
  p0Share: (count: number) => Uint8Array,
): [Uint8Array, Uint8Array] {
  const bits = bitsOf(ell, BigUint64Array.from(xs));
  const s0 = p0Share(bits.length);
  const s1 = bits.map((b, i) => (b - (s0[i] as number) + p) % p);
  return [s0, s1];
}

function compareProgram(
  v: Variant,
  xs: readonly bigint[],
  rs: readonly bigint[],
  betas: readonly number[],
  shares: [Uint8Array, Uint8Array],
) {
  const n = xs.length;
  return (ctx: PartyContext): Promise<Uint8Array> =>
    ctx.id === 2
      ? privateCompare(ctx, v, n, new Uint8Array(0), new BigUint64Array(0), new Uint8Array(0))
      : privateCompare(ctx, v, n, shares[ctx.id], BigUint64Array.from(rs), Uint8Array.from(betas));
}

const caseArb = fc.constantFrom(...RINGS).chain((ell) => {
  const top = pow2(ell) - 1n;
  const x = fc.bigInt({ min: 0n, max: top });
  const one = fc
    .tuple(x, fc.integer({ min: 0, max: 5 }), fc.bigInt({ min: 0n, max: top }), fc.integer({ min: 0, max: 1 }))
    .map(([xv, kind, rv, b]) => {
      const r = [rv, 0n, top, xv, xv === 0n ? top : xv - 1n, xv === top ? 0n : xv + 1n][kind] as bigint;
      return { x: xv, r, b };
    });
  return fc.record({
    ell: fc.constant(ell),
    cases: fc.array(one, { minLength: 1, maxLength: 64, size: 'max' }),
    v: fc.constantFrom(...VARIANTS),
    seed: fc.string(),
  });
});

describe('PrivateCompare (SecureNN Alg. 3)', () => {
  it('P2 learns β ⊕ (x > r), including r = 0, r = 2^ℓ − 1 and r = x ± 1, and the bytes and rounds are as spec/cost says', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ ell, cases, v, seed }) => {
        const prg = testPrg(seed);
        const xs = cases.map((c) => c.x);
        const shares = bitShares(ell, v.field.p, xs, (k) => prg.field(v.field.p, k));
        const run = await run3(
          ell,
          seed,
          compareProgram(
            v,
            xs,
            cases.map((c) => c.r),
            cases.map((c) => c.b),
            shares,
          ),
        );
        expect([...run.p2]).toEqual(cases.map((c) => c.b ^ (c.x > c.r ? 1 : 0)));
        expect(run.p0.length + run.p1.length).toBe(0);
        expect(measured(run.meter)).toEqual(privateCompareCost(ell, cases.length));
      }),
      { numRuns: runs(60) },
    );
  });

  it("each party's message alone is uniform in Z_p even to the party that dealt the bit shares (the z mask)", async () => {
    // P2 dealt the shares, so it knows P0's: fix them to 1 everywhere. Unmasked, P0's c_i would be
    // −1 + Σ_{k>i} (1 − 2r_k) — zero for many i, depending on r. Masked, every entry is uniform.
    const ell = 16;
    const n = 400;
    for (const v of VARIANTS) {
      const prg = testPrg(`leak-${v.name}`);
      const xs = [...prg.ring(ell, n)];
      const rs = [...prg.ring(ell, n)];
      const shares = bitShares(ell, v.field.p, xs, (k) => new Uint8Array(k).fill(1));
      const seen: Uint8Array[] = [];
      const tap = <T>(p: Promise<T>, label: string): Promise<T> =>
        p.then((m) => {
          if (label === 'P0->P2') seen.push((m as unknown as { bytes: Uint8Array }).bytes);
          return m;
        });
      await run3(ell, `leak-${v.name}`, compareProgram(v, xs, rs, new Array<number>(n).fill(0), shares), tap);
      const d0 = seen[0] ?? new Uint8Array(0);
      expect(d0.length).toBe(n * ell);
      const counts = new Array<number>(v.field.p).fill(0);
      for (const d of d0) counts[d] = (counts[d] as number) + 1;
      const expected = d0.length / v.field.p;
      const stat = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
      expect(stat).toBeLessThan(chiSquareCritical(v.field.p - 1, FALSE_ALARM));
    }
  });

  it('streamed in blocks: n = 2·STREAM_BLOCK + 3 (three blocks, the last short) gives β ⊕ (x > r) for every element and the spec bytes', async () => {
    const ell = 16;
    const n = 2 * STREAM_BLOCK + 3;
    for (const v of VARIANTS) {
      const prg = testPrg(`blocks ${v.name}`);
      const xs = [...prg.ring(ell, n)];
      const rs = [...prg.ring(ell, n)].map((r, i) => (i % 7 === 0 ? (xs[i] as bigint) : r));
      const betas = [...prg.bits(n)];
      const shares = bitShares(ell, v.field.p, xs, (k) => prg.field(v.field.p, k));
      const run = await run3(ell, `blocks ${v.name}`, compareProgram(v, xs, rs, betas, shares));
      const expected = Uint8Array.from(betas, (b, i) => b ^ ((xs[i] as bigint) > (rs[i] as bigint) ? 1 : 0));
      expect(Buffer.from(run.p2).equals(Buffer.from(expected))).toBe(true);
      expect(measured(run.meter)).toEqual(privateCompareCost(ell, n));
    }
  });

  it('rejects a ring width its field cannot handle (p must exceed ℓ + 1)', () => {
    expect(() => checkVariant({ ...SECURENN, field: Field(13) }, 16)).toThrow(CryptflowError);
    expect(() => checkVariant({ ...SECURENN, field: Field(13) }, 16)).toThrow(
      /handles ring widths ℓ ≤ 11 .*got ℓ = 16/,
    );
    expect(() => checkVariant({ ...PORTHOS, field: Field(12) }, 8)).toThrow(/prime/);
    expect(() => checkVariant({ ...SECURENN, field: Field(67) }, 64)).not.toThrow();
    expect(() => checkVariant({ ...SECURENN, field: Field(11) }, 9)).not.toThrow();
    expect(() => checkVariant({ ...SECURENN, field: Field(11) }, 10)).toThrow(/ℓ ≤ 9/);
  });

  it('a protocol run with such a variant fails with that error on every party, before any message', async () => {
    const small: Variant = { ...SECURENN, field: Field(13) };
    await expect(
      run3(16, 'bad', (ctx) => relu(ctx, small, 2, new BigUint64Array(ctx.id === 2 ? 0 : 2))),
    ).rejects.toThrow(/securenn: PrivateCompare over Z_13 handles ring widths ℓ ≤ 11/);
  });
});
