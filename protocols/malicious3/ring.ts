/**
 * Z_{2^m} for m ≤ 128, the ring of the malicious backend (m = k + s: k = ℓ bits of value, s bits of
 * statistical security; Cramer, Damgård, Escudero, Scholl, Xing, "SPDZ_2k", CRYPTO 2018, §3, and
 * Damgård, Escudero, Frederiksen, Keller, Scholl, Volgushev, "New primitives for actively-secure MPC
 * over rings", S&P 2019, §3). The default is k = 64, s = 48, m = 112.
 *
 * Representation: a vector of n elements is a `Z128` — one `BigUint64Array` of 2n entries, element i
 * at lanes 2i (low 64 bits) and 2i + 1 (high 64 bits), read and written as the four little-endian
 * 32-bit words of a `Uint32Array` view. Every operation works on 32-bit words with exact double
 * arithmetic (no bigint per element): addition carries word to word, multiplication splits each
 * element into eight 16-bit limbs (column sums stay below 2^36); long vectors multiply in wasm
 * (protocols/kernels/assembly/ring128.ts, 64-bit lanes), checked equal to `mulReference`. Conversions
 * (the LLIL ring, the wire, 16-bit limbs) are in convert.ts. Inputs are reduced (< 2^m) and results
 * are reduced. The bigint definitions (`get`, `fromBigints`) are the specification the tests check
 * these against (test/protocols/malicious3/ring.test.ts).
 */
import { bug } from '../../spec/errors.js';
import { mulLanes128, productLanes128 } from '../kernels/ring128.js';

/** A vector of Z_{2^m}: two 64-bit lanes per element. */
export interface Z128 {
  readonly n: number;
  /** 2n lanes: low, high, low, high, … */
  readonly lanes: BigUint64Array;
  /** The same memory as 4n 32-bit words. */
  readonly w: Uint32Array;
}

const TWO32 = 4294967296;
const TWO16 = 65536;

export function checkWidth(m: number): void {
  if (!Number.isInteger(m) || m < 2 || m > 128) bug(`ring width ${m} (2 ≤ m ≤ 128)`);
}

export function zeros(n: number): Z128 {
  const lanes = new BigUint64Array(2 * n);
  return { n, lanes, w: new Uint32Array(lanes.buffer) };
}

/** The mask of word j (0..3) of an m-bit value. */
export function wordMask(m: number, j: number): number {
  const bits = m - 32 * j;
  return bits >= 32 ? 0xffffffff : bits <= 0 ? 0 : 2 ** bits - 1;
}

/** Reduce every element mod 2^m in place. */
export function maskInPlace(m: number, a: Z128): Z128 {
  checkWidth(m);
  const masks = [0, 1, 2, 3].map((j) => wordMask(m, j));
  for (let j = 0; j < 4; j++) {
    const mk = masks[j] as number;
    if (mk === 0xffffffff) continue;
    for (let i = j; i < a.w.length; i += 4) a.w[i] = ((a.w[i] as number) & mk) >>> 0;
  }
  return a;
}

function same(a: Z128, b: Z128): void {
  if (a.n !== b.n) bug(`element-wise operation on ${a.n} and ${b.n} elements`);
}

export function add(m: number, a: Z128, b: Z128): Z128 {
  same(a, b);
  const out = zeros(a.n);
  const [x, y, z] = [a.w, b.w, out.w];
  for (let i = 0; i < x.length; i += 4) {
    let carry = 0;
    for (let j = 0; j < 4; j++) {
      const s = (x[i + j] as number) + (y[i + j] as number) + carry;
      carry = s >= TWO32 ? 1 : 0;
      z[i + j] = s >>> 0;
    }
  }
  return maskInPlace(m, out);
}

export function sub(m: number, a: Z128, b: Z128): Z128 {
  same(a, b);
  const out = zeros(a.n);
  const [x, y, z] = [a.w, b.w, out.w];
  for (let i = 0; i < x.length; i += 4) {
    let borrow = 0;
    for (let j = 0; j < 4; j++) {
      const d = (x[i + j] as number) - (y[i + j] as number) - borrow;
      borrow = d < 0 ? 1 : 0;
      z[i + j] = d >>> 0;
    }
  }
  return maskInPlace(m, out);
}

export function neg(m: number, a: Z128): Z128 {
  return sub(m, zeros(a.n), a);
}

/** Below this many elements the TypeScript product is used (the wasm call's copies cost more). */
const WASM_FROM = 64;

/** The product a_i · b_i mod 2^m of every element (wasm for long vectors; `mulReference` states it). */
export function mul(m: number, a: Z128, b: Z128): Z128 {
  same(a, b);
  checkWidth(m);
  if (a.n < WASM_FROM) return mulReference(m, a, b);
  const lanes = mulLanes128(m, a.lanes, b.lanes);
  return { n: a.n, lanes, w: new Uint32Array(lanes.buffer) };
}

/** x_a·(y_a + y_b) + x_b·y_a + ζ mod 2^m: one party's replicated product share (session.ts). */
export function productShare(m: number, xa: Z128, xb: Z128, ya: Z128, yb: Z128, zeta: Z128): Z128 {
  if (xa.n < WASM_FROM) return add(m, add(m, mulReference(m, xa, add(m, ya, yb)), mulReference(m, xb, ya)), zeta);
  const lanes = productLanes128(m, xa.lanes, xb.lanes, ya.lanes, yb.lanes, zeta.lanes);
  return { n: xa.n, lanes, w: new Uint32Array(lanes.buffer) };
}

/**
 * The product a_i · b_i mod 2^m of every element: 16-bit limbs, only the L = ⌈m/16⌉ low columns, and
 * b's limbs only up to its highest non-zero one (bits, small coefficients and zeros cost less).
 * Each column is a sum of at most 8 products below 2^32, exact in a double.
 */
export function mulReference(m: number, a: Z128, b: Z128): Z128 {
  same(a, b);
  checkWidth(m);
  const L = Math.ceil(m / 16);
  const out = zeros(a.n);
  const [x, y, z] = [a.w, b.w, out.w];
  const la = new Float64Array(8);
  const lb = new Float64Array(8);
  const col = new Float64Array(8);
  for (let i = 0; i < a.n; i++) {
    const o = 4 * i;
    let nb = 0;
    for (let j = 0; j < 4; j++) {
      const u = x[o + j] as number;
      la[2 * j] = u & 0xffff;
      la[2 * j + 1] = u >>> 16;
      const v = y[o + j] as number;
      lb[2 * j] = v & 0xffff;
      lb[2 * j + 1] = v >>> 16;
      if (v !== 0) nb = v >>> 16 !== 0 ? 2 * j + 2 : 2 * j + 1;
    }
    if (nb === 0) continue;
    for (let c = 0; c < L; c++) {
      let acc = 0;
      const top = c < nb - 1 ? c : nb - 1;
      for (let j = 0; j <= top; j++) acc += (la[c - j] as number) * (lb[j] as number);
      col[c] = acc;
    }
    let carry = 0;
    for (let j = 0; j < 4; j++) {
      const c0 = 2 * j < L ? (col[2 * j] as number) + carry : carry;
      const w0 = c0 % TWO16;
      const c1 = (2 * j + 1 < L ? (col[2 * j + 1] as number) : 0) + Math.floor(c0 / TWO16);
      const w1 = c1 % TWO16;
      carry = Math.floor(c1 / TWO16);
      z[o + j] = (w0 + w1 * TWO16) >>> 0;
    }
  }
  return maskInPlace(m, out);
}

/** a_i · 2^j mod 2^m (j ≥ 0). */
export function shl(m: number, a: Z128, j: number): Z128 {
  const out = zeros(a.n);
  if (j >= 128) return out;
  const q = j >>> 5;
  const r = j & 31;
  for (let i = 0; i < a.n; i++) {
    const o = 4 * i;
    for (let t = 3; t >= q; t--) {
      const hi = a.w[o + t - q] as number;
      const lo = t - q - 1 >= 0 ? (a.w[o + t - q - 1] as number) : 0;
      out.w[o + t] = r === 0 ? hi : ((hi << r) | (lo >>> (32 - r))) >>> 0;
    }
  }
  return maskInPlace(m, out);
}

/** Element-wise choice by public bits: one_i where bits_i = 1, zero_i where 0. */
export function choose(bits: Uint8Array, one: Z128, zero: Z128): Z128 {
  same(one, zero);
  const out = zeros(one.n);
  for (let i = 0; i < one.n; i++) {
    const src = bits[i] === 1 ? one.w : zero.w;
    for (let j = 4 * i; j < 4 * i + 4; j++) out.w[j] = src[j] as number;
  }
  return out;
}

/** Every element times the public constant c (reduced mod 2^m). */
export function mulConst(m: number, a: Z128, c: bigint): Z128 {
  const r = mod(m, c);
  if (r !== 0n && (r & (r - 1n)) === 0n) return shl(m, a, r.toString(2).length - 1);
  return mul(m, a, fill(m, a.n, r));
}

/** n copies of c mod 2^m. */
export function fill(m: number, n: number, c: bigint): Z128 {
  const out = zeros(n);
  const one = zeros(1);
  set(one, 0, mod(m, c));
  for (let i = 0; i < n; i++) out.w.set(one.w, 4 * i);
  return out;
}

export function mod(m: number, v: bigint): bigint {
  return BigInt.asUintN(m, v);
}

/** Element i as a bigint (the specification's view). */
export function get(a: Z128, i: number): bigint {
  return ((a.lanes[2 * i + 1] as bigint) << 64n) | (a.lanes[2 * i] as bigint);
}

/** Set element i to v (already reduced). */
export function set(a: Z128, i: number, v: bigint): void {
  a.lanes[2 * i] = BigInt.asUintN(64, v);
  a.lanes[2 * i + 1] = BigInt.asUintN(64, v >> 64n);
}

export function fromBigints(m: number, vs: readonly bigint[]): Z128 {
  const out = zeros(vs.length);
  vs.forEach((v, i) => set(out, i, mod(m, v)));
  return out;
}

export function toBigints(a: Z128): bigint[] {
  return Array.from({ length: a.n }, (_, i) => get(a, i));
}

/** Bit j of element i (0 or 1). */
export function bitAt(a: Z128, i: number, j: number): number {
  return ((a.w[4 * i + (j >>> 5)] as number) >>> (j & 31)) & 1;
}

/** Elements [from, from + n) as a new vector. */
export function slice(a: Z128, from: number, n: number): Z128 {
  const lanes = a.lanes.slice(2 * from, 2 * (from + n));
  return { n, lanes, w: new Uint32Array(lanes.buffer) };
}

/** The concatenation of vectors. */
export function concat(parts: readonly Z128[]): Z128 {
  const out = zeros(parts.reduce((s, p) => s + p.n, 0));
  let at = 0;
  for (const p of parts) {
    out.lanes.set(p.lanes, 2 * at);
    at += p.n;
  }
  return out;
}

/** Gather: out[i] = a[idx[i]]. */
export function gatherZ(a: Z128, idx: Int32Array): Z128 {
  const out = zeros(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const s = idx[i] as number;
    out.lanes[2 * i] = a.lanes[2 * s] as bigint;
    out.lanes[2 * i + 1] = a.lanes[2 * s + 1] as bigint;
  }
  return out;
}

/** Elements summed per pass of `sumAll` (each 32-bit column stays below 2^52, exact in a double). */
const SUM_CHUNK = 1 << 20;

/** Σ_i a_i mod 2^m as a one-element vector. */
export function sumAll(m: number, a: Z128): Z128 {
  let total = zeros(1);
  for (let from = 0; from < a.n; from += SUM_CHUNK) {
    const to = Math.min(a.n, from + SUM_CHUNK);
    const acc = [0, 0, 0, 0];
    for (let i = from; i < to; i++)
      for (let j = 0; j < 4; j++) acc[j] = (acc[j] as number) + (a.w[4 * i + j] as number);
    const part = zeros(1);
    let carry = 0;
    for (let j = 0; j < 4; j++) {
      const v = (acc[j] as number) + carry;
      part.w[j] = (v % TWO32) >>> 0;
      carry = Math.floor(v / TWO32);
    }
    total = add(m, total, maskInPlace(m, part));
  }
  return total;
}
