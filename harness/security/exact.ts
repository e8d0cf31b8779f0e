/**
 * Exact view distributions by enumeration, for the smallest rings (ℓ = 2, p = 5), where every value of
 * the honest randomness that reaches the corrupted party can be listed.
 *
 * In the PRG-hybrid a protocol's draws are independent uniform values. A draw on a stream is
 * identified by its position on that stream (the k-th draw, whatever its kind); `substitute`
 * overwrites the leading values of chosen draws on the stream two parties share — on both holders,
 * so they stay consistent — and leaves every other draw to the AES stream. Enumerating every
 * combination of the substituted values, each once, and recording the corrupted party's view in each
 * run gives the exact distribution of its view over that randomness, as counts; when the substituted
 * draws are all the honest randomness the view depends on (the tests say which, per protocol), this is
 * the view's distribution under an ideal PRG, and it can be compared for equality — no statistics —
 * with the simulator's, listed the same way.
 *
 * The draw positions are the protocol's (beaver.ts: P1's A1 then B1 on the P1–P2 stream;
 * private-compare.ts: s, z, then the permutation's bytes on the P0–P1 stream). A change of draw order
 * makes these tests fail, not pass.
 */
import { bug } from '../../spec/errors.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import type { Prg } from '../../protocols/common/prg.js';
import {
  HookedPrg,
  observe,
  withPrgs,
  yieldEventLoop,
  type DrawHook,
  type Keys,
  type Programs,
  type View,
} from './view.js';

/** Leading values for the k-th draw on a stream (null: leave that draw alone). */
export type Substitutes = readonly (readonly number[] | null)[];

function substituting(subs: Substitutes): DrawHook {
  let k = 0;
  return (kind, param, out) => {
    const values = subs[k++];
    if (values === undefined || values === null) return;
    if (values.length > out.length) bug(`substituting ${values.length} values into a draw of ${out.length}`);
    const bound =
      kind === 'ring' ? 1n << param : kind === 'below' || kind === 'field' ? param : kind === 'bits' ? 2n : 256n;
    values.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || BigInt(v) >= bound)
        bug(`substitute ${v} outside the draw's range [0, ${bound})`);
      if (out instanceof BigUint64Array) out[i] = BigInt(v);
      else out[i] = v;
    });
  };
}

/** Overwrite draws on the stream parties a and b share, on both holders (the others are untouched). */
export function substitute(a: PartyId, b: PartyId, subs: Substitutes): (ctx: PartyContext) => PartyContext {
  return (ctx) => {
    const other = ctx.id === a ? b : ctx.id === b ? a : null;
    if (other === null) return ctx;
    const hook = substituting(subs);
    return withPrgs(ctx, (stream, prg: Prg) => (stream === `P${other}` ? new HookedPrg(prg, hook) : prg));
  };
}

/** Every tuple with one entry from each list, in lexicographic order. */
export function* tuples<T>(lists: readonly (readonly T[])[]): Generator<T[]> {
  const first = lists[0];
  if (first === undefined) {
    yield [];
    return;
  }
  for (const x of first) for (const rest of tuples(lists.slice(1))) yield [x, ...rest];
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** A view as a string: each sender's messages in hex. */
export function viewKey(view: View): string {
  return ([0, 1, 2] as const)
    .filter((j) => j !== view.party)
    .map((j) => `P${j}:${view.received[j].map((m) => Buffer.from(m).toString('hex')).join(',')}`)
    .join(' ');
}

/** Counts of each value of `key`. */
export type Counts = Map<string, number>;

export function countOf<T>(items: Iterable<T>, key: (x: T) => string): Counts {
  const out: Counts = new Map();
  for (const x of items) {
    const k = key(x);
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/**
 * The corrupted party's view in one run per combination: the combination decides the substitutions
 * (applied to every party's context through `programsFor`).
 */
export async function exactViewCounts<C>(
  combos: Iterable<C>,
  programsFor: (combo: C) => Programs<unknown>,
  options: { readonly ell: number; readonly corrupted: PartyId; readonly keys: Keys },
): Promise<Counts> {
  const out: Counts = new Map();
  for (const combo of combos) {
    const { view } = await observe(programsFor(combo), options);
    await yieldEventLoop();
    const k = viewKey(view);
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/** Are two count tables equal? Returns null, or one entry where they differ. */
export function countsDiffer(a: Counts, b: Counts): string | null {
  for (const [k, n] of a) if (b.get(k) !== n) return `${k}: ${n} vs ${b.get(k) ?? 0}`;
  for (const [k, n] of b) if (!a.has(k)) return `${k}: 0 vs ${n}`;
  return null;
}
