/**
 * Replicated secret sharing over Z_{2^m} among three parties with MACs under a secret global key
 * ("SPDZ-wise" replicated sharing: Damgård, Escudero, Frederiksen, Keller, Scholl, Volgushev, "New
 * primitives for actively-secure MPC over rings with applications to private machine learning",
 * S&P 2019, §3; the ring version of Chida et al., CRYPTO 2018).
 *
 * x = x_0 + x_1 + x_2 mod 2^m; party p holds the components (x_p, x_{p+1}) (indices mod 3), so each
 * component is held by two parties and any two parties hold all three. Component c of a random
 * sharing is drawn from the PRG its two holders share (parties c and c − 1): no communication. An
 * authenticated value `Auth` is [x] together with [α·x] for the global key α (itself a random
 * replicated sharing drawn once per session). Everything here is local.
 */
import { bug } from '../../spec/errors.js';
import type { PartyContext, PartyId } from '../common/party.js';
import type { Prg } from '../common/prg.js';
import { add, fill, maskInPlace, mul, mulConst, neg, sub, zeros, type Z128 } from './ring.js';

/**
 * The default statistical parameter: one batched check misses the worst value error (e = 2^{k−1}) with
 * probability exactly 2^{−40.6} at s = 48 (2^{−33.1} at s = 40; the computation is in
 * test/protocols/malicious3/tamper.test.ts and proofs-notes/malicious3.md), so s = 48 (Z_{2^112} at
 * ℓ = 64, 14 bytes per element) is the least s meeting the 2^{−40} per check that the backend promises.
 */
export const DEFAULT_S = 48;

/** k bits of value (ℓ), s bits of statistical security, m = k + s ≤ 128. */
export interface M3Params {
  readonly k: number;
  readonly s: number;
  readonly m: number;
}

export function m3Params(k: number, s: number): M3Params {
  if (!Number.isInteger(k) || k < 2 || k > 64) bug(`value width k = ${k}`);
  if (!Number.isInteger(s) || s < 1 || k + s > 128) bug(`statistical parameter s = ${s} with k = ${k}`);
  return Object.freeze({ k, s, m: k + s });
}

/** Party p's components (x_p, x_{p+1}). */
export interface Rss {
  readonly a: Z128;
  readonly b: Z128;
}

/** [x] and [α·x]. */
export interface Auth {
  readonly x: Rss;
  readonly mac: Rss;
}

export function next(p: PartyId): PartyId {
  return ((p + 1) % 3) as PartyId;
}

export function prev(p: PartyId): PartyId {
  return ((p + 2) % 3) as PartyId;
}

/** n uniform elements of Z_{2^m} from a PRG. */
export function drawZ(prg: Prg, m: number, n: number): Z128 {
  const lanes = prg.ring(64, 2 * n);
  return maskInPlace(m, { n, lanes, w: new Uint32Array(lanes.buffer) });
}

/** A random replicated sharing of n elements (component c from the PRG of parties c − 1 and c). */
export function randomRss(ctx: PartyContext, m: number, n: number): Rss {
  const a = drawZ(ctx.shared(prev(ctx.id)), m, n);
  const b = drawZ(ctx.shared(next(ctx.id)), m, n);
  return { a, b };
}

/** Party p's additive share of zero: F(k_{p,p+1}) − F(k_{p−1,p}); the three sum to 0. */
export function zeroShare(ctx: PartyContext, m: number, n: number): Z128 {
  const plus = drawZ(ctx.shared(next(ctx.id)), m, n);
  const minus = drawZ(ctx.shared(prev(ctx.id)), m, n);
  return sub(m, plus, minus);
}

export const rss = {
  add: (m: number, x: Rss, y: Rss): Rss => ({ a: add(m, x.a, y.a), b: add(m, x.b, y.b) }),
  sub: (m: number, x: Rss, y: Rss): Rss => ({ a: sub(m, x.a, y.a), b: sub(m, x.b, y.b) }),
  neg: (m: number, x: Rss): Rss => ({ a: neg(m, x.a), b: neg(m, x.b) }),
  /** Element-wise product with a public vector. */
  mulPublic: (m: number, x: Rss, c: Z128): Rss => ({ a: mul(m, x.a, c), b: mul(m, x.b, c) }),
  mulConst: (m: number, x: Rss, c: bigint): Rss => ({ a: mulConst(m, x.a, c), b: mulConst(m, x.b, c) }),
  /** Add a public vector: it is component 0 (held by P0 as a, by P2 as b). */
  addPublic: (m: number, id: PartyId, x: Rss, c: Z128): Rss =>
    id === 0 ? { a: add(m, x.a, c), b: x.b } : id === 2 ? { a: x.a, b: add(m, x.b, c) } : x,
  map: (x: Rss, f: (v: Z128) => Z128): Rss => ({ a: f(x.a), b: f(x.b) }),
};

/** Operations on authenticated values; `alpha` is the party's sharing of the key α. */
export const auth = {
  add: (m: number, x: Auth, y: Auth): Auth => ({ x: rss.add(m, x.x, y.x), mac: rss.add(m, x.mac, y.mac) }),
  sub: (m: number, x: Auth, y: Auth): Auth => ({ x: rss.sub(m, x.x, y.x), mac: rss.sub(m, x.mac, y.mac) }),
  mulConst: (m: number, x: Auth, c: bigint): Auth => ({ x: rss.mulConst(m, x.x, c), mac: rss.mulConst(m, x.mac, c) }),
  mulPublic: (m: number, x: Auth, c: Z128): Auth => ({ x: rss.mulPublic(m, x.x, c), mac: rss.mulPublic(m, x.mac, c) }),
  /** x + c for a public c: the value gains c in component 0, the MAC gains c·[α] (local). */
  addPublic: (m: number, id: PartyId, alpha: Rss, x: Auth, c: Z128): Auth => ({
    x: rss.addPublic(m, id, x.x, c),
    mac: rss.add(m, x.mac, rss.mulPublic(m, broadcastRss(alpha, c.n), c)),
  }),
  /** The authenticated sharing of a public vector (no communication). */
  ofPublic: (m: number, id: PartyId, alpha: Rss, c: Z128): Auth => ({
    x: rss.addPublic(m, id, { a: zeros(c.n), b: zeros(c.n) }, c),
    mac: rss.mulPublic(m, broadcastRss(alpha, c.n), c),
  }),
  map: (x: Auth, f: (v: Z128) => Z128): Auth => ({ x: rss.map(x.x, f), mac: rss.map(x.mac, f) }),
};

/** A one-element sharing repeated n times. */
export function broadcastRss(x: Rss, n: number): Rss {
  if (x.a.n !== 1) bug(`broadcast of a ${x.a.n}-element sharing`);
  const rep = (v: Z128): Z128 => {
    const out = zeros(n);
    for (let i = 0; i < n; i++) {
      out.lanes[2 * i] = v.lanes[0] as bigint;
      out.lanes[2 * i + 1] = v.lanes[1] as bigint;
    }
    return out;
  };
  return { a: rep(x.a), b: rep(x.b) };
}

/** A public vector of n copies of c (for bit constants). */
export function constant(m: number, n: number, c: bigint): Z128 {
  return fill(m, n, c);
}
