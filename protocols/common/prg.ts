/**
 * Protocol randomness: AES-128 in counter mode (the host platform's: node:crypto, or the page's
 * plain-TypeScript AES in the browser build, platform/) as a PRG, the only source of shares,
 * masks and correlated randomness in protocols/.
 *
 * A `Prg` is a deterministic stream from a 16-byte key: two parties holding the same key draw the same
 * values in the same order (that is how P0–P1, P0–P2 and P1–P2 get common randomness without talking).
 * Keys come from `crypto.randomBytes` (`freshKeys`), from a key agreement between parties (the TCP
 * runtime), or — in tests, so that runs replay — from a seed string through SHA-256 (`keysFromSeed`).
 * No non-cryptographic generator reaches this file (scripts/lint.ts enforces it).
 *
 * Sampling: ring elements take 8 bytes each, masked to ℓ bits (exactly uniform); Z_p elements use
 * rejection sampling on bytes (exactly uniform; the stream position still advances identically on both
 * holders because it depends only on the stream); bits take one byte each, low bit.
 */
import { platform, type Keystream, type Platform } from '../../platform/index.js';
import { CryptflowError } from '../../spec/errors.js';
import { maskInPlace, wordMasks, wordsOf } from '../../semantics/kernels/words.js';
import { sampleBytes } from '../kernels/wasm.js';

const BLOCK = 1 << 16;
const ZERO_IV = new Uint8Array(16);
const fieldTables = new Map<number, Uint16Array>();

/** The marker of a rejected byte in a `rejectionTable` (no accepted value reaches it). */
export const REJECTED = 256;

/**
 * Exact rejection sampling of Z_p from one byte, as a table: byte ↦ (byte mod p) + offset, or
 * REJECTED at and above the largest multiple of p (1 ≤ p ≤ 256). Z_p sampling and the permutations'
 * Fisher–Yates draws (arith.ts) read the same tables.
 */
export function rejectionTable(p: number, offset = 0): Uint16Array {
  const key = p * 256 + offset;
  let t = fieldTables.get(key);
  if (t === undefined) {
    if (!Number.isInteger(p) || p < 1 || p > 256)
      throw new CryptflowError('usage', `Z_p sampling needs 1 ≤ p ≤ 256, got ${p}`);
    const limit = 256 - (256 % p);
    t = Uint16Array.from({ length: 256 }, (_, b) => (b < limit ? (b % p) + offset : REJECTED));
    fieldTables.set(key, t);
  }
  return t;
}

/**
 * The reference of Z_p sampling (the wasm kernel `sampleBytes` is its fast path; test/protocols/kernels.test.ts checks they agree): writes into `out[from…]`, for each
 * byte b of `src` in order with b < 256 − (256 mod p), the value (b mod p) + offset, until `out` is
 * full or `src` is used up; returns how many it wrote.
 */
export function sampleReference(src: Uint8Array, p: number, offset: number, out: Uint8Array, from: number): number {
  const limit = 256 - (256 % p);
  let at = from;
  for (const b of src) {
    if (at === out.length) break;
    if (b < limit) out[at++] = (b % p) + offset;
  }
  return at - from;
}

export class Prg {
  private readonly cipher: Keystream;
  private buffer: Uint8Array = new Uint8Array(0);
  private pos = 0;

  /** `host` is the platform whose AES runs the stream (the build's own; tests compare the two). */
  constructor(key: Uint8Array, host: Platform = platform) {
    if (key.length !== 16) throw new CryptflowError('usage', `a PRG key is 16 bytes, got ${key.length}`);
    this.cipher = host.aes128Ctr(key, ZERO_IV);
  }

  /**
   * The next n bytes of the stream (a fresh array). The keystream is produced block by block into the
   * result through one reused zero block, so a large draw costs its own size in memory and no more;
   * how the stream is cut into `update` calls does not change its bytes (CTR mode is a stream).
   */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (this.pos === this.buffer.length) {
        this.buffer = this.cipher.next(BLOCK);
        this.pos = 0;
      }
      const take = Math.min(n - filled, this.buffer.length - this.pos);
      out.set(this.buffer.subarray(this.pos, this.pos + take), filled);
      this.pos += take;
      filled += take;
    }
    return out;
  }

  /** n uniform elements of Z_{2^ℓ}. */
  ring(ell: number, n: number): BigUint64Array {
    return maskInPlace(ell, new BigUint64Array(this.bytes(8 * n).buffer));
  }

  /** n uniform elements of Z_m for an odd modulus m < 2^64 (e.g. 2^ℓ − 1), by rejection. */
  below(m: bigint, n: number): BigUint64Array {
    const bits = m.toString(2).length;
    const out = new BigUint64Array(n);
    if (m !== (1n << BigInt(bits)) - 1n) {
      const mask = bits >= 64 ? (1n << 64n) - 1n : (1n << BigInt(bits)) - 1n;
      let i = 0;
      while (i < n) {
        const chunk = new BigUint64Array(this.bytes(8 * Math.max(16, n - i)).buffer);
        for (const v of chunk) {
          const c = v & mask;
          if (c < m && i < n) out[i++] = c;
        }
      }
      return out;
    }
    // m = 2^ℓ − 1: keep the low ℓ bits and reject the one value m itself, on 32-bit words (the
    // same stream and the same accepted values as the general loop above).
    const { lo: lm, hi: hm } = wordMasks(bits);
    const o = wordsOf(out);
    let i = 0;
    while (i < n) {
      const chunk = new Uint32Array(this.bytes(8 * Math.max(16, n - i)).buffer);
      for (let k = 0; k < chunk.length && i < n; k += 2) {
        const lo = (chunk[k] as number) & lm;
        const hi = (chunk[k + 1] as number) & hm;
        if (lo === lm && hi === hm) continue;
        o[2 * i] = lo;
        o[2 * i + 1] = hi;
        i++;
      }
    }
    return out;
  }

  /**
   * n uniform elements of Z_p, p ≤ 256 (one byte each, rejection above the largest multiple of p),
   * each plus `offset` (e.g. 1 for Z_p^* from p − 1 values): the same stream for every offset.
   */
  field(p: number, n: number, offset = 0): Uint8Array {
    if (!Number.isInteger(offset) || offset < 0 || p + offset > 256)
      throw new CryptflowError('usage', `Z_p sampling with offset ${offset} for p = ${p} leaves the byte range`);
    if (!Number.isInteger(p) || p < 1 || p > 256)
      throw new CryptflowError('usage', `Z_p sampling needs 1 ≤ p ≤ 256, got ${p}`);
    const out = new Uint8Array(n);
    let i = 0;
    while (i < n) i += sampleBytes(this.bytes(Math.max(16, Math.ceil((n - i) * 1.2))), p, offset, out, i);
    return out;
  }

  /** n uniform bits (0 or 1), one per byte. */
  bits(n: number): Uint8Array {
    const out = this.bytes(n);
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) & 1;
    return out;
  }
}

type PartyId = 0 | 1 | 2;

/** The PRG keys one party holds: its own, and one shared with each other party. */
export interface PartyKeys {
  readonly own: Uint8Array;
  /** Key shared with party j (absent for j = self). */
  readonly shared: Readonly<Partial<Record<PartyId, Uint8Array>>>;
}

type Triple<T> = readonly [T, T, T];

function assemble(key: (label: string) => Uint8Array): Triple<PartyKeys> {
  const k01 = key('01');
  const k02 = key('02');
  const k12 = key('12');
  return [
    { own: key('0'), shared: { 1: k01, 2: k02 } },
    { own: key('1'), shared: { 0: k01, 2: k12 } },
    { own: key('2'), shared: { 0: k02, 1: k12 } },
  ];
}

/** Fresh keys for an in-process run, from the OS CSPRNG. */
export function freshKeys(): Triple<PartyKeys> {
  return assemble(() => platform.randomBytes(16));
}

/** Replayable keys for tests and `--seed`: SHA-256 of the seed and a label, first 16 bytes. */
export function keysFromSeed(seed: string): Triple<PartyKeys> {
  return assemble((label) =>
    platform.sha256(new TextEncoder().encode(`cryptflow-prg\u0000${seed}\u0000${label}`)).slice(0, 16),
  );
}
