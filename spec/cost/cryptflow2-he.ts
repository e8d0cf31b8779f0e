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
 *   A plane larger than N/2 cells is cut into tiles of output rows on the first spatial axis (heTiles),
 *   each a convolution of its own; all tiles travel in the same two messages (Q and R summed).
 * HE elementwise product (Mul by a server-only tensor, slot packing): Q = R = ⌈n/N⌉ for n outputs.
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

/** The geometry of a convolution that decides its tiling (spatial arrays of one length d ≥ 0). */
export interface HeConvGeometry {
  readonly batch: number;
  readonly groups: number;
  readonly cg: number;
  readonly mg: number;
  readonly padded: readonly number[];
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly output: readonly number[];
}

/**
 * Output-row tiles [a, b) of the first spatial axis so that each tile's padded input plane,
 * ((b − a − 1)·s + (k − 1)·d + 1) rows × the rest of the plane, is at most N/2 cells: one tile when
 * the whole plane fits, tiles of the most rows that fit otherwise; null when not even one row fits.
 */
export function heTiles(g: HeConvGeometry, n = HE_POLY_DEGREE): (readonly [number, number])[] | null {
  const plane = g.padded.reduce((a, e) => a * e, 1);
  const rows = g.output[0];
  if (plane <= n / 2 || rows === undefined) return [[0, rows ?? 1]];
  const rest = plane / (g.padded[0] as number);
  const span = ((g.kernel[0] as number) - 1) * (g.dilations[0] as number) + 1;
  const fit = Math.floor(n / (2 * rest));
  if (fit < span) return null;
  const per = Math.floor((fit - span) / (g.strides[0] as number)) + 1;
  const tiles: (readonly [number, number])[] = [];
  for (let a = 0; a < rows; a += per) tiles.push([a, Math.min(rows, a + per)]);
  return tiles;
}

/** The padded input rows a tile of output rows [a, b) reads: ((b − a − 1)·s + (k − 1)·d + 1). */
export const tileInputRows = (g: HeConvGeometry, a: number, b: number): number =>
  (b - a - 1) * (g.strides[0] as number) + ((g.kernel[0] as number) - 1) * (g.dilations[0] as number) + 1;

/** The packing of every tile of a convolution (null: a single row does not fit in N/2 cells). */
export function heConvLayouts(g: HeConvGeometry, n = HE_POLY_DEGREE): HeLayout[] | null {
  const tiles = heTiles(g, n);
  if (tiles === null) return null;
  const plane = g.padded.reduce((a, e) => a * e, 1);
  const out: HeLayout[] = [];
  for (const [a, b] of tiles) {
    const rows = tiles.length === 1 ? (g.padded[0] ?? 1) : tileInputRows(g, a, b);
    const l = heLayout({ ...g, plane: g.padded.length === 0 ? 1 : (plane / (g.padded[0] as number)) * rows }, n);
    if (l === null) return null;
    out.push(l);
  }
  return out;
}

/** An elementwise product of n elements in slot packing: ⌈n/N⌉ queries and as many responses. */
export function heSlotLayout(n: number, slots = HE_POLY_DEGREE): HeLayout {
  const c = Math.ceil(n / slots);
  return { cc: 1, chunks: c, mc: 1, outGroups: c, queries: c, responses: c };
}

/** One HE exchange carrying every tile: Σ queries in one message P0 → P1, Σ responses back. */
export function heLinearSchedule(...layouts: readonly HeLayout[]): Schedule {
  const q = layouts.reduce((s, l) => s + l.queries, 0);
  const r = layouts.reduce((s, l) => s + l.responses, 0);
  return chain(step([0, 1, q * HE_BYTES.query]), step([1, 0, r * HE_BYTES.response]));
}

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
