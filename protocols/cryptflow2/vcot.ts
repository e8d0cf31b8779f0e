/**
 * Vector correlated OT over Z_{2^w} (CrypTFlow2 §4's OT-based linear layers: one COT per bit of one
 * operand, its correlation a whole vector): for instance i the sender fixes Δ_i ∈ Z_{2^w}^{len_i} and
 * gets a random X_i; the receiver, with choice c_i, gets X_i + c_i·Δ_i. Built on the OT layer's random
 * OT (derandomised as in IKNP's chosen OT, with a PRG stretching each seed to a vector):
 *
 *   1. Two random 1-out-of-2 OTs of 64-bit strings per instance give the sender seeds (s0_i, s1_i) of
 *      128 bits and the receiver s_{c_i},i (its choice repeated on both OTs).
 *   2. The sender sets X_i = G(s0_i) and sends V_i = G(s0_i) + Δ_i − G(s1_i) mod 2^w (G: the OT
 *      layer's fixed-key-AES TCCR hash of the seed under counter tweaks, batched over all instances;
 *      w bits a value), all instances in one message packed bit-tight.
 *   3. The receiver outputs G(s0_i) = X_i when c_i = 0 and V_i + G(s1_i) = X_i + Δ_i when c_i = 1.
 * The receiver never holds the other seed, so V_i is pseudorandom to it; the sender sees only the
 * random OTs (F_OT gives it nothing about c). Cost per batch: 2m random OTs (16 bytes each, receiver to
 * sender) and ⌈Σ len_i·w / 8⌉ bytes sender to receiver; 2 rounds.
 */
import { CryptflowError } from '../../spec/errors.js';
import type { OtChannel } from '../ot/types.js';
import { tccr } from '../ot/hash.js';
import type { PartyContext } from '../common/party.js';

/**
 * G(s_i) for every instance at once: n_i w-bit values from the OT layer's tweakable correlation-robust
 * hash, the 64-bit halves of TCCR(j, s_i) for block counters j = 0, 1, … (distinct tweaks under one
 * secret random seed give pseudorandom blocks; domain word 3 keeps these tweaks apart from the OT
 * layer's own). `seeds` holds two 64-bit words per instance.
 */
function expandAll(seeds: BigUint64Array, lens: Int32Array, w: number): BigUint64Array {
  const m = lens.length;
  let blocks = 0;
  for (const len of lens) blocks += Math.ceil(len / 2);
  const x = new BigUint64Array(2 * blocks);
  const tw = new Uint32Array(4 * blocks);
  let b = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < Math.ceil((lens[i] as number) / 2); j++, b++) {
      x[2 * b] = seeds[2 * i] as bigint;
      x[2 * b + 1] = seeds[2 * i + 1] as bigint;
      tw[4 * b] = j >>> 0;
      tw[4 * b + 1] = Math.floor(j / 2 ** 32);
      tw[4 * b + 2] = 3;
    }
  }
  const h = tccr(new Uint32Array(x.buffer), tw, 1);
  const vals = new BigUint64Array(h.buffer, h.byteOffset, 2 * blocks);
  const total = lens.reduce((s, l) => s + l, 0);
  const out = new BigUint64Array(total);
  let at = 0;
  let from = 0;
  for (let i = 0; i < m; i++) {
    const len = lens[i] as number;
    for (let j = 0; j < len; j++)
      out[at + j] = w === 64 ? (vals[from + j] as bigint) : BigInt.asUintN(w, vals[from + j] as bigint);
    at += len;
    from += 2 * Math.ceil(len / 2);
  }
  return out;
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
  if (bytes.length !== expected)
    throw new CryptflowError(
      'decode',
      `message from P${from} (${what}): expected ${expected} bytes, got ${bytes.length}`,
    );
  if ((n * w) % 8 !== 0 && (bytes[bytes.length - 1] as number) >> ((n * w) % 8) !== 0)
    throw new CryptflowError('decode', `message from P${from} (${what}): nonzero padding bits`);
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
export async function sendVectorCot(
  ctx: PartyContext,
  ot: OtChannel,
  lens: Int32Array,
  delta: BigUint64Array,
  w: number,
): Promise<BigUint64Array> {
  const m = lens.length;
  if (m === 0) return new BigUint64Array(0);
  const [r0, r1] = await ot.sendRandom(2 * m, 64);
  const x = expandAll(r0, lens, w);
  const g1 = expandAll(r1, lens, w);
  const v = x.map((g0, j) => BigInt.asUintN(w, g0 + (delta[j] as bigint) - (g1[j] as bigint)));
  ctx.send(ctx.id === 0 ? 1 : 0, packValues(v, w));
  return x;
}

/** Receiver: one choice bit per instance; returns X + c·Δ, concatenated. */
export async function recvVectorCot(
  ctx: PartyContext,
  ot: OtChannel,
  choices: Uint8Array,
  lens: Int32Array,
  w: number,
): Promise<BigUint64Array> {
  const m = lens.length;
  if (m === 0) return new BigUint64Array(0);
  const doubled = new Uint8Array(2 * m);
  for (let i = 0; i < m; i++) doubled[2 * i] = doubled[2 * i + 1] = choices[i] as number;
  const r = await ot.recvRandom(doubled, 64);
  const total = lens.reduce((s, l) => s + l, 0);
  const peer = ctx.id === 0 ? 1 : 0;
  const v = unpackValues(await ctx.recv(peer, 'vector COT corrections'), total, w, peer, 'vector COT corrections');
  const g = expandAll(r, lens, w);
  const out = new BigUint64Array(total);
  let at = 0;
  for (let i = 0; i < m; i++) {
    const len = lens[i] as number;
    if ((choices[i] as number) === 1)
      for (let j = at; j < at + len; j++) out[j] = BigInt.asUintN(w, (v[j] as bigint) + (g[j] as bigint));
    else out.set(g.subarray(at, at + len), at);
    at += len;
  }
  return out;
}
