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
 * plane, Cc ≤ min(Cg, ⌊N/2P⌋) channels per query, chunks = ⌈Cg/Cc⌉, mc = min(Mg, ⌊(N+1)/(Cc·P)⌋ − 1)
 * output channels per response, outGroups = ⌈Mg/mc⌉:
 *   queries Q = B·G·chunks,  responses R = B·G·outGroups;
 *   one message P0 → P1 of Q·262,338 bytes, then one P1 → P0 of R·262,257 bytes (2 rounds).
 *   Per layer the packing is chosen to minimise these bytes (hePacking): the tile height (tiles of
 *   output rows on the first spatial axis, each a convolution of its own; a plane over N/2 cells must
 *   be cut) and Cc; all tiles travel in the same two messages (Q and R summed).
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
/**
 * The signed width every value of a cryptflow2-he run must fit: ±2^39 lies inside ±(p − 1)/2
 * (= ±(2^40 − 32,768)), so the range analysis at ℓ = 40 is a sound (one bit conservative) field check.
 */
export const HE_SAFE_BITS = 40;
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

/**
 * The packing of a layer with `cc` channels per query (default and at most min(Cg, ⌊N/2P⌋)), or null
 * when one padded channel plane exceeds N/2.
 */
export function heLayout(s: HeLayerSize, n = HE_POLY_DEGREE, cc?: number): HeLayout | null {
  const most = Math.min(s.cg, Math.floor(n / (2 * s.plane)));
  if (most < 1) return null;
  const c = Math.min(most, cc ?? most);
  const chunks = Math.ceil(s.cg / c);
  const mc = Math.min(s.mg, Math.floor((n + 1) / (c * s.plane)) - 1);
  const outGroups = Math.ceil(s.mg / mc);
  return {
    cc: c,
    chunks,
    mc,
    outGroups,
    queries: s.batch * s.groups * chunks,
    responses: s.batch * s.groups * outGroups,
  };
}

/** The geometry of a convolution that decides its packing (spatial arrays of one length d ≥ 0). */
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

/** The padded input rows a tile of output rows [a, b) reads: ((b − a − 1)·s + (k − 1)·d + 1). */
export const tileInputRows = (g: HeConvGeometry, a: number, b: number): number =>
  (b - a - 1) * (g.strides[0] as number) + ((g.kernel[0] as number) - 1) * (g.dilations[0] as number) + 1;

/**
 * A convolution's packing: either the whole padded plane (`tiled` false, one tile) or tiles of output
 * rows [a, b) on the first spatial axis, each its own convolution on the input rows it reads; and Cc,
 * the channels per query, the same for every tile.
 */
export interface HePacking {
  readonly tiled: boolean;
  readonly tiles: readonly (readonly [number, number])[];
  readonly cc: number;
  readonly layouts: readonly HeLayout[];
  /** Query and response bytes of the layer. */
  readonly bytes: number;
}

/**
 * The packing with the fewest bytes (queries and responses) over every tile height and every Cc: a
 * smaller Cc·P puts more output channels in a response (mc = ⌊(N + 1)/(Cc·P)⌋ − 1) at the price of more
 * queries; smaller tiles shrink P. Ties keep the first found (whole plane, then taller tiles, then larger
 * Cc). Null when not even one row of the plane fits in N/2 cells.
 */
export function hePacking(g: HeConvGeometry, n = HE_POLY_DEGREE): HePacking | null {
  const plane = g.padded.reduce((a, e) => a * e, 1);
  const rows = g.output[0];
  const candidates: { tiled: boolean; tiles: (readonly [number, number])[]; planes: number[] }[] = [];
  if (plane <= n / 2 || rows === undefined) candidates.push({ tiled: false, tiles: [[0, rows ?? 1]], planes: [plane] });
  if (rows !== undefined) {
    const rest = plane / (g.padded[0] as number);
    for (let per = rows; per >= 1; per--) {
      if (tileInputRows(g, 0, per) * rest > n / 2) continue;
      const tiles: (readonly [number, number])[] = [];
      for (let a = 0; a < rows; a += per) tiles.push([a, Math.min(rows, a + per)]);
      candidates.push({ tiled: true, tiles, planes: tiles.map(([a, b]) => tileInputRows(g, a, b) * rest) });
    }
  }
  let best: {
    tiled: boolean;
    tiles: (readonly [number, number])[];
    planes: number[];
    cc: number;
    bytes: number;
  } | null = null;
  for (const c of candidates) {
    // Tiles of one height share a plane: at most two distinct planes (the last tile may be shorter).
    const counts = new Map<number, number>();
    for (const p of c.planes) counts.set(p, (counts.get(p) ?? 0) + 1);
    const most = Math.min(g.cg, ...[...counts.keys()].map((p) => Math.floor(n / (2 * p))));
    for (let cc = most; cc >= 1; cc--) {
      let bytes = 0;
      for (const [p, k] of counts) {
        const l = heLayout({ ...g, plane: p }, n, cc) as HeLayout;
        bytes += k * (l.queries * HE_BYTES.query + l.responses * HE_BYTES.response);
      }
      if (best === null || bytes < best.bytes) best = { ...c, cc, bytes };
    }
  }
  if (best === null) return null;
  const cc = best.cc;
  const layouts = best.planes.map((p) => heLayout({ ...g, plane: p }, n, cc) as HeLayout);
  return { tiled: best.tiled, tiles: best.tiles, cc, layouts, bytes: best.bytes };
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
