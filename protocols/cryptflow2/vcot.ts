/**
 * Vector correlated OT over Z_{2^w} (CrypTFlow2 §4's OT-based linear layers: one COT per bit of one
 * operand, its correlation a whole vector): for instance i the sender fixes Δ_i ∈ Z_{2^w}^{len_i} and
 * gets a random X_i; the receiver, with choice c_i, gets X_i + c_i·Δ_i. Built on the OT layer's random
 * OT (derandomised as in IKNP's chosen OT, with a PRG stretching each seed to a vector):
 *
 *   1. Two random 1-out-of-2 OTs of 64-bit strings per instance give the sender seeds (s0_i, s1_i) of
 *      128 bits and the receiver s_{c_i},i (its choice repeated on both OTs).
 *   2. The sender sets X_i = G(s0_i) and sends V_i = G(s0_i) + Δ_i − G(s1_i) mod 2^w (G: AES-128-CTR
 *      keyed by the seed, w bits a value), all instances in one message packed bit-tight.
 *   3. The receiver outputs G(s0_i) = X_i when c_i = 0 and V_i + G(s1_i) = X_i + Δ_i when c_i = 1.
 * The receiver never holds the other seed, so V_i is pseudorandom to it; the sender sees only the
 * random OTs (F_OT gives it nothing about c). Cost per batch: 2m random OTs (16 bytes each, receiver to
 * sender) and ⌈Σ len_i·w / 8⌉ bytes sender to receiver; 2 rounds.
 */
import { CryptflowError } from '../../spec/errors.js';
import type { OtChannel } from '../ot/types.js';
import { Prg } from '../common/prg.js';
import type { PartyContext } from '../common/party.js';

function seed(a: bigint, b: bigint): Uint8Array {
  const s = new BigUint64Array([a, b]);
  return new Uint8Array(s.buffer);
}

function expand(key: Uint8Array, n: number, w: number): BigUint64Array {
  return new Prg(key).ring(64, n).map((v) => BigInt.asUintN(w, v));
}

/** Pack w-bit values bit-tight, LSB first. */
export function packValues(values: BigUint64Array, w: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((values.length * w) / 8));
  let bit = 0;
  for (const v0 of values) {
    let v = v0;
    let left = w;
    while (left > 0) {
      const room = 8 - (bit & 7);
      const take = Math.min(room, left);
      out[bit >> 3] = (out[bit >> 3] as number) | (Number(v & ((1n << BigInt(take)) - 1n)) << (bit & 7));
      v >>= BigInt(take);
      bit += take;
      left -= take;
    }
  }
  return out;
}

export function unpackValues(bytes: Uint8Array, n: number, w: number, from: number, what: string): BigUint64Array {
  const expected = Math.ceil((n * w) / 8);
  if (bytes.length !== expected) throw new CryptflowError('decode', `message from P${from} (${what}): expected ${expected} bytes, got ${bytes.length}`);
  if ((n * w) % 8 !== 0 && (bytes[bytes.length - 1] as number) >> (n * w) % 8 !== 0) throw new CryptflowError('decode', `message from P${from} (${what}): nonzero padding bits`);
  const out = new BigUint64Array(n);
  let bit = 0;
  for (let i = 0; i < n; i++) {
    let v = 0n;
    let got = 0;
    while (got < w) {
      const room = 8 - (bit & 7);
      const take = Math.min(room, w - got);
      const part = ((bytes[bit >> 3] as number) >> (bit & 7)) & ((1 << take) - 1);
      v |= BigInt(part) << BigInt(got);
      got += take;
      bit += take;
    }
    out[i] = v;
  }
  return out;
}

/** Sender: Δ is the concatenation of the instances' vectors (lengths `lens`). Returns X likewise. */
export async function sendVectorCot(ctx: PartyContext, ot: OtChannel, lens: Int32Array, delta: BigUint64Array, w: number): Promise<BigUint64Array> {
  const m = lens.length;
  if (m === 0) return new BigUint64Array(0);
  const [r0, r1] = await ot.sendRandom(2 * m, 64);
  const x = new BigUint64Array(delta.length);
  const v = new BigUint64Array(delta.length);
  let at = 0;
  for (let i = 0; i < m; i++) {
    const len = lens[i] as number;
    const g0 = expand(seed(r0[2 * i] as bigint, r0[2 * i + 1] as bigint), len, w);
    const g1 = expand(seed(r1[2 * i] as bigint, r1[2 * i + 1] as bigint), len, w);
    for (let j = 0; j < len; j++) {
      x[at + j] = g0[j] as bigint;
      v[at + j] = BigInt.asUintN(w, (g0[j] as bigint) + (delta[at + j] as bigint) - (g1[j] as bigint));
    }
    at += len;
  }
  ctx.send(ctx.id === 0 ? 1 : 0, packValues(v, w));
  return x;
}

/** Receiver: one choice bit per instance; returns X + c·Δ, concatenated. */
export async function recvVectorCot(ctx: PartyContext, ot: OtChannel, choices: Uint8Array, lens: Int32Array, w: number): Promise<BigUint64Array> {
  const m = lens.length;
  if (m === 0) return new BigUint64Array(0);
  const doubled = new Uint8Array(2 * m);
  for (let i = 0; i < m; i++) doubled[2 * i] = doubled[2 * i + 1] = choices[i] as number;
  const r = await ot.recvRandom(doubled, 64);
  const total = lens.reduce((s, l) => s + l, 0);
  const peer = ctx.id === 0 ? 1 : 0;
  const v = unpackValues(await ctx.recv(peer, 'vector COT corrections'), total, w, peer, 'vector COT corrections');
  const out = new BigUint64Array(total);
  let at = 0;
  for (let i = 0; i < m; i++) {
    const len = lens[i] as number;
    const g = expand(seed(r[2 * i] as bigint, r[2 * i + 1] as bigint), len, w);
    for (let j = 0; j < len; j++) out[at + j] = (choices[i] as number) === 1 ? BigInt.asUintN(w, (v[at + j] as bigint) + (g[j] as bigint)) : (g[j] as bigint);
    at += len;
  }
  return out;
}
