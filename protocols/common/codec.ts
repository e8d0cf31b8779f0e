/**
 * Wire encodings of the values protocols exchange, and typed send/receive on a PartyContext.
 *
 * Z_{2^ℓ} and Z_{2^ℓ−1} elements travel as ⌈ℓ/8⌉ bytes each, little-endian (8 bytes at ℓ = 64, as
 * COMM-SPEC.md counts them); Z_p elements (p < 256) and bits as one byte each. A message is a bare
 * concatenation: its length is implied by the protocol step, and a receiver checks it before decoding
 * (a short, long or out-of-range message is a 'decode' error naming the sender, never its contents).
 */
import { CryptflowError } from '../../spec/errors.js';
import { handOver } from './handover.js';
import type { PartyContext, PartyId } from './party.js';

import { ringBytes } from '../../spec/cost/types.js';
import { firstOutOfRange } from '../../semantics/kernels/words.js';
import { OddRing, type Field } from '../../spec/field.js';
import { Ring } from '../../spec/ring.js';

export { ringBytes };

export function encodeRing(ell: number, data: BigUint64Array): Uint8Array {
  const w = ringBytes(ell);
  if (w === 8) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const out = new Uint8Array(w * data.length);
  for (let i = 0; i < data.length; i++) {
    let v = data[i] as bigint;
    for (let b = 0; b < w; b++) {
      out[i * w + b] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  return out;
}

function checkLength(from: PartyId, bytes: Uint8Array, expected: number, what: string): void {
  if (bytes.length !== expected) {
    throw new CryptflowError(
      'decode',
      `message from P${from} (${what}): expected ${expected} bytes, got ${bytes.length}`,
    );
  }
}

/** Decode n ring elements; every element must be below `bound` (2^ℓ, or 2^ℓ − 1 for the odd ring). */
export function decodeRing(
  ell: number,
  bytes: Uint8Array,
  n: number,
  from: PartyId,
  what: string,
  bound: bigint = 1n << BigInt(ell),
): BigUint64Array {
  const w = ringBytes(ell);
  checkLength(from, bytes, w * n, what);
  let out: BigUint64Array;
  if (w === 8) {
    out = new BigUint64Array(n);
    new Uint8Array(out.buffer).set(bytes);
  } else {
    out = new BigUint64Array(n);
    for (let i = 0; i < n; i++) {
      let v = 0n;
      for (let b = w - 1; b >= 0; b--) v = (v << 8n) | BigInt(bytes[i * w + b] as number);
      out[i] = v;
    }
  }
  const ring = Ring(ell);
  const bad =
    bound === ring.modulus
      ? firstOutOfRange(ring, out)
      : bound === ring.mask
        ? firstOutOfRange(OddRing(ell), out)
        : out.findIndex((x) => x >= bound);
  if (bad >= 0) throw new CryptflowError('decode', `message from P${from} (${what}): element ${bad} is out of range`);
  return out;
}

export function sendRing(ctx: PartyContext, to: PartyId, data: BigUint64Array, ell: number = ctx.ell): void {
  // encodeRing's array is always fresh (a copy at ℓ = 64): nothing else holds it.
  ctx.send(to, handOver(encodeRing(ell, data)));
}

export async function recvRing(
  ctx: PartyContext,
  from: PartyId,
  n: number,
  what: string,
  ell: number = ctx.ell,
): Promise<BigUint64Array> {
  return decodeRing(ell, await ctx.recv(from, what), n, from, what);
}

/** Receive n elements of Z_{2^ℓ − 1}. */
export async function recvOddRing(
  ctx: PartyContext,
  from: PartyId,
  n: number,
  what: string,
  ell: number = ctx.ell,
): Promise<BigUint64Array> {
  return decodeRing(ell, await ctx.recv(from, what), n, from, what, (1n << BigInt(ell)) - 1n);
}

export function sendBytes(ctx: PartyContext, to: PartyId, data: Uint8Array): void {
  ctx.send(to, data);
}

/** Receive n elements of the field Z_p (one byte each, each < p). */
export async function recvField(
  ctx: PartyContext,
  from: PartyId,
  n: number,
  field: Field,
  what: string,
): Promise<Uint8Array> {
  const bytes = await ctx.recv(from, what);
  checkLength(from, bytes, n, what);
  const bad = firstByteAtLeast(bytes, field.p);
  if (bad >= 0) throw new CryptflowError('decode', `message from P${from} (${what}): element ${bad} is out of range`);
  return bytes;
}

/**
 * The index of the first byte of `bytes` that is ≥ p, or −1 (the range check of Z_p messages). Four
 * bytes at a time where p ≤ 128: for a 32-bit word w of four bytes x, (w & 0x7f7f7f7f) adds
 * 128 − p to each byte's low 7 bits without a carry out of the byte (at most 127 + 127), so the
 * byte's top bit of the sum is set iff (x & 0x7f) ≥ p; or-ing w adds x's own top bit (x ≥ 128 ≥ p). A
 * word with a flagged byte is scanned byte by byte, so the index is the first one, as the plain loop's.
 */
export function firstByteAtLeast(bytes: Uint8Array, p: number): number {
  const n = bytes.length;
  let i = 0;
  if (p >= 1 && p <= 128) {
    // Bytes up to a 4-byte boundary one at a time, then whole words.
    while (i < n && (bytes.byteOffset + i) % 4 !== 0) {
      if ((bytes[i] as number) >= p) return i;
      i++;
    }
    const words = i < n ? new Uint32Array(bytes.buffer, bytes.byteOffset + i, (n - i) >>> 2) : new Uint32Array(0);
    const add = (128 - p) * 0x01010101;
    let w = 0;
    for (; w < words.length; w++) {
      const x = words[w] as number;
      if (((((x & 0x7f7f7f7f) + add) | x) & 0x80808080) !== 0) break;
    }
    i += 4 * w;
  }
  for (; i < n; i++) if ((bytes[i] as number) >= p) return i;
  return -1;
}
