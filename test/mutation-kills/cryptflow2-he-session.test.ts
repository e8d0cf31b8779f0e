/**
 * Mutation kills for protocols/cryptflow2-he/session.ts (openHe: P0 sends its seeded BFV public key in
 * the 'setup' phase, P1 loads it and acknowledges with the single byte 1). Answers the survivors and
 * the mutants no suite reached:
 *   - the recv labels and the phase each receive happens in, as an observer of a party's view records
 *     them (harness/runner/views.ts logs both per received message);
 *   - P0 against a peer whose acknowledgement is not the single byte 1 (a wrong byte, a second byte);
 *   - P1 against a peer whose public key has the wrong length, or the right length but is not a SEAL
 *     public key: 'decode' errors with their messages.
 * One honest session (production parameters, the only ones openHe uses) plus four short faulty runs.
 */
import { describe, expect, it } from 'vitest';
import { runParties } from '../../harness/network/run.js';
import type { PartyContext, Phase } from '../../protocols/common/party.js';
import { HE_SIZES } from '../../protocols/cryptflow2-he/seal.js';
import { openHe } from '../../protocols/cryptflow2-he/session.js';
import { expectCryptflowRejection } from './support.js';
import { timeout } from '../setup/timeouts.js';

type Program<T> = (ctx: PartyContext) => Promise<T>;

/** Run P0 and P1 on a fresh two-party network with a fixed seed. */
async function run2<A, B>(p0: Program<A>, p1: Program<B>, seed: string): Promise<readonly [A, B]> {
  const { outputs } = await runParties([p0, p1], { ell: 16, seed });
  return outputs;
}

interface Event {
  readonly dir: 'sent' | 'received';
  readonly what: string | undefined;
  readonly phase: Phase;
  readonly bytes: number;
}

/** `ctx` with every send and receive (its label, the phase it happens in, its length) appended to `log`. */
function observed(ctx: PartyContext, log: Event[]): PartyContext {
  let phase: Phase = 'compute';
  return {
    ...ctx,
    send: (to, bytes) => {
      log.push({ dir: 'sent', what: undefined, phase, bytes: bytes.length });
      ctx.send(to, bytes);
    },
    recv: async (from, what) => {
      const bytes = await ctx.recv(from, what);
      log.push({ dir: 'received', what, phase, bytes: bytes.length });
      return bytes;
    },
    inPhase: (p, f) =>
      ctx.inPhase(p, async () => {
        const before = phase;
        phase = p;
        try {
          return await f();
        } finally {
          phase = before;
        }
      }),
  };
}

/** A P0 that sends `key` as its public key and returns what P1 acknowledged. */
const fakeClient =
  (key: Uint8Array): Program<Uint8Array> =>
  async (ctx) => {
    ctx.send(1, key);
    return ctx.recv(1);
  };

/** A P1 that takes P0's public key and acknowledges with `ack`. */
const fakeServer =
  (ack: Uint8Array): Program<null> =>
  async (ctx) => {
    await ctx.recv(0);
    ctx.send(0, ack);
    return null;
  };

describe('cryptflow2-he session', () => {
  /**
   * Kills L61 StringLiteral, L67 StringLiteral ×2 (the 'setup' phase of P1's receive and its label) and
   * L82 StringLiteral (the phase of P1's acknowledgement).
   */
  it(
    'each party sends once and receives once, in the setup phase, under its label',
    async () => {
      const log0: Event[] = [];
      const log1: Event[] = [];
      const [c, s] = await run2(
        (ctx) => openHe(observed(ctx, log0)),
        (ctx) => openHe(observed(ctx, log1)),
        'he-session-labels',
      );
      expect([c.role, s.role]).toEqual(['client', 'server']);
      expect(log0).toEqual([
        { dir: 'sent', what: undefined, phase: 'setup', bytes: HE_SIZES.publicKey },
        { dir: 'received', what: 'HE key acknowledgement', phase: 'setup', bytes: 1 },
      ]);
      expect(log1).toEqual([
        { dir: 'received', what: 'HE public key', phase: 'setup', bytes: HE_SIZES.publicKey },
        { dir: 'sent', what: undefined, phase: 'setup', bytes: 1 },
      ]);
    },
    timeout(30_000),
  );

  /**
   * Kills L62 ConditionalExpression false (the whole test), L62 ConditionalExpression false on
   * `ack[0] !== 1`, L63 StringLiteral ×2.
   */
  it(
    'P0 refuses an acknowledgement whose byte is not 1',
    async () => {
      await expectCryptflowRejection(
        () => run2((ctx) => openHe(ctx), fakeServer(Uint8Array.of(2)), 'he-session-ack-byte'),
        'decode',
        /^HE key acknowledgement from P1: expected the single byte 1$/,
      );
    },
    timeout(30_000),
  );

  /**
   * Kills L62 ConditionalExpression false on `ack.length !== 1` and L62 LogicalOperator (&&): the first
   * byte is 1, only the length is wrong.
   */
  it(
    'P0 refuses an acknowledgement of two bytes',
    async () => {
      await expectCryptflowRejection(
        () => run2((ctx) => openHe(ctx), fakeServer(Uint8Array.of(1, 1)), 'he-session-ack-long'),
        'decode',
        /^HE key acknowledgement from P1: expected the single byte 1$/,
      );
    },
    timeout(30_000),
  );

  /** Kills L68 ConditionalExpression false, L70 and L71 StringLiteral. */
  it(
    'P1 refuses a public key of the wrong length, naming both lengths',
    async () => {
      await expectCryptflowRejection(
        () => run2(fakeClient(new Uint8Array(HE_SIZES.publicKey - 1)), (ctx) => openHe(ctx), 'he-session-key-short'),
        'decode',
        new RegExp(`^HE public key from P0: expected ${HE_SIZES.publicKey} bytes, got ${HE_SIZES.publicKey - 1}$`),
      );
    },
    timeout(30_000),
  );

  /** Kills L76 BlockStatement and L78 StringLiteral ×2: right length, not a SEAL public key. */
  it(
    'P1 refuses a public key of the right length that SEAL cannot load, and sends no acknowledgement',
    async () => {
      const acks: Uint8Array[] = [];
      await expectCryptflowRejection(
        () =>
          run2(
            async (ctx) => {
              acks.push(await fakeClient(new Uint8Array(HE_SIZES.publicKey).fill(0x5a))(ctx));
              return null;
            },
            (ctx) => openHe(ctx),
            'he-session-key-bad',
          ),
        'decode',
        /^HE public key from P0 is not a valid SEAL public key for these parameters$/,
      );
      expect(acks).toEqual([]);
    },
    timeout(30_000),
  );
});
