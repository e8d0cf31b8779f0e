/**
 * Mutation kills for protocols/ot/base.ts (Chou–Orlandi base OTs over ristretto255), by known
 * answers recomputed here from the seeded PRG keys with @noble/curves and node:crypto directly:
 * line 47 (EqualityOperator `i >= 0` → `i > 0`: the scalar's low PRG byte is dropped), line 49
 * (ConditionalExpression `v !== 0n` → `true`: a draw that reduces to 0 is not redrawn) and line 65
 * (StringLiteral: the KDF's domain label emptied). Listed as equivalent
 * (scripts/mutation/equivalent/protocols__ot__base.json): lines 26 and 91 (BooleanLiteral
 * `precompute(8, false)` → `precompute(8, true)`, eager vs lazy window table).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { baseOts, type BaseOts } from '../../protocols/ot/base.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { keysFromSeed, Prg } from '../../protocols/common/prg.js';
import { twoParties } from '../protocols/ot/support.js';
import { freshTraffic, recording, sentTo, type Traffic } from './traffic-support.js';

const Point = ristretto255.Point;
const ORDER = Point.Fn.ORDER;
const COUNT = 3;

/** The 64 bytes read little-endian, reduced mod the group order. */
function leMod(bytes: Uint8Array): bigint {
  let v = 0n;
  bytes.forEach((x, i) => {
    v += BigInt(x) << BigInt(8 * i);
  });
  return v % ORDER;
}

/** 64 bytes encoding `v` little-endian. */
function le64(v: bigint): Uint8Array {
  return Uint8Array.from({ length: 64 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
}

/** The first scalar party `id` draws from its own PRG in a run seeded with `seed`. */
function firstScalar(seed: string, id: 0 | 1): bigint {
  const v = leMod(new Prg(keysFromSeed(seed)[id].own).bytes(64));
  expect(v).not.toBe(0n);
  return v;
}

/** SHA-256 of the base-OT key derivation, written out here, truncated to 16 bytes. */
function expectedKey(sender: number, receiver: number, a: Uint8Array, b: Uint8Array, j: number, shared: Uint8Array) {
  const idx = Buffer.alloc(4);
  idx.writeUInt32BE(j);
  const h = createHash('sha256')
    .update(Buffer.from(`cryptflow-ts base OT\u0000P${sender}->P${receiver}\u0000`, 'utf8'))
    .update(a)
    .update(b)
    .update(idx)
    .update(shared)
    .digest();
  return new Uint8Array(h.subarray(0, 16));
}

/** Both parties' base OTs over one network, each side's traffic recorded. */
async function run(seed: string, ctx0?: (c: PartyContext) => PartyContext) {
  const p = twoParties(seed);
  const traffic: readonly [Traffic, Traffic] = [freshTraffic(), freshTraffic()];
  const c0 = recording(ctx0 === undefined ? p.ctx[0] : ctx0(p.ctx[0]), traffic[0]);
  const c1 = recording(p.ctx[1], traffic[1]);
  const out: readonly [BaseOts, BaseOts] = await Promise.all([baseOts(c0, 1, COUNT), baseOts(c1, 0, COUNT)]);
  return { out, traffic };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** An own PRG whose first 64-byte draw is the group order (reduces to 0), then its normal stream. */
class OrderFirst extends Prg {
  private first = true;
  override bytes(n: number): Uint8Array {
    if (this.first && n === 64) {
      this.first = false;
      return le64(ORDER);
    }
    return super.bytes(n);
  }
}

describe('base OT known answers (protocols/ot/base.ts)', () => {
  it('the sender point is a·G with a = the first 64 own-PRG bytes, little-endian, mod the order', async () => {
    const seed = 'kbase-kat';
    const { traffic } = await run(seed);
    for (const id of [0, 1] as const) {
      const expected = Point.BASE.multiply(firstScalar(seed, id)).toBytes();
      expect(hex(sentTo(traffic[id], id === 0 ? 1 : 0, 0))).toBe(hex(expected));
    }
  });

  it("the sender's keys and the receiver's chosen keys are the labelled SHA-256 of (A, B_j, j, shared point)", async () => {
    const seed = 'kbase-kdf';
    const { out, traffic } = await run(seed);
    for (const me of [0, 1] as const) {
      const peer = me === 0 ? 1 : 0;
      const a = firstScalar(seed, me);
      const aBytes = sentTo(traffic[me], peer, 0);
      const A = Point.fromBytes(aBytes);
      const theirB = sentTo(traffic[peer], me, 1);
      expect(theirB.length).toBe(COUNT * 32);
      const receiver = out[peer];
      for (let j = 0; j < COUNT; j++) {
        const bj = theirB.subarray(32 * j, 32 * (j + 1));
        const aB = Point.fromBytes(bj).multiply(a);
        const k0 = expectedKey(me, peer, aBytes, bj, j, aB.toBytes());
        const k1 = expectedKey(me, peer, aBytes, bj, j, aB.subtract(A.multiply(a)).toBytes());
        const pair = out[me].pairs[j];
        expect(pair === undefined ? [] : pair.map(hex)).toEqual([hex(k0), hex(k1)]);
        const chosen = receiver.chosen[j];
        expect(chosen === undefined ? '' : hex(chosen)).toBe(hex(receiver.choices[j] === 1 ? k1 : k0));
      }
    }
  });

  it('a scalar draw that reduces to 0 is redrawn: the sender point comes from the next 64 bytes', async () => {
    const seed = 'kbase-zero';
    const own = keysFromSeed(seed)[0].own;
    const { out, traffic } = await run(seed, (c) => ({ ...c, own: new OrderFirst(own) }));
    const expected = Point.BASE.multiply(firstScalar(seed, 0)).toBytes();
    expect(hex(sentTo(traffic[0], 1, 0))).toBe(hex(expected));
    for (let j = 0; j < COUNT; j++) {
      const chosen = out[1].chosen[j];
      const pair = out[0].pairs[j];
      expect(chosen === undefined ? '' : hex(chosen)).toBe(
        pair === undefined ? '-' : hex(pair[out[1].choices[j] === 1 ? 1 : 0]),
      );
    }
  });
});
