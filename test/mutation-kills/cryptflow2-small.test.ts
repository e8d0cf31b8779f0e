/**
 * Mutation kills for four small CrypTFlow2 files, one survivor each in the sweep of 2026-12-07:
 *   - protocols/cryptflow2/drelu.ts (94.12 %): P0 — not P1 — flips its MSB share to get DReLU (27);
 *   - protocols/cryptflow2/mux.ts (93.75 %): a multiplexer over zero elements returns an empty array
 *     without any OT call or message (33);
 *   - protocols/cryptflow2/b2a.ts (93.33 %): B2A of zero bits likewise (14).
 * Listed as equivalent (scripts/mutation/equivalent/ideal__cryptflow2.json): floorDiv's a < 0n read as
 * a <= 0n (ideal/cryptflow2.ts:47), which differ only at a = 0n, where a % d !== 0n is already false.
 */
import { describe, expect, it } from 'vitest';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { drelu, msb } from '../../protocols/cryptflow2/drelu.js';
import { mux } from '../../protocols/cryptflow2/mux.js';
import { b2a } from '../../protocols/cryptflow2/b2a.js';
import { RINGS, run2, shareRing, xor } from '../protocols/cryptflow2/support.js';
import { loneParty, noOt } from './defect-support.js';

const lone = (id: PartyId): PartyContext => loneParty(id, 16, 'cryptflow2-small');

describe('drelu: which party flips', () => {
  /**
   * Pins drelu.ts:27 (EqualityOperator ctx.id !== 0): the same seeded run of msb and of drelu gives
   * P0 its MSB share flipped and P1 its MSB share unchanged; moving the flip to P1 reconstructs the
   * same DReLU but changes both parties' shares.
   */
  it('P0 holds its MSB share xor 1, P1 its MSB share as is', async () => {
    for (const ell of RINGS) {
      const top = (1n << BigInt(ell)) - 1n;
      const half = 1n << BigInt(ell - 1);
      const values = [0n, 1n, top, half, half - 1n, half + 1n, 5n, top - 4n];
      const seed = `cf2-small drelu ${ell}`;
      const m = await run2(ell, seed, (ctx, ot) => msb(ctx, ot, shareRing(ctx, ell, values), ell));
      const d = await run2(ell, seed, (ctx, ot) => drelu(ctx, ot, shareRing(ctx, ell, values), ell));
      expect(xor(d.p0, d.p1)).toEqual(values.map((v) => (v < half ? 1 : 0)));
      expect([...d.p0]).toEqual([...m.p0].map((b) => b ^ 1));
      expect([...d.p1]).toEqual([...m.p1]);
    }
  });
});

describe('mux: the empty case', () => {
  /** Pins mux.ts:33 (ConditionalExpression false): zero elements open no OT at either party. */
  it('zero elements give an empty array at either party without an OT call', async () => {
    for (const id of [0, 1] as const) {
      const out = await mux(lone(id), noOt, new Uint8Array(0), new BigUint64Array(0), 16);
      expect(out).toEqual(new BigUint64Array(0));
    }
  });
});

describe('b2a: the empty case', () => {
  /** Pins b2a.ts:14 (ConditionalExpression false): zero bits open no correlated OT at either party. */
  it('zero bits give an empty array at either party without an OT call', async () => {
    for (const id of [0, 1] as const) {
      const out = await b2a(lone(id), noOt, new Uint8Array(0), 16);
      expect(out).toEqual(new BigUint64Array(0));
    }
  });
});
