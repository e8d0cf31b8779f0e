/**
 * What a simulator may use, as a type: the corrupted party's knowledge in the ideal world.
 *
 * A simulator for P_c is given P_c's input, what the ideal functionality outputs to P_c, and P_c's
 * keys (its own and those it shares) — nothing of the honest parties. Before, that was a convention of
 * closures (a case's `simulate` could read the honest inputs from its scope). Now the cases build a
 * `CorruptedKnowledge` value once per corrupted party, through `corruptedKnowledge` (the brand's only
 * maker: a literal of the same fields is a type error), and hand it to a `Simulator`, a function of
 * that value and a randomness source alone; the simulator blocks of simulators.ts start from
 * `SimBuilder.of(knowledge, rng)`. The input must be the same on both input sets — the cases check
 * that when they build the value — so a simulator cannot depend on which set ran.
 *
 * This is as far as the harness's types reach: a case written in one module can still capture other
 * values in a closure; the rule for case authors is that every simulator is a `Simulator` of the
 * knowledge it is handed (cases.ts follows it), and test/security/harness.test.ts pins the type's
 * fields and the brand.
 */
import { bug } from '../../spec/errors.js';
import type { PartyId } from '../../protocols/common/party.js';
import type { PartyKeys, Prg } from '../../protocols/common/prg.js';
import type { TypedView } from './typed.js';

declare const knowledgeBrand: unique symbol;

export interface CorruptedKnowledge<I, O> {
  readonly party: PartyId;
  readonly ell: number;
  /** P_c's own key and the keys it shares (the honest parties' keys are not here). */
  readonly keys: PartyKeys;
  /** P_c's input (its shares, its own values, public values it is given). */
  readonly input: I;
  /** What the ideal functionality outputs to P_c (null where it gets fresh shares the simulator need not fix). */
  readonly output: O;
  readonly [knowledgeBrand]: 'corrupted-party-knowledge';
}

/** The only maker of a CorruptedKnowledge; `keys` must be P_c's (no key shared with itself). */
export function corruptedKnowledge<I, O>(
  party: PartyId,
  ell: number,
  keys: PartyKeys,
  input: I,
  output: O,
): CorruptedKnowledge<I, O> {
  if (keys.shared[party] !== undefined) bug(`P${party}'s knowledge built with another party's keys`);
  return Object.freeze({ party, ell, keys, input, output }) as CorruptedKnowledge<I, O>;
}

/** A simulator: P_c's simulated view from its knowledge and a randomness source. */
export type Simulator<I, O> = (k: CorruptedKnowledge<I, O>, rng: Prg) => TypedView;
