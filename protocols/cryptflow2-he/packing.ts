/**
 * Coefficient packing of the HE linear layers (the polynomial-product encoding of Cheetah, Huang et
 * al., USENIX Security 2022, §3, in place of SCI_HE's slot packing with rotations): no rotation, no
 * Galois or relinearisation key, one plaintext–ciphertext product per (query, response) pair.
 *
 * A convolution (MatMul is the case with no spatial axis: batch = rows of the client's matrix,
 * channels = the inner dimension, output channels = columns) with B batch entries, G groups of Cg
 * input and Mg output channels, padded spatial extents S (P = Π S cells), kernel K with dilations d
 * and strides s. L(·) is the row-major linear index in S. Per group and per chunk of Cc channels
 * (Cc = min(Cg, ⌊N / 2P⌋): 2·Cc·P ≤ N):
 *
 *   query (client)    x(X) = Σ_{c′ < Cc, y ∈ S} x[b, c, y] · X^{c′P + L(y)}       (padding cells 0)
 *   kernel (server)   k_m(X) = Σ_{c′, t ∈ K} W[m, c, t] · X^{O − c′P − L(t·d)},  O = (Cc − 1)P + L((K−1)·d)
 *   slots             mc = ⌊(N + 1)/(Cc·P)⌋ − 1 output channels per response: slot j holds k_m·X^{j·Cc·P}
 *   read              y[b, m, o] = coefficient j·Cc·P + O + L(o·s) of Σ_chunks x·k   (negacyclic wrap never
 *                     reached: the degree is at most (mc + 1)·Cc·P − 2 ≤ N − 1)
 *
 * Why only the wanted terms land on a read coefficient: a product term x[c_a, y]·W[m, c_b, t] of slot j
 * lands at j·CcP + O + L(y) − c_b·P − L(t·d) + c_a·P; for slot j it equals the read position of o iff
 * (c_a − c_b)·P = L(o·s + t·d) − L(y), both in [0, P), so c_a = c_b and y = o·s + t·d (L is injective on
 * S); terms of slot j − 1 stay below j·CcP + O and those of slot j + 1 start at (j + 1)·CcP, above every
 * read position of slot j. Proof and figures in proofs-notes/cryptflow2-he.md.
 */
import { CryptflowError } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import { heLayout, hePacking, tileInputRows } from '../../spec/cost/cryptflow2-he.js';
import { POLY_DEGREE } from './seal.js';

/** A convolution in the shape the packing needs (spatial arrays all of one length, possibly 0). */
export interface ConvShape {
  readonly batch: number;
  readonly groups: number;
  /** Input channels per group. */
  readonly cg: number;
  /** Output channels per group. */
  readonly mg: number;
  /** Unpadded input extents. */
  readonly input: readonly number[];
  /** Padding at the beginning of each spatial axis (the end padding is implied by `padded`). */
  readonly padBegin: readonly number[];
  readonly padded: readonly number[];
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly output: readonly number[];
}

export interface Plan {
  readonly shape: ConvShape;
  readonly n: number;
  /** Cells of one padded channel plane. */
  readonly plane: number;
  /** Channels per query chunk, and chunks per group. */
  readonly cc: number;
  readonly chunks: number;
  /** Output channels per response, and responses per (batch, group). */
  readonly mc: number;
  readonly outGroups: number;
  /** O: the offset of the read positions inside a slot. */
  readonly offset: number;
  readonly queries: number;
  readonly responses: number;
}

const linear = (extents: readonly number[], at: readonly number[]): number =>
  extents.reduce((acc, e, i) => acc * e + (at[i] as number), 0);

/** The plan of one convolution (or tile) with `cc` channels per query (default: as many as fit). */
export function planConv(shape: ConvShape, n = POLY_DEGREE, cc?: number): Plan {
  const plane = numel(shape.padded);
  const layout = heLayout({ batch: shape.batch, groups: shape.groups, cg: shape.cg, mg: shape.mg, plane }, n, cc);
  if (layout === null)
    throw new CryptflowError(
      'unsupported',
      `cryptflow2-he: a padded channel plane of ${plane} cells exceeds N/2 = ${n / 2} (planTiles cuts it into row tiles)`,
    );
  const maxTap = shape.kernel.map((k, i) => (k - 1) * (shape.dilations[i] as number));
  return { ...layout, shape, n, plane, offset: (layout.cc - 1) * plane + linear(shape.padded, maxTap) };
}

/** Calls f(cell index in the unpadded input, its linear index in the padded plane) for every input cell. */
function forEachCell(shape: ConvShape, f: (cell: number, at: number) => void): void {
  const d = shape.input.length;
  const total = numel(shape.input);
  const pos = new Array<number>(d).fill(0);
  for (let cell = 0; cell < total; cell++) {
    let at = 0;
    for (let i = 0; i < d; i++)
      at = at * (shape.padded[i] as number) + (pos[i] as number) + (shape.padBegin[i] as number);
    f(cell, at);
    for (let i = d - 1; i >= 0; i--) {
      pos[i] = (pos[i] as number) + 1;
      if ((pos[i] as number) < (shape.input[i] as number)) break;
      pos[i] = 0;
    }
  }
}

/** All points of a box of extents, as linear indices in `padded` after scaling each axis by `scale`. */
function boxOffsets(extents: readonly number[], scale: readonly number[], padded: readonly number[]): Int32Array {
  const out = new Int32Array(numel(extents));
  const d = extents.length;
  const pos = new Array<number>(d).fill(0);
  for (let j = 0; j < out.length; j++) {
    out[j] = linear(
      padded,
      pos.map((p, i) => p * (scale[i] as number)),
    );
    for (let i = d - 1; i >= 0; i--) {
      pos[i] = (pos[i] as number) + 1;
      if ((pos[i] as number) < (extents[i] as number)) break;
      pos[i] = 0;
    }
  }
  return out;
}

/** The query polynomial of (batch b, group g, chunk c) from x laid out [B, G·Cg, …input]. */
export function queryPoly(plan: Plan, x: BigUint64Array, b: number, g: number, c: number): BigUint64Array {
  const { shape, plane, cc } = plan;
  const cells = numel(shape.input);
  const poly = new BigUint64Array(plan.n);
  const c0 = c * cc;
  const count = Math.min(cc, shape.cg - c0);
  for (let k = 0; k < count; k++) {
    const base = ((b * shape.groups + g) * shape.cg + c0 + k) * cells;
    forEachCell(shape, (cell, at) => {
      poly[k * plane + at] = x[base + cell] as bigint;
    });
  }
  return poly;
}

/** The kernel's tap offsets in the padded plane (computed once per layer by writeKernel's callers). */
export const kernelTaps = (plan: Plan): Int32Array =>
  boxOffsets(plan.shape.kernel, plan.shape.dilations, plan.shape.padded);

/** The output cells' offsets in the padded plane (computed once per layer by readResponse's callers). */
export const outputOffsets = (plan: Plan): Int32Array =>
  boxOffsets(plan.shape.output, plan.shape.strides, plan.shape.padded);

/**
 * Coefficients of a kernel polynomial: taps × channels × output channels of one response (at most;
 * the last chunk and response may hold fewer). One is a monomial, which SEAL multiplies by a shift
 * and a scalar; more is a dense product, which linear.ts computes in NTT form.
 */
export const kernelSpan = (plan: Plan, taps: Int32Array): number => taps.length * plan.cc * plan.mc;

/**
 * The kernel polynomial of (group g, response r, chunk c) from weights W laid out [G·Mg, Cg, …kernel],
 * each entry a field element, written into `poly` (N coefficients, cleared first); returns how many of
 * the written coefficients are nonzero.
 */
export function writeKernel(
  plan: Plan,
  taps: Int32Array,
  w: BigUint64Array,
  g: number,
  r: number,
  c: number,
  poly: BigUint64Array,
): number {
  const { shape, plane, cc, mc, offset } = plan;
  poly.fill(0n);
  let nonzero = 0;
  const c0 = c * cc;
  const count = Math.min(cc, shape.cg - c0);
  for (let j = 0; j < mc; j++) {
    const m = r * mc + j;
    if (m >= shape.mg) break;
    for (let k = 0; k < count; k++) {
      const base = ((g * shape.mg + m) * shape.cg + c0 + k) * taps.length;
      for (let t = 0; t < taps.length; t++) {
        const v = w[base + t] as bigint;
        if (v !== 0n) nonzero++;
        poly[j * cc * plane + offset - k * plane - (taps[t] as number)] = v;
      }
    }
  }
  return nonzero;
}

/** The kernel polynomial of (group g, response r, chunk c) (writeKernel into a fresh array). */
export function kernelPoly(plan: Plan, w: BigUint64Array, g: number, r: number, c: number): BigUint64Array {
  const poly = new BigUint64Array(plan.n);
  writeKernel(plan, kernelTaps(plan), w, g, r, c, poly);
  return poly;
}

/** Read response r of (b, g) into y laid out [B, G·Mg, …output]. */
export function readResponse(
  plan: Plan,
  coeffs: BigUint64Array,
  y: BigUint64Array,
  b: number,
  g: number,
  r: number,
  outs: Int32Array = outputOffsets(plan),
): void {
  const { shape, plane, cc, mc, offset } = plan;
  for (let j = 0; j < mc; j++) {
    const m = r * mc + j;
    if (m >= shape.mg) break;
    const base = (b * shape.groups * shape.mg + g * shape.mg + m) * outs.length;
    for (let o = 0; o < outs.length; o++) y[base + o] = coeffs[j * cc * plane + offset + (outs[o] as number)] as bigint;
  }
}

/**
 * A tile of output rows [a, b) on the first spatial axis (spec/cost/cryptflow2-he.ts, hePacking): its
 * own convolution on input rows [lo, hi) (with the padding rows that fall inside the tile), and the
 * maps from the layer's input to the tile's and from the tile's output into the layer's.
 */
export interface Tile {
  readonly plan: Plan;
  slice(x: BigUint64Array): BigUint64Array;
  place(tileY: BigUint64Array, y: BigUint64Array): void;
}

/** The tiles of a convolution under the packing that costs the fewest bytes (spec: hePacking). */
export function planTiles(shape: ConvShape, n = POLY_DEGREE): Tile[] {
  const packing = hePacking(shape, n);
  if (packing === null)
    throw new CryptflowError(
      'unsupported',
      `cryptflow2-he: one row of the padded input plane (${numel(shape.padded.slice(1))} cells) and the kernel exceed N/2 = ${n / 2}`,
    );
  const { tiles, cc } = packing;
  if (!packing.tiled) return [{ plan: planConv(shape, n, cc), slice: (x) => x, place: (t, y) => y.set(t) }];
  const H = shape.input[0] as number;
  const pb = shape.padBegin[0] as number;
  const rest = numel(shape.input.slice(1));
  const outRest = numel(shape.output.slice(1));
  const planes = shape.batch * shape.groups * shape.cg;
  const outPlanes = shape.batch * shape.groups * shape.mg;
  const OH = shape.output[0] as number;
  return tiles.map(([a, b]) => {
    const r0 = a * (shape.strides[0] as number);
    const rows = tileInputRows(shape, a, b);
    const [lo, hi] = [Math.max(0, r0 - pb), Math.min(H, r0 + rows - pb)];
    const tileShape: ConvShape = {
      ...shape,
      input: [Math.max(0, hi - lo), ...shape.input.slice(1)],
      padBegin: [Math.max(0, pb - r0), ...shape.padBegin.slice(1)],
      padded: [rows, ...shape.padded.slice(1)],
      output: [b - a, ...shape.output.slice(1)],
    };
    return {
      plan: planConv(tileShape, n, cc),
      slice: (x) => {
        const out = new BigUint64Array(planes * Math.max(0, hi - lo) * rest);
        for (let p = 0; p < planes; p++)
          out.set(x.subarray((p * H + lo) * rest, (p * H + hi) * rest), p * (hi - lo) * rest);
        return out;
      },
      place: (t, y) => {
        for (let p = 0; p < outPlanes; p++)
          y.set(t.subarray(p * (b - a) * outRest, (p + 1) * (b - a) * outRest), (p * OH + a) * outRest);
      },
    };
  });
}
