/**
 * Closed-form communication of `cryptflow2-he` (protocols/cryptflow2-he/): CrypTFlow2's SCI_HE
 * (Rathee et al., CCS 2020, §6) as built here — BFV linear layers with coefficient packing, and the
 * prime-field OT protocols. P0 and P1 only; P2's links stay 0. Everything is a `Schedule`.
 *
 * Parameters (pinned; protocols/cryptflow2-he/seal.ts builds them, its test re-measures the sizes):
 *   N = 8192, SEAL's BFVDefault(8192) coefficient modulus (4 data primes + the special prime),
 *   p = 2^41 − 65535 (⌈log₂ p⌉ = 41). Serialised sizes, compression none:
 *     public key (seeded)                       327,874 bytes   once per session, phase 'setup',
 *                                                               answered by a 1-byte acknowledgement
 *     query ciphertext (symmetric, seeded)      262,338 bytes
 *     response ciphertext (2 primes)            262,257 bytes
 *
 * HE linear layer (a convolution; MatMul is one with no spatial axis): with P cells per padded channel
 * plane, Cc = min(Cg, ⌊N/2P⌋) channels per query, chunks = ⌈Cg/Cc⌉, mc = min(Mg, ⌊(N+1)/(Cc·P)⌋ − 1)
 * output channels per response, outGroups = ⌈Mg/mc⌉:
 *   queries Q = B·G·chunks,  responses R = B·G·outGroups;
 *   one message P0 → P1 of Q·262,338 bytes, then one P1 → P0 of R·262,257 bytes (2 rounds).
 * Prime-field OT protocols (n elements; w_p = 41, w_D = ⌈log₂(2p + (p−1)/2 + 1)⌉ = 43):
 *   DReLU_p(n)   Mill(3n, w_D)                 MUX_p(n)   chosen OT of w_p bits, P0 then P1 sending
 *   B2A_p(n)     chosen OT of w_p bits, P0 sending
 *   ReLU_p(n)    DReLU_p(n), MUX_p(n)
 *   MaxPool / ArgMax   per tree level with q pairs per row: DReLU_p(q·R), MUX_p(q·R) (ArgMax: 2q·R)
 *   Div_p(n, d)  Mill(n, w_p), Mill(5n, ⌈log₂ 5·max d⌉), B2A_p(6n), MUX_p(n)   (ScaleDown: d = 2^s)
 */
import { millSchedule, type OtCostModel } from './cryptflow2.js';
import { chain, NOTHING, step, type Schedule } from './nonlinear.js';

export const HE_POLY_DEGREE = 8192;
export const HE_PRIME = 2199023190017n;
export const HE_FIELD_BITS = 41;
export const HE_DRELU_BITS = (2n * HE_PRIME + (HE_PRIME - 1n) / 2n).toString(2).length;

export const HE_BYTES = Object.freeze({ publicKey: 327874, query: 262338, response: 262257 });

/** The HE session's setup (phase 'setup', once): the public key P0 → P1, a one-byte acknowledgement back. */
export const heSetupSchedule = (): Schedule => chain(step([0, 1, HE_BYTES.publicKey]), step([1, 0, 1]));

/** The sizes that decide a linear layer's packing. */
export interface HeLayerSize {
  readonly batch: number;
  readonly groups: number;
  /** Input and output channels per group. */
  readonly cg: number;
  readonly mg: number;
  /** Cells of one padded channel plane (1 for MatMul). */
  readonly plane: number;
}

export interface HeLayout {
  readonly cc: number;
  readonly chunks: number;
  readonly mc: number;
  readonly outGroups: number;
  readonly queries: number;
  readonly responses: number;
}

/** The packing of a layer, or null when one padded channel plane exceeds N/2 (not supported). */
export function heLayout(s: HeLayerSize, n = HE_POLY_DEGREE): HeLayout | null {
  const cc = Math.min(s.cg, Math.floor(n / (2 * s.plane)));
  if (cc < 1) return null;
  const chunks = Math.ceil(s.cg / cc);
  const mc = Math.min(s.mg, Math.floor((n + 1) / (cc * s.plane)) - 1);
  const outGroups = Math.ceil(s.mg / mc);
  return {
    cc,
    chunks,
    mc,
    outGroups,
    queries: s.batch * s.groups * chunks,
    responses: s.batch * s.groups * outGroups,
  };
}

export const heLinearSchedule = (l: HeLayout): Schedule =>
  chain(step([0, 1, l.queries * HE_BYTES.query]), step([1, 0, l.responses * HE_BYTES.response]));

export const dreluPSchedule = (m: OtCostModel, n: number): Schedule =>
  n === 0 ? NOTHING : millSchedule(m, 3 * n, HE_DRELU_BITS);

export const muxPSchedule = (m: OtCostModel, n: number): Schedule =>
  n === 0 ? NOTHING : chain(m.chosen(0, n, HE_FIELD_BITS), m.chosen(1, n, HE_FIELD_BITS));

export const b2aPSchedule = (m: OtCostModel, n: number): Schedule =>
  n === 0 ? NOTHING : m.chosen(0, n, HE_FIELD_BITS);

export const reluPSchedule = (m: OtCostModel, n: number): Schedule => chain(dreluPSchedule(m, n), muxPSchedule(m, n));

function treePSchedule(m: OtCostModel, rows: number, width: number, muxPerPair: number): Schedule {
  const steps: Schedule[] = [];
  for (let c = width; c > 1; c = Math.ceil(c / 2)) {
    const q = Math.floor(c / 2) * rows;
    steps.push(dreluPSchedule(m, q), muxPSchedule(m, muxPerPair * q));
  }
  return chain(...steps);
}

export const maxPoolPSchedule = (m: OtCostModel, r: number, k: number): Schedule =>
  r === 0 ? NOTHING : treePSchedule(m, r, k, 1);

export const argmaxPSchedule = (m: OtCostModel, r: number, c: number): Schedule =>
  r === 0 ? NOTHING : treePSchedule(m, r, c, 2);

export function dividePSchedule(m: OtCostModel, divisors: readonly bigint[]): Schedule {
  const n = divisors.length;
  if (n === 0) return NOTHING;
  const dMax = divisors.reduce((a, d) => (d > a ? d : a), 1n);
  return chain(
    millSchedule(m, n, HE_FIELD_BITS),
    millSchedule(m, 5 * n, (5n * dMax).toString(2).length),
    b2aPSchedule(m, 6 * n),
    muxPSchedule(m, n),
  );
}

export const truncPSchedule = (m: OtCostModel, n: number, s: number): Schedule =>
  n === 0 || s === 0 ? NOTHING : dividePSchedule(m, new Array<bigint>(n).fill(1n << BigInt(s)));
