/**
 * Shared helpers of the non-linear protocol suites: zero-cost input sharing over Z_{2^ℓ} and
 * Z_{2^ℓ−1}, reconstruction, a three-party runner that returns P0's and P1's output shares and the
 * meter, test values with the ring's edge cases, and a chi-square test of uniformity with its critical
 * value computed from the regularised incomplete gamma function.
 */
import fc from 'fast-check';
import { runParties } from '../../../harness/network/run.js';
import type { MeterReading } from '../../../harness/network/meter.js';
import {
  peerOf,
  roleOf,
  type HelperContext,
  type HolderContext,
  type PartyContext,
} from '../../../protocols/common/party.js';
import { asShare, type RingShare } from '../../../protocols/common/sharing.js';
import { PORTHOS, SECURENN, type Variant } from '../../../protocols/securenn-family/nonlinear/variant.js';
import { Prg, keysFromSeed } from '../../../protocols/common/prg.js';
import type { Cost } from '../../../spec/cost/types.js';
import { chiSquareSurvival } from '../../../harness/conformance/stats.js';

export const VARIANTS: readonly Variant[] = [PORTHOS, SECURENN];
export const RINGS = [16, 32, 64] as const;
export const SLOW = process.env['CRYPTFLOW_SLOW'] === '1';
/** The fewest runs a property takes in `npm test` (each of this folder's properties runs in well under a second). */
export const MIN_RUNS = 50;
/** Runs of a property: at least MIN_RUNS, ten times as many (and at least 500) with CRYPTFLOW_SLOW. */
export const runs = (n: number): number => (SLOW ? Math.max(10 * MIN_RUNS, n * 10) : Math.max(MIN_RUNS, n));

export const pow2 = (ell: number): bigint => 1n << BigInt(ell);
export const odd = (ell: number): bigint => pow2(ell) - 1n;

/**
 * Share `values` (known to the test) between P0 and P1 modulo m at no communication: P0 holds
 * v + r, P1 holds −r, with r from their common PRG (as shareInput does over Z_{2^ℓ}). P2 gets [].
 */
export function shareMod(ctx: PartyContext, m: bigint, values: readonly bigint[]): BigUint64Array {
  if (ctx.id === 2) return new BigUint64Array(0);
  const r = ctx.shared(peerOf(ctx.id)).below(m, values.length);
  return ctx.id === 0 ? r.map((x, i) => (((values[i] as bigint) % m) + x) % m) : r.map((x) => (m - x) % m);
}

/** A holder's shares of values mod m (P0 holds value + r, P1 holds −r; r from their shared PRG). */
export function shareHeld(ctx: HolderContext, m: bigint, values: readonly bigint[]): RingShare {
  return asShare(shareMod(ctx, m, values));
}

export function reconstruct(m: bigint, a: BigUint64Array, b: BigUint64Array): bigint[] {
  return [...a].map((x, i) => (x + (b[i] as bigint)) % m);
}

export interface Run<T> {
  readonly p0: T;
  readonly p1: T;
  readonly p2: T;
  readonly meter: MeterReading;
}

type Deliver = <T>(p: Promise<T>, label: string) => Promise<T>;

/** Run the same program on all three parties. */
export async function run3<T>(
  ell: number,
  seed: string,
  program: (ctx: PartyContext) => Promise<T>,
  deliver?: Deliver,
): Promise<Run<T>> {
  const { outputs, meter } = await runParties(
    [program, program, program],
    deliver === undefined ? { ell, seed } : { ell, seed, deliver },
  );
  return { p0: outputs[0], p1: outputs[1], p2: outputs[2], meter };
}

/**
 * Run a role-split protocol: P0 and P1 run `holder` (with their index), P2 runs `helper` and outputs
 * an empty array.
 */
export function run3Roles<T>(
  ell: number,
  seed: string,
  holder: (ctx: HolderContext, j: 0 | 1) => Promise<T>,
  helper: (ctx: HelperContext) => Promise<void>,
  deliver?: Deliver,
): Promise<Run<T | BigUint64Array>> {
  return run3(
    ell,
    seed,
    async (ctx): Promise<T | BigUint64Array> => {
      const r = roleOf(ctx);
      if (r.role === 'holder') return holder(r.ctx, r.j);
      await helper(r.ctx);
      return new BigUint64Array(0);
    },
    deliver,
  );
}

/**
 * A `deliver` hook that lets fast-check's scheduler pick the order in which arrived messages are
 * delivered. The arrival is scheduled only once it has happened: the scheduler awaits the task it
 * releases, so scheduling a message that has not been sent yet (its sender waiting on another
 * scheduled delivery) would block the scheduler for good.
 */
export function scheduled(s: fc.Scheduler): Deliver {
  return <T>(p: Promise<T>, label: string): Promise<T> => p.then((m) => s.schedule(Promise.resolve(m), label));
}

/** The metered reading as a Cost, to compare with spec/cost/nonlinear.ts with toEqual. */
export function measured(m: MeterReading): Cost {
  return { links: m.links, rounds: m.rounds };
}

/** Signed value s as a ring element. */
export const ringOf = (ell: number, s: bigint): bigint => BigInt.asUintN(ell, s);

/** The edge values of signed [lo, hi) (both ends, 0, ±1 where inside). */
export function edges(lo: bigint, hi: bigint): bigint[] {
  return [lo, lo + 1n, -1n, 0n, 1n, hi - 2n, hi - 1n].filter((s) => s >= lo && s < hi);
}

/** Arbitrary: n signed values in [lo, hi) mixed with its edge values, as ring elements. */
export function signedValues(ell: number, lo: bigint, hi: bigint, maxLength: number): fc.Arbitrary<bigint[]> {
  const one = fc.oneof(fc.bigInt({ min: lo, max: hi - 1n }), fc.constantFrom(...edges(lo, hi)));
  return fc.array(one, { minLength: 1, maxLength, size: 'max' }).map((xs) => xs.map((s) => ringOf(ell, s)));
}

/** A deterministic stream of test values (seeded AES-CTR, not protocol randomness). */
export function testPrg(seed: string): Prg {
  return new Prg(keysFromSeed(`test-values:${seed}`)[0].own);
}

// ---- chi-square (one implementation: harness/conformance/stats.ts) ------------------------------

/** P(χ²_dof ≥ stat). */
export const chiSquareTail = (stat: number, dof: number): number => chiSquareSurvival(stat, dof);

/** The critical value x with P(χ²_dof ≥ x) = alpha (bisection). */
export function chiSquareCritical(dof: number, alpha: number): number {
  let lo = 0;
  let hi = 10 * dof + 200;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (chiSquareTail(mid, dof) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** False-alarm rate of each uniformity test. */
export const FALSE_ALARM = 1e-6;
export const TOP_BITS = 4;

/** χ² statistic of the top `TOP_BITS` bits of values in [0, m) (equal-width bins of m / 16). */
export function chiSquareTopBits(values: readonly bigint[], m: bigint): number {
  const bins = 1 << TOP_BITS;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const bin = Number((v * BigInt(bins)) / m);
    counts[bin] = (counts[bin] as number) + 1;
  }
  const expected = values.length / bins;
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

/** Does the sample pass the uniformity test at FALSE_ALARM? */
export function looksUniform(values: readonly bigint[], m: bigint): boolean {
  return chiSquareTopBits(values, m) < chiSquareCritical((1 << TOP_BITS) - 1, FALSE_ALARM);
}
