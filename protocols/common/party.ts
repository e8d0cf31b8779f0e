/**
 * The party program contract (docs/ARCHITECTURE.md): a protocol is an async function each party runs
 * on its own view, `(ctx: PartyContext, input) => Promise<output>`. The context is all a party has:
 * its id, the ring width, a way to send bytes to and receive bytes from each other party, the PRGs it
 * shares with each other party and its own. Nothing global; the same code runs over the in-memory
 * network (harness/network/memory.ts) and over TCP.
 *
 * Roles (CrypTFlow, Porthos): P0 the client (owns the input), P1 the server (owns the weights), P2 the
 * helper. Secret values are 2-out-of-2 additive shares between P0 and P1; P2 holds none.
 *
 * Metering: every message is counted on its directed link under the sender's current phase; only
 * the 'compute' phase is what the published numbers count (input sharing and the final reveal are
 * 'io'; the once-per-session base OTs of the two-party backend are 'setup', which the published 2PC
 * figures exclude too). Rounds: a message carries its sender's round; receiving it advances the receiver to
 * max(own, sender + 1).
 */
import type { Prg } from './prg.js';

export type PartyId = 0 | 1 | 2;
export const PARTIES: readonly PartyId[] = [0, 1, 2];

/** The phase a message is metered under. */
export type Phase = 'compute' | 'io' | 'setup';

export const PHASES: readonly Phase[] = ['compute', 'io', 'setup'];

/** A party's endpoint on some network: its messages, stamped with its round, to and from each peer. */
export interface Endpoint {
  send(to: PartyId, bytes: Uint8Array, phase: Phase): void;
  recv(from: PartyId): Promise<Uint8Array>;
}

export interface PartyContext {
  readonly id: PartyId;
  /** Ring width ℓ of the run. */
  readonly ell: number;
  send(to: PartyId, bytes: Uint8Array): void;
  /**
   * The next message from `from`. `what` names the protocol step it belongs to ('Beaver opening of
   * E, F', 'reveal', …): the network ignores it; an observer of the party's view records it
   * (harness/runner/views.ts checks each against what the backend declares it may receive).
   */
  recv(from: PartyId, what?: string): Promise<Uint8Array>;
  /** The PRG shared with party `other` (both draw the same stream in the same order). */
  shared(other: PartyId): Prg;
  /** This party's private PRG. */
  readonly own: Prg;
  /** Run `f` with this party's messages metered under `phase` (then restore the previous phase). */
  inPhase<T>(phase: Phase, f: () => Promise<T>): Promise<T>;
}

/** P0 or P1: the parties that hold additive shares in the three-party protocols. */
export type HolderContext = PartyContext & { readonly id: 0 | 1 };

/** P2, the helper: it deals correlated randomness and sees only masked values; it holds no share. */
export type HelperContext = PartyContext & { readonly id: 2 };

/**
 * A context by role, for code whose work differs by role: a switch on `role` gives each branch its
 * own context type, so a role-specific function (e.g. `beaverHolder`, `privateCompareHelper`) can only
 * be called by the party it is for — no placeholder arguments, no `ctx.id === 2` inside.
 */
export type RoleView =
  | { readonly role: 'holder'; readonly ctx: HolderContext; readonly j: 0 | 1 }
  | { readonly role: 'helper'; readonly ctx: HelperContext };

export function roleOf(ctx: PartyContext): RoleView {
  return ctx.id === 2
    ? { role: 'helper', ctx: ctx as HelperContext }
    : { role: 'holder', ctx: ctx as HolderContext, j: ctx.id };
}

/** The other party of the sharing pair {P0, P1}. */
export function peerOf(id: 0 | 1): 0 | 1 {
  return id === 0 ? 1 : 0;
}

export function partyName(id: PartyId): string {
  return `P${id}`;
}
