/**
 * One party's session of the malicious backend: the MAC key, the multiplications, the openings and
 * the batched check that every opened value passes before it is used (Damgård et al., S&P 2019, §3,
 * "SPDZ-wise" replicated sharing; the check follows Chida et al., CRYPTO 2018, Protocol 3.5, with the
 * key kept secret so the computation can continue after it).
 *
 * THE RULE (proofs-notes/malicious3.md): an opened value is returned only by `openChecked`, which
 * opens, then runs `verify` on everything pending, then hands the values out. No other function
 * returns an opened value; the pending-opening list is private. A protocol cannot branch on, reveal
 * or mask with an unchecked value because it never holds one. And the same for products: `mult`
 * checks everything pending before it multiplies, so a MAC error is never multiplied by a secret (the
 * abort cannot depend on one: no selective failure), and the backend checks at the end of every node.
 *
 * - `mult` (semi-honest replicated product, Araki et al. CCS 2016): party p sends
 *   t_p = x_p·y_p + x_p·y_{p+1} + x_{p+1}·y_p + ζ_p to p − 1, for [x·y] and, alongside, [αx·y];
 *   the output joins the unchecked products. A bilinear map (MatMul, Conv) is one such product.
 * - Opening: party p sends x_p to p + 1 (one element per link); the opened value and every received
 *   input component enter a running SHA-256 transcript the parties compare at the next check.
 * - `verify`: (1) each party sends its transcript digest and its components of a fresh 128-bit coin
 *   to both others (digests compared: "opening consistency check"; each coin component arrives from
 *   its two holders and must agree: "coin check"); (2) χ_j ∈ Z_{2^s} from AES-CTR keyed by the coin;
 *   w = Σ χ_j x_j over unchecked products, [z] = Σ χ_j [m_j] (all) − [α]·Σ χ_j y_j (opened) − [α·w]
 *   (one product); (3) [z·t] for a fresh random [t] (one product: on failure it hides z beyond its
 *   2-adic valuation); (4) z·t opened with every component sent by both of its holders; abort unless
 *   they agree ("opening of the check value") and z·t = 0 ("MAC check").
 */
import { platform } from '../../platform/index.js';
import { CryptflowError } from '../../spec/errors.js';
import type { PartyContext, PartyId } from '../common/party.js';
import { Prg } from '../common/prg.js';
import { add, concat, mul, productShare, slice, sub, sumAll, zeros, type Z128 } from './ring.js';
import { encode } from './convert.js';
import {
  auth,
  broadcastRss,
  drawZ,
  next,
  prev,
  randomRss,
  rss,
  zeroShare,
  type Auth,
  type M3Params,
  type Rss,
} from './rss.js';
import { Wire, type Corruption } from './wire.js';

/** The labels a malicious party receives messages under (harness/runner/views.ts allowance). */
export const M3_MESSAGES = {
  product: 'malicious3 product share',
  opening: 'malicious3 opening',
  input: 'malicious3 input component',
  digest: 'malicious3 check digest and coin',
  check: 'malicious3 check opening',
  output: 'malicious3 output component',
} as const;

export function abort(what: string): never {
  throw new CryptflowError('protocol', `abort: ${what} failed; no output is released`);
}

interface Opened {
  readonly y: Z128;
  readonly mac: Rss;
}

export class Session {
  readonly wire: Wire;
  readonly alpha: Rss;
  private unchecked: Auth[] = [];
  private opened: Opened[] = [];
  /** What every honest party must hold identically since the last check (hashed at the check). */
  private transcript: Uint8Array[] = [];
  private dirty = false;

  constructor(
    readonly ctx: PartyContext,
    readonly params: M3Params,
    corruption?: Corruption,
  ) {
    this.wire = new Wire(ctx, params.m, corruption);
    this.alpha = randomRss(ctx, params.m, 1);
  }

  get id(): PartyId {
    return this.ctx.id;
  }

  get m(): number {
    return this.params.m;
  }

  /** [α]·c for a public vector c. */
  alphaTimes(c: Z128): Rss {
    return rss.mulPublic(this.m, broadcastRss(this.alpha, c.n), c);
  }

  /** The raw replicated product of pairs (x_j, y_j), all in one message; no MAC bookkeeping. */
  async products(pairs: readonly { x: Rss; y: Rss; bilinear?: Bilinear }[]): Promise<Rss[]> {
    const m = this.m;
    const local = pairs.map(({ x, y, bilinear }) => {
      if (bilinear === undefined) return productShare(m, x.a, x.b, y.a, y.b, this.zeta(x.a.n));
      const t = add(m, bilinear(x.a, add(m, y.a, y.b)), bilinear(x.b, y.a));
      return add(m, t, this.zeta(t.n));
    });
    const all = concat(local);
    this.wire.sendZ(prev(this.id), all);
    const got = await this.wire.recvZ(next(this.id), all.n, M3_MESSAGES.product);
    let at = 0;
    return local.map((a) => {
      const b = slice(got, at, a.n);
      at += a.n;
      return { a, b };
    });
  }

  /** This party's share ζ_p of a fresh zero-sharing (a method so a security test can plant its omission). */
  protected zeta(n: number): Z128 {
    return zeroShare(this.ctx, this.m, n);
  }

  /**
   * The s-high-bit mask of a reveal, 2^k·[r] for a fresh replicated r from the PRGs (a method so a
   * security test can plant its omission).
   */
  protected revealMask(n: number): Rss {
    return rss.mulConst(this.m, randomRss(this.ctx, this.m, n), 1n << BigInt(this.params.k));
  }

  /**
   * Authenticated products x·y (optionally a bilinear map) in one round, after a check of everything
   * pending (so no operand carries an unchecked MAC error); outputs join the unchecked list.
   */
  async mult(pairs: readonly { x: Auth; y: Auth; bilinear?: Bilinear }[]): Promise<Auth[]> {
    // Operands are checked before they are multiplied: a MAC error never meets a secret factor.
    await this.verify();
    const raw = await this.products(
      pairs.flatMap(({ x, y, bilinear }) => [
        { x: x.x, y: y.x, ...(bilinear === undefined ? {} : { bilinear }) },
        { x: x.mac, y: y.x, ...(bilinear === undefined ? {} : { bilinear }) },
      ]),
    );
    const out = pairs.map((_, j) => ({ x: raw[2 * j] as Rss, mac: raw[2 * j + 1] as Rss }));
    this.unchecked.push(...out);
    return out;
  }

  /** MACs for unauthenticated sharings: [α·x] by one product each (the results join the unchecked list). */
  async authenticate(xs: readonly Rss[]): Promise<Auth[]> {
    const macs = await this.products(xs.map((x) => ({ x: broadcastRss(this.alpha, x.a.n), y: x })));
    const out = xs.map((x, j) => ({ x, mac: macs[j] as Rss }));
    this.unchecked.push(...out);
    return out;
  }

  /** Record a value every honest party must hold identically (compared at the next check). */
  agree(v: Z128): void {
    this.transcript.push(encode(this.m, v));
    this.dirty = true;
  }

  /** A fresh random authenticated sharing of n elements. */
  async random(n: number): Promise<Auth> {
    return (await this.authenticate([randomRss(this.ctx, this.m, n)]))[0] as Auth;
  }

  /**
   * Open authenticated values to all three parties, run the check, and only then return the values.
   * This is the only way a protocol obtains an opened value.
   */
  async openChecked(xs: readonly Auth[]): Promise<Z128[]> {
    const m = this.m;
    const mine = concat(xs.map((x) => x.x.a));
    this.wire.sendZ(next(this.id), mine);
    const got = await this.wire.recvZ(prev(this.id), mine.n, M3_MESSAGES.opening);
    let at = 0;
    const ys = xs.map((x) => {
      const n = x.x.a.n;
      const y = add(m, add(m, x.x.a, x.x.b), slice(got, at, n));
      at += n;
      this.opened.push({ y, mac: x.mac });
      this.agree(y);
      return y;
    });
    await this.verify();
    return ys;
  }

  /** Is anything waiting for a check? */
  get pending(): boolean {
    return this.dirty || this.unchecked.length > 0 || this.opened.length > 0;
  }

  /** The batched check of everything pending (see the header); a no-op with nothing pending. */
  async verify(): Promise<void> {
    if (!this.pending) return;
    const m = this.m;
    const { id, ctx, wire } = this;
    // (1) digest and coin, to both peers
    const digest = platform.sha256(...this.transcript);
    const coinA = ctx.shared(prev(id)).bytes(16);
    const coinB = ctx.shared(next(id)).bytes(16);
    const toNext = new Uint8Array(48);
    toNext.set(digest);
    toNext.set(coinA, 32);
    const toPrev = new Uint8Array(48);
    toPrev.set(digest);
    toPrev.set(coinB, 32);
    wire.sendBytes(next(id), toNext);
    wire.sendBytes(prev(id), toPrev);
    const [fromPrev, fromNext] = await Promise.all([
      wire.recvBytes(prev(id), 48, M3_MESSAGES.digest),
      wire.recvBytes(next(id), 48, M3_MESSAGES.digest),
    ]);
    // component p+2 of the coin comes from p−1 (its a) and p+1 (its b)
    if (!equal(fromPrev.subarray(0, 32), digest) || !equal(fromNext.subarray(0, 32), digest))
      abort('opening consistency check (the parties opened different values)');
    if (!equal(fromPrev.subarray(32), fromNext.subarray(32))) abort('coin check');
    const seed = xor3(coinA, coinB, fromPrev.subarray(32));
    // (2) random combination
    const prg = new Prg(seed);
    const chi = (n: number): Z128 => drawZ(prg, this.params.s, n);
    let w: Rss = { a: zeros(1), b: zeros(1) };
    let macSum: Rss = { a: zeros(1), b: zeros(1) };
    let y1 = zeros(1);
    for (const u of this.unchecked) {
      const c = chi(u.x.a.n);
      w = rss.add(m, w, dotRss(m, u.x, c));
      macSum = rss.add(m, macSum, dotRss(m, u.mac, c));
    }
    for (const o of this.opened) {
      const c = chi(o.y.n);
      macSum = rss.add(m, macSum, dotRss(m, o.mac, c));
      y1 = add(m, y1, dot(m, o.y, c));
    }
    const [alphaW] = await this.products([{ x: this.alpha, y: w }]);
    const z = rss.sub(m, rss.sub(m, macSum, this.alphaTimes(y1)), alphaW as Rss);
    // (3) mask by a random t
    const t = randomRss(ctx, m, 1);
    const [zt] = await this.products([{ x: z, y: t }]);
    // (4) open z·t with each component from both of its holders
    const v = zt as Rss;
    wire.sendZ(next(id), v.a);
    wire.sendZ(prev(id), v.b);
    const [c1, c2] = await Promise.all([
      wire.recvZ(prev(id), 1, M3_MESSAGES.check),
      wire.recvZ(next(id), 1, M3_MESSAGES.check),
    ]);
    if (!equal(c1.lanes, c2.lanes)) abort('check value opening (holders disagree)');
    const total = add(m, add(m, v.a, v.b), c1);
    if (total.lanes[0] !== 0n || total.lanes[1] !== 0n) abort('MAC check');
    this.unchecked = [];
    this.opened = [];
    this.transcript = [];
    this.dirty = false;
  }

  /**
   * Reveal checked values to party `to`: each component `to` lacks comes from both of its holders.
   * The s high bits are masked first: x + 2^k·r for a fresh replicated r (PRG components, no
   * communication), so `to` learns x mod 2^k and nothing of the high bits (they carry the integer
   * overflow of products and a truncation's borrows; the simulation tests in
   * test/protocols/malicious3/simulation.test.ts caught their release). The duplicate components, not
   * the MAC, make the opening right, so the mask needs no MAC.
   */
  async revealTo(value: Auth, to: PartyId): Promise<Z128 | null> {
    this.unchecked.push(value);
    await this.verify();
    const m = this.m;
    const n = value.x.a.n;
    const x = { x: rss.add(m, value.x, this.revealMask(n)) };
    if (this.id === to) {
      const [c1, c2] = await Promise.all([
        this.wire.recvZ(prev(to), n, M3_MESSAGES.output),
        this.wire.recvZ(next(to), n, M3_MESSAGES.output),
      ]);
      if (!equal(c1.lanes, c2.lanes)) abort('output opening (holders disagree)');
      return add(m, add(m, x.x.a, x.x.b), c1);
    }
    // component to+2 = to−1: P(to+1) holds it as b, P(to−1) as a
    this.wire.sendZ(to, this.id === next(to) ? x.x.b : x.x.a);
    return null;
  }

  /** Share an input owned by party `owner` (value in Z_{2^m}); the owner passes it, the others nothing. */
  async input(owner: PartyId, n: number, value?: Z128): Promise<Auth> {
    const m = this.m;
    const { id, ctx } = this;
    let x: Rss;
    if (id === owner) {
      const a = drawZ(ctx.shared(prev(id)), m, n);
      const b = drawZ(ctx.shared(next(id)), m, n);
      const third = sub(m, sub(m, value ?? zeros(n), a), b);
      this.wire.sendZ(next(id), third);
      this.wire.sendZ(prev(id), third);
      this.agree(third);
      x = { a, b };
    } else if (id === next(owner)) {
      const a = drawZ(ctx.shared(prev(id)), m, n);
      const b = await this.wire.recvZ(owner, n, M3_MESSAGES.input);
      this.agree(b);
      x = { a, b };
    } else {
      const b = drawZ(ctx.shared(next(id)), m, n);
      const a = await this.wire.recvZ(owner, n, M3_MESSAGES.input);
      this.agree(a);
      x = { a, b };
    }
    return (await this.authenticate([x]))[0] as Auth;
  }

  ofPublic(c: Z128): Auth {
    return auth.ofPublic(this.m, this.id, this.alpha, c);
  }
}

/** A bilinear map on Z_{2^m} vectors (element-wise product by default). */
export type Bilinear = (x: Z128, y: Z128) => Z128;

function dot(m: number, x: Z128, c: Z128): Z128 {
  return sumAll(m, mul(m, x, c));
}

function dotRss(m: number, x: Rss, c: Z128): Rss {
  return { a: dot(m, x.a, c), b: dot(m, x.b, c) };
}

function equal(a: ArrayLike<number | bigint>, b: ArrayLike<number | bigint>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function xor3(a: Uint8Array, b: Uint8Array, c: Uint8Array): Uint8Array {
  return a.map((v, i) => v ^ (b[i] as number) ^ (c[i] as number));
}
