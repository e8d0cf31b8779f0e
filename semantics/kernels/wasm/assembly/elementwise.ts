/**
 * Elementwise Z_{2^64} kernels (wrapping i64 arithmetic) and the final reduction mod 2^ℓ.
 * Pointers are byte offsets into linear memory; n counts 64-bit words.
 */

export function add(a: usize, b: usize, y: usize, n: i32): void {
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<i64>(y + o, load<i64>(a + o) + load<i64>(b + o));
  }
}

export function sub(a: usize, b: usize, y: usize, n: i32): void {
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<i64>(y + o, load<i64>(a + o) - load<i64>(b + o));
  }
}

export function mul(a: usize, b: usize, y: usize, n: i32): void {
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<i64>(y + o, load<i64>(a + o) * load<i64>(b + o));
  }
}

/** Reduce n words in place mod 2^ℓ (ℓ ∈ [1, 64]). */
export function maskTo(y: usize, n: i32, ell: i32): void {
  if (ell >= 64) return;
  const m: i64 = (<i64>1 << <i64>ell) - 1;
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<i64>(y + o, load<i64>(y + o) & m);
  }
}
