/**
 * Element-wise arithmetic of Z_{2^m}, m ≤ 128, for the malicious backend (protocols/malicious3/ring.ts
 * states it and holds the plain TypeScript reference): each element is two little-endian 64-bit lanes
 * (low, high), reduced by the masks of the low and high lane. The 128-bit product keeps the low 128 bits
 * of (a_lo + 2^64·a_hi)(b_lo + 2^64·b_hi): the full product a_lo·b_lo from four 32 × 32-bit products,
 * plus 2^64·(a_lo·b_hi + a_hi·b_lo) wrapping.
 *
 * Layout (byte pointers): every operand and the result are n elements of 16 bytes.
 */

// @ts-ignore: decorator
@inline
function mulLoHi(alo: u64, ahi: u64, blo: u64, bhi: u64, out: usize): void {
  const a0 = alo & 0xffffffff;
  const a1 = alo >> 32;
  const b0 = blo & 0xffffffff;
  const b1 = blo >> 32;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  const lo = (p00 & 0xffffffff) | (mid << 32);
  const hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32) + alo * bhi + ahi * blo;
  store<u64>(out, lo);
  store<u64>(out + 8, hi);
}

/** out_i = a_i · b_i mod 2^m. */
export function mulRing128(n: i32, a: usize, b: usize, out: usize, maskLo: u64, maskHi: u64): void {
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 4;
    mulLoHi(load<u64>(a + o), load<u64>(a + o + 8), load<u64>(b + o), load<u64>(b + o + 8), out + o);
    store<u64>(out + o, load<u64>(out + o) & maskLo);
    store<u64>(out + o + 8, load<u64>(out + o + 8) & maskHi);
  }
}

/**
 * One party's replicated product share: out_i = xa_i·(ya_i + yb_i) + xb_i·ya_i + zeta_i mod 2^m
 * (protocols/malicious3/session.ts `products`).
 */
export function productRing128(n: i32, xa: usize, xb: usize, ya: usize, yb: usize, zeta: usize, out: usize, maskLo: u64, maskHi: u64): void {
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 4;
    const yalo = load<u64>(ya + o);
    const yahi = load<u64>(ya + o + 8);
    const yblo = load<u64>(yb + o);
    const sumLo = yalo + yblo;
    const sumHi = yahi + load<u64>(yb + o + 8) + (sumLo < yalo ? 1 : 0);
    mulLoHi(load<u64>(xa + o), load<u64>(xa + o + 8), sumLo, sumHi, out + o);
    const t1lo = load<u64>(out + o);
    const t1hi = load<u64>(out + o + 8);
    mulLoHi(load<u64>(xb + o), load<u64>(xb + o + 8), yalo, yahi, out + o);
    const t2lo = load<u64>(out + o);
    const t2hi = load<u64>(out + o + 8);
    const zlo = load<u64>(zeta + o);
    const s1 = t1lo + t2lo;
    const c1: u64 = s1 < t1lo ? 1 : 0;
    const s2 = s1 + zlo;
    const c2: u64 = s2 < s1 ? 1 : 0;
    store<u64>(out + o, s2 & maskLo);
    store<u64>(out + o + 8, (t1hi + t2hi + load<u64>(zeta + o + 8) + c1 + c2) & maskHi);
  }
}
