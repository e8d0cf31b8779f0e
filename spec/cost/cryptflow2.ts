/**
 * Closed-form communication of the CrypTFlow2 two-party protocols (protocols/cryptflow2/), composed
 * from the cost of each OT batch they run and their own packed messages. Parties P0 and P1; P2's
 * links stay 0. Everything is a `Schedule` (spec/cost/nonlinear.ts), so bytes per link and rounds
 * compose exactly as the protocols run (every OT batch and every exchange after the previous one).
 *
 * The OT batches' costs come from an `OtCostModel`: the OT layer's closed forms (spec/cost/ot.ts:
 * λ = 128, IKNP chosen 1-out-of-2 λ + 2ℓ, correlated λ + ℓ, KKOT 1-out-of-N 2λ + N·ℓ bits per OT,
 * amortised, with its padding rule for small batches), or, in tests, the functional test double's.
 *
 * Per protocol (n elements; a bit exchange is one message of ⌈bits/8⌉ bytes each way):
 *   Mill(n, w)    q = ⌈w/4⌉, T = 2(q − 1) − ⌈log₂ q⌉: one 1-out-of-16 batch (P0 sending) of
 *                 n·q + ⌈n·T/2⌉ OTs of 2-bit messages; then per tree level with a ANDs per
 *                 comparison, an exchange of 2·n·a bits each way. Amortised 288q + 148T bits.
 *   DReLU(n, ℓ)   Mill(n, ℓ − 1).
 *   B2A(n, ℓ)     one correlated batch of n ℓ-bit OTs, P0 sending.
 *   MUX(n, ℓ)     two chosen 1-out-of-2 batches of n ℓ-bit OTs, P0 sending first, then P1.
 *   ReLU          DReLU then MUX: amortised Mill(ℓ − 1) + 2(λ + 2ℓ) bits.
 *   MaxPool(R, k) per tree level with p pairs: DReLU(p·R) then MUX(p·R).
 *   ArgMax(r, c)  per level: DReLU(p·r) then MUX(2·p·r).
 *   Trunc(n, s)   s = 0: nothing; s ≥ ℓ: Mill(n, ℓ − 1), B2A(n); else Mill(n, ℓ), Mill(n, s), B2A(2n).
 *   Div(n, d)     d all one 2^s (1 ≤ s < ℓ): Trunc; else Mill(n, ℓ), Mill(5n, ⌈log₂ 5·max d⌉ bits),
 *                 B2A(6n), MUX(n).
 *   Product       T terms, U used elements of the decomposed operand (the one with fewer; x on a
 *                 tie): per cross term and bit k = 0 … ℓ − 1, either (2U < T) 2U random OTs and one
 *                 message of T·(ℓ − k) packed bits (vector COT), or T correlated OTs of ℓ − k bits.
 *                 Per cross term, amortised, 2λ·U·ℓ + T·ℓ(ℓ + 1)/2 bits (vector) or
 *                 T·(ℓλ + ℓ(ℓ + 1)/2) (scalar). The cross terms are x_h·y_{1−h} for h = 0, then 1,
 *                 those whose factors are both possibly nonzero: an operand held in the clear by P_j
 *                 (OperandType.owner, its other share publicly 0) removes the cross term in which
 *                 P_{1−j} would contribute it. Two general operands: two cross terms; one general and
 *                 one the server's weights: one; the client's input times the server's weights: one
 *                 (x0·y1); both one party's: none (computed by that party alone, free).
 */
import { chain, costOf, NOTHING, step, type Schedule } from './nonlinear.js';
import { cotSchedule, ot2Schedule, otNSchedule, rotSchedule } from './ot.js';
import type { Cost } from './types.js';

export type Sender = 0 | 1;

/** The cost of one OT batch of `count` instances of ℓ-bit messages, `sender` sending. */
export interface OtCostModel {
  chosen(sender: Sender, count: number, ell: number): Schedule;
  correlated(sender: Sender, count: number, ell: number): Schedule;
  oneOfN(sender: Sender, n: number, count: number, ell: number): Schedule;
  /** Random OT with 64-bit outputs (nothing but the extension is sent). */
  random(sender: Sender, count: number): Schedule;
}

/** The OT layer's exact per-call closed forms (spec/cost/ot.ts). */
export const otLayerCosts: OtCostModel = {
  chosen: (sender, count, ell) => ot2Schedule(sender, count, ell),
  correlated: (sender, count, ell) => cotSchedule(sender, count, ell),
  oneOfN: (sender, n, count, ell) => otNSchedule(sender, count, n, ell),
  random: (sender, count) => rotSchedule(sender, count),
};

export const LAMBDA = 128;

export const millDigits = (w: number): number => Math.ceil(w / 4);

/** ANDs per comparison at each level of the tree over q leaves. */
export function millLevels(q: number): number[] {
  const out: number[] = [];
  for (let c = q; c > 1; c = Math.ceil(c / 2)) out.push(2 * Math.floor(c / 2) - 1);
  return out;
}

export const millAndCount = (q: number): number => 2 * (q - 1) - Math.ceil(Math.log2(q));

/** The documented per-comparison figure, amortised: 288·q + 148·T bits. */
export const millBits = (w: number): number => 288 * millDigits(w) + 148 * millAndCount(millDigits(w));

/** ReLU(ℓ) = Mill(ℓ − 1) + 2(λ + 2ℓ) bits, amortised. */
export const reluBits = (ell: number): number => millBits(ell - 1) + 2 * (LAMBDA + 2 * ell);

const exchange = (bits: number): Schedule => step([0, 1, Math.ceil(bits / 8)], [1, 0, Math.ceil(bits / 8)]);

export function millSchedule(m: OtCostModel, n: number, w: number): Schedule {
  if (n === 0) return NOTHING;
  const q = millDigits(w);
  const levels = millLevels(q);
  const T = levels.reduce((s, a) => s + a, 0);
  return chain(m.oneOfN(0, 16, n * q + Math.ceil((n * T) / 2), 2), ...levels.map((a) => exchange(2 * n * a)));
}

/**
 * Mill(n, w) with correlated triples (protocols/cryptflow2/correlated.ts; not the backend's default):
 * per level with p combinations per comparison, one single AND (1-out-of-16 triple) and p − 1 AND
 * pairs from 1-out-of-8 OT₂. One 1-out-of-16 batch of n·q + ⌈n·S/2⌉ OTs, one 1-out-of-8 batch of n·P
 * OTs, then per level an exchange of n·(2 + 3(p − 1)) bits each way. Amortised 288q + 148S + 278P.
 */
export function millCorrelatedSchedule(m: OtCostModel, n: number, w: number): Schedule {
  if (n === 0) return NOTHING;
  const q = millDigits(w);
  const levels: number[] = [];
  for (let c = q; c > 1; c = Math.ceil(c / 2)) levels.push(Math.floor(c / 2));
  const pairs = levels.reduce((s, p) => s + p - 1, 0);
  return chain(
    m.oneOfN(0, 16, n * q + Math.ceil((n * levels.length) / 2), 2),
    pairs === 0 ? NOTHING : m.oneOfN(0, 8, n * pairs, 2),
    ...levels.map((p) => exchange(n * (2 + 3 * (p - 1)))),
  );
}

/** The correlated form's amortised bits per comparison: 288q + 148S + 278P. */
export function millCorrelatedBits(w: number): number {
  const q = millDigits(w);
  const levels = millLevels(q).length;
  const pairs = (millAndCount(q) - levels) / 2;
  return 288 * q + 148 * levels + 278 * pairs;
}

export const dreluSchedule = (m: OtCostModel, n: number, ell: number): Schedule => millSchedule(m, n, ell - 1);

export const b2aSchedule = (m: OtCostModel, n: number, ell: number): Schedule =>
  n === 0 ? NOTHING : m.correlated(0, n, ell);

export const muxSchedule = (m: OtCostModel, n: number, ell: number): Schedule =>
  n === 0 ? NOTHING : chain(m.chosen(0, n, ell), m.chosen(1, n, ell));

export const reluSchedule = (m: OtCostModel, n: number, ell: number): Schedule =>
  chain(dreluSchedule(m, n, ell), muxSchedule(m, n, ell));

function treeSchedule(m: OtCostModel, rows: number, width: number, ell: number, muxPerPair: number): Schedule {
  const steps: Schedule[] = [];
  for (let c = width; c > 1; c = Math.ceil(c / 2)) {
    const p = Math.floor(c / 2) * rows;
    steps.push(dreluSchedule(m, p, ell), muxSchedule(m, muxPerPair * p, ell));
  }
  return chain(...steps);
}

export const maxPoolSchedule = (m: OtCostModel, r: number, k: number, ell: number): Schedule =>
  r === 0 ? NOTHING : treeSchedule(m, r, k, ell, 1);

export const argmaxSchedule = (m: OtCostModel, r: number, c: number, ell: number): Schedule =>
  r === 0 ? NOTHING : treeSchedule(m, r, c, ell, 2);

export function truncSchedule(m: OtCostModel, n: number, s: number, ell: number): Schedule {
  if (n === 0 || s === 0) return NOTHING;
  if (s >= ell) return chain(millSchedule(m, n, ell - 1), b2aSchedule(m, n, ell));
  return chain(millSchedule(m, n, ell), millSchedule(m, n, s), b2aSchedule(m, 2 * n, ell));
}

/** Division by public divisors (one per element). */
export function divideSchedule(m: OtCostModel, divisors: readonly bigint[], ell: number): Schedule {
  const n = divisors.length;
  if (n === 0) return NOTHING;
  const d0 = divisors[0] as bigint;
  const s = d0.toString(2).length - 1;
  if (divisors.every((d) => d === d0) && d0 === 1n << BigInt(s) && s >= 1 && s <= ell - 1)
    return truncSchedule(m, n, s, ell);
  const dMax = divisors.reduce((a, d) => (d > a ? d : a), 1n);
  const width = (5n * dMax).toString(2).length;
  return chain(
    millSchedule(m, n, ell),
    millSchedule(m, 5 * n, width),
    b2aSchedule(m, 6 * n, ell),
    muxSchedule(m, n, ell),
  );
}

/** A bilinear layer's size: T scalar terms, and the elements of each operand some term uses. */
export interface ProductSize {
  readonly terms: number;
  readonly ux: number;
  readonly uy: number;
}

/**
 * How a cross term runs (protocols/cryptflow2/product.ts): the operand with fewer used elements is
 * decomposed into bits (x on a tie); vector COTs when 2U < T, one COT per term otherwise.
 */
export function crossForm(
  T: number,
  ux: number,
  uy: number,
): { readonly decompose: 'x' | 'y'; readonly vector: boolean } {
  const decompose = uy < ux ? 'y' : 'x';
  return { decompose, vector: 2 * (decompose === 'x' ? ux : uy) < T };
}

/**
 * The cross terms x_h·y_{1−h} a product runs, in order, given which party (if any) holds each operand
 * in the clear: P_j's operand has no share at P_{1−j}.
 */
export function crossTerms(xOwner: Sender | undefined, yOwner: Sender | undefined): readonly Sender[] {
  return ([0, 1] as const).filter((h) => xOwner !== (h === 0 ? 1 : 0) && yOwner !== h);
}

/** A bilinear layer over OT: the cross terms `crosses` (default both: P0's x0·y1, then P1's x1·y0). */
export function productSchedule(
  m: OtCostModel,
  size: ProductSize,
  ell: number,
  crosses: readonly Sender[] = [0, 1],
): Schedule {
  const T = size.terms;
  if (T === 0) return NOTHING;
  const { decompose, vector } = crossForm(T, size.ux, size.uy);
  const U = decompose === 'x' ? size.ux : size.uy;
  const steps: Schedule[] = [];
  for (const h of crosses) {
    const chooser: Sender = decompose === 'x' ? h : h === 0 ? 1 : 0;
    const sender: Sender = chooser === 0 ? 1 : 0;
    for (let k = 0; k < ell; k++) {
      const w = ell - k;
      steps.push(
        vector
          ? chain(m.random(sender, 2 * U), step([sender, chooser, Math.ceil((T * w) / 8)]))
          : m.correlated(sender, T, w),
      );
    }
  }
  return chain(...steps);
}

export { costOf };
export type { Cost, Schedule };
