/**
 * Two-party runs over the in-memory network (harness/network/parties.ts, memory.ts, run.ts): two
 * programs start only P0 and P1, the meter sees only the P0↔P1 links, nothing can reach a P2 (a clear
 * 'protocol' error, never a hang), no PRG key is shared with a P2, and deadlock detection, abort and
 * adversarial reordering work as with three parties.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CryptflowError, InvariantViolation } from '../../../spec/errors.js';
import { recvRing, sendRing } from '../../../protocols/common/codec.js';
import type { PartyContext } from '../../../protocols/common/party.js';
import { keysFromSeed } from '../../../protocols/common/prg.js';
import { reveal, shareInput } from '../../../protocols/common/sharing.js';
import { MemoryNetwork } from '../../../harness/network/memory.js';
import { keysAmong, linksOf, partiesOf } from '../../../harness/network/parties.js';
import { runParties } from '../../../harness/network/run.js';

describe('two-party runs in memory', () => {
  it('partiesOf / linksOf / keysAmong: P0 and P1, their two links, no key shared with P2', () => {
    expect(partiesOf(2)).toEqual([0, 1]);
    expect(partiesOf(3)).toEqual([0, 1, 2]);
    expect(linksOf(2)).toEqual(['P0->P1', 'P1->P0']);
    expect(linksOf(3)).toHaveLength(6);
    const k = keysFromSeed('k');
    expect(Object.keys(keysAmong(2, 0, k[0]).shared)).toEqual(['1']);
    expect(Object.keys(keysAmong(3, 0, k[0]).shared)).toEqual(['1', '2']);
    expect(keysAmong(2, 1, k[1]).shared[0]).toEqual(k[0].shared[1]);
    expect(() => keysAmong(2, 2, k[2])).toThrow(InvariantViolation);
  });

  it('meters only P0->P1 and P1->P0, with rounds, and shares and reveals as with three parties', async () => {
    const prog = async (ctx: PartyContext): Promise<BigUint64Array | null> => {
      const x = shareInput(ctx, 0, [2], ctx.id === 0 ? BigUint64Array.from([7n, 9n]) : undefined);
      if (ctx.id === 0) {
        sendRing(ctx, 1, new BigUint64Array(3));
        await recvRing(ctx, 1, 1, 'pong');
      } else {
        await recvRing(ctx, 0, 3, 'ping');
        sendRing(ctx, 0, new BigUint64Array(1));
      }
      return reveal(ctx, x, 1);
    };
    const { outputs, meter } = await runParties([prog, prog], { ell: 32, seed: 'two' });
    expect(outputs).toHaveLength(2);
    expect(outputs[1]).toEqual(BigUint64Array.from([7n, 9n]));
    expect(outputs[0]).toBeNull();
    expect(meter.links).toEqual({ 'P0->P1': 12, 'P1->P0': 4, 'P0->P2': 0, 'P1->P2': 0, 'P2->P0': 0, 'P2->P1': 0 });
    expect(meter.io['P0->P1']).toBe(8);
    expect(meter.rounds).toBe(3);
  });

  it('a send to P2, a receive from P2 or the PRG shared with P2 fails clearly instead of hanging', async () => {
    const sendTo2 = async (ctx: PartyContext): Promise<void> => {
      if (ctx.id === 0) ctx.send(2, new Uint8Array(1));
      else await recvRing(ctx, 0, 1, 'never sent');
    };
    await expect(runParties([sendTo2, sendTo2], { ell: 16, seed: 's' })).rejects.toThrow(
      /no link from P0 to P2: this run has 2 parties \(P0, P1\)/,
    );
    await expect(runParties([sendTo2, sendTo2], { ell: 16, seed: 's' })).rejects.toMatchObject({ code: 'protocol' });
    const recvFrom2 = async (ctx: PartyContext): Promise<void> => {
      await ctx.recv(2);
    };
    await expect(runParties([recvFrom2, recvFrom2], { ell: 16, seed: 's' })).rejects.toThrow(
      /no link from P2 to P[01]/,
    );
    const prgWith2 = async (ctx: PartyContext): Promise<void> => {
      ctx.shared(2).bytes(1);
    };
    await expect(runParties([prgWith2, prgWith2], { ell: 16, seed: 's' })).rejects.toThrow(/has no PRG shared with P2/);
    expect(() => new MemoryNetwork({ parties: 2 }).endpoint(2)).toThrow(InvariantViolation);
  });

  it('a failing party aborts the other; a deadlock names who waits, and who already finished', async () => {
    const fails = async (ctx: PartyContext): Promise<void> => {
      if (ctx.id === 1) throw new CryptflowError('input', 'no weights');
      await recvRing(ctx, 1, 1, 'never');
    };
    await expect(runParties([fails, fails], { ell: 16, seed: 'f' })).rejects.toThrow(/no weights/);
    const cycle = async (ctx: PartyContext): Promise<void> => {
      await recvRing(ctx, ctx.id === 0 ? 1 : 0, 1, 'cycle');
    };
    await expect(runParties([cycle, cycle], { ell: 16, seed: 'd' })).rejects.toThrow(
      /^protocol deadlock: P(0|1) waits for P(1|0), P(1|0) waits for P(0|1)$/,
    );
    const early = async (ctx: PartyContext): Promise<void> => {
      if (ctx.id === 0) await recvRing(ctx, 1, 1, 'never sent');
    };
    await expect(runParties([early, early], { ell: 16, seed: 'd' })).rejects.toThrow(
      /^protocol deadlock: P0 waits for P1 \(P1 already finished\)$/,
    );
  });

  it('delivers in adversarial orders (fast-check scheduler) with FIFO kept on each link', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const prog = async (ctx: PartyContext): Promise<bigint[]> => {
          const peer = ctx.id === 0 ? 1 : 0;
          for (let i = 0; i < 4; i++) sendRing(ctx, peer, new BigUint64Array([BigInt(ctx.id * 10 + i)]));
          const got: bigint[] = [];
          for (let i = 0; i < 4; i++) got.push(...(await recvRing(ctx, peer, 1, 'seq')));
          return got;
        };
        const { outputs } = await s.waitFor(
          runParties([prog, prog], { ell: 16, seed: 'o', deliver: (p, label) => s.schedule(p, label) }),
        );
        expect(outputs).toEqual([
          [10n, 11n, 12n, 13n],
          [0n, 1n, 2n, 3n],
        ]);
      }),
      { numRuns: 15 },
    );
  });

  it('a network of the wrong size for the programs is a bug, not a silent run', async () => {
    const prog = (): Promise<void> => Promise.resolve();
    await expect(runParties([prog, prog], { ell: 16, seed: 'n', network: new MemoryNetwork() })).rejects.toThrow(
      InvariantViolation,
    );
  });
});
