/**
 * TensorFlow's channels-last layouts (NHWC, NDHWC) against HLIL's channels-first (NCHW, NCDHW).
 *
 * A rank-r tensor (r ≥ 3) in TF order [N, s_1 … s_k, C] is [N, C, s_1 … s_k] in HLIL order:
 * toCf = [0, r−1, 1 … r−2] and toTf = [0, 2 … r−1, 1] are the permutations (HLIL Transpose perm
 * convention: out axis i takes in axis perm[i]); TF axis a is HLIL axis cfAxis(a). Rank ≤ 2 values
 * (matrices, vectors) have one layout. Filters are permuted in the weights at compile time.
 */
import type { Shape } from '../../../spec/geometry.js';
import { gather, transposeIndex } from '../../../semantics/tensor.js';

const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(to - from, 0) }, (_, i) => from + i);

export function toCf(rank: number): number[] {
  return rank < 3 ? range(0, rank) : [0, rank - 1, ...range(1, rank - 1)];
}

export function toTf(rank: number): number[] {
  return rank < 3 ? range(0, rank) : [0, ...range(2, rank), 1];
}

/** HLIL axis of TF axis `a` (normalised, 0 ≤ a < rank) in channels-first layout. */
export function cfAxis(a: number, rank: number): number {
  if (rank < 3 || a === 0) return a;
  return a === rank - 1 ? 1 : a + 1;
}

export function permute<T>(xs: readonly T[], perm: readonly number[]): T[] {
  return perm.map((p) => xs[p] as T);
}

/** The entries of a row-major tensor, transposed (out axis i = in axis perm[i]). */
export function transposeData(
  data: Float32Array,
  shape: Shape,
  perm: readonly number[],
): { shape: Shape; data: Float32Array } {
  const r = transposeIndex(shape, perm);
  return { shape: r.shape, data: gather(data, r.idx, 0) };
}

/**
 * HLIL filter layout from TF's: [k_1 … k_m, I, O] → [O, I, k_1 … k_m]. The same permutation serves
 * Conv (HWIO → OIHW) and the transposed convolutions (TF's [k…, out, in] → HLIL's [in, out, k…]).
 */
export function filterPerm(rank: number): number[] {
  return [rank - 1, rank - 2, ...range(0, rank - 2)];
}
