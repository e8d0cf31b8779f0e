/**
 * AES-128 (FIPS 197) encryption in plain TypeScript, for the platforms without a synchronous AES (the
 * browser: WebCrypto's AES is asynchronous, and the party program draws its PRG synchronously).
 *
 * Tables: the S-box is computed at load from its definition (multiplicative inverse in GF(2^8) modulo
 * x^8 + x^4 + x^3 + x + 1, then the affine map with constant 0x63), and the four round tables T0…T3
 * combine SubBytes, ShiftRows and MixColumns for one byte each (the standard 32-bit formulation,
 * FIPS 197 §5.1 and the implementation notes of the Rijndael proposal). The key schedule is §5.2.
 *
 * Only encryption is needed: CTR mode (the PRG) and the fixed-key permutation of the OT extension
 * use the forward cipher alone. The keystream of `Aes128Ctr` is the one of node:crypto's
 * 'aes-128-ctr' with the same key and IV (a 128-bit big-endian counter); test/platform checks it.
 */
import { CryptflowError } from '../spec/errors.js';

const SBOX = new Uint8Array(256);
const T0 = new Uint32Array(256);
const T1 = new Uint32Array(256);
const T2 = new Uint32Array(256);
const T3 = new Uint32Array(256);

function xtime(a: number): number {
  return ((a << 1) ^ (a & 0x80 ? 0x1b : 0)) & 0xff;
}

function buildTables(): void {
  // Powers and logarithms of the generator 3 give inverses: inv(3^i) = 3^(255 − i).
  const pow = new Uint8Array(256);
  const log = new Uint8Array(256);
  let x = 1;
  for (let i = 0; i < 255; i++) {
    pow[i] = x;
    log[x] = i;
    x ^= xtime(x);
  }
  for (let a = 0; a < 256; a++) {
    const inv = a === 0 ? 0 : (pow[(255 - (log[a] as number)) % 255] as number);
    let s = inv;
    let r = inv;
    for (let k = 0; k < 4; k++) {
      r = ((r << 1) | (r >> 7)) & 0xff;
      s ^= r;
    }
    SBOX[a] = s ^ 0x63;
  }
  for (let a = 0; a < 256; a++) {
    const s = SBOX[a] as number;
    const s2 = xtime(s);
    const s3 = s2 ^ s;
    const t = ((s2 << 24) | (s << 16) | (s << 8) | s3) >>> 0;
    T0[a] = t;
    T1[a] = ((t >>> 8) | (t << 24)) >>> 0;
    T2[a] = ((t >>> 16) | (t << 16)) >>> 0;
    T3[a] = ((t >>> 24) | (t << 8)) >>> 0;
  }
}
buildTables();

const sb = (w: number): number =>
  (((SBOX[w >>> 24] as number) << 24) |
    ((SBOX[(w >>> 16) & 0xff] as number) << 16) |
    ((SBOX[(w >>> 8) & 0xff] as number) << 8) |
    (SBOX[w & 0xff] as number)) >>>
  0;

/** One word of the last round (SubBytes, ShiftRows, AddRoundKey; no MixColumns), big-endian into `out`. */
function lastRound(w0: number, w1: number, w2: number, w3: number, r: number, out: Uint8Array, o: number): void {
  const v =
    (((SBOX[w0 >>> 24] as number) << 24) |
      ((SBOX[(w1 >>> 16) & 0xff] as number) << 16) |
      ((SBOX[(w2 >>> 8) & 0xff] as number) << 8) |
      (SBOX[w3 & 0xff] as number)) ^
    r;
  out[o] = v >>> 24;
  out[o + 1] = (v >>> 16) & 0xff;
  out[o + 2] = (v >>> 8) & 0xff;
  out[o + 3] = v & 0xff;
}

/** The 44 round-key words of AES-128 (FIPS 197 §5.2). */
function expandKey(key: Uint8Array): Uint32Array {
  if (key.length !== 16) throw new CryptflowError('usage', `an AES-128 key is 16 bytes, got ${key.length}`);
  const w = new Uint32Array(44);
  const dv = new DataView(key.buffer, key.byteOffset, 16);
  for (let i = 0; i < 4; i++) w[i] = dv.getUint32(4 * i);
  let rcon = 1;
  for (let i = 4; i < 44; i++) {
    let t = w[i - 1] as number;
    if (i % 4 === 0) {
      t = (sb(((t << 8) | (t >>> 24)) >>> 0) ^ (rcon << 24)) >>> 0;
      rcon = xtime(rcon);
    }
    w[i] = ((w[i - 4] as number) ^ t) >>> 0;
  }
  return w;
}

/** The AES-128 forward cipher under one key. */
export class Aes128 {
  private readonly rk: Uint32Array;

  constructor(key: Uint8Array) {
    this.rk = expandKey(key);
  }

  /** Encrypt the block of four big-endian words (s0…s3) into `out[at…at+16)`. */
  encryptWords(s0: number, s1: number, s2: number, s3: number, out: Uint8Array, at: number): void {
    const rk = this.rk;
    let a = s0 ^ (rk[0] as number);
    let b = s1 ^ (rk[1] as number);
    let c = s2 ^ (rk[2] as number);
    let d = s3 ^ (rk[3] as number);
    let k = 4;
    for (let round = 1; round < 10; round++, k += 4) {
      const a1 =
        (T0[a >>> 24] as number) ^
        (T1[(b >>> 16) & 0xff] as number) ^
        (T2[(c >>> 8) & 0xff] as number) ^
        (T3[d & 0xff] as number) ^
        (rk[k] as number);
      const b1 =
        (T0[b >>> 24] as number) ^
        (T1[(c >>> 16) & 0xff] as number) ^
        (T2[(d >>> 8) & 0xff] as number) ^
        (T3[a & 0xff] as number) ^
        (rk[k + 1] as number);
      const c1 =
        (T0[c >>> 24] as number) ^
        (T1[(d >>> 16) & 0xff] as number) ^
        (T2[(a >>> 8) & 0xff] as number) ^
        (T3[b & 0xff] as number) ^
        (rk[k + 2] as number);
      const d1 =
        (T0[d >>> 24] as number) ^
        (T1[(a >>> 16) & 0xff] as number) ^
        (T2[(b >>> 8) & 0xff] as number) ^
        (T3[c & 0xff] as number) ^
        (rk[k + 3] as number);
      a = a1 >>> 0;
      b = b1 >>> 0;
      c = c1 >>> 0;
      d = d1 >>> 0;
    }
    lastRound(a, b, c, d, rk[40] as number, out, at);
    lastRound(b, c, d, a, rk[41] as number, out, at + 4);
    lastRound(c, d, a, b, rk[42] as number, out, at + 8);
    lastRound(d, a, b, c, rk[43] as number, out, at + 12);
  }

  /** ECB encryption of whole 16-byte blocks (a fresh array). */
  encryptBlocks(input: Uint8Array): Uint8Array {
    if (input.length % 16 !== 0)
      throw new CryptflowError('usage', `AES-ECB input is whole 16-byte blocks, got ${input.length} bytes`);
    const out = new Uint8Array(input.length);
    const dv = new DataView(input.buffer, input.byteOffset, input.byteLength);
    for (let at = 0; at < input.length; at += 16)
      this.encryptWords(dv.getUint32(at), dv.getUint32(at + 4), dv.getUint32(at + 8), dv.getUint32(at + 12), out, at);
    return out;
  }
}

/** AES-128 in counter mode from a 16-byte IV (a 128-bit big-endian counter), as a keystream. */
export class Aes128Ctr {
  private readonly aes: Aes128;
  private readonly counter = new Uint32Array(4);
  private readonly block = new Uint8Array(16);
  private used = 16;

  constructor(key: Uint8Array, iv: Uint8Array) {
    if (iv.length !== 16) throw new CryptflowError('usage', `an AES-CTR IV is 16 bytes, got ${iv.length}`);
    this.aes = new Aes128(key);
    const dv = new DataView(iv.buffer, iv.byteOffset, 16);
    for (let i = 0; i < 4; i++) this.counter[i] = dv.getUint32(4 * i);
  }

  private increment(): void {
    const c = this.counter;
    for (let i = 3; i >= 0; i--) {
      c[i] = ((c[i] as number) + 1) >>> 0;
      if (c[i] !== 0) return;
    }
  }

  /** The next n keystream bytes (a fresh array). */
  next(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    const c = this.counter;
    while (at < n && this.used < 16) out[at++] = this.block[this.used++] as number;
    while (n - at >= 16) {
      this.aes.encryptWords(c[0] as number, c[1] as number, c[2] as number, c[3] as number, out, at);
      this.increment();
      at += 16;
    }
    if (at < n) {
      this.aes.encryptWords(c[0] as number, c[1] as number, c[2] as number, c[3] as number, this.block, 0);
      this.increment();
      this.used = 0;
      while (at < n) out[at++] = this.block[this.used++] as number;
    }
    return out;
  }
}
