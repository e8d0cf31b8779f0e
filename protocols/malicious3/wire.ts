/**
 * The malicious backend's messages: Z_{2^m} vectors (⌈m/8⌉ bytes per element, malformed ones are an
 * abort) and raw bytes, sent through one function per party so that a research/demo corruption
 * (`--corrupt P<i>[:strategy]`) can deviate on every message a chosen party sends:
 *
 * - `add-error`: add 1 to the first element (or byte) of the message;
 * - `flip-bit`: flip one bit of the message (bit (7·t) mod its width, t the message's index);
 * - `replay`: send the previous message to that peer again (a stale message), or zeros if none;
 * - `inconsistent`: add 1 to the first element of messages to the next party only, so the two honest
 *   parties see different values.
 *
 * `at` restricts the deviation to the party's t-th message (0-based, over the whole session); the tamper
 * tests walk t over every message. Honest parties never use this: a deviation is a corrupted party's choice.
 */
import { CryptflowError } from '../../spec/errors.js';
import type { PartyContext, PartyId } from '../common/party.js';
import { decode, encode } from './convert.js';
import type { Z128 } from './ring.js';

export const STRATEGIES = ['add-error', 'flip-bit', 'replay', 'inconsistent'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface Corruption {
  readonly party: PartyId;
  readonly strategy: Strategy;
  /** Deviate on this message index only (default: every message). */
  readonly at?: number;
  /** add-error / inconsistent: add 2^errorShift instead of 1 (tamper tests of the s-bit bound). */
  readonly errorShift?: number;
  /** Told of every message it changed (index, recipient): the tamper tests count real deviations. */
  readonly onDeviation?: (t: number, to: PartyId) => void;
}

/** Parse `P<i>[:strategy]` (default strategy add-error). */
export function parseCorruption(text: string): Corruption {
  const m = /^P([012])(?::([a-z-]+))?$/.exec(text);
  const strategy = (m?.[2] ?? 'add-error') as Strategy;
  if (m === null || !STRATEGIES.includes(strategy))
    throw new CryptflowError(
      'usage',
      `--corrupt takes P0, P1 or P2, optionally followed by :${STRATEGIES.join('|')} (got '${text}')`,
    );
  return { party: Number(m[1]) as PartyId, strategy };
}

/** A party's sending side: counts its messages and applies its corruption, if it is the corrupted one. */
export class Wire {
  private count = 0;
  private readonly last = new Map<PartyId, Uint8Array>();

  constructor(
    private readonly ctx: PartyContext,
    private readonly m: number,
    private readonly corruption: Corruption | undefined,
  ) {}

  /** How many messages this party has sent. */
  get sent(): number {
    return this.count;
  }

  sendBytes(to: PartyId, bytes: Uint8Array): void {
    const t = this.count++;
    const c = this.corruption;
    const out =
      c !== undefined && c.party === this.ctx.id && (c.at === undefined || c.at === t)
        ? this.tamper(c.strategy, to, bytes, t)
        : bytes;
    this.last.set(to, bytes);
    if (out !== bytes && !sameBytes(out, bytes)) c?.onDeviation?.(t, to);
    this.ctx.send(to, out);
  }

  sendZ(to: PartyId, v: Z128): void {
    this.sendBytes(to, encode(this.m, v));
  }

  async recvZ(from: PartyId, n: number, what: string): Promise<Z128> {
    return decode(this.m, await this.ctx.recv(from, what), n, what);
  }

  async recvBytes(from: PartyId, n: number, what: string): Promise<Uint8Array> {
    const b = await this.ctx.recv(from, what);
    if (b.length !== n)
      throw new CryptflowError(
        'protocol',
        `abort: message format check failed in ${what} (${b.length} bytes, expected ${n})`,
      );
    return b;
  }

  private tamper(s: Strategy, to: PartyId, bytes: Uint8Array, t: number): Uint8Array {
    const out = bytes.slice();
    if (out.length === 0) return out;
    switch (s) {
      case 'add-error':
        return this.addOne(out);
      case 'flip-bit': {
        const bit = (7 * t) % Math.min(this.m, out.length * 8);
        out[bit >>> 3] = ((out[bit >>> 3] as number) ^ (1 << (bit & 7))) & 0xff;
        return out;
      }
      case 'replay': {
        const prev = this.last.get(to);
        return prev !== undefined && prev !== bytes ? prev.slice() : new Uint8Array(out.length);
      }
      case 'inconsistent':
        return to === (this.ctx.id + 1) % 3 ? this.addOne(out) : out;
    }
  }

  /** +2^j (default 1) to the first element (little-endian over its ⌈m/8⌉ bytes, wrapping within m bits). */
  private addOne(out: Uint8Array): Uint8Array {
    const width = Math.min(out.length, Math.ceil(this.m / 8));
    const j = this.corruption?.errorShift ?? 0;
    let carry = 1 << (j & 7);
    for (let i = j >>> 3; i < width && carry > 0; i++) {
      const v = (out[i] as number) + carry;
      out[i] = v & 0xff;
      carry = v >>> 8;
    }
    const topBits = this.m % 8;
    if (width === Math.ceil(this.m / 8) && topBits !== 0)
      out[width - 1] = (out[width - 1] as number) & ((1 << topBits) - 1);
    return out;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
