/**
 * Boolean shares and their wire form for the CrypTFlow2 protocols (Rathee et al., CCS 2020, §3):
 * a bit b is held as b0 ⊕ b1, one bit per byte (0 or 1) in a `Uint8Array`. Bits travel packed eight
 * to a byte, least significant bit first, so a message of k bits is ⌈k/8⌉ bytes (COMM-SPEC "2PC":
 * report bytes as ⌈bits/8⌉ per message). A received message is checked for its exact length and for
 * zero padding bits before it is unpacked ('decode' errors name the sender, never the contents).
 */
import { CryptflowError } from '../../spec/errors.js';
import type { PartyContext } from '../common/party.js';

/** Pack bits (one per byte, 0 or 1) eight to a byte, LSB first. */
export function packBits(bits: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) out[i >> 3] = (out[i >> 3] as number) | (((bits[i] as number) & 1) << (i & 7));
  return out;
}

/** Unpack n bits; the message must be exactly ⌈n/8⌉ bytes with its padding bits zero. */
export function unpackBits(bytes: Uint8Array, n: number, from: number, what: string): Uint8Array {
  if (bytes.length !== Math.ceil(n / 8))
    throw new CryptflowError(
      'decode',
      `message from P${from} (${what}): expected ${Math.ceil(n / 8)} bytes, got ${bytes.length}`,
    );
  if (n % 8 !== 0 && (bytes[bytes.length - 1] as number) >> (n % 8) !== 0)
    throw new CryptflowError('decode', `message from P${from} (${what}): nonzero padding bits`);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = ((bytes[i >> 3] as number) >> (i & 7)) & 1;
  return out;
}

export function sendBits(ctx: PartyContext, to: 0 | 1, bits: Uint8Array): void {
  ctx.send(to, packBits(bits));
}

export async function recvBits(ctx: PartyContext, from: 0 | 1, n: number, what: string): Promise<Uint8Array> {
  return unpackBits(await ctx.recv(from, what), n, from, what);
}

/** n fresh random bits from the party's own PRG. */
export function randomBits(ctx: PartyContext, n: number): Uint8Array {
  const b = ctx.own.bytes(n);
  for (let i = 0; i < n; i++) b[i] = (b[i] as number) & 1;
  return b;
}

export function xorBits(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) ^ (b[i] as number);
  return out;
}

/** Bit i of each value (0 or 1). */
export function bitOf(values: BigUint64Array, i: number): Uint8Array {
  const s = BigInt(i);
  return Uint8Array.from(values, (v) => Number((v >> s) & 1n));
}
