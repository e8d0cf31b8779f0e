/**
 * Each output share alone is uniform: for every protocol, variant and ℓ ∈ {16, 32, 64}, run on N
 * elements that all hold the same value and test the top 4 bits of P0's and of P1's output shares with
 * a χ² test (15 degrees of freedom) at a false-alarm rate of 10⁻⁶ per test; the suite runs about 100
 * such tests, so a false alarm anywhere has probability about 10⁻⁴ per run.
 */
import { describe, expect, it } from 'vitest';
import { argmax, computeMsb, drelu, maxPool, relu, selectShare, shareConvert } from '../by-role.js';
import type { Variant } from '../../../protocols/securenn-family/nonlinear/variant.js';
import type { PartyContext } from '../../../protocols/common/party.js';
import {
  chiSquareCritical,
  chiSquareTail,
  chiSquareTopBits,
  FALSE_ALARM,
  looksUniform,
  odd,
  pow2,
  RINGS,
  run3,
  shareMod,
  SLOW,
  testPrg,
  VARIANTS,
} from './support.js';

const N = SLOW ? 8192 : 1024;

interface Output {
  readonly name: string;
  /** The modulus the output shares live in. */
  readonly modulus: (ell: number) => bigint;
  /** The program: every element holds the same value (a function of ℓ). */
  readonly program: (v: Variant, ell: number) => (ctx: PartyContext) => Promise<BigUint64Array>;
}

const same = (n: number, x: bigint): bigint[] => new Array<bigint>(n).fill(x);
const minusOne = (ell: number): bigint => pow2(ell) - 1n;

const OUTPUTS: readonly Output[] = [
  {
    name: 'ShareConvert',
    modulus: odd,
    program: (v, ell) => (ctx) => shareConvert(ctx, v, N, shareMod(ctx, pow2(ell), same(N, 6n))),
  },
  {
    name: 'ComputeMSB',
    modulus: pow2,
    program: (v, ell) => (ctx) => computeMsb(ctx, v, N, shareMod(ctx, odd(ell), same(N, pow2(ell - 1)))),
  },
  {
    name: 'ReLU′',
    modulus: pow2,
    program: (v, ell) => (ctx) => drelu(ctx, v, N, shareMod(ctx, pow2(ell), same(N, minusOne(ell)))),
  },
  { name: 'ReLU', modulus: pow2, program: (v, ell) => (ctx) => relu(ctx, v, N, shareMod(ctx, pow2(ell), same(N, 3n))) },
  {
    name: 'SelectShare',
    modulus: pow2,
    program: (_v, ell) => (ctx) =>
      selectShare(
        ctx,
        N,
        shareMod(ctx, pow2(ell), same(N, 1n)),
        shareMod(ctx, pow2(ell), same(N, 0n)),
        shareMod(ctx, pow2(ell), same(N, 0n)),
      ),
  },
  {
    name: 'MaxPool maximum',
    modulus: pow2,
    program: (v, ell) => async (ctx) =>
      (
        await maxPool(
          ctx,
          v,
          shareMod(ctx, pow2(ell), [0n, 4n]),
          new Int32Array(2 * N).map((_, i) => i % 2),
          N,
          2,
        )
      ).max,
  },
  {
    name: 'ArgMax index',
    modulus: pow2,
    program: (v, ell) => async (ctx) =>
      (await argmax(ctx, v, shareMod(ctx, pow2(ell), same(3 * N, 2n)), N, 3)).index ?? new BigUint64Array(0),
  },
];

describe('output shares are uniform (χ² on the top 4 bits, false alarm 10⁻⁶ per test)', () => {
  for (const out of OUTPUTS) {
    it(`${out.name}: P0's and P1's shares, both variants, ℓ ∈ {16, 32, 64}`, async () => {
      for (const v of VARIANTS) {
        for (const ell of RINGS) {
          const run = await run3(ell, `uniform-${out.name}-${v.name}-${ell}`, out.program(v, ell));
          for (const share of [run.p0, run.p1]) {
            expect(share.length).toBe(N);
            const stat = chiSquareTopBits([...share], out.modulus(ell));
            expect(stat, `${out.name} ${v.name} ℓ=${ell}: χ² = ${stat.toFixed(1)}`).toBeLessThan(
              chiSquareCritical(15, FALSE_ALARM),
            );
          }
        }
      }
    });
  }

  it('the test has power: it rejects constant shares and shares missing the top 16th of the ring', () => {
    const m = pow2(32);
    expect(looksUniform(same(N, 12345n), m)).toBe(false);
    const prg = testPrg('power');
    const skewed = [...prg.ring(32, N)].map((x) => (x * 15n) / 16n);
    expect(looksUniform(skewed, m)).toBe(false);
    expect(looksUniform([...prg.ring(32, N)], m)).toBe(true);
  });

  it('the critical value matches the χ² distribution (15 dof: P(χ² ≥ 30.58) = 0.01; P(χ² ≥ 56.493) = 10⁻⁶, values from scipy.stats.chi2)', () => {
    expect(chiSquareTail(30.578, 15)).toBeCloseTo(0.01, 4);
    expect(chiSquareTail(15, 15)).toBeCloseTo(0.4514, 3);
    expect(chiSquareCritical(15, 0.01)).toBeCloseTo(30.578, 2);
    expect(chiSquareCritical(15, FALSE_ALARM)).toBeCloseTo(56.493, 2);
  });
});
