/**
 * c[m, n] = a[m, k] · b[k, n] over Z_{2^64}, row-major, overwriting c.
 *
 * Loop order i-k-j on blocks of four rows of a: for each k, four scalars of a stay in registers while
 * one contiguous row of b streams past and four rows of c accumulate, so each load of b serves four
 * multiply-adds. Leftover rows (m mod 4) run the plain i-k-j loop.
 */

function rowsOne(a: usize, b: usize, c: usize, i: i32, k: i32, n: i32): void {
  const rowC = c + (<usize>(i * n) << 3);
  for (let t: i32 = 0; t < k; t++) {
    const av = load<i64>(a + (<usize>(i * k + t) << 3));
    const rowB = b + (<usize>(t * n) << 3);
    for (let j: i32 = 0; j < n; j++) {
      const o = (<usize>j) << 3;
      store<i64>(rowC + o, load<i64>(rowC + o) + av * load<i64>(rowB + o));
    }
  }
}

function rowsFour(a: usize, b: usize, c: usize, i: i32, k: i32, n: i32): void {
  const stride = (<usize>n) << 3;
  const c0 = c + (<usize>(i * n) << 3);
  const c1 = c0 + stride;
  const c2 = c1 + stride;
  const c3 = c2 + stride;
  const aStride = (<usize>k) << 3;
  const a0 = a + (<usize>(i * k) << 3);
  for (let t: i32 = 0; t < k; t++) {
    const at = a0 + ((<usize>t) << 3);
    const x0 = load<i64>(at);
    const x1 = load<i64>(at + aStride);
    const x2 = load<i64>(at + 2 * aStride);
    const x3 = load<i64>(at + 3 * aStride);
    const rowB = b + (<usize>(t * n) << 3);
    for (let j: i32 = 0; j < n; j++) {
      const o = (<usize>j) << 3;
      const bv = load<i64>(rowB + o);
      store<i64>(c0 + o, load<i64>(c0 + o) + x0 * bv);
      store<i64>(c1 + o, load<i64>(c1 + o) + x1 * bv);
      store<i64>(c2 + o, load<i64>(c2 + o) + x2 * bv);
      store<i64>(c3 + o, load<i64>(c3 + o) + x3 * bv);
    }
  }
}

export function matmul(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  memory.fill(c, 0, <usize>(m * n) << 3);
  let i: i32 = 0;
  for (; i + 4 <= m; i += 4) rowsFour(a, b, c, i, k, n);
  for (; i < m; i++) rowsOne(a, b, c, i, k, n);
}
