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
import { permute } from '../ot/hash.js';
import { wordView } from '../ot/bits.js';
import type { PartyContext } from '../common/party.js';
import { otMulKernels, type OtMulKernels } from '../kernels/otmul.js';

const REFERENCE = otMulKernels('reference');

/**
 * G(s_i) for every instance at once: n_i 64-bit words (the callers reduce them mod 2^w) from the OT
 * layer's tweakable correlation-robust hash, the 64-bit halves of TCCR(j, s_i) for block counters j = 0, 1, … (distinct tweaks under one
 * secret random seed give pseudorandom blocks; domain word 3 keeps these tweaks apart from the OT
 * layer's own). `seeds` holds two 64-bit words per instance.
 */
export function expandAll(seeds: BigUint64Array, lens: Int32Array): BigUint64Array {
  const m = lens.length;
  // TCCR(j, s) = π(π(s) ⊕ j) ⊕ π(s): π(s) once per instance, then one π per block.
  const y = wordView(permute(new Uint8Array(seeds.buffer, seeds.byteOffset, 16 * m)));
  let blocks = 0;
  for (let i = 0; i < m; i++) blocks += ((lens[i] as number) + 1) >> 1;
  const z = new Uint32Array(4 * blocks);
  for (let i = 0, b = 0; i < m; i++) {
    const half = ((lens[i] as number) + 1) >> 1;
    const y0 = y[4 * i] as number;
    const y1 = y[4 * i + 1] as number;
    const y2 = ((y[4 * i + 2] as number) ^ 3) >>> 0;
    const y3 = y[4 * i + 3] as number;
    for (let j = 0; j < half; j++, b += 4) {
      z[b] = (y0 ^ j) >>> 0;
      z[b + 1] = y1;
      z[b + 2] = y2;
      z[b + 3] = y3;
    }
  }
  const h = wordView(permute(new Uint8Array(z.buffer)));
  for (let i = 0, b = 0; i < m; i++) {
    const half = ((lens[i] as number) + 1) >> 1;
    const y0 = y[4 * i] as number;
    const y1 = y[4 * i + 1] as number;
    const y2 = y[4 * i + 2] as number;
    const y3 = y[4 * i + 3] as number;
    for (let j = 0; j < half; j++, b += 4) {
      h[b] = ((h[b] as number) ^ y0) >>> 0;
      h[b + 1] = ((h[b + 1] as number) ^ y1) >>> 0;
      h[b + 2] = ((h[b + 2] as number) ^ y2) >>> 0;
      h[b + 3] = ((h[b + 3] as number) ^ y3) >>> 0;
    }
  }
  const aligned = h.byteOffset % 8 === 0 ? h : h.slice();
  const vals = new BigUint64Array(aligned.buffer, aligned.byteOffset, 2 * blocks);
  const total = lens.reduce((s, l) => s + l, 0);
  if (total === 2 * blocks) return vals;
  const out = new BigUint64Array(total);
  let at = 0;
  let from = 0;
  for (let i = 0; i < m; i++) {
    const len = lens[i] as number;
    out.set(vals.subarray(from, from + len), at);
    at += len;
    from += 2 * Math.ceil(len / 2);
  }
  return out;
}

/** Pack w-bit values bit-tight, LSB first. */
export function packValues(values: BigUint64Array, w: number, kern: OtMulKernels = REFERENCE): Uint8Array {
  return kern.packWords(values, w);
}

export function unpackValues(
  bytes: Uint8Array,
  n: number,
  w: number,
  from: number,
  what: string,
  kern: OtMulKernels = REFERENCE,
): BigUint64Array {
  const expected = Math.ceil((n * w) / 8);
  if (bytes.length !== expected)
    throw new CryptflowError(
      'decode',
      `message from P${from} (${what}): expected ${expected} bytes, got ${bytes.length}`,
    );
  if ((n * w) % 8 !== 0 && (bytes[bytes.length - 1] as number) >> ((n * w) % 8) !== 0)
    throw new CryptflowError('decode', `message from P${from} (${what}): nonzero padding bits`);
  return kern.unpackWords(bytes, n, w);
}

/**
 * Sender: Δ is the concatenation of the instances' vectors (lengths `lens`; only its low w bits
 * count). Returns X likewise. `kern`: the loops' implementation (protocols/kernels/otmul.ts).
 */
export async function sendVectorCot(
  ctx: PartyContext,
  ot: OtChannel,
  lens: Int32Array,
  delta: BigUint64Array,
  w: number,
  kern: OtMulKernels = REFERENCE,
): Promise<BigUint64Array> {
  const m = lens.length;
  if (m === 0) return new BigUint64Array(0);
  const [r0, r1] = await ot.sendRandom(2 * m, 64);
  const { x, v } = kern.vcotCorrect(expandAll(r0, lens), expandAll(r1, lens), delta, w);
  ctx.send(ctx.id === 0 ? 1 : 0, packValues(v, w, kern));
  return x;
}

/** Receiver: one choice bit per instance; returns X + c·Δ, concatenated. */
export async function recvVectorCot(
  ctx: PartyContext,
  ot: OtChannel,
  choices: Uint8Array,
  lens: Int32Array,
  w: number,
  kern: OtMulKernels = REFERENCE,
): Promise<BigUint64Array> {
  const m = lens.length;
  if (m === 0) return new BigUint64Array(0);
  const doubled = new Uint8Array(2 * m);
  for (let i = 0; i < m; i++) doubled[2 * i] = doubled[2 * i + 1] = choices[i] as number;
  const r = await ot.recvRandom(doubled, 64);
  const total = lens.reduce((s, l) => s + l, 0);
  const peer = ctx.id === 0 ? 1 : 0;
  const bytes = await ctx.recv(peer, 'vector COT corrections');
  const v = unpackValues(bytes, total, w, peer, 'vector COT corrections', kern);
  return kern.vcotOutput(expandAll(r, lens), v, lens, choices, w);
}
