/**
 * The millionaires' protocol of CrypTFlow2 (Rathee et al., CCS 2020, §3.1, Algorithm 1; m = 4 as in
 * the SCI library): P0 holds a, P1 holds b, both < 2^w; they get XOR shares of 1{a < b}.
 *
 *   1. Split a and b into q = ⌈w/4⌉ digits of 4 bits (the top digit zero-padded: padding both inputs
 *      with equal zero bits does not change the comparison).
 *   2. Leaves, one 1-out-of-16 OT of 2-bit messages per digit, P0 sending: P0 draws lt0_j, eq0_j and
 *      offers, for each v ∈ [0, 16), (lt0_j ⊕ 1{a_j < v}) | (eq0_j ⊕ 1{a_j = v})·2; P1 chooses v = b_j.
 *      The same batch carries the ⌈n·T/2⌉ OTs that make the AND tree's bit triples (and.ts), so
 *      leaves and triples cost one OT extension.
 *   3. AND tree, level by level over adjacent digits (hi = 2t+1, lo = 2t):
 *        lt = lt_hi ⊕ (eq_hi ∧ lt_lo),   eq = eq_hi ∧ eq_lo,
 *      an odd top node moving up unchanged; the eq of a node holding digit 0 is never used, so it is
 *      not computed: T = 2(q − 1) − ⌈log₂ q⌉ ANDs per comparison, ⌈log₂ q⌉ levels, each level one
 *      batched AND exchange.
 *   4. Output lt of the root.
 * Cost (spec/cost/cryptflow2.ts): one 1-out-of-16 OT batch of n·q + ⌈n·T/2⌉ 2-bit OTs, and 4 bits per
 * AND; amortised 288·q + 148·T bits per comparison.
 */
import { bug } from '../../spec/errors.js';
import type { OtChannel } from '../ot/types.js';
import type { PartyContext } from '../common/party.js';
import { andGates, TripleStock, tripleReceiver, tripleSender } from './and.js';
import { randomBits } from './bits.js';

export const DIGIT = 4;

export const digitsOf = (w: number): number => Math.ceil(w / DIGIT);

/** ANDs per comparison at each level of the tree over q leaves (level order). */
export function andsPerLevel(q: number): number[] {
  const out: number[] = [];
  for (let c = q; c > 1; c = Math.ceil(c / 2)) out.push(2 * Math.floor(c / 2) - 1);
  return out;
}

/** T(q) = Σ levels = 2(q − 1) − ⌈log₂ q⌉. */
export const millAnds = (q: number): number => andsPerLevel(q).reduce((s, k) => s + k, 0);

function digits(values: BigUint64Array, q: number): Uint8Array {
  const out = new Uint8Array(values.length * q);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as bigint;
    for (let j = 0; j < q; j++) out[i * q + j] = Number((v >> BigInt(DIGIT * j)) & 15n);
  }
  return out;
}

/** The leaves of n comparisons, and the bit triples delivered in the same OT batch. */
export interface MillLeaves {
  /** Per comparison, q digits: XOR shares of 1{a_j < b_j} and 1{a_j = b_j}. */
  readonly lt: Uint8Array;
  readonly eq: Uint8Array;
  readonly stock: TripleStock;
  readonly q: number;
}

/**
 * Steps 1 and 2 for n comparisons of w-bit values, with `triples` bit triples in the same batch of
 * 1-out-of-16 OTs (the plain tree's, or the single ANDs of the correlated variant, correlated.ts).
 */
export async function millLeaves(
  ctx: PartyContext,
  ot: OtChannel,
  mine: BigUint64Array,
  w: number,
  triples: (q: number) => number,
): Promise<MillLeaves> {
  if (!Number.isInteger(w) || w < 1 || w > 64) bug(`millionaires' width ${w}`);
  const n = mine.length;
  if (mine.some((v) => v >= 1n << BigInt(w))) bug(`millionaires' input exceeds ${w} bits`);
  const q = digitsOf(w);
  const k = triples(q);
  const d = digits(mine, q);
  if (ctx.id === 0) {
    const lt = randomBits(ctx, n * q);
    const eq = randomBits(ctx, n * q);
    const s = tripleSender(ctx, k);
    const messages = new BigUint64Array(16 * (n * q) + s.messages.length);
    for (let t = 0; t < n * q; t++) {
      const a = d[t] as number;
      for (let v = 0; v < 16; v++)
        messages[16 * t + v] = BigInt(
          ((lt[t] as number) ^ (a < v ? 1 : 0)) | (((eq[t] as number) ^ (a === v ? 1 : 0)) << 1),
        );
    }
    messages.set(s.messages, 16 * n * q);
    await ot.sendN(16, messages, 2);
    return { lt, eq, stock: new TripleStock(s.triples), q };
  }
  const r = tripleReceiver(ctx, k);
  const choices = new Uint8Array(n * q + r.choices.length);
  choices.set(d);
  choices.set(r.choices, n * q);
  const got = await ot.recvN(16, choices, 2);
  return {
    lt: Uint8Array.from(got.subarray(0, n * q), (m) => Number(m & 1n)),
    eq: Uint8Array.from(got.subarray(0, n * q), (m) => Number((m >> 1n) & 1n)),
    stock: new TripleStock(r.finish(got.subarray(n * q))),
    q,
  };
}

/** XOR shares of 1{a < b} for n comparisons of w-bit values (P0 passes a, P1 passes b). */
export async function millionaire(
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
  const leaves = await millLeaves(ctx, ot, mine, w, (q) => n * millAnds(q));
  let { lt, eq } = leaves;
  const { stock, q } = leaves;
  for (let c = q; c > 1; c = Math.ceil(c / 2)) {
    const pairs = Math.floor(c / 2);
    const per = 2 * pairs - 1;
    const x = new Uint8Array(n * per);
    const y = new Uint8Array(n * per);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < pairs; t++) {
        const [lo, hi] = [i * c + 2 * t, i * c + 2 * t + 1];
        x[i * per + t] = eq[hi] as number;
        y[i * per + t] = lt[lo] as number;
        if (t > 0) {
          x[i * per + pairs + t - 1] = eq[hi] as number;
          y[i * per + pairs + t - 1] = eq[lo] as number;
        }
      }
    }
    const z = await andGates(ctx, stock.take(n * per), x, y);
    const next = Math.ceil(c / 2);
    const [lt2, eq2] = [new Uint8Array(n * next), new Uint8Array(n * next)];
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < pairs; t++) {
        lt2[i * next + t] = (lt[i * c + 2 * t + 1] as number) ^ (z[i * per + t] as number);
        if (t > 0) eq2[i * next + t] = z[i * per + pairs + t - 1] as number;
      }
      if (c % 2 === 1) {
        lt2[i * next + next - 1] = lt[i * c + c - 1] as number;
        eq2[i * next + next - 1] = eq[i * c + c - 1] as number;
      }
    }
    [lt, eq] = [lt2, eq2];
  }
  if (stock.left !== 0) bug('millionaires: unused triples');
  return lt;
}
