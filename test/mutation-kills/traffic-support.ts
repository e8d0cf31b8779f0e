/**
 * A party's context wrapped to record its traffic (receives by label, sends by receiver) and, for
 * malformed-message tests, to rewrite a receive by label before the protocol sees it.
 */
import type { PartyContext, PartyId } from '../../protocols/common/party.js';

export interface Traffic {
  /** The bytes received from each party, by the receive's label. */
  readonly received: Map<string, Uint8Array>;
  /** The messages sent to each party, in order. */
  readonly sent: Map<PartyId, Uint8Array[]>;
}

export const freshTraffic = (): Traffic => ({ received: new Map(), sent: new Map() });

/** Rewrites the bytes of a receive with the given label (identity by default). */
export type Damage = (what: string, bytes: Uint8Array) => Uint8Array;

export const noDamage: Damage = (_, bytes) => bytes;

/** `ctx` with its receives passed through `damage` and recorded, and its sends recorded, in `traffic`. */
export function recording(ctx: PartyContext, traffic: Traffic, damage: Damage = noDamage): PartyContext {
  return {
    ...ctx,
    recv: async (from, what) => {
      const bytes = damage(what ?? '', await ctx.recv(from, what));
      traffic.received.set(what ?? '', bytes);
      return bytes;
    },
    send: (to, bytes) => {
      const list = traffic.sent.get(to) ?? [];
      list.push(bytes.slice());
      traffic.sent.set(to, list);
      ctx.send(to, bytes);
    },
  };
}

/** The `k`-th message sent to `to`, or an error naming it. */
export function sentTo(traffic: Traffic, to: PartyId, k: number): Uint8Array {
  const msg = traffic.sent.get(to)?.[k];
  if (msg === undefined) throw new Error(`no message ${k} to P${to}`);
  return msg;
}

/** The bytes received under `what`, or an error naming it. */
export function receivedAs(traffic: Traffic, what: string): Uint8Array {
  const msg = traffic.received.get(what);
  if (msg === undefined) throw new Error(`nothing received as ${what}`);
  return msg;
}
