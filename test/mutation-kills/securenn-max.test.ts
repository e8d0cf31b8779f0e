/**
 * Mutation kills for protocols/securenn-family/nonlinear/max.ts (sweep of 2026-12-07):
 *   - line 79 (EqualityOperator ctx.id !== 0): P1 rather than P0 would hold the public constants 1
 *     (of β = 1 − ReLU′) and t (of t − ind). The reconstructed values and the output shares are the
 *     same either way, but each holder's Beaver opening differs, so the test replays one ArgMax step
 *     from its parts (ReLU′, then one Beaver product over 2R) on the same seed and compares every
 *     message each party sends.
 *   - line 144 (StringLiteral ''): argmaxHelper's group check must name ArgMax in its defect message.
 */
import { describe, expect, it } from 'vitest';
import { runParties } from '../../harness/network/run.js';
import { roleOf, type PartyContext, type PartyId } from '../../protocols/common/party.js';
import { hadamard } from '../../protocols/securenn-family/nonlinear/arith.js';
import { argmaxHelper } from '../../protocols/securenn-family/nonlinear/max.js';
import { SECURENN, type Variant } from '../../protocols/securenn-family/nonlinear/variant.js';
import { InvariantViolation } from '../../spec/errors.js';
import { Ring } from '../../spec/ring.js';
import { argmax, beaver, drelu } from '../protocols/by-role.js';
import { reconstruct, shareMod, VARIANTS } from '../protocols/nonlinear/support.js';
import { freshTraffic, recording, type Traffic } from './traffic-support.js';

const ELL = 32;
const M = Ring(ELL).modulus;
const ring = (s: bigint): bigint => BigInt.asUintN(ELL, s);

/** Three rows of two cells each (row-major): maxima 5, 0, −3 at indices 1, 0, 0. */
const ROWS = 3;
const VALUES: readonly bigint[] = [ring(-2n), 5n, 0n, ring(-7n), ring(-3n), ring(-3n)];

function concat(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const out = new BigUint64Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Every party's program run on the same seed, each with its traffic recorded; the outputs in party order. */
async function recorded<T>(
  seed: string,
  program: (ctx: PartyContext) => Promise<T>,
): Promise<{ outputs: readonly [T, T, T]; traffic: readonly [Traffic, Traffic, Traffic] }> {
  const traffic = [freshTraffic(), freshTraffic(), freshTraffic()] as const;
  const at = (id: PartyId) => (ctx: PartyContext) => program(recording(ctx, traffic[id]));
  const { outputs } = await runParties([at(0), at(1), at(2)], { ell: ELL, seed });
  return { outputs, traffic };
}

/** A holder's index shares, which ArgMax always tracks. */
function tracked(index: BigUint64Array | null): BigUint64Array {
  if (index === null) throw new Error('ArgMax returned no index');
  return index;
}

/** P0's constant c and P1's 0, on every one of `n` elements (a sharing of c held by P0). */
const constantOf = (ctx: PartyContext, c: bigint, n: number): BigUint64Array =>
  new BigUint64Array(n).fill(ctx.id === 0 ? c : 0n);

/**
 * One ArgMax step over rows of two cells, by the formulas of max.ts's header: β = 1 − ReLU′(m − x1),
 * then one Beaver product of (β, β) by (x1 − m, 1 − ind) with ind = 0, the public constants held by P0.
 */
async function replayedStep(ctx: PartyContext, v: Variant): Promise<BigUint64Array> {
  const x = shareMod(ctx, M, VALUES);
  if (ctx.id === 2) {
    await drelu(ctx, v, ROWS, new BigUint64Array(0));
    return beaver(ctx, hadamard(ELL, 2 * ROWS), new BigUint64Array(0), new BigUint64Array(0));
  }
  const L = Ring(ELL);
  const x0 = new BigUint64Array(ROWS).map((_, w) => x[2 * w] as bigint);
  const x1 = new BigUint64Array(ROWS).map((_, w) => x[2 * w + 1] as bigint);
  const d = await drelu(
    ctx,
    v,
    ROWS,
    x0.map((a, w) => (a - (x1[w] as bigint) + L.modulus) % L.modulus),
  );
  const one = constantOf(ctx, 1n, ROWS);
  const beta = one.map((c, w) => (c - (d[w] as bigint) + L.modulus) % L.modulus);
  const step = x1.map((b, w) => (b - (x0[w] as bigint) + L.modulus) % L.modulus);
  return beaver(ctx, hadamard(ELL, 2 * ROWS), concat(beta, beta), concat(step, one));
}

describe('SecureNN ArgMax: which holder holds the public constants', () => {
  /**
   * Pins max.ts:79 (EqualityOperator ctx.id !== 0): ArgMax over rows of two cells sends, party by
   * party and message by message, exactly the bytes of the replayed step in which P0 holds the
   * constants 1 and t; moving them to P1 shifts each holder's share of the Beaver opening by ∓1.
   */
  it('sends the bytes of ReLU′ and one Beaver product with P0 holding the constants', async () => {
    for (const v of VARIANTS) {
      const seed = `securenn max constants ${v.name}`;
      const real = await recorded(seed, (ctx) => argmax(ctx, v, shareMod(ctx, M, VALUES), ROWS, 2));
      const replay = await recorded(seed, (ctx) => replayedStep(ctx, v));
      expect(reconstruct(M, real.outputs[0].max, real.outputs[1].max)).toEqual([5n, 0n, ring(-3n)]);
      expect(reconstruct(M, tracked(real.outputs[0].index), tracked(real.outputs[1].index))).toEqual([1n, 0n, 0n]);
      for (const id of [0, 1, 2] as const) {
        for (const to of [0, 1, 2] as const) {
          const sent = real.traffic[id].sent.get(to) ?? [];
          const expected = replay.traffic[id].sent.get(to) ?? [];
          expect(
            sent.map((b) => [...b]),
            `P${id} → P${to} under ${v.name}`,
          ).toEqual(expected.map((b) => [...b]));
        }
      }
      expect(real.traffic[0].sent.get(1)?.length ?? 0).toBeGreaterThan(0);
    }
  });
});

describe('SecureNN ArgMax: the helper rejects an ill-formed group count', () => {
  /** Pins max.ts:144 (StringLiteral ''): P2's ArgMax names the operator and the sizes in its defect message. */
  it('fails with "ArgMax over -1 groups of 2" and "ArgMax over 1 groups of 0"', async () => {
    const { outputs } = await runParties(
      [0, 1, 2].map(() => async (ctx: PartyContext): Promise<string[]> => {
        const r = roleOf(ctx);
        if (r.role === 'holder') return [];
        const messages: string[] = [];
        for (const [rows, cols] of [
          [-1, 2],
          [1, 0],
        ] as const) {
          try {
            await argmaxHelper(r.ctx, SECURENN, rows, cols);
            messages.push('no error');
          } catch (e) {
            expect(e).toBeInstanceOf(InvariantViolation);
            messages.push(e instanceof Error ? e.message : String(e));
          }
        }
        return messages;
      }),
      { ell: ELL, seed: 'securenn max helper checks' },
    );
    expect(outputs[2]).toEqual([
      'internal error (please report): ArgMax over -1 groups of 2',
      'internal error (please report): ArgMax over 1 groups of 0',
    ]);
  });
});
