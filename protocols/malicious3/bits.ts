/**
 * Bits, comparison and truncation for the malicious backend, by bit decomposition of a masked opening
 * (Damgård et al., S&P 2019, §4–5: random shared bits over Z_{2^{k+s}}, open c = x + r, recover the
 * bits of x mod 2^k from the public c and the shared bits of r; the carry circuit is the classic
 * ripple comparison of Catrina & de Hoogh, SCN 2010, §3, evaluated with authenticated products).
 *
 * 1. Random bits: b = c_0 ⊕ c_1 ⊕ c_2 where c_i is a PRG bit of the two holders of component i; [c_i]
 *    is the sharing with c_i in component i (no communication), its MAC one product (`authenticate`),
 *    and each XOR u ⊕ v = u + v − 2uv one authenticated product. The corrupted party misses the c_i of
 *    the two honest parties, so b is uniform to it.
 * 2. r = Σ_{i<k} 2^i b_i + 2^k r' (r' a random authenticated value: it masks the s high bits of x).
 * 3. c = x + r is opened through `Session.openChecked` (the MAC check runs before c is returned).
 * 4. Borrows of c_low − r_low (both k-bit): β_0 = 0, β_{i+1} = c_i ? r_i·β_i : r_i + β_i − r_i·β_i; one
 *    product per bit position, k − 1 rounds in all (position 0 needs none).
 * 5. x_low = c_low − r_low + 2^k·β_k; MSB(x_low) = c_{k−1} ⊕ r_{k−1} ⊕ β_{k−1};
 *    ⌊signed(x_low) / 2^f⌋ = ⌊c_low/2^f⌋ − ⌊r_low/2^f⌋ − β_f + 2^{k−f}·(β_k − MSB) mod 2^k: exact.
 */
import { bug } from '../../spec/errors.js';
import { auth, next, prev, type Auth, type Rss } from './rss.js';
import { chunkSizes } from '../../spec/cost/malicious3.js';
import { bitAt, choose, concat, fill, slice, zeros, type Z128 } from './ring.js';
import type { Session } from './session.js';

/** n·count authenticated random bits, as `count` vectors of n. */
export async function randomBits(st: Session, n: number, count: number): Promise<Auth[]> {
  const { id, ctx } = st;
  const total = n * count;
  // component c's bit: from the PRG of parties c−1 and c; party p holds components p (a) and p+1 (b)
  const bitsA = ctx.shared(prev(id)).bits(total);
  const bitsB = ctx.shared(next(id)).bits(total);
  const comp = (c: number): Rss => {
    const v = zeros(total);
    const mine = c === id ? bitsA : c === (id + 1) % 3 ? bitsB : null;
    if (mine !== null) for (let i = 0; i < total; i++) v.w[4 * i] = (mine[i] as number) & 1;
    const empty = zeros(total);
    // the vector sits in the slot (a or b) where this party holds component c
    return c === id ? { a: v, b: empty } : c === (id + 1) % 3 ? { a: empty, b: v } : { a: empty, b: empty };
  };
  const [c0, c1, c2] = await st.authenticate([comp(0), comp(1), comp(2)]);
  const x01 = await xor(st, [[c0 as Auth, c1 as Auth]]);
  const [b] = await xor(st, [[x01[0] as Auth, c2 as Auth]]);
  const all = b as Auth;
  return Array.from({ length: count }, (_, j) => auth.map(all, (v) => sliceZ(v, j * n, n)));
}

function sliceZ(v: Z128, from: number, n: number): Z128 {
  const lanes = v.lanes.slice(2 * from, 2 * (from + n));
  return { n, lanes, w: new Uint32Array(lanes.buffer) };
}

/** u ⊕ v = u + v − 2uv for shared bits, all pairs in one round. */
export async function xor(st: Session, pairs: readonly (readonly [Auth, Auth])[]): Promise<Auth[]> {
  const m = st.m;
  const prods = await st.mult(pairs.map(([x, y]) => ({ x, y })));
  return pairs.map(([x, y], j) => auth.sub(m, auth.add(m, x, y), auth.mulConst(m, prods[j] as Auth, 2n)));
}

/** What the decomposition of x mod 2^k yields. */
export interface Decomposed {
  /** The checked opening c = x + r. */
  readonly c: Z128;
  /** Shared bits r_0 … r_{k−1} of r. */
  readonly r: readonly Auth[];
  /** Borrows β_f (if asked) and β_k of c_low − r_low. */
  readonly borrowAtF: Auth | null;
  readonly borrowK: Auth;
  /** MSB of x mod 2^k (1 for negative signed values). */
  readonly msb: Auth;
  /** With `withBits`: every bit of x mod 2^k, x_i = c_i ⊕ r_i ⊕ β_i (r_i ⊕ β_i from the chain's r_i·β_i). */
  readonly xBits: readonly Auth[] | null;
}

/**
 * Steps 1–5 for n values x; `f` asks for the borrow at bit f (truncation by 2^f), `withBits` for every
 * bit of x mod 2^k (no extra communication: the chain's products give them).
 */
export async function decompose(st: Session, x: Auth, f?: number, withBits = false): Promise<Decomposed> {
  const m = st.m;
  const k = st.params.k;
  const n = x.x.a.n;
  const r = await randomBits(st, n, k);
  const rHigh = await st.random(n);
  let mask = auth.mulConst(m, rHigh, 1n << BigInt(k));
  for (let i = 0; i < k; i++) mask = auth.add(m, mask, auth.mulConst(m, r[i] as Auth, 1n << BigInt(i)));
  const [c] = await st.openChecked([auth.add(m, x, mask)]);
  const cz = c as Z128;
  const none = auth.map(x, () => zeros(n));
  const bits = (i: number): Uint8Array => Uint8Array.from({ length: n }, (_, e) => bitAt(cz, e, i));
  const pick = (ci: Uint8Array, one: Auth, zero: Auth): Auth => ({
    x: { a: choose(ci, one.x.a, zero.x.a), b: choose(ci, one.x.b, zero.x.b) },
    mac: { a: choose(ci, one.mac.a, zero.mac.a), b: choose(ci, one.mac.b, zero.mac.b) },
  });
  // β_1 = c_0 ? 0 : r_0;  x_0 = c_0 ⊕ r_0
  let beta = pick(bits(0), none, r[0] as Auth);
  const xBits: Auth[] | null = withBits ? [pick(bits(0), oneMinus(st, r[0] as Auth), r[0] as Auth)] : null;
  let borrowAtF: Auth | null = f === 1 ? beta : null;
  for (let i = 1; i < k; i++) {
    const ri = r[i] as Auth;
    const prod = (await st.mult([{ x: ri, y: beta }]))[0] as Auth;
    // c_i = 1: β_{i+1} = r_i·β_i;  c_i = 0: β_{i+1} = r_i + β_i − r_i·β_i
    const ci = bits(i);
    const nextBeta = pick(ci, prod, auth.sub(m, auth.add(m, ri, beta), prod));
    // x_i = c_i ⊕ (r_i ⊕ β_i), with r ⊕ β = r + β − 2·r·β; the MSB is x_{k−1}
    const needBit = xBits !== null || i === k - 1;
    const u = needBit ? auth.sub(m, auth.add(m, ri, beta), auth.mulConst(m, prod, 2n)) : null;
    const xi = u === null ? null : pick(ci, oneMinus(st, u), u);
    if (xi !== null) xBits?.push(xi);
    if (i === k - 1) return { c: cz, r, borrowAtF, borrowK: nextBeta, msb: xi ?? bug('msb'), xBits };
    beta = nextBeta;
    if (f === i + 1) borrowAtF = beta;
  }
  return bug(`decomposition needs k ≥ 2 (k = ${k})`);
}

/** 1 − b for shared bits b. */
export function oneMinus(st: Session, b: Auth): Auth {
  return auth.addPublic(st.m, st.id, st.alpha, auth.mulConst(st.m, b, -1n), fill(st.m, b.x.a.n, 1n));
}

/** Authenticated vectors end to end. */
export function joinAuth(xs: readonly Auth[]): Auth {
  return {
    x: { a: concat(xs.map((v) => v.x.a)), b: concat(xs.map((v) => v.x.b)) },
    mac: { a: concat(xs.map((v) => v.mac.a)), b: concat(xs.map((v) => v.mac.b)) },
  };
}

/**
 * `f` on chunks of at most DECOMPOSE_CHUNK elements of x, one after the other, results end to end: a
 * decomposition holds k authenticated bits per element, so memory stays bounded (the cost walk,
 * spec/cost/malicious3.ts, walks the same chunks).
 */
async function inChunks(x: Auth, f: (part: Auth) => Promise<Auth>): Promise<Auth> {
  const sizes = chunkSizes(x.x.a.n);
  if (sizes.length === 1) return f(x);
  const parts: Auth[] = [];
  let at = 0;
  for (const c of sizes) {
    const from = at;
    parts.push(await f(auth.map(x, (v) => slice(v, from, c))));
    at += c;
  }
  return joinAuth(parts);
}

/** ReLU(x) = x·(1 − MSB(x mod 2^k)), exact on all of Z_{2^k}. */
export async function relu(st: Session, x: Auth): Promise<Auth> {
  return inChunks(x, async (part) => {
    const d = await decompose(st, part);
    const [y] = await st.mult([{ x: part, y: oneMinus(st, d.msb) }]);
    return y as Auth;
  });
}

/** [x ≥ 0] = 1 − MSB for n values. */
export async function nonNegative(st: Session, x: Auth): Promise<Auth> {
  return inChunks(x, async (part) => oneMinus(st, (await decompose(st, part)).msb));
}

/** ⌊signed_k(x) / 2^f⌋ mod 2^k, exact (1 ≤ f < k). */
export async function truncate(st: Session, x: Auth, f: number): Promise<Auth> {
  return inChunks(x, (part) => truncateAll(st, part, f));
}

async function truncateAll(st: Session, x: Auth, f: number): Promise<Auth> {
  const m = st.m;
  const k = st.params.k;
  if (!(Number.isInteger(f) && f >= 1 && f < k)) bug(`truncation by 2^${f} at k = ${k}`);
  const n = x.x.a.n;
  const d = await decompose(st, x, f);
  const borrowF = d.borrowAtF ?? bug('borrow at f');
  // ⌊c_low / 2^f⌋ (public)
  const cHigh = zeros(n);
  for (let e = 0; e < n; e++) {
    let v = 0n;
    for (let i = k - 1; i >= f; i--) v = (v << 1n) | BigInt(bitAt(d.c, e, i));
    cHigh.lanes[2 * e] = v;
  }
  let y = st.ofPublic(cHigh);
  for (let i = f; i < k; i++) y = auth.sub(m, y, auth.mulConst(m, d.r[i] as Auth, 1n << BigInt(i - f)));
  y = auth.sub(m, y, borrowF);
  y = auth.add(m, y, auth.mulConst(m, auth.sub(m, d.borrowK, d.msb), 1n << BigInt(k - f)));
  return y;
}
