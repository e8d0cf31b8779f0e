/**
 * Mutation kills for protocols/malicious3/session.ts (the malicious backend's session: openings, the
 * batched MAC check, the checked reveal). What the tamper suite leaves open:
 *
 *   - each abort names its check in the documented form "abort: <check> failed; no output is
 *     released": the check value's holders disagreeing, an output component's holders disagreeing, a
 *     coin component that differs between its two holders ("coin check", not a later MAC failure);
 *   - a fresh session has nothing pending (its check sends nothing); `agree` alone makes a check
 *     pending, and values the parties recorded differently abort it;
 *   - the digest each party sends is SHA-256 of exactly what was recorded since the last check (not
 *     what came before it);
 *   - `openChecked` of several values at once returns each value;
 *   - the check's random combination is keyed by the coin all three parties drew: a MAC forgery
 *     crafted to cancel under the coefficients of an all-zero coin is caught.
 *
 * Argued equivalent (scripts/mutation/equivalent/protocols__malicious3__session.json): the
 * `bilinear` spread in `mult` (an explicit `bilinear: undefined` is read as absent) and the length
 * and bound guards of the private `equal` (every call compares equal-length arrays).
 */
import { describe, expect, it } from 'vitest';
import { runParties } from '../../harness/network/run.js';
import { platform } from '../../platform/index.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { Prg } from '../../protocols/common/prg.js';
import { encode } from '../../protocols/malicious3/convert.js';
import { add, fromBigints, toBigints, type Z128 } from '../../protocols/malicious3/ring.js';
import { drawZ, m3Params, type Auth } from '../../protocols/malicious3/rss.js';
import { M3_MESSAGES, Session } from '../../protocols/malicious3/session.js';
import type { Corruption } from '../../protocols/malicious3/wire.js';
import { expectCryptflowRejection } from './support.js';

const k = 16;
const s = 8;
const m = k + s;
const params = m3Params(k, s);

type Wrap = (ctx: PartyContext) => PartyContext;

/** Run `prog` on three sessions; `wrap` may stand between a party and its network. */
async function run3<T>(
  seed: string,
  prog: (st: Session) => Promise<T>,
  opts: { corruption?: Corruption; wrap?: Wrap } = {},
): Promise<readonly [T, T, T]> {
  const p = (ctx: PartyContext): Promise<T> =>
    prog(new Session(opts.wrap === undefined ? ctx : opts.wrap(ctx), params, opts.corruption));
  return (await runParties([p, p, p], { ell: k, seed })).outputs;
}

/** A context that passes every call through, with `send` and `recv` replaced where given. */
function through(ctx: PartyContext, over: { send?: PartyContext['send']; recv?: PartyContext['recv'] }): PartyContext {
  return {
    id: ctx.id,
    ell: ctx.ell,
    own: ctx.own,
    send: over.send ?? ((to, bytes) => ctx.send(to, bytes)),
    recv: over.recv ?? ((from, what) => ctx.recv(from, what)),
    shared: (other) => ctx.shared(other),
    inPhase: (phase, f) => ctx.inPhase(phase, f),
  };
}

const z = (vs: readonly bigint[]): Z128 => fromBigints(m, vs);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('malicious3 session: aborts name their check', () => {
  it('a check-value component that differs between its holders aborts "check value opening"', async () => {
    // a check alone: digests (messages 0, 1), two products (2, 3), the check value to next (4), prev (5)
    await expectCryptflowRejection(
      () =>
        run3(
          'check-value',
          async (st) => {
            st.agree(z([9n]));
            await st.verify();
          },
          { corruption: { party: 0, strategy: 'add-error', at: 4 } },
        ),
      'protocol',
      'abort: check value opening (holders disagree) failed; no output is released',
    );
  });

  it('an output component that differs between its holders aborts "output opening"', async () => {
    // the reveal's check is messages 0–5; message 6 is P0's output component to P1
    await expectCryptflowRejection(
      () =>
        run3('output', (st) => st.revealTo(st.ofPublic(z([3n, 4n])), 1), {
          corruption: { party: 0, strategy: 'add-error', at: 6 },
        }),
      'protocol',
      'abort: output opening (holders disagree) failed; no output is released',
    );
  });

  it('a coin component that differs between its two holders aborts "coin check"', async () => {
    // P0's first message is its digest and coin component to P1; change one coin byte, not the digest
    let sends = 0;
    const wrap: Wrap = (ctx) =>
      ctx.id !== 0
        ? ctx
        : through(ctx, {
            send: (to, bytes) => {
              const out = bytes.slice();
              if (sends++ === 0) out[40] = ((out[40] as number) ^ 1) & 0xff;
              ctx.send(to, out);
            },
          });
    await expectCryptflowRejection(
      () =>
        run3(
          'coin',
          async (st) => {
            st.agree(z([5n]));
            await st.verify();
          },
          { wrap },
        ),
      'protocol',
      'abort: coin check failed; no output is released',
    );
  });
});

describe('malicious3 session: what is pending', () => {
  it('a fresh session has nothing pending and its check sends nothing', async () => {
    const out = await run3('fresh', async (st) => {
      const before = st.pending;
      await st.verify();
      return { before, sent: st.wire.sent };
    });
    for (const o of out) expect(o).toEqual({ before: false, sent: 0 });
  });

  it('agree alone makes a check pending; the check sends 6 messages and clears it', async () => {
    const out = await run3('agree', async (st) => {
      st.agree(z([1n, 2n]));
      const during = st.pending;
      await st.verify();
      return { during, after: st.pending, sent: st.wire.sent };
    });
    for (const o of out) expect(o).toEqual({ during: true, after: false, sent: 6 });
  });

  it('values recorded differently by the parties abort the next check', async () => {
    await expectCryptflowRejection(
      () =>
        run3('disagree', async (st) => {
          st.agree(z([BigInt(st.id)]));
          await st.verify();
        }),
      'protocol',
      'abort: opening consistency check (the parties opened different values) failed',
    );
  });
});

describe('malicious3 session: the check digest', () => {
  it('is SHA-256 of what was recorded since the last check, and nothing before it', async () => {
    const v1 = z([7n, 8n]);
    const v2 = z([11n]);
    const digests: [string[], string[], string[]] = [[], [], []];
    const wrap: Wrap = (ctx) =>
      through(ctx, {
        recv: async (from, what) => {
          const b = await ctx.recv(from, what);
          if (what === M3_MESSAGES.digest) digests[ctx.id].push(hex(b.subarray(0, 32)));
          return b;
        },
      });
    await run3(
      'digest',
      async (st) => {
        st.agree(v1);
        await st.verify();
        st.agree(v2);
        await st.verify();
      },
      { wrap },
    );
    const d1 = hex(platform.sha256(encode(m, v1)));
    const d2 = hex(platform.sha256(encode(m, v2)));
    for (const d of digests) expect(d).toEqual([d1, d1, d2, d2]);
  });
});

describe('malicious3 session: openings', () => {
  it('openChecked of several values returns each of them', async () => {
    const a = [5n, (1n << BigInt(m)) - 3n];
    const b = [123456n];
    const c = [0n, 77n, 9n];
    const out = await run3('open-many', async (st) => {
      const x = await st.input(0, 2, st.id === 0 ? z(a) : undefined);
      const y = await st.input(1, 1, st.id === 1 ? z(b) : undefined);
      const w = await st.input(2, 3, st.id === 2 ? z(c) : undefined);
      return (await st.openChecked([x, y, w])).map(toBigints);
    });
    for (const o of out) expect(o).toEqual([a, b, c]);
  });
});

describe('malicious3 session: the check is keyed by the joint coin', () => {
  // χ as they would be drawn from an all-zero coin: the forgery below cancels under exactly these
  const prg = new Prg(new Uint8Array(16));
  const [c1, c2] = toBigints(drawZ(prg, s, 2)) as [bigint, bigint];
  const M = 1n << BigInt(m);
  const delta = z([c2, (M - c1) % M]);

  /** The public value (3, 4) with its MAC's component 0 shifted by `delta` at both holders (P0, P2). */
  const forged = (st: Session): Auth => {
    const v = st.ofPublic(z([3n, 4n]));
    if (st.id === 0) return { x: v.x, mac: { a: add(m, v.mac.a, delta), b: v.mac.b } };
    if (st.id === 2) return { x: v.x, mac: { a: v.mac.a, b: add(m, v.mac.b, delta) } };
    return v;
  };

  it('honest: the value is revealed', async () => {
    const out = await run3('coin-key', (st) => st.revealTo(st.ofPublic(z([3n, 4n])), 0 as PartyId));
    expect(toBigints(out[0] as Z128).map((v) => v % (1n << BigInt(k)))).toEqual([3n, 4n]);
    expect(out.slice(1)).toEqual([null, null]);
  });

  it('a MAC error that cancels under the all-zero coin is caught by the MAC check', async () => {
    expect(toBigints(delta)).not.toEqual([0n, 0n]);
    await expectCryptflowRejection(
      () => run3('coin-key', (st) => st.revealTo(forged(st), 0)),
      'protocol',
      'abort: MAC check failed; no output is released',
    );
  });
});
