/**
 * Correlated bit triples from 1-out-of-8 OT₂ and the millionaires' protocol that uses them for the AND
 * pairs sharing eq_hi (Rathee et al., CCS 2020, §3.1.1: "correlated triples"; COMM-SPEC "2PC": 136
 * bits a triple). An alternative to millionaire.ts, whose documented form (SCI's default build,
 * 288q + 148T bits) the backend keeps; this one is stated, metered and tested on its own.
 *
 * Correlated triple pair (a, b, c), (a, b′, c′) — one shared a — from one 1-out-of-8 OT of 2-bit
 * messages, P0 sending:
 *   1. P1 draws (a1, b1, b1′) and chooses v = a1 | b1·2 | b1′·4.
 *   2. P0 draws (a0, b0, b0′, c0, c0′) and offers, for every v = α | β·2 | β′·4, the 2-bit message
 *        (c0 ⊕ (a0 ⊕ α)(b0 ⊕ β)) | (c0′ ⊕ (a0 ⊕ α)(b0′ ⊕ β′))·2.
 *   3. P1's output is (c1, c1′): c0 ⊕ c1 = a·b, c0′ ⊕ c1′ = a·b′.
 *   Cost 2λ + 8·2 = 272 bits a pair, 136 a triple.
 * AND pair z = x ∧ y, z′ = x ∧ y′: each party opens e_i = x_i ⊕ a_i once and f_i, f_i′ (3 bits);
 *   z_i = c_i ⊕ e·b_i ⊕ f·a_i (⊕ e·f at P0), z_i′ = c_i′ ⊕ e·b_i′ ⊕ f′·a_i (⊕ e·f′ at P0).
 *
 * Millionaires' (as millionaire.ts, steps 1–4): at a level with p combinations per comparison, the
 * lowest (holding digit 0) needs lt only — one single AND, its triple from the 1-out-of-16 batch that
 * carries the leaves — and each other one needs lt and eq, both with eq_hi: one AND pair. Per
 * comparison S = ⌈log₂ q⌉ singles and P = Σ (p − 1) = (T − S)/2 pairs. Messages: one 1-out-of-16
 * batch of n·q + ⌈n·S/2⌉ OTs, one 1-out-of-8 batch of n·P OTs, and per level one exchange of
 * n·(2 + 3(p − 1)) packed bits each way. Amortised 288q + 148S + 278P bits (the documented form counts
 * 296 for each pair): 3,860 at ℓ = 32 (against 3,932) and 8,258 at ℓ = 64 (against 8,456).
 */
import { bug } from '../../spec/errors.js';
import type { OtChannel } from '../ot/types.js';
import { peerOf, type PartyContext } from '../common/party.js';
import type { BitTriples } from './and.js';
import { randomBits, recvBits, sendBits } from './bits.js';
import { digitsOf, millLeaves } from './millionaire.js';

export interface CorrelatedTriples {
  readonly a: Uint8Array;
  readonly b: Uint8Array;
  readonly c: Uint8Array;
  readonly b2: Uint8Array;
  readonly c2: Uint8Array;
}

/** P0's half of k correlated pairs: its shares and the k·8 two-bit OT messages. */
export function correlatedSender(
  ctx: PartyContext,
  k: number,
): { readonly triples: CorrelatedTriples; readonly messages: BigUint64Array } {
  const [a, b, b2, c, c2] = [1, 2, 3, 4, 5].map(() => randomBits(ctx, k)) as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  const messages = new BigUint64Array(8 * k);
  for (let t = 0; t < k; t++) {
    for (let v = 0; v < 8; v++) {
      const e = (a[t] as number) ^ (v & 1);
      const lo = (c[t] as number) ^ (e & ((b[t] as number) ^ ((v >> 1) & 1)));
      const hi = (c2[t] as number) ^ (e & ((b2[t] as number) ^ ((v >> 2) & 1)));
      messages[8 * t + v] = BigInt(lo | (hi << 1));
    }
  }
  return { triples: { a, b, c, b2, c2 }, messages };
}

/** P1's choices for k correlated pairs, and their completion from the received 2-bit messages. */
export function correlatedReceiver(
  ctx: PartyContext,
  k: number,
): { readonly choices: Uint8Array; finish(received: BigUint64Array): CorrelatedTriples } {
  const [a, b, b2] = [randomBits(ctx, k), randomBits(ctx, k), randomBits(ctx, k)];
  const choices = Uint8Array.from(a, (ai, t) => ai | ((b[t] as number) << 1) | ((b2[t] as number) << 2));
  return {
    choices,
    finish: (received) => {
      if (received.length !== k) bug('correlated triple OT output length');
      const c = Uint8Array.from(received, (m) => Number(m & 1n));
      const c2 = Uint8Array.from(received, (m) => Number((m >> 1n) & 1n));
      return { a, b, c, b2, c2 };
    },
  };
}

/** k correlated pairs on their own (one batch of k 1-out-of-8 OTs, P0 sending). */
export async function correlatedTriples(ctx: PartyContext, ot: OtChannel, k: number): Promise<CorrelatedTriples> {
  if (k === 0) {
    const none = new Uint8Array(0);
    return { a: none, b: none, c: none, b2: none, c2: none };
  }
  if (ctx.id === 0) {
    const s = correlatedSender(ctx, k);
    await ot.sendN(8, s.messages, 2);
    return s.triples;
  }
  const r = correlatedReceiver(ctx, k);
  return r.finish(await ot.recvN(8, r.choices, 2));
}

/** A level's ANDs: singles z = x ∧ y (triples t) and pairs (z, z′) = (x ∧ y, x ∧ y′) (pairs p). */
export interface AndLevel {
  readonly single: { readonly t: BitTriples; readonly x: Uint8Array; readonly y: Uint8Array };
  readonly pair: {
    readonly t: CorrelatedTriples;
    readonly x: Uint8Array;
    readonly y: Uint8Array;
    readonly y2: Uint8Array;
  };
}

/** One exchange of 2·singles + 3·pairs packed bits each way; returns (singles' z, pairs' z, z′). */
export async function andLevel(
  ctx: PartyContext,
  l: AndLevel,
): Promise<{ readonly z: Uint8Array; readonly zp: Uint8Array; readonly zp2: Uint8Array }> {
  const [ks, kp] = [l.single.x.length, l.pair.x.length];
  const total = 2 * ks + 3 * kp;
  const peer = peerOf(ctx.id === 0 ? 0 : 1);
  const mine = new Uint8Array(total);
  const { t: st, x: sx, y: sy } = l.single;
  const { t: pt, x: px, y: py, y2: py2 } = l.pair;
  for (let i = 0; i < ks; i++) {
    mine[i] = (sx[i] as number) ^ (st.a[i] as number);
    mine[ks + i] = (sy[i] as number) ^ (st.b[i] as number);
  }
  const o = 2 * ks;
  for (let i = 0; i < kp; i++) {
    mine[o + i] = (px[i] as number) ^ (pt.a[i] as number);
    mine[o + kp + i] = (py[i] as number) ^ (pt.b[i] as number);
    mine[o + 2 * kp + i] = (py2[i] as number) ^ (pt.b2[i] as number);
  }
  if (total === 0) return { z: new Uint8Array(0), zp: new Uint8Array(0), zp2: new Uint8Array(0) };
  sendBits(ctx, peer, mine);
  const theirs = await recvBits(ctx, peer, total, 'AND opening of e, f (singles and correlated pairs)');
  const open = (i: number): number => (mine[i] as number) ^ (theirs[i] as number);
  const p0 = ctx.id === 0 ? 1 : 0;
  const z = new Uint8Array(ks);
  for (let i = 0; i < ks; i++) {
    const [e, f] = [open(i), open(ks + i)];
    z[i] = (st.c[i] as number) ^ (e & (st.b[i] as number)) ^ (f & (st.a[i] as number)) ^ (p0 & e & f);
  }
  const [zp, zp2] = [new Uint8Array(kp), new Uint8Array(kp)];
  for (let i = 0; i < kp; i++) {
    const [e, f, f2] = [open(o + i), open(o + kp + i), open(o + 2 * kp + i)];
    const a = pt.a[i] as number;
    zp[i] = (pt.c[i] as number) ^ (e & (pt.b[i] as number)) ^ (f & a) ^ (p0 & e & f);
    zp2[i] = (pt.c2[i] as number) ^ (e & (pt.b2[i] as number)) ^ (f2 & a) ^ (p0 & e & f2);
  }
  return { z, zp, zp2 };
}

/** Levels of the tree over q leaves: combinations per comparison at each level. */
function combinations(q: number): number[] {
  const out: number[] = [];
  for (let c = q; c > 1; c = Math.ceil(c / 2)) out.push(Math.floor(c / 2));
  return out;
}

/** Per comparison: S single ANDs (one per level) and P correlated pairs. */
export function correlatedMillCounts(q: number): { readonly singles: number; readonly pairs: number } {
  const levels = combinations(q);
  return { singles: levels.length, pairs: levels.reduce((s, p) => s + p - 1, 0) };
}

/** XOR shares of 1{a < b} for n comparisons of w-bit values (P0 passes a, P1 b), with correlated pairs. */
export async function millionaireCorrelated(
  ctx: PartyContext,
  ot: OtChannel,
  mine: BigUint64Array,
  w: number,
): Promise<Uint8Array> {
  const n = mine.length;
  if (n === 0) {
    if (!Number.isInteger(w) || w < 1 || w > 64) bug(`millionaires' width ${w}`);
    return new Uint8Array(0);
  }
  const { singles, pairs } = correlatedMillCounts(digitsOf(w));
  const leaves = await millLeaves(ctx, ot, mine, w, () => n * singles);
  let { lt, eq } = leaves;
  const { stock, q } = leaves;
  const cor = await correlatedTriples(ctx, ot, n * pairs);
  let used = 0;
  for (let c = q; c > 1; c = Math.ceil(c / 2)) {
    const p = Math.floor(c / 2);
    const kp = n * (p - 1);
    const [sx, sy] = [new Uint8Array(n), new Uint8Array(n)];
    const [px, py, py2] = [new Uint8Array(kp), new Uint8Array(kp), new Uint8Array(kp)];
    for (let i = 0; i < n; i++) {
      sx[i] = eq[i * c + 1] as number;
      sy[i] = lt[i * c] as number;
      for (let t = 1; t < p; t++) {
        const [lo, hi, at] = [i * c + 2 * t, i * c + 2 * t + 1, i * (p - 1) + t - 1];
        px[at] = eq[hi] as number;
        py[at] = lt[lo] as number;
        py2[at] = eq[lo] as number;
      }
    }
    const slice = (u: Uint8Array): Uint8Array => u.subarray(used, used + kp);
    const t: CorrelatedTriples = {
      a: slice(cor.a),
      b: slice(cor.b),
      c: slice(cor.c),
      b2: slice(cor.b2),
      c2: slice(cor.c2),
    };
    used += kp;
    const { z, zp, zp2 } = await andLevel(ctx, {
      single: { t: stock.take(n), x: sx, y: sy },
      pair: { t, x: px, y: py, y2: py2 },
    });
    const next = Math.ceil(c / 2);
    const [lt2, eq2] = [new Uint8Array(n * next), new Uint8Array(n * next)];
    for (let i = 0; i < n; i++) {
      lt2[i * next] = (lt[i * c + 1] as number) ^ (z[i] as number);
      for (let t = 1; t < p; t++) {
        const at = i * (p - 1) + t - 1;
        lt2[i * next + t] = (lt[i * c + 2 * t + 1] as number) ^ (zp[at] as number);
        eq2[i * next + t] = zp2[at] as number;
      }
      if (c % 2 === 1) {
        lt2[i * next + next - 1] = lt[i * c + c - 1] as number;
        eq2[i * next + next - 1] = eq[i * c + c - 1] as number;
      }
    }
    [lt, eq] = [lt2, eq2];
  }
  if (stock.left !== 0 || used !== cor.a.length) bug('millionaires: unused triples');
  return lt;
}
