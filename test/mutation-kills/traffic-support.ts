/**
 * A party's context wrapped to record its traffic (receives by label, sends by receiver) and, for
 * malformed-message tests, to rewrite a receive by label before the protocol sees it.
 */
import { runParties, type PartyProgram } from '../../harness/network/run.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { keysFromSeed, Prg } from '../../protocols/common/prg.js';
import { SECURENN, type Variant } from '../../protocols/securenn-family/nonlinear/variant.js';

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

/** The last message sent to `to`, or an error naming it. */
export function lastTo(traffic: Traffic, to: PartyId): Uint8Array {
  const list = traffic.sent.get(to) ?? [];
  const msg = list[list.length - 1];
  if (msg === undefined) throw new Error(`no message to P${to}`);
  return msg;
}

/** A three-party building block run by role (test/protocols/by-role.ts): P2 passes no share. */
export type ByRole = (ctx: PartyContext, v: Variant, n: number, a: BigUint64Array) => Promise<BigUint64Array>;

/** Party `id`'s program of `block` on its share `a` ([] for P2), its traffic recorded and damaged. */
export function recordedProgram(
  block: ByRole,
  id: PartyId,
  n: number,
  a: BigUint64Array,
  traffic: Traffic,
  damage: Damage = noDamage,
  v: Variant = SECURENN,
): PartyProgram<BigUint64Array> {
  return (ctx) => block(recording(ctx, traffic, damage), v, n, id === 2 ? new BigUint64Array(0) : a);
}

/** The PRG P0 and P1 share in a run seeded with `seed`, from its first draw. */
export function holdersPrg(seed: string): Prg {
  const shared = keysFromSeed(seed)[0].shared[1];
  if (shared === undefined) throw new Error('no P0–P1 key');
  return new Prg(shared);
}

/** How `recordedRun` runs a block: P0 and P1 hold `a`; P0's receives pass through `damage`. */
export interface RecordedRun {
  readonly ell: number;
  readonly seed: string;
  readonly n: number;
  readonly a: readonly [BigUint64Array, BigUint64Array];
  readonly damage?: Damage;
  readonly v?: Variant;
}

/** `block` run by the three parties on the holders' shares, each party's traffic recorded. */
export async function recordedRun(
  block: ByRole,
  run: RecordedRun,
): Promise<{
  outputs: readonly [BigUint64Array, BigUint64Array, BigUint64Array];
  traffic: readonly [Traffic, Traffic, Traffic];
}> {
  const traffic = [freshTraffic(), freshTraffic(), freshTraffic()] as const;
  const { n, a, v } = run;
  const { outputs } = await runParties(
    [
      recordedProgram(block, 0, n, a[0], traffic[0], run.damage, v),
      recordedProgram(block, 1, n, a[1], traffic[1], noDamage, v),
      recordedProgram(block, 2, n, a[0], traffic[2], noDamage, v),
    ],
    { ell: run.ell, seed: run.seed },
  );
  return { outputs, traffic };
}
