/**
 * Wire encodings of the values protocols exchange, and typed send/receive on a PartyContext.
 *
 * Z_{2^ℓ} and Z_{2^ℓ−1} elements travel as ⌈ℓ/8⌉ bytes each, little-endian (8 bytes at ℓ = 64, as
 * COMM-SPEC.md counts them); Z_p elements (p < 256) and bits as one byte each. A message is a bare
 * concatenation: its length is implied by the protocol step, and a receiver checks it before decoding
 * (a short, long or out-of-range message is a 'decode' error naming the sender, never its contents).
 */
import { CryptflowError } from '../../spec/errors.js';
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
  ctx.send(to, encodeRing(ell, data));
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
  const p = field.p;
  const bytes = await ctx.recv(from, what);
  checkLength(from, bytes, n, what);
  for (let i = 0; i < n; i++) {
    if ((bytes[i] as number) >= p)
      throw new CryptflowError('decode', `message from P${from} (${what}): element ${i} is out of range`);
  }
  return bytes;
}
