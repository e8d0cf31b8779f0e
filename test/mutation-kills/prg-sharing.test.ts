/**
 * Mutation kills for protocols/common/prg.ts and protocols/common/sharing.ts.
 *
 *   - Key material (security, not just correctness): of the six keys a run uses — each party's own
 *     key and the three pairwise shared keys — all are distinct, and party i's key shared with j is
 *     party j's key shared with i; the same for fresh and for seeded keys, and seeds give different
 *     keys. (Equal labels would still run correctly while, say, P2 held P0's and P1's common key.)
 *   - A PRG key of any length but 16 bytes is a usage error naming the length.
 *   - Sharing an input the owner does not hold (or holds with the wrong size) is an 'input' error
 *     naming the owner, the shape and the count held.
 */
import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../harness/network/memory.js';
import { partyContext } from '../../protocols/common/context.js';
import type { PartyId } from '../../protocols/common/party.js';
import { freshKeys, keysFromSeed, Prg, type PartyKeys } from '../../protocols/common/prg.js';
import { shareInput } from '../../protocols/common/sharing.js';
import { expectCryptflowError } from './support.js';

const hex = (k: Uint8Array | undefined): string => Buffer.from(k ?? new Uint8Array(0)).toString('hex');

function checkKeys(keys: readonly [PartyKeys, PartyKeys, PartyKeys]): string[] {
  const all: string[] = [];
  for (const i of [0, 1, 2] as const) {
    all.push(hex(keys[i].own));
    expect(keys[i].shared[i]).toBeUndefined();
    for (const j of [0, 1, 2] as const) {
      if (i === j) continue;
      const k = keys[i].shared[j];
      expect(k?.length, `P${i}–P${j} key`).toBe(16);
      expect(hex(k)).toBe(hex(keys[j].shared[i]));
      if (i < j) all.push(hex(k));
    }
  }
  expect(new Set(all).size).toBe(6);
  return all;
}

describe('PRG keys', () => {
  it('seeded keys: six distinct keys, shared keys symmetric; another seed, other keys', () => {
    const a = checkKeys(keysFromSeed('alpha'));
    const b = checkKeys(keysFromSeed('beta'));
    expect(checkKeys(keysFromSeed('alpha'))).toEqual(a);
    for (const k of a) expect(b).not.toContain(k);
  });

  it('fresh keys: the same structure', () => {
    checkKeys(freshKeys());
  });

  it.each([0, 15, 17, 32])('a %i-byte key is a usage error', (n) => {
    expectCryptflowError(() => new Prg(new Uint8Array(n)), 'usage', `a PRG key is 16 bytes, got ${n}`);
  });
});

describe('input sharing', () => {
  const ctx = (id: PartyId) => partyContext(id, 16, new MemoryNetwork().endpoint(id), keysFromSeed('share')[id]);

  it('the owner must hold exactly numel(shape) entries', () => {
    expectCryptflowError(
      () => shareInput(ctx(0), 0, [2, 3], new BigUint64Array(5)),
      'input',
      'P0 shares an input of shape [2, 3] but holds 5 entries',
    );
    expectCryptflowError(
      () => shareInput(ctx(1), 1, [4], undefined),
      'input',
      'P1 shares an input of shape [4] but holds 0 entries',
    );
    expect(shareInput(ctx(1), 0, [4], undefined).share.length).toBe(4);
    expect(shareInput(ctx(2), 0, [4], undefined).share.length).toBe(0);
  });
});
