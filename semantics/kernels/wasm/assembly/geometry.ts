/**
 * The geometry block JS writes before a convolution or pooling call: i32 words at a pointer, in the
 * order of the `G_*` constants (three spatial axes D, H, W, as in semantics/kernels/geometry.ts);
 * and scratch memory above a call's operands for the packed panels of the SIMD kernels.
 */

export const G_N = 0;
export const G_CI = 1;
export const G_CO = 2;
export const G_GROUPS = 3;
export const G_IN = 4;
export const G_KER = 7;
export const G_OUT = 10;
export const G_STRIDE = 13;
export const G_DIL = 16;
export const G_PAD = 19;
export const G_WORDS = 22;

@inline
export function gi(g: usize, word: i32): i32 {
  return load<i32>(g + ((<usize>word) << 2));
}

/** First o ≥ 0 with o·s − pad + tap ≥ 0. */
@inline
export function rangeLo(stride: i32, pad: i32, tap: i32): i32 {
  const num = pad - tap;
  return num <= 0 ? 0 : (num + stride - 1) / stride;
}

/** One past the last o < outExtent with o·s − pad + tap < inExtent (never below lo). */
@inline
export function rangeHi(outExtent: i32, stride: i32, pad: i32, tap: i32, inExtent: i32, lo: i32): i32 {
  const num = inExtent - 1 + pad - tap;
  if (num < 0) return lo;
  const hi = min(outExtent, num / stride + 1);
  return max(lo, hi);
}

@inline
export function word(i: i32): usize {
  return (<usize>i) << 3;
}

/**
 * A 16-aligned scratch region of `bytes` bytes starting at or after `end` (the end of a call's
 * operands, which JS lays out from the heap base), growing linear memory when it does not fit yet.
 * JS never holds views across a call, so growth here is invisible to it.
 */
export function scratchAfter(end: usize, bytes: usize): usize {
  const start = (end + 15) & ~(<usize>15);
  const need = start + bytes;
  const have = (<usize>memory.size()) << 16;
  if (need > have) {
    const pages = <i32>((need - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) unreachable();
  }
  return start;
}
