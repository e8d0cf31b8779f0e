/**
 * Mutation kills for protocols/common/codec.ts found by a targeted Stryker run (issue 20;
 * proofs-notes/mutation.md, "Targeted runs"): decodeRing with a bound other than 2^ℓ and 2^ℓ − 1
 * (its general branch: every element must be below the bound, the first one at or above it is named),
 * and sendBytes sending exactly the bytes it is given to the party it names.
 */
import { describe, expect, it } from 'vitest';
import { decodeRing, sendBytes } from '../../protocols/common/codec.js';
import { partyContext } from '../../protocols/common/context.js';
import type { Endpoint, PartyId } from '../../protocols/common/party.js';
import { keysFromSeed } from '../../protocols/common/prg.js';
import { expectCryptflowError } from './support.js';

describe('codec: a bound of its own, and raw bytes', () => {
  it('decodeRing with bound 5 accepts 0 … 4 and refuses 5 and above, naming the first such element', () => {
    expect([...decodeRing(8, Uint8Array.of(0, 4, 3), 3, 1, 'bounded', 5n)]).toEqual([0n, 4n, 3n]);
    expectCryptflowError(
      () => decodeRing(8, Uint8Array.of(4, 5, 6), 3, 1, 'bounded', 5n),
      'decode',
      'message from P1 (bounded): element 1 is out of range',
    );
    expectCryptflowError(
      () => decodeRing(12, Uint8Array.of(4, 0, 0xff, 0x0f), 2, 2, 'bounded', 4095n),
      'decode',
      'message from P2 (bounded): element 1 is out of range',
    );
  });

  it('sendBytes sends its bytes unchanged to the named party', () => {
    const sent: [PartyId, Uint8Array][] = [];
    const endpoint: Endpoint = {
      send: (to, b) => void sent.push([to, b]),
      recv: () => Promise.resolve(new Uint8Array(0)),
    };
    const ctx = partyContext(0, 8, endpoint, keysFromSeed('codec-bound')[0]);
    sendBytes(ctx, 2, Uint8Array.of(1, 2, 3));
    expect(sent.map(([to, b]) => [to, [...b]])).toEqual([[2, [1, 2, 3]]]);
  });
});
