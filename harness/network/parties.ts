/**
 * How many parties a run has, and what that fixes: which parties exist, which directed links join
 * them, and which PRG keys each holds.
 *
 *   3 parties (the SecureNN family, `plaintext`, `ideal`): P0 client, P1 server, P2 helper; six links.
 *   2 parties (CrypTFlow2 and the 2-party reference backends): P0 client and P1 server alone; the two
 *   links P0->P1 and P1->P0. No P2 is started, no key is shared with it, and no link reaches it.
 *
 * Costs and meters keep the six-link record of spec/cost/types.ts (a 2-party run has zeros on the P2
 * links, by construction: no message can reach P2); reports show only the links that exist.
 */
import { bug } from '../../spec/errors.js';
import { LINKS, type LinkName } from '../../spec/cost/types.js';
import type { PartyId } from '../../protocols/common/party.js';
import type { PartyKeys } from '../../protocols/common/prg.js';

export type PartyCount = 2 | 3;

const ALL: readonly PartyId[] = [0, 1, 2];

/** The parties of a run: P0, P1 (and P2 for three). */
export function partiesOf(n: PartyCount): readonly PartyId[] {
  return ALL.slice(0, n);
}

/** The directed links among the parties of a run, in LINKS order. */
export function linksOf(n: PartyCount): readonly LinkName[] {
  return n === 3 ? LINKS : LINKS.filter((l) => !l.includes('P2'));
}

/** Whether party `id` exists in a run of `n` parties. */
export function hasParty(n: PartyCount, id: PartyId): boolean {
  return id < n;
}

/** One party's keys without those it would share with parties that do not exist. */
export function keysAmong(n: PartyCount, id: PartyId, keys: PartyKeys): PartyKeys {
  if (!hasParty(n, id)) bug(`P${id} is not a party of a ${n}-party run`);
  const shared: Partial<Record<PartyId, Uint8Array>> = {};
  for (const j of partiesOf(n)) {
    const k = keys.shared[j];
    if (j !== id && k !== undefined) shared[j] = k;
  }
  return { own: keys.own, shared };
}

/** Names of the parties, for messages: 'P0, P1' or 'P0, P1, P2'. */
export function partyList(n: PartyCount): string {
  return partiesOf(n)
    .map((p) => `P${p}`)
    .join(', ');
}
