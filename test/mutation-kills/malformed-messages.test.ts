/**
 * Every message a protocol receives is checked before use, and a malformed one is a 'decode' error
 * that names the sender and the protocol step (codec.ts: "a short, long or out-of-range message is a
 * 'decode' error naming the sender, never its contents").
 *
 * Method: run a protocol honestly once, recording every receive of every party (sender and the `what`
 * label the protocol passes to `ctx.recv`); then, for each recorded receive in turn, rerun with that
 * one message damaged on arrival — one byte short (one byte long if it was empty), or every byte 0xFF at a ring width where that is
 * out of range (ℓ = 12: two bytes per element; Z_p elements are single bytes, p < 256; Z_{2^ℓ−1}
 * excludes 2^ℓ − 1). The run must fail with exactly
 *     message from P<sender> (<label>): expected … bytes, got …   /   … element 0 is out of range
 * where <label> is the non-empty label recorded for that receive and the byte counts are the whole
 * message's (honest and damaged length), not those of one part of it. Protocols: Beaver, reveal and open,
 * ReLU′ (PrivateCompare, ShareConvert, ComputeMSB), ReLU (SelectShare), MaxPool with and without the
 * index, ArgMax, both variants.
 */
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { Ring } from '../../spec/ring.js';
import { runParties, type PartyProgram } from '../../harness/network/run.js';
import { argmax, beaver, drelu, maxPool, relu } from '../protocols/by-role.js';
import { PORTHOS, SECURENN, type Variant } from '../../protocols/securenn-family/nonlinear/variant.js';
import { hadamard } from '../../protocols/securenn-family/nonlinear/arith.js';
import { roleOf, type PartyContext, type PartyId } from '../../protocols/common/party.js';
import { asShare, open, reveal, shareInput } from '../../protocols/common/sharing.js';

interface Receive {
  readonly party: PartyId;
  readonly from: PartyId;
  readonly what: string;
  readonly length: number;
}

type Damage = (bytes: Uint8Array) => Uint8Array;

/** One byte short, or (an empty message) one byte long. */
const resize: Damage = (b) => (b.length > 0 ? b.subarray(0, b.length - 1) : new Uint8Array(1));
const saturate: Damage = (b) => new Uint8Array(b.length).fill(0xff);

/** The program with every receive recorded, and the `target`-th receive overall damaged. */
function instrumented<T>(
  party: PartyId,
  program: PartyProgram<T>,
  log: Receive[],
  target: { index: number; damage: Damage } | null,
  counter: { n: number },
): PartyProgram<T> {
  return (ctx) => {
    const wrapped: PartyContext = {
      ...ctx,
      recv: async (from, what) => {
        const bytes = await ctx.recv(from, what);
        const index = counter.n++;
        log.push({ party, from, what: what ?? '', length: bytes.length });
        return target !== null && target.index === index ? target.damage(bytes) : bytes;
      },
    };
    return program(wrapped);
  };
}

/** Runs the program honestly (returns its receives), then once per receive and damage kind. */
async function expectEveryReceiveChecked(
  ell: number,
  program: PartyProgram<unknown>,
  damages: readonly Damage[],
): Promise<number> {
  const honest: Receive[][] = [[], [], []];
  await runParties(
    [0, 1, 2].map((p) => instrumented(p as PartyId, program, honest[p] as Receive[], null, { n: 0 })) as [
      PartyProgram<unknown>,
      PartyProgram<unknown>,
      PartyProgram<unknown>,
    ],
    { ell, seed: 'malformed' },
  );
  let checked = 0;
  for (const party of [0, 1, 2] as const) {
    const receives = honest[party] as Receive[];
    for (let index = 0; index < receives.length; index++) {
      const r = receives[index] as Receive;
      expect(r.what, `P${party} receive ${index} from P${r.from} has a label`).not.toBe('');
      for (const damage of damages) {
        if (damage === saturate && r.length === 0) continue;
        const programs = [0, 1, 2].map((p) =>
          instrumented(p as PartyId, program, [], p === party ? { index, damage } : null, { n: 0 }),
        ) as [PartyProgram<unknown>, PartyProgram<unknown>, PartyProgram<unknown>];
        let caught: unknown = null;
        try {
          await runParties(programs, { ell, seed: 'malformed' });
        } catch (e) {
          caught = e;
        }
        expect(caught, `P${party} receive ${index} (${r.what}) damaged`).toBeInstanceOf(CryptflowError);
        const err = caught as CryptflowError;
        expect(err.code).toBe('decode');
        const prefix = `message from P${r.from} (${r.what}): `;
        expect(err.message.startsWith(prefix), `"${err.message}" starts with "${prefix}"`).toBe(true);
        const damaged = damage(new Uint8Array(r.length)).length;
        expect(err.message.slice(prefix.length)).toBe(
          damage === resize ? `expected ${r.length} bytes, got ${damaged}` : 'element 0 is out of range',
        );
        checked++;
      }
    }
  }
  return checked;
}

const ELL = 12;
const N = 3;
const values = (ell: number, xs: readonly bigint[]): BigUint64Array =>
  BigUint64Array.from(xs.map((x) => Ring(ell).reduce(x)));
const X = values(ELL, [5n, -7n, 300n]);
const Y = values(ELL, [-2n, 9n, 1n]);

/** x shared from P0, y from P1 (no messages). */
function inputs(ctx: PartyContext): { x: BigUint64Array; y: BigUint64Array } {
  return {
    x: shareInput(ctx, 0, [N], ctx.id === 0 ? X : undefined).share,
    y: shareInput(ctx, 1, [N], ctx.id === 1 ? Y : undefined).share,
  };
}

describe('malformed messages are decode errors naming sender and step', () => {
  it('Beaver product', async () => {
    const n = await expectEveryReceiveChecked(
      ELL,
      async (ctx) => {
        const { x, y } = inputs(ctx);
        return beaver(ctx, hadamard(ELL, N), x, y);
      },
      [resize, saturate],
    );
    expect(n).toBeGreaterThanOrEqual(6);
  });

  it('reveal to each party, and open', async () => {
    for (const to of [0, 1, 2] as const) {
      await expectEveryReceiveChecked(
        ELL,
        async (ctx) => reveal(ctx, shareInput(ctx, 0, [N], ctx.id === 0 ? X : undefined), to),
        [resize, saturate],
      );
    }
    await expectEveryReceiveChecked(
      ELL,
      async (ctx) => {
        const role = roleOf(ctx);
        return role.role === 'helper' ? null : open(role.ctx, asShare(inputs(ctx).x), 'opening under test');
      },
      [resize, saturate],
    );
  });

  it.each([PORTHOS, SECURENN])('ReLU′ and ReLU, $name', async (v: Variant) => {
    await expectEveryReceiveChecked(
      ELL,
      async (ctx) => drelu(ctx, v, N, ctx.id === 2 ? new BigUint64Array(0) : inputs(ctx).x),
      [resize, saturate],
    );
    await expectEveryReceiveChecked(
      ELL,
      async (ctx) => relu(ctx, v, N, ctx.id === 2 ? new BigUint64Array(0) : inputs(ctx).x),
      [resize],
    );
  });

  it.each([PORTHOS, SECURENN])('MaxPool and ArgMax, $name', async (v: Variant) => {
    const windows = Int32Array.of(0, 1, 1, 2);
    await expectEveryReceiveChecked(
      ELL,
      async (ctx) => maxPool(ctx, v, ctx.id === 2 ? new BigUint64Array(0) : inputs(ctx).x, windows, 2, 2),
      [resize],
    );
    await expectEveryReceiveChecked(
      ELL,
      async (ctx) => argmax(ctx, v, ctx.id === 2 ? new BigUint64Array(0) : inputs(ctx).x, 1, 3),
      [resize],
    );
  });
});
