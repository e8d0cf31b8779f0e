/**
 * The named building-block functionalities (ideal/building-blocks.ts) against the protocols that
 * realise them: each protocol runs on shares of generated inputs (ring edges included) in both
 * variants, and what it outputs — P2's bits for PrivateCompare, the reconstructed shares otherwise —
 * equals F on every input in F's domain. Outside DReLU's domain F and the protocol differ (the
 * protocol's precondition), and the test shows one such input so the domain is not vacuous.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { F_DReLU, F_MSB, F_PC, F_SC } from '../../ideal/building-blocks.js';
import { Ring } from '../../spec/ring.js';
import { OddRing } from '../../spec/field.js';
import { bitsOf } from '../../protocols/securenn-family/nonlinear/arith.js';
import { computeMsb, drelu, privateCompare, shareConvert } from '../protocols/by-role.js';
import { reconstruct, run3, shareMod, testPrg, VARIANTS } from '../protocols/nonlinear/support.js';

const ELLS = [16, 64] as const;
const RUNS = process.env['CRYPTFLOW_SLOW'] === '1' ? 500 : 50;

/** Values of Z_m with its edges: 0, 1, m/2 ± 1, m − 2, m − 1 (m = the modulus). */
const values = (m: bigint): fc.Arbitrary<bigint[]> =>
  fc.array(
    fc.oneof(fc.bigInt({ min: 0n, max: m - 1n }), fc.constantFrom(0n, 1n, m / 2n - 1n, m / 2n, m - 2n, m - 1n)),
    { minLength: 1, maxLength: 24 },
  );

const ringCase = (modulus: (ell: number) => bigint) =>
  fc.constantFrom(...ELLS).chain((ell) =>
    fc.record({
      ell: fc.constant(ell),
      xs: values(modulus(ell)),
      v: fc.constantFrom(...VARIANTS),
      seed: fc.string({ maxLength: 6 }),
    }),
  );

describe('building blocks realise their named functionalities', () => {
  it('PrivateCompare realises F_PC', async () => {
    const arb = ringCase((ell) => Ring(ell).modulus).chain((c) =>
      fc.record({
        c: fc.constant(c),
        rs: values(Ring(c.ell).modulus),
        betas: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 24, maxLength: 24 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(arb, async ({ c: { ell, xs, v, seed }, rs, betas }) => {
        const n = xs.length;
        const x = BigUint64Array.from(xs);
        const r = BigUint64Array.from(xs, (_, i) => rs[i % rs.length] as bigint);
        const beta = Uint8Array.from(xs, (_, i) => betas[i] as number);
        const bits = bitsOf(ell, x);
        const s0 = testPrg(seed).field(v.field.p, bits.length);
        const s1 = bits.map((b, i) => (b - (s0[i] as number) + v.field.p) % v.field.p);
        const run = await run3(ell, seed, (ctx) =>
          ctx.id === 2
            ? privateCompare(ctx, v, n, new Uint8Array(0), new BigUint64Array(0), new Uint8Array(0))
            : privateCompare(ctx, v, n, ctx.id === 0 ? s0 : s1, r, beta),
        );
        expect([...run.p2]).toEqual([...F_PC.apply(Ring(ell), { x, r, beta })]);
      }),
      { numRuns: RUNS },
    );
  });

  it('ShareConvert realises F_SC', async () => {
    await fc.assert(
      fc.asyncProperty(
        ringCase((ell) => Ring(ell).modulus),
        async ({ ell, xs, v, seed }) => {
          const run = await run3(ell, seed, (ctx) =>
            shareConvert(ctx, v, xs.length, shareMod(ctx, Ring(ell).modulus, xs)),
          );
          expect(reconstruct(OddRing(ell).modulus, run.p0, run.p1)).toEqual([
            ...F_SC.apply(Ring(ell), BigUint64Array.from(xs)),
          ]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('ComputeMSB realises F_MSB', async () => {
    await fc.assert(
      fc.asyncProperty(
        ringCase((ell) => OddRing(ell).modulus),
        async ({ ell, xs, v, seed }) => {
          const a = BigUint64Array.from(xs);
          expect(F_MSB.inDomain(Ring(ell), a).every(Boolean)).toBe(true);
          const run = await run3(ell, seed, (ctx) =>
            computeMsb(ctx, v, xs.length, shareMod(ctx, OddRing(ell).modulus, xs)),
          );
          expect(reconstruct(Ring(ell).modulus, run.p0, run.p1)).toEqual([...F_MSB.apply(Ring(ell), a)]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('ReLU′ realises F_DReLU on its domain, and its domain is a real restriction', async () => {
    await fc.assert(
      fc.asyncProperty(
        ringCase((ell) => Ring(ell).modulus),
        async ({ ell, xs, v, seed }) => {
          const ring = Ring(ell);
          const a = BigUint64Array.from(xs);
          const run = await run3(ell, seed, (ctx) => drelu(ctx, v, xs.length, shareMod(ctx, ring.modulus, xs)));
          const got = reconstruct(ring.modulus, run.p0, run.p1);
          const want = F_DReLU.apply(ring, a);
          F_DReLU.inDomain(ring, a).forEach((ok, i) => {
            if (ok) expect(got[i]).toBe(want[i]);
          });
        },
      ),
      { numRuns: RUNS },
    );
    // 2^{ℓ−2} is positive, outside the domain, and the protocol reads it as negative.
    const ring = Ring(16);
    const edge = BigUint64Array.of(ring.half >> 1n);
    expect(F_DReLU.inDomain(ring, edge)).toEqual([false]);
    const run = await run3(16, 'outside', (ctx) => drelu(ctx, VARIANTS[0]!, 1, shareMod(ctx, ring.modulus, [...edge])));
    expect([reconstruct(ring.modulus, run.p0, run.p1)[0], F_DReLU.apply(ring, edge)[0]]).toEqual([0n, 1n]);
  });
});
