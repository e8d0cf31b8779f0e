/**
 * The prime of PrivateCompare pinned by behaviour, not by a literal: Porthos's p = 127 and SecureNN's
 * p = 67 are what the parties really put on the wire and what they accept.
 *
 *   - Support: over 120 runs of PrivateCompare (n = 3, ℓ = 8) with P2's view recorded, every Z_p byte
 *     P2 receives from P0 (d⁰) and from P1 (d¹) lies in [0, p) and every value of [0, p) occurs — so a
 *     different prime (131, 113, …) changes what is seen and fails here. (Each of the 2,880 uniform
 *     draws per link misses a given value with probability 1 − 1/p; all p values occur except with
 *     probability below p·(1 − 1/p)^2880 < 10⁻⁷, and the seeds are fixed.)
 *   - Decode bound in the running protocol: P0's first field element to P2 replaced by p makes P2
 *     fail with a decode error naming P0 and the step (never the value); replaced by p − 1 the run
 *     completes. (test/mutation-kills/codec-context.test.ts checks recvField itself at p and p − 1.)
 * The exact correctness of PrivateCompare at the production primes for every (x, r, β) at ℓ = 2…5 is
 * small-rings.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { observe, privateCompareCase, viewKeys } from '../../../harness/security/index.js';
import { runParties } from '../../../harness/network/run.js';
import { CryptflowError } from '../../../spec/errors.js';
import type { PartyContext } from '../../../protocols/common/party.js';
import { PORTHOS, SECURENN, type Variant } from '../../../protocols/securenn-family/nonlinear/variant.js';

const ELL = 8;
const RUNS = 60;

async function receivedByP2(v: Variant): Promise<{ from0: number[]; from1: number[] }> {
  const setup = privateCompareCase(v, ELL).setup(2, viewKeys(2, 'pin|fixed', 'pin|honest')[2]);
  const from0: number[] = [];
  const from1: number[] = [];
  for (let i = 0; i < 2 * RUNS; i++) {
    const { view } = await observe(setup.programs(i % 2 === 0 ? 'A' : 'B'), {
      ell: ELL,
      corrupted: 2,
      keys: viewKeys(2, 'pin|fixed', `pin|honest|${v.name}|${i}`),
    });
    for (const m of view.received[0]) from0.push(...m);
    for (const m of view.received[1]) from1.push(...m);
  }
  return { from0, from1 };
}

/** P0's first message to P2 with its first byte replaced by `byte`. */
function p0Sends(byte: number): (ctx: PartyContext) => PartyContext {
  return (ctx) => {
    if (ctx.id !== 0) return ctx;
    let first = true;
    return {
      ...ctx,
      send: (to, bytes) => {
        if (to === 2 && first) {
          first = false;
          const out = bytes.slice();
          out[0] = byte;
          ctx.send(to, out);
          return;
        }
        ctx.send(to, bytes);
      },
    };
  };
}

describe('PrivateCompare’s prime, pinned by what crosses the wire', () => {
  it.each([
    ['Porthos', 127, PORTHOS],
    ['SecureNN', 67, SECURENN],
  ] as const)('%s: P2 receives exactly the values 0 … %i − 1 from P0 and from P1', async (_, p, v) => {
    const { from0, from1 } = await receivedByP2(v);
    for (const values of [from0, from1]) {
      expect(values.length).toBe(2 * RUNS * 3 * ELL);
      const seen = new Set(values);
      expect(Math.max(...seen)).toBe(p - 1);
      expect(seen.size).toBe(p);
    }
  });

  it.each([
    ['Porthos', 127, PORTHOS],
    ['SecureNN', 67, SECURENN],
  ] as const)('%s: a field element equal to %i from P0 stops P2 with a decode error; p − 1 passes', async (_, p, v) => {
    const setup = privateCompareCase(v, ELL).setup(2, viewKeys(2, 'pin|fixed', 'pin|honest')[2]);
    const run = (byte: number) =>
      runParties(
        setup.programs('A').map((prog) => (ctx: PartyContext) => prog(p0Sends(byte)(ctx))),
        { ell: ELL, seed: 'pin|send-p' },
      );
    let caught: unknown = null;
    try {
      await run(p);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CryptflowError);
    expect((caught as CryptflowError).code).toBe('decode');
    expect((caught as CryptflowError).message).toMatch(/^message from P0 \([^)]+\): element 0 is out of range$/);
    await expect(run(p - 1)).resolves.toBeDefined();
  });
});
