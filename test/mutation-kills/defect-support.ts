/**
 * Shared by the mutation-kill suites that drive one party's code alone into its defect guards
 * (defects, three-party-defects, cryptflow2-index): a party on a network nobody else is on (the guards
 * fire before any receive), the InvariantViolation contract as one assertion, the last node of a
 * small LLIL program, and a node outside the LLIL union with the defect message it must raise.
 */
import { expect } from 'vitest';
import { CryptflowError, InvariantViolation } from '../../spec/errors.js';
import { llilBuilder } from '../../ir/builder.js';
import type { LNode } from '../../ir/llil.js';
import { MemoryNetwork } from '../../harness/network/memory.js';
import { partyContext } from '../../protocols/common/context.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { keysFromSeed } from '../../protocols/common/prg.js';
import type { OtChannel } from '../../protocols/ot/types.js';

/** Party `id`'s context at ring width `ell`, keyed from `seed`, alone on its network. */
export function loneParty(id: PartyId, ell: number, seed: string): PartyContext {
  return partyContext(id, ell, new MemoryNetwork().endpoint(id), keysFromSeed(seed)[id]);
}

/**
 * `run` (sync or async) must stop with an InvariantViolation whose message is `text` behind the
 * defect prefix (`exact`) or contains it (`contains`).
 */
export async function expectDefect(
  run: () => unknown,
  text: string,
  match: 'exact' | 'contains' = 'exact',
): Promise<void> {
  let caught: unknown = null;
  try {
    await run();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a defect "${text}"`).toBeInstanceOf(InvariantViolation);
  if (match === 'exact') expect((caught as Error).message).toBe(`internal error (please report): ${text}`);
  else expect((caught as Error).message).toContain(text);
}

/** The last node of a program at ring width `ell` built by `build` (its result is the client's output). */
export function lastNode(ell: number, build: (b: ReturnType<typeof llilBuilder>) => string): LNode {
  const b = llilBuilder(ell);
  b.output(build(b), 'client');
  const node = b.build().nodes.at(-1);
  if (node === undefined) throw new Error('no node');
  return node;
}

/** A node whose operator is outside the LLIL union (a backend must refuse it as a defect, naming it). */
export const ALIEN_NODE = {
  op: 'Softmax',
  out: 'y',
  x: 'x',
  type: { shape: [3], scale: 0, label: 'secret' },
} as unknown as LNode;

/** The defect text an exhaustive dispatch gives for ALIEN_NODE. */
export const UNHANDLED_ALIEN = `unhandled value: ${JSON.stringify(ALIEN_NODE)}`;

/** The message of `noOt`'s refusals. */
export const NO_OT = 'this call must not use the OT channel';

/** An OT channel every method of which fails at once: a path that reaches it is caught. */
export const noOt: OtChannel = {
  send2: () => Promise.reject(new CryptflowError('usage', NO_OT)),
  recv2: () => Promise.reject(new CryptflowError('usage', NO_OT)),
  sendCorrelated: () => Promise.reject(new CryptflowError('usage', NO_OT)),
  recvCorrelated: () => Promise.reject(new CryptflowError('usage', NO_OT)),
  sendRandom: () => Promise.reject(new CryptflowError('usage', NO_OT)),
  recvRandom: () => Promise.reject(new CryptflowError('usage', NO_OT)),
  sendN: () => Promise.reject(new CryptflowError('usage', NO_OT)),
  recvN: () => Promise.reject(new CryptflowError('usage', NO_OT)),
};
