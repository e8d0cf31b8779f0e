/**
 * ReLU, MaxPool and ArgMax over Z_p for `cryptflow2-he` (Rathee et al., CCS 2020, §3.2 and §5, in the
 * prime-field form SCI_HE runs): ReLU(x) = MUX_p(DReLU_p(x), x), exact on the whole field; the max of
 * a and b is b + MUX_p(DReLU_p(a − b), a − b), exact while a − b does not wrap, i.e. for signed inputs
 * in (−p/4, p/4) (the backend's declared domain for MaxPool and ArgMax).
 *
 * MaxPool reduces each window of k cells by a balanced tree over adjacent cells (⌈log₂ k⌉ levels,
 * k − 1 comparisons per window, one DReLU_p and one MUX_p batch per level). ArgMax runs the same tree
 * over each row carrying the shared index (P0 holds j, P1 0); a tie keeps the left (lower) index, so
 * the result is the first maximum, as semantics/fixed.ts defines it; value and index are selected by
 * one MUX_p call of two elements per comparison.
 */
import type { OtChannel } from '../ot/types.js';
import type { PartyContext } from '../common/party.js';
import { addP, subP, type PrimeField } from './field.js';
import { dreluP, muxP } from './gates.js';

export async function reluP(
  ctx: PartyContext,
  ot: OtChannel,
  F: PrimeField,
  x: BigUint64Array,
): Promise<BigUint64Array> {
  return muxP(ctx, ot, F, await dreluP(ctx, ot, F, x), x);
}

const concat = (parts: readonly BigUint64Array[]): BigUint64Array => {
  const out = new BigUint64Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** One tree level over columns (each n values), merging adjacent pairs; an odd last column moves up. */
async function level(
  ctx: PartyContext,
  ot: OtChannel,
  F: PrimeField,
  cols: BigUint64Array[],
  idx: BigUint64Array[] | null,
): Promise<void> {
  const pairs = Math.floor(cols.length / 2);
  const n = cols[0]?.length ?? 0;
  const pick = (list: readonly BigUint64Array[], side: number): BigUint64Array =>
    concat(Array.from({ length: pairs }, (_, t) => list[2 * t + side] as BigUint64Array));
  const [a, b] = [pick(cols, 0), pick(cols, 1)];
  const d = subP(F, a, b);
  const s = await dreluP(ctx, ot, F, d);
  let best: BigUint64Array;
  let bestIdx: BigUint64Array | null = null;
  if (idx === null) {
    best = addP(F, b, await muxP(ctx, ot, F, s, d));
  } else {
    const [ia, ib] = [pick(idx, 0), pick(idx, 1)];
    const bits = new Uint8Array(2 * pairs * n);
    bits.set(s);
    bits.set(s, pairs * n);
    const sel = await muxP(ctx, ot, F, bits, concat([d, subP(F, ia, ib)]));
    best = addP(F, b, sel.subarray(0, pairs * n));
    bestIdx = addP(F, ib, sel.subarray(pairs * n));
  }
  const next = Array.from({ length: pairs }, (_, t) => best.subarray(t * n, (t + 1) * n));
  if (cols.length % 2 === 1) next.push(cols[cols.length - 1] as BigUint64Array);
  if (idx !== null && bestIdx !== null) {
    const nextIdx = Array.from({ length: pairs }, (_, t) => (bestIdx as BigUint64Array).subarray(t * n, (t + 1) * n));
    if (idx.length % 2 === 1) nextIdx.push(idx[idx.length - 1] as BigUint64Array);
    idx.splice(0, idx.length, ...nextIdx);
  }
  cols.splice(0, cols.length, ...next);
}

/** Max of each of r windows of k cells; `windows[o·k + j]` indexes x. */
export async function maxPoolP(
  ctx: PartyContext,
  ot: OtChannel,
  F: PrimeField,
  x: BigUint64Array,
  windows: Int32Array,
  r: number,
  k: number,
): Promise<BigUint64Array> {
  const cols = Array.from({ length: k }, (_, j) =>
    BigUint64Array.from({ length: r }, (_, o) => x[windows[o * k + j] as number] as bigint),
  );
  while (cols.length > 1) await level(ctx, ot, F, cols, null);
  return cols[0] ?? new BigUint64Array(0);
}

/** Index of the first maximum of each of r rows of c elements (x is r × c, row-major). */
export async function argmaxP(
  ctx: PartyContext,
  ot: OtChannel,
  F: PrimeField,
  x: BigUint64Array,
  r: number,
  c: number,
): Promise<BigUint64Array> {
  const cols = Array.from({ length: c }, (_, j) =>
    BigUint64Array.from({ length: r }, (_, o) => x[o * c + j] as bigint),
  );
  const idx = Array.from({ length: c }, (_, j) => new BigUint64Array(r).fill(ctx.id === 0 ? BigInt(j) : 0n));
  while (cols.length > 1) await level(ctx, ot, F, cols, idx);
  return idx[0] ?? new BigUint64Array(0);
}
