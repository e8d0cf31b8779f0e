/**
 * MaxPool and ArgMax (SecureNN Alg. 8 and its index-tracking form): the maximum of each of R groups
 * of k secret values by k − 1 sequential steps, all R groups at once.
 *
 * Step t = 1 … k − 1, with m the running maximum (initially cell 0) and, when tracked, ind its index:
 *   β = 1{x_t > m} = 1 − ReLU′(m − x_t);
 *   m ← m + β·(x_t − m)        (SelectShare)
 *   ind ← ind + β·(t − ind)    (SelectShare, when the index is tracked)
 * The two SelectShares of a step share their selector and run as one Beaver product over 2R
 * elements: one message per link, the same bytes as two products. A strict comparison keeps the first
 * maximum on ties, as ArgMax's semantics requires (semantics/tensor.ts); the whitepaper's
 * β = ReLU′(x_t − m) would keep the last. The cost is the same.
 *
 * Precondition (ReLU′'s, drelu.ts): every difference m − x_t in [−2^{ℓ−2}, 2^{ℓ−2}), which holds when
 * all inputs lie in [−2^{ℓ−3}, 2^{ℓ−3}).
 * Which steps track the index: MaxPool when the variant says so (SecureNN), ArgMax always.
 * Cost per step: ReLU′ on R elements plus one product on R (2R with the index); nine rounds per step.
 */
import { bug } from '../../../spec/errors.js';
import { beaverHelper, beaverHolder } from '../beaver.js';
import { type HelperContext, type HolderContext } from '../../common/party.js';
import { asShare, type RingShare } from '../../common/sharing.js';
import { addMod, subMod } from '../../../semantics/kernels/words.js';
import { Ring } from '../../../spec/ring.js';
import { hadamard } from './arith.js';
import { dreluHelper, dreluHolder } from './drelu.js';
import type { Variant } from './variant.js';

export interface MaxResult {
  /** Shares of each group's maximum. */
  readonly max: BigUint64Array;
  /** Shares of the index of each group's first maximum, when tracked. */
  readonly index: BigUint64Array | null;
}

/** A holder's result: its shares of each group's maximum and, when tracked, of its index. */
export interface HolderMax extends MaxResult {
  readonly max: RingShare;
  readonly index: RingShare | null;
}

/** Shares of cell t of every group (called on P0 and P1 only). */
type Column = (t: number) => BigUint64Array;

function concat(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const out = new BigUint64Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** P2's part of the k − 1 steps: the helper's halves of ReLU′ and of each step's product. */
async function maxStepsHelper(
  ctx: HelperContext,
  v: Variant,
  r: number,
  k: number,
  trackIndex: boolean,
): Promise<void> {
  const width = trackIndex ? 2 * r : r;
  for (let t = 1; t < k && r > 0; t++) {
    await dreluHelper(ctx, v, r);
    beaverHelper(ctx, hadamard(ctx.ell, width));
  }
}

/** A holder's part of the k − 1 steps: its shares of each group's cells in, of the maximum (and index) out. */
async function maxStepsHolder(
  ctx: HolderContext,
  v: Variant,
  r: number,
  k: number,
  column: Column,
  trackIndex: boolean,
): Promise<HolderMax> {
  const ell = ctx.ell;
  const L = Ring(ell);
  const width = trackIndex ? 2 * r : r;
  const constant = (c: bigint): BigUint64Array => new BigUint64Array(r).fill(ctx.id === 0 ? c : 0n);
  let m: BigUint64Array = column(0).slice();
  let ind: BigUint64Array | null = trackIndex ? new BigUint64Array(r) : null;
  for (let t = 1; t < k && r > 0; t++) {
    const xt = column(t);
    const beta = subMod(L, constant(1n), await dreluHolder(ctx, v, r, asShare(subMod(L, m, xt))));
    const step = subMod(L, xt, m);
    const prod = await beaverHolder(
      ctx,
      hadamard(ell, width),
      asShare(ind === null ? beta : concat(beta, beta)),
      asShare(ind === null ? step : concat(step, subMod(L, constant(BigInt(t)), ind))),
    );
    m = addMod(L, m, prod.subarray(0, r));
    if (ind !== null) ind = addMod(L, ind, prod.subarray(r, 2 * r));
  }
  return { max: asShare(m), index: ind === null ? null : asShare(ind) };
}

function checkGroups(what: string, r: number, k: number): void {
  if (!Number.isInteger(r) || r < 0 || !Number.isInteger(k) || k < 1) bug(`${what} over ${r} groups of ${k}`);
}

function checkWindows(windows: Int32Array, r: number, k: number): void {
  checkGroups('MaxPool', r, k);
  if (windows.length !== r * k) bug(`MaxPool window table of ${windows.length} entries for ${r} windows of ${k}`);
}

/** P2's part of MaxPool: it knows the (public) window table, no cell. */
export async function maxPoolHelper(
  ctx: HelperContext,
  v: Variant,
  windows: Int32Array,
  r: number,
  k: number,
): Promise<void> {
  checkWindows(windows, r, k);
  await maxStepsHelper(ctx, v, r, k, v.maxPoolIndex);
}

/**
 * A holder's part of MaxPool over R windows of k cells: `windows[w·k + j]` is the index into x of
 * cell j of window w (a window that padding cuts short repeats one of its cells). The index is
 * tracked when the variant says so (SecureNN).
 */
export async function maxPoolHolder(
  ctx: HolderContext,
  v: Variant,
  x: RingShare,
  windows: Int32Array,
  r: number,
  k: number,
): Promise<HolderMax> {
  checkWindows(windows, r, k);
  for (const i of windows) if (i < 0 || i >= x.length) bug(`MaxPool window cell ${i} outside an input of ${x.length}`);
  const column: Column = (t) => {
    const out = new BigUint64Array(r);
    for (let w = 0; w < r; w++) out[w] = x[windows[w * k + t] as number] as bigint;
    return out;
  };
  return maxStepsHolder(ctx, v, r, k, column, v.maxPoolIndex);
}

/** P2's part of ArgMax over r rows of c elements. */
export async function argmaxHelper(ctx: HelperContext, v: Variant, r: number, c: number): Promise<void> {
  checkGroups('ArgMax', r, c);
  await maxStepsHelper(ctx, v, r, c, true);
}

/** A holder's part of ArgMax over each of r rows of c elements (its share x row-major, r × c). */
export async function argmaxHolder(
  ctx: HolderContext,
  v: Variant,
  x: RingShare,
  r: number,
  c: number,
): Promise<HolderMax> {
  checkGroups('ArgMax', r, c);
  if (x.length !== r * c) bug(`ArgMax input of ${x.length} entries for ${r} rows of ${c}`);
  const column: Column = (t) => {
    const out = new BigUint64Array(r);
    for (let w = 0; w < r; w++) out[w] = x[w * c + t] as bigint;
    return out;
  };
  return maxStepsHolder(ctx, v, r, c, column, true);
}
