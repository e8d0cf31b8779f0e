/**
 * Mutation kill for protocols/common/context.ts, line 11 (ConditionalExpression `true`): a key record
 * whose slot for a party is present but undefined (as an object spread of optional keys gives) must
 * give no PRG for that party — the context builds, the other shared PRG works, and asking for the
 * missing one is the InvariantViolation naming both parties — not a TypeError from constructing a PRG
 * of an undefined key.
 */
import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../../spec/errors.js';
import { partyContext } from '../../protocols/common/context.js';
import { keysFromSeed, Prg, type PartyKeys } from '../../protocols/common/prg.js';
import type { Endpoint } from '../../protocols/common/party.js';

const idle: Endpoint = { send: () => undefined, recv: () => Promise.reject(new Error('no message')) };

describe('partyContext: a key slot present but undefined', () => {
  it('gives no PRG for that party, and the other shared PRG is the one its key makes', () => {
    const keys = keysFromSeed('context keys')[0];
    const k01 = keys.shared[1];
    if (k01 === undefined) throw new Error('keysFromSeed gave P0 no key shared with P1');
    const optional: { readonly 1?: Uint8Array; readonly 2?: Uint8Array | undefined } = { 1: k01, 2: undefined };
    const ctx = partyContext(0, 64, idle, { own: keys.own, shared: optional } as PartyKeys);
    expect(ctx.shared(1).bytes(32)).toEqual(new Prg(k01).bytes(32));
    expect(() => ctx.shared(2)).toThrow(InvariantViolation);
    expect(() => ctx.shared(2)).toThrow('P0 has no PRG shared with P2');
  });
});
