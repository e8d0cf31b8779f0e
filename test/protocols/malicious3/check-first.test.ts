/**
 * THE RULE (proofs-notes/malicious3.md): nothing that depends on an opened value is sent, revealed or
 * branched on before the batched MAC check of that opening. A corrupted P2 adds an error to its opening
 * message of a truncation's masked value c; each honest party, after receiving its opening, may send
 * only the check's first message (48 bytes: digest and coin) before it aborts. Code that used c before
 * the check (the borrow circuit's products, the next layer) would send other messages first and fail this.
 */
import { describe, expect, it } from 'vitest';
import { runParties } from '../../../harness/network/run.js';
import type { PartyContext, PartyId } from '../../../protocols/common/party.js';
import { fromBigints } from '../../../protocols/malicious3/ring.js';
import { relu, truncate } from '../../../protocols/malicious3/bits.js';
import { m3Params } from '../../../protocols/malicious3/rss.js';
import { M3_MESSAGES, Session } from '../../../protocols/malicious3/session.js';
import type { Corruption } from '../../../protocols/malicious3/wire.js';

type Event =
  | { readonly kind: 'send'; readonly to: PartyId; readonly bytes: number }
  | { readonly kind: 'recv'; readonly from: PartyId; readonly what: string };

const params = m3Params(8, 8);

async function run(logs: Event[][], corruption?: Corruption): Promise<void> {
  const prog = async (ctx: PartyContext): Promise<void> => {
    const log = logs[ctx.id] as Event[];
    const logged: PartyContext = {
      ...ctx,
      send: (to, b) => {
        log.push({ kind: 'send', to, bytes: b.length });
        ctx.send(to, b);
      },
      recv: async (from, what) => {
        const b = await ctx.recv(from, what);
        log.push({ kind: 'recv', from, what: what ?? '' });
        return b;
      },
    };
    const st = new Session(logged, params, corruption);
    const x = await st.input(0, 3, st.id === 0 ? fromBigints(params.m, [100n, 7n, 250n]) : undefined);
    const t = await truncate(st, x, 2);
    const r = await relu(st, t);
    await st.revealTo(r, 1);
  };
  await runParties([prog, prog, prog], { ell: 8, seed: 'check-first' });
}

describe('check before use', () => {
  it('after a tampered opening, honest parties send only the check before aborting', async () => {
    const honest: Event[][] = [[], [], []];
    await run(honest);
    // P2's opening goes to P0: the index (among P2's sends) of the message P0 receives as the first opening
    const fromP2 = (honest[0] as Event[]).filter((e) => e.kind === 'recv' && e.from === 2);
    const j = fromP2.findIndex((e) => e.kind === 'recv' && e.what === M3_MESSAGES.opening);
    const p2Sends = (honest[2] as Event[]).flatMap((e, i) => (e.kind === 'send' && e.to === 0 ? [i] : []));
    const at = (honest[2] as Event[]).slice(0, (p2Sends[j] as number) + 1).filter((e) => e.kind === 'send').length - 1;

    const logs: Event[][] = [[], [], []];
    await expect(run(logs, { party: 2, strategy: 'add-error', at })).rejects.toThrow(
      /abort: opening consistency check/,
    );
    for (const p of [0, 1] as const) {
      const log = logs[p] as Event[];
      const opened = log.findIndex((e) => e.kind === 'recv' && e.what === M3_MESSAGES.opening);
      expect(opened).toBeGreaterThanOrEqual(0);
      const after = log.slice(opened + 1).filter((e) => e.kind === 'send');
      expect(after.length).toBeLessThanOrEqual(2);
      for (const e of after) expect(e.kind === 'send' && e.bytes).toBe(48);
    }
    // and in the honest run the same parties do go on to the borrow circuit's products after the check
    const log0 = honest[0] as Event[];
    const opened0 = log0.findIndex((e) => e.kind === 'recv' && e.what === M3_MESSAGES.opening);
    expect(log0.slice(opened0 + 1).filter((e) => e.kind === 'send' && e.bytes !== 48).length).toBeGreaterThan(5);
  });
});
