/**
 * Two parties over one in-memory network for OT tests: their contexts (P2 takes no part and is
 * marked finished, so a deadlock between P0 and P1 is detected), a session's channels opened once,
 * and `both` to run the two sides of a call and read what it metered.
 */
import { partyContext } from '../../../protocols/common/context.js';
import type { PartyContext } from '../../../protocols/common/party.js';
import { keysFromSeed } from '../../../protocols/common/prg.js';
import { openOtChannel } from '../../../protocols/ot/channel.js';
import type { OtChannel } from '../../../protocols/ot/types.js';
import { MemoryNetwork } from '../../../harness/network/memory.js';
import { difference, type MeterReading } from '../../../harness/network/meter.js';

/** One received message of a party's view: its label and bytes. */
export interface Received {
  readonly what: string | undefined;
  readonly bytes: Uint8Array;
}

export interface Pair {
  readonly net: MemoryNetwork;
  readonly ctx: readonly [PartyContext, PartyContext];
  /** Every message each party received, in order (its view, beside its own inputs and PRG). */
  readonly views: readonly [Received[], Received[]];
}

function recording(base: PartyContext, log: Received[]): PartyContext {
  return {
    ...base,
    recv: async (from, what) => {
      const bytes = await base.recv(from, what);
      log.push({ what, bytes });
      return bytes;
    },
  };
}

export function twoParties(seed: string): Pair {
  const net = new MemoryNetwork();
  const keys = keysFromSeed(seed);
  net.finished(2);
  const views: [Received[], Received[]] = [[], []];
  const ctx = [
    recording(partyContext(0, 64, net.endpoint(0), keys[0]), views[0]),
    recording(partyContext(1, 64, net.endpoint(1), keys[1]), views[1]),
  ] as const;
  return { net, ctx, views };
}

export interface Session extends Pair {
  readonly ch: readonly [OtChannel, OtChannel];
  /** The setup's meter reading. */
  readonly setup: MeterReading;
}

export async function openSession(seed: string): Promise<Session> {
  const p = twoParties(seed);
  const ch = await Promise.all([openOtChannel(p.ctx[0], 1), openOtChannel(p.ctx[1], 0)]);
  return { ...p, ch, setup: p.net.meter.reading() };
}

/** Run P0's and P1's sides of one step together; returns both results and the step's meter reading. */
export async function both<A, B>(
  s: Pair,
  f0: () => Promise<A>,
  f1: () => Promise<B>,
): Promise<{ readonly out: readonly [A, B]; readonly meter: MeterReading }> {
  const before = s.net.meter.reading();
  const out = await Promise.all([f0(), f1()]);
  return { out, meter: difference(s.net.meter.reading(), before) };
}
