/**
 * ReLU, MaxPool and ArgMax of the CrypTFlow2 backend (Rathee et al., CCS 2020, §3.2 and §5: ReLU =
 * DReLU then a multiplexer; Maxpool and Argmax as a tree of comparisons and selects).
 *
 * - ReLU(x) = MUX(DReLU(x), x): exact on the whole ring. Cost Mill(ℓ−1) + 2(λ + 2ℓ) per element.
 * - max(a, b) = b + MUX(DReLU(a − b), a − b): DReLU of the difference is the comparison, exact while
 *   a − b does not wrap, i.e. for inputs in [−2^{ℓ−2}, 2^{ℓ−2}) (the backend's declared domain).
 *   MaxPool reduces each window of k cells by a balanced tree over adjacent cells: ⌈log₂ k⌉ levels,
 *   k − 1 comparisons per window, each level one batched DReLU and one batched MUX.
 *   Cost (k − 1)·R·(Mill(ℓ−1) + 2(λ + 2ℓ)) for R windows.
 * - ArgMax: the same tree over each row, carrying the (shared) index; a left group always holds the
 *   lower indices and a tie keeps the left one (select right only when b > a, i.e. DReLU(a − b) = 0),
 *   so the result is the FIRST maximum, as semantics/fixed.ts defines it. Value and index are
 *   selected by one MUX call of 2 elements per comparison: (c − 1)·r·(Mill(ℓ−1) + 4(λ + 2ℓ)).
 */
import type { OtChannel } from '../ot/types.js';
import type { PartyContext } from '../common/party.js';
import { drelu } from './drelu.js';
import { mux } from './mux.js';

const sub = (ell: number, a: BigUint64Array, b: BigUint64Array): BigUint64Array =>
  a.map((v, i) => BigInt.asUintN(ell, v - (b[i] as bigint)));
const add = (ell: number, a: BigUint64Array, b: BigUint64Array): BigUint64Array =>
  a.map((v, i) => BigInt.asUintN(ell, v + (b[i] as bigint)));

export async function relu(ctx: PartyContext, ot: OtChannel, x: BigUint64Array, ell: number): Promise<BigUint64Array> {
  return mux(ctx, ot, await drelu(ctx, ot, x, ell), x, ell);
}

/**
 * One level of the tree over `cols` columns (each an array of n values, index arrays alongside when
 * tracked): adjacent columns are merged, an odd last column moves up.
 */
async function level(
  ctx: PartyContext,
  ot: OtChannel,
  ell: number,
  cols: BigUint64Array[],
  idx: BigUint64Array[] | null,
): Promise<void> {
  const pairs = Math.floor(cols.length / 2);
  const n = cols[0]?.length ?? 0;
  const a = new BigUint64Array(pairs * n);
  const b = new BigUint64Array(pairs * n);
  for (let t = 0; t < pairs; t++) {
    a.set(cols[2 * t] as BigUint64Array, t * n);
    b.set(cols[2 * t + 1] as BigUint64Array, t * n);
  }
  const d = sub(ell, a, b);
  const s = await drelu(ctx, ot, d, ell);
  let best: BigUint64Array;
  let bestIdx: BigUint64Array | null = null;
  if (idx === null) {
    best = add(ell, b, await mux(ctx, ot, s, d, ell));
  } else {
    const ia = new BigUint64Array(pairs * n);
    const ib = new BigUint64Array(pairs * n);
    for (let t = 0; t < pairs; t++) {
      ia.set(idx[2 * t] as BigUint64Array, t * n);
      ib.set(idx[2 * t + 1] as BigUint64Array, t * n);
    }
    const both = new BigUint64Array(2 * pairs * n);
    both.set(d);
    both.set(sub(ell, ia, ib), pairs * n);
    const bits = new Uint8Array(2 * pairs * n);
    bits.set(s);
    bits.set(s, pairs * n);
    const sel = await mux(ctx, ot, bits, both, ell);
    best = add(ell, b, sel.subarray(0, pairs * n));
    bestIdx = add(ell, ib, sel.subarray(pairs * n));
  }
  const odd = cols.length % 2 === 1;
  const lastCol = cols[cols.length - 1] as BigUint64Array;
  const lastIdx = idx?.[idx.length - 1];
  cols.length = 0;
  for (let t = 0; t < pairs; t++) cols.push(best.subarray(t * n, (t + 1) * n));
  if (odd) cols.push(lastCol);
  if (idx !== null && bestIdx !== null) {
    idx.length = 0;
    for (let t = 0; t < pairs; t++) idx.push(bestIdx.subarray(t * n, (t + 1) * n));
    if (odd && lastIdx !== undefined) idx.push(lastIdx);
  }
}

/** Max of each of r windows of k cells; `windows[o·k + j]` indexes x. */
export async function maxPool(
  ctx: PartyContext,
  ot: OtChannel,
  x: BigUint64Array,
  windows: Int32Array,
  r: number,
  k: number,
  ell: number,
): Promise<BigUint64Array> {
  const cols = Array.from({ length: k }, (_, j) =>
    BigUint64Array.from({ length: r }, (_, o) => x[windows[o * k + j] as number] as bigint),
  );
  while (cols.length > 1) await level(ctx, ot, ell, cols, null);
  return cols[0] ?? new BigUint64Array(0);
}

/** Index of the first maximum of each of r rows of c elements (x is r × c, row-major). */
export async function argmax(
  ctx: PartyContext,
  ot: OtChannel,
  x: BigUint64Array,
  r: number,
  c: number,
  ell: number,
): Promise<BigUint64Array> {
  const cols = Array.from({ length: c }, (_, j) =>
    BigUint64Array.from({ length: r }, (_, o) => x[o * c + j] as bigint),
  );
  const idx = Array.from({ length: c }, (_, j) => new BigUint64Array(r).fill(ctx.id === 0 ? BigInt(j) : 0n));
  while (cols.length > 1) await level(ctx, ot, ell, cols, idx);
  return idx[0] ?? new BigUint64Array(0);
}
