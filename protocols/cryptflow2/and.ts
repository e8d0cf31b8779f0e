/**
 * Boolean AND gates of CrypTFlow2 (Rathee et al., CCS 2020, §3.1.1 and Appendix A; the SCI library's
 * default build): bit triples from 1-out-of-16 OT₂ and Beaver's AND on XOR-shared bits.
 *
 * Triples (Demmler et al.'s 1-out-of-4 trick, two triples per 1-out-of-16 OT of 2-bit messages):
 *   1. P1 draws (a1, b1, a1′, b1′) and chooses v = a1 | b1·2 | a1′·4 | b1′·8.
 *   2. P0 draws (a0, b0, c0, a0′, b0′, c0′) and offers, for every v, the 2-bit message
 *        (c0 ⊕ (a0 ⊕ α)(b0 ⊕ β)) | (c0′ ⊕ (a0′ ⊕ α′)(b0′ ⊕ β′))·2,   v = α | β·2 | α′·4 | β′·8.
 *   3. P1's output is (c1, c1′): c0 ⊕ c1 = a·b, c0′ ⊕ c1′ = a′·b′ with a = a0 ⊕ a1, b = b0 ⊕ b1.
 *   Cost per OT (spec/cost/ot.ts): 2λ + 16·2 = 288 bits, 144 per triple.
 * AND of x = x0 ⊕ x1 and y = y0 ⊕ y1 with a triple (a, b, c):
 *   1. each party sends (e_i, f_i) = (x_i ⊕ a_i, y_i ⊕ b_i) — one message of 2k packed bits per batch;
 *   2. e = e0 ⊕ e1, f = f0 ⊕ f1; z_i = c_i ⊕ e·b_i ⊕ f·a_i (⊕ e·f at P0 only). 4 bits per AND.
 */
import { bug } from '../../spec/errors.js';
import type { OtChannel } from '../ot/types.js';
import { peerOf, type PartyContext } from '../common/party.js';
import { randomBits, recvBits, sendBits } from './bits.js';

export interface BitTriples {
  readonly a: Uint8Array;
  readonly b: Uint8Array;
  readonly c: Uint8Array;
}

/** Number of 1-out-of-16 OTs that give k triples. */
export const triplesOts = (k: number): number => Math.ceil(k / 2);

/** P0's half of triple generation: its triple shares and the ⌈k/2⌉·16 two-bit OT messages. */
export function tripleSender(
  ctx: PartyContext,
  k: number,
): { readonly triples: BitTriples; readonly messages: BigUint64Array } {
  const ots = triplesOts(k);
  const [a, b, c] = [randomBits(ctx, 2 * ots), randomBits(ctx, 2 * ots), randomBits(ctx, 2 * ots)];
  const messages = new BigUint64Array(16 * ots);
  for (let t = 0; t < ots; t++) {
    const [i, j] = [2 * t, 2 * t + 1];
    for (let v = 0; v < 16; v++) {
      const lo = (c[i] as number) ^ (((a[i] as number) ^ (v & 1)) & ((b[i] as number) ^ ((v >> 1) & 1)));
      const hi = (c[j] as number) ^ (((a[j] as number) ^ ((v >> 2) & 1)) & ((b[j] as number) ^ ((v >> 3) & 1)));
      messages[16 * t + v] = BigInt(lo | (hi << 1));
    }
  }
  return { triples: { a: a.subarray(0, k), b: b.subarray(0, k), c: c.subarray(0, k) }, messages };
}

/** P1's choices for k triples, and the completion of its triples from the received 2-bit messages. */
export function tripleReceiver(
  ctx: PartyContext,
  k: number,
): { readonly choices: Uint8Array; finish(received: BigUint64Array): BitTriples } {
  const ots = triplesOts(k);
  const [a, b] = [randomBits(ctx, 2 * ots), randomBits(ctx, 2 * ots)];
  const choices = new Uint8Array(ots);
  for (let t = 0; t < ots; t++)
    choices[t] =
      (a[2 * t] as number) |
      ((b[2 * t] as number) << 1) |
      ((a[2 * t + 1] as number) << 2) |
      ((b[2 * t + 1] as number) << 3);
  return {
    choices,
    finish: (received) => {
      if (received.length !== ots) bug('triple OT output length');
      const c = new Uint8Array(2 * ots);
      for (let t = 0; t < ots; t++) {
        const m = Number(received[t] as bigint);
        c[2 * t] = m & 1;
        c[2 * t + 1] = (m >> 1) & 1;
      }
      return { a: a.subarray(0, k), b: b.subarray(0, k), c: c.subarray(0, k) };
    },
  };
}

/** k bit triples on their own (one batch of ⌈k/2⌉ 1-out-of-16 OTs, P0 sending). */
export async function bitTriples(ctx: PartyContext, ot: OtChannel, k: number): Promise<BitTriples> {
  if (ctx.id === 0) {
    const s = tripleSender(ctx, k);
    await ot.sendN(16, s.messages, 2);
    return s.triples;
  }
  const r = tripleReceiver(ctx, k);
  return r.finish(await ot.recvN(16, r.choices, 2));
}

/** A pool of triples handed out in order. */
export class TripleStock {
  private used = 0;
  constructor(private readonly t: BitTriples) {}
  take(k: number): BitTriples {
    const [from, to] = [this.used, this.used + k];
    if (to > this.t.a.length) bug(`triple stock exhausted (${to} > ${this.t.a.length})`);
    this.used = to;
    return { a: this.t.a.subarray(from, to), b: this.t.b.subarray(from, to), c: this.t.c.subarray(from, to) };
  }
  get left(): number {
    return this.t.a.length - this.used;
  }
}

/** A batch of k ANDs z = x ∧ y on XOR shares, consuming k triples: one exchange of 2k packed bits each way. */
export async function andGates(ctx: PartyContext, t: BitTriples, x: Uint8Array, y: Uint8Array): Promise<Uint8Array> {
  const k = x.length;
  if (y.length !== k || t.a.length !== k) bug('AND batch sizes');
  if (k === 0) return new Uint8Array(0);
  const peer = peerOf(ctx.id === 0 ? 0 : 1);
  const mine = new Uint8Array(2 * k);
  for (let i = 0; i < k; i++) {
    mine[i] = (x[i] as number) ^ (t.a[i] as number);
    mine[k + i] = (y[i] as number) ^ (t.b[i] as number);
  }
  sendBits(ctx, peer, mine);
  const theirs = await recvBits(ctx, peer, 2 * k, 'AND opening of e, f');
  const z = new Uint8Array(k);
  for (let i = 0; i < k; i++) {
    const e = (mine[i] as number) ^ (theirs[i] as number);
    const f = (mine[k + i] as number) ^ (theirs[k + i] as number);
    z[i] = (t.c[i] as number) ^ (e & (t.b[i] as number)) ^ (f & (t.a[i] as number)) ^ (ctx.id === 0 ? e & f : 0);
  }
  return z;
}
