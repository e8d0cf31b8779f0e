/**
 * Mutation kills for protocols/common/codec.ts and protocols/common/context.ts.
 *
 * Codec, at the exact boundaries of each domain (the damaged-message suite only sends 0xFF bytes):
 *   - a ring element equal to 2^ℓ, an odd-ring element equal to 2^ℓ − 1 and a Z_p byte equal to p are
 *     refused as out of range ('decode', naming the sender, the step and the element); one below is
 *     accepted;
 *   - the same for a dealt message of a Z_p part and a Z_{2^ℓ−1} part (deal.ts), part by part;
 *   - encodeRing encodes the VIEW it is given: a subarray at a non-zero offset encodes to exactly its
 *     own elements, at every byte width (ℓ = 64 takes a byte-copy fast path).
 * Context:
 *   - a party sending to or receiving from itself, or asking for a PRG shared with itself, is a defect
 *     (InvariantViolation naming the party);
 *   - `inPhase` restores the previous phase afterwards, also when the step throws: a message sent
 *     after an 'io' step is metered as 'compute'.
 */
import { describe, expect, it } from 'vitest';
import { Field } from '../../spec/field.js';
import { InvariantViolation } from '../../spec/errors.js';
import { MemoryNetwork } from '../../harness/network/memory.js';
import { decodeRing, encodeRing, recvField, recvOddRing, recvRing } from '../../protocols/common/codec.js';
import { partyContext } from '../../protocols/common/context.js';
import type { Endpoint, HolderContext, PartyContext, PartyId } from '../../protocols/common/party.js';
import { receiveDeal, type Part } from '../../protocols/securenn-family/nonlinear/deal.js';
import { keysFromSeed } from '../../protocols/common/prg.js';
import { expectCryptflowError, expectCryptflowRejection } from './support.js';

/** A context whose receives return `bytes` (a fixed incoming message); sends are dropped. */
function receiving(id: PartyId, ell: number, bytes: Uint8Array): PartyContext {
  const endpoint: Endpoint = { send: () => undefined, recv: () => Promise.resolve(bytes) };
  return partyContext(id, ell, endpoint, keysFromSeed('codec')[id]);
}

/** `receiving` for a holder (P0 or P1), as receiveDeal's type asks. */
const holderReceiving = (id: 0 | 1, ell: number, bytes: Uint8Array): HolderContext =>
  receiving(id, ell, bytes) as HolderContext;

/** ⌈ℓ/8⌉ little-endian bytes of v. */
function le(ell: number, v: bigint): Uint8Array {
  const w = Math.ceil(ell / 8);
  return Uint8Array.from({ length: w }, (_, b) => Number((v >> BigInt(8 * b)) & 0xffn));
}

describe('codec: range checks at the boundary of each domain', () => {
  it.each([12, 33, 61])(
    'Z_{2^ℓ}, ℓ = %i (not a whole number of bytes): 2^ℓ is refused, 2^ℓ − 1 accepted',
    async (ell) => {
      const top = 1n << BigInt(ell);
      const bytes = new Uint8Array([...le(ell, 5n), ...le(ell, top)]);
      await expectCryptflowRejection(
        () => recvRing(receiving(0, ell, bytes), 1, 2, 'ring step'),
        'decode',
        'message from P1 (ring step): element 1 is out of range',
      );
      expect([...decodeRing(ell, new Uint8Array([...le(ell, 5n), ...le(ell, top - 1n)]), 2, 1, 'ring step')]).toEqual([
        5n,
        top - 1n,
      ]);
    },
  );

  it.each([12, 16, 64])('Z_{2^ℓ−1}, ℓ = %i: 2^ℓ − 1 is refused, 2^ℓ − 2 accepted', async (ell) => {
    const m = (1n << BigInt(ell)) - 1n;
    await expectCryptflowRejection(
      () => recvOddRing(receiving(1, ell, le(ell, m)), 2, 1, 'odd step'),
      'decode',
      'message from P2 (odd step): element 0 is out of range',
    );
    expect([...(await recvOddRing(receiving(1, ell, le(ell, m - 1n)), 2, 1, 'odd step'))]).toEqual([m - 1n]);
  });

  it.each([67, 127])('Z_p, p = %i: p is refused, p − 1 accepted; the length is checked', async (p) => {
    await expectCryptflowRejection(
      () => recvField(receiving(0, 16, Uint8Array.of(0, p - 1, p)), 2, 3, Field(p), 'field step'),
      'decode',
      'message from P2 (field step): element 2 is out of range',
    );
    expect([...(await recvField(receiving(0, 16, Uint8Array.of(0, p - 1)), 2, 2, Field(p), 'field step'))]).toEqual([
      0,
      p - 1,
    ]);
    await expectCryptflowRejection(
      () => recvField(receiving(0, 16, Uint8Array.of(0, 1)), 2, 3, Field(p), 'field step'),
      'decode',
      'message from P2 (field step): expected 3 bytes, got 2',
    );
  });

  it('a length mismatch is a decode error naming expected and received sizes', () => {
    expectCryptflowError(
      () => decodeRing(16, new Uint8Array(5), 3, 0, 'short step'),
      'decode',
      'message from P0 (short step): expected 6 bytes, got 5',
    );
  });
});

describe('dealt shares: range checks per part', () => {
  const parts: readonly Part[] = [
    { kind: 'field', field: Field(67), per: 2 },
    { kind: 'ring', odd: true },
  ];

  it('a Z_p byte equal to p is refused, p − 1 accepted, in a two-part message', async () => {
    const ok = Uint8Array.of(66, 0, ...le(12, 4094n));
    const got = await receiveDeal(holderReceiving(0, 12, ok), 'both', 1, parts, 'deal step');
    expect([...(got[0] as Uint8Array)]).toEqual([66, 0]);
    expect([...(got[1] as BigUint64Array)]).toEqual([4094n]);
    await expectCryptflowRejection(
      () => receiveDeal(holderReceiving(0, 12, Uint8Array.of(0, 67, ...le(12, 1n))), 'both', 1, parts, 'deal step'),
      'decode',
      'message from P2 (deal step): element 1 is out of range',
    );
    await expectCryptflowRejection(
      () => receiveDeal(holderReceiving(1, 12, Uint8Array.of(0, 1, ...le(12, 4095n))), 'both', 1, parts, 'deal step'),
      'decode',
      'message from P2 (deal step): element 0 is out of range',
    );
    await expectCryptflowRejection(
      () => receiveDeal(holderReceiving(1, 12, Uint8Array.of(0, 1, 2)), 'both', 1, parts, 'deal step'),
      'decode',
      'message from P2 (deal step): expected 4 bytes, got 3',
    );
  });
});

describe('codec: encodeRing encodes the view it is given', () => {
  it.each([8, 12, 16, 24, 33, 64])('ℓ = %i: a subarray at an offset encodes to its own elements', (ell) => {
    const mask = (1n << BigInt(ell)) - 1n;
    const all = BigUint64Array.from([1n, 2n, 3n, 4n, 5n].map((v) => (v * 0x0123456789abcdefn) & mask));
    const view = all.subarray(1, 3);
    const bytes = encodeRing(ell, view);
    expect(bytes.length).toBe(2 * Math.ceil(ell / 8));
    expect(bytes).toEqual(new Uint8Array([...le(ell, all[1] as bigint), ...le(ell, all[2] as bigint)]));
    expect([...decodeRing(ell, bytes, 2, 0, 'round trip')]).toEqual([all[1], all[2]]);
  });
});

describe('party context', () => {
  const ctx = (id: PartyId): PartyContext =>
    partyContext(id, 16, new MemoryNetwork().endpoint(id), keysFromSeed('ctx')[id]);

  it.each([0, 1, 2] as const)(
    'P%i sending to or receiving from itself, or sharing a PRG with itself, is a defect',
    (id) => {
      const c = ctx(id);
      expect(() => c.send(id, new Uint8Array(1))).toThrow(InvariantViolation);
      expect(() => c.send(id, new Uint8Array(1))).toThrow(`P${id} sends to itself`);
      expect(() => c.recv(id)).toThrow(`P${id} receives from itself`);
      expect(() => c.shared(id)).toThrow(InvariantViolation);
      expect(() => c.shared(id)).toThrow(`P${id} has no PRG shared with P${id}`);
    },
  );

  it('inPhase restores the previous phase, also after a failing step', async () => {
    const net = new MemoryNetwork();
    const p0 = partyContext(0, 16, net.endpoint(0), keysFromSeed('phase')[0]);
    await p0.inPhase('io', async () => p0.send(1, new Uint8Array(3)));
    p0.send(1, new Uint8Array(5));
    await expect(p0.inPhase('io', async () => Promise.reject(new Error('step failed')))).rejects.toThrow('step failed');
    p0.send(1, new Uint8Array(7));
    await p0.inPhase('io', () =>
      p0.inPhase('compute', async () => p0.send(1, new Uint8Array(11))).then(() => p0.send(1, new Uint8Array(13))),
    );
    const m = net.meter.reading();
    expect(m.io['P0->P1']).toBe(3 + 13);
    expect(m.links['P0->P1']).toBe(5 + 7 + 11);
  });
});
