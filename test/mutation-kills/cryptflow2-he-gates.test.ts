/**
 * Mutation kills for protocols/cryptflow2-he/gates.ts (MUX_p, B2A_p, DReLU_p over Z_p): an empty
 * batch of MUX_p or B2A_p runs no OT at all, and DReLU_p's constant 1 is XORed into P0's share, not
 * P1's (the reconstruction is the same either way, so each party's share is pinned against the three
 * comparison bits of the same seeded run). OT: the functional test double.
 */
import { describe, expect, it } from 'vitest';
import type { PartyContext } from '../../protocols/common/party.js';
import { primeField, sampleP, type PrimeField } from '../../protocols/cryptflow2-he/field.js';
import { atLeastP, b2aP, dreluP, muxP } from '../../protocols/cryptflow2-he/gates.js';
import type { OtChannel } from '../../protocols/ot/types.js';
import { loneParty } from './defect-support.js';
import { run2, xor } from '../protocols/cryptflow2/support.js';

/** An OT channel that records each call and refuses it. */
function refusingOt(calls: string[]): OtChannel {
  const refuse = (name: string) => (): Promise<never> => {
    calls.push(name);
    return Promise.reject(new Error(`OT ${name} called`));
  };
  return {
    send2: refuse('send2'),
    recv2: refuse('recv2'),
    sendCorrelated: refuse('sendCorrelated'),
    recvCorrelated: refuse('recvCorrelated'),
    sendRandom: refuse('sendRandom'),
    recvRandom: refuse('recvRandom'),
    sendN: refuse('sendN'),
    recvN: refuse('recvN'),
  };
}

/** Additive shares mod p of known values: P0 holds v + r, P1 holds −r (common PRG). */
function shareP(ctx: PartyContext, F: PrimeField, values: readonly bigint[]): BigUint64Array {
  const r = sampleP(F, ctx.shared(ctx.id === 0 ? 1 : 0), values.length);
  return ctx.id === 0 ? r.map((v, i) => (v + (values[i] as bigint)) % F.p) : r.map((v) => (v === 0n ? 0n : F.p - v));
}

const F = primeField(251n);

describe('cryptflow2-he gates', () => {
  /** Kills L38 and L55 ConditionalExpression false (an empty batch would still run the chosen OTs). */
  it('empty MUX_p and B2A_p batches return empty without touching the OT channel', async () => {
    for (const id of [0, 1] as const) {
      const calls: string[] = [];
      const ctx = loneParty(id, 16, 'he-gates-empty');
      const ot = refusingOt(calls);
      expect([...(await muxP(ctx, ot, F, new Uint8Array(0), new BigUint64Array(0)))]).toEqual([]);
      expect([...(await b2aP(ctx, ot, F, new Uint8Array(0)))]).toEqual([]);
      expect([...(await dreluP(ctx, ot, F, new BigUint64Array(0)))]).toEqual([]);
      expect(calls).toEqual([]);
    }
  });

  /** Kills L56 EqualityOperator (P1 as the OT sender: P0 would output the OT's result, not its own mask). */
  it("B2A_p: P0 outputs the mask it draws from its own PRG, P1 the OT's result", async () => {
    const bits = Uint8Array.from([1, 0, 1, 1, 0, 0, 1, 0]);
    const seed = 'he-gates-b2a-roles';
    const shareBitsOf = (ctx: PartyContext): Uint8Array => (ctx.id === 0 ? bits : new Uint8Array(bits.length));
    const masks = await run2(16, seed, (ctx) => Promise.resolve(sampleP(F, ctx.own, bits.length)));
    const out = await run2(16, seed, (ctx, ot) => b2aP(ctx, ot, F, shareBitsOf(ctx)));
    expect([...out.p0]).toEqual([...masks.p0]);
    expect([...out.p1].map((v, i) => (v + (out.p0[i] as bigint)) % F.p)).toEqual([...bits].map(BigInt));
  });

  /** Kills L89 EqualityOperator (ctx.id !== 0: the constant 1 moved to P1's share). */
  it("DReLU_p's shares are the XOR of the three comparison bits, with 1 at P0", async () => {
    const xs = [0n, 1n, 125n, 126n, 250n, 77n, 200n];
    const n = xs.length;
    const seed = 'he-gates-drelu-shares';
    const c = await run2(16, seed, (ctx, ot) => atLeastP(ctx, ot, F, shareP(ctx, F, xs), [126n, 251n, 377n]));
    const d = await run2(16, seed, (ctx, ot) => dreluP(ctx, ot, F, shareP(ctx, F, xs)));
    const fold = (bits: Uint8Array, one: number): number[] =>
      xs.map((_, i) => (bits[i] as number) ^ (bits[n + i] as number) ^ (bits[2 * n + i] as number) ^ one);
    expect([...d.p0]).toEqual(fold(c.p0, 1));
    expect([...d.p1]).toEqual(fold(c.p1, 0));
    expect(xor(d.p0, d.p1)).toEqual([1, 1, 1, 0, 0, 1, 0]);
  });
});
