/**
 * c[m, n] = a[m, k] · b[k, n] over Z_{2^64}, row-major, overwriting c — with wasm SIMD, by splitting
 * each word into 32-bit halves: for a = a_H·2^32 + a_L and b = b_H·2^32 + b_L,
 *
 *   a·b ≡ a_L·b_L + 2^32·((a_L·b_H + a_H·b_L) mod 2^32)   (mod 2^64),
 *
 * so a sum of products is Σ a_L·b_L (exact 32×32→64 products, `i64x2.extmul_*_i32x4_u`, summed
 * wrapping in i64 lanes) plus the cross sums Σ (a_L·b_H + a_H·b_L) kept in wrapping i32 lanes
 * (`i32x4.mul`) and shifted up by 32 once at the end. Three multiply instructions per four
 * multiply-accumulates, against the eight that `i64x2.mul` costs per two on x64. Alongside, four
 * more columns run on scalar i64 multiplies, which use the integer ports the vector code leaves idle.
 *
 * Blocking: b is consumed in panels of eight columns, packed per row t as [b_L of columns 0–3 | b_H
 * of columns 0–3 | columns 4–7 whole] (64 bytes); the panel stays in L1 while every pair of rows of a
 * streams past it, a's halves splatted straight from memory (`v128.load32_splat`). Each 2 × 8 tile
 * of c is accumulated in registers over the whole of k and stored once. Missing columns (n mod 8)
 * are zero in the last panel and the tile goes through a small buffer; an odd last row runs a 1 × 8
 * tile. The packed panel lives in scratch memory above the operands (`scratchAfter`).
 */
import { scratchAfter, word } from './geometry';

/** Columns per panel: four in SIMD lanes (split into halves), four in scalar registers. */
export const PANEL_COLS = 8;

/** Bytes of a packed panel of k rows, plus the 2 × 8 staging tile. */
@inline
export function panelScratchBytes(k: i32): usize {
  return ((<usize>k) << 6) + 128;
}

/**
 * Pack one panel row from its eight words v0 = [b0, b1], v1 = [b2, b3], v2 = [b4, b5], v3 = [b6, b7]:
 * [low halves of b0..b3 | high halves of b0..b3 | b4, b5 | b6, b7] at d (64 bytes).
 */
@inline
export function packRow(d: usize, v0: v128, v1: v128, v2: v128, v3: v128): void {
  v128.store(d, i32x4.shuffle(v0, v1, 0, 2, 4, 6));
  v128.store(d, i32x4.shuffle(v0, v1, 1, 3, 5, 7), 16);
  v128.store(d, v2, 32);
  v128.store(d, v3, 48);
}

/** Word q of a row at src when q < cols, else 0 (the zero columns of a partial panel). */
@inline
function wordOrZero(src: usize, q: i32, cols: i32): i64 {
  return q < cols ? load<i64>(src + word(q)) : 0;
}

/** Pack columns j .. j + cols − 1 (cols ≤ 8; the rest zero) of b (row stride n words) for k rows. */
function packColumns(b: usize, n: i32, k: i32, j: i32, cols: i32, panel: usize): void {
  const stride = word(n);
  let src = b + word(j);
  let d = panel;
  if (cols == PANEL_COLS) {
    for (let t = 0; t < k; t++) {
      packRow(d, v128.load(src), v128.load(src, 16), v128.load(src, 32), v128.load(src, 48));
      src += stride;
      d += 64;
    }
    return;
  }
  for (let t = 0; t < k; t++) {
    packRow(
      d,
      i64x2(wordOrZero(src, 0, cols), wordOrZero(src, 1, cols)),
      i64x2(wordOrZero(src, 2, cols), wordOrZero(src, 3, cols)),
      i64x2(wordOrZero(src, 4, cols), wordOrZero(src, 5, cols)),
      i64x2(wordOrZero(src, 6, cols), wordOrZero(src, 7, cols)),
    );
    src += stride;
    d += 64;
  }
}

/** Columns 0–3 of one tile row: low products pl (columns 0, 1), ph (2, 3) plus the cross sums x << 32. */
@inline
function storeLanes(c: usize, pl: v128, ph: v128, x: v128): void {
  v128.store(c, i64x2.add(pl, i64x2.shl(i64x2.extend_low_i32x4_u(x), 32)));
  v128.store(c, i64x2.add(ph, i64x2.shl(i64x2.extend_high_i32x4_u(x), 32)), 16);
}

@inline
function storeScalars(c: usize, s4: i64, s5: i64, s6: i64, s7: i64): void {
  store<i64>(c, s4, 32);
  store<i64>(c, s5, 40);
  store<i64>(c, s6, 48);
  store<i64>(c, s7, 56);
}

/**
 * Rows a0 and a0 + aStride (k words each) times the k-row panel: the 2 × 8 tile at c, c + cStride.
 * Columns 0–3 go through the vector unit and columns 4–7 through scalar i64 multiplies, which issue
 * on different execution ports, so the two halves overlap.
 */
@inline
function tile2(a0: usize, aStride: usize, panel: usize, k: i32, c: usize, cStride: usize): void {
  let p0l = i64x2.splat(0), p0h = i64x2.splat(0), x0 = i32x4.splat(0);
  let p1l = i64x2.splat(0), p1h = i64x2.splat(0), x1 = i32x4.splat(0);
  let s04: i64 = 0, s05: i64 = 0, s06: i64 = 0, s07: i64 = 0;
  let s14: i64 = 0, s15: i64 = 0, s16: i64 = 0, s17: i64 = 0;
  let ap = a0;
  let bp = panel;
  const bEnd = panel + ((<usize>k) << 6);
  while (bp < bEnd) {
    const bl = v128.load(bp), bh = v128.load(bp, 16);
    const r0 = load<i64>(ap), r1 = load<i64>(ap + aStride);
    let al = v128.load32_splat(ap), ah = v128.load32_splat(ap, 4);
    p0l = i64x2.add(p0l, i64x2.extmul_low_i32x4_u(bl, al));
    p0h = i64x2.add(p0h, i64x2.extmul_high_i32x4_u(bl, al));
    x0 = i32x4.add(x0, i32x4.add(i32x4.mul(bh, al), i32x4.mul(bl, ah)));
    let bv = load<i64>(bp, 32);
    s04 += r0 * bv;
    s14 += r1 * bv;
    bv = load<i64>(bp, 40);
    s05 += r0 * bv;
    s15 += r1 * bv;
    al = v128.load32_splat(ap + aStride);
    ah = v128.load32_splat(ap + aStride, 4);
    p1l = i64x2.add(p1l, i64x2.extmul_low_i32x4_u(bl, al));
    p1h = i64x2.add(p1h, i64x2.extmul_high_i32x4_u(bl, al));
    x1 = i32x4.add(x1, i32x4.add(i32x4.mul(bh, al), i32x4.mul(bl, ah)));
    bv = load<i64>(bp, 48);
    s06 += r0 * bv;
    s16 += r1 * bv;
    bv = load<i64>(bp, 56);
    s07 += r0 * bv;
    s17 += r1 * bv;
    ap += 8;
    bp += 64;
  }
  storeLanes(c, p0l, p0h, x0);
  storeScalars(c, s04, s05, s06, s07);
  storeLanes(c + cStride, p1l, p1h, x1);
  storeScalars(c + cStride, s14, s15, s16, s17);
}

/** Row a0 (k words) times the panel: the 1 × 8 tile at c. */
@inline
function tile1(a0: usize, panel: usize, k: i32, c: usize): void {
  let pl = i64x2.splat(0), ph = i64x2.splat(0), x = i32x4.splat(0);
  let s4: i64 = 0, s5: i64 = 0, s6: i64 = 0, s7: i64 = 0;
  let ap = a0;
  let bp = panel;
  const bEnd = panel + ((<usize>k) << 6);
  while (bp < bEnd) {
    const bl = v128.load(bp), bh = v128.load(bp, 16);
    const r = load<i64>(ap);
    const al = v128.load32_splat(ap), ah = v128.load32_splat(ap, 4);
    pl = i64x2.add(pl, i64x2.extmul_low_i32x4_u(bl, al));
    ph = i64x2.add(ph, i64x2.extmul_high_i32x4_u(bl, al));
    x = i32x4.add(x, i32x4.add(i32x4.mul(bh, al), i32x4.mul(bl, ah)));
    s4 += r * load<i64>(bp, 32);
    s5 += r * load<i64>(bp, 40);
    s6 += r * load<i64>(bp, 48);
    s7 += r * load<i64>(bp, 56);
    ap += 8;
    bp += 64;
  }
  storeLanes(c, pl, ph, x);
  storeScalars(c, s4, s5, s6, s7);
}

/**
 * The m rows of a (row i at a + i·aStride, k words) times one packed panel: writes `cols` ≤ 8
 * columns of each row i of c at c + i·cStride. `stage` is 128 bytes for partial panels.
 */
export function panelTimes(a: usize, aStride: usize, m: i32, panel: usize, k: i32, c: usize, cStride: usize, cols: i32, stage: usize): void {
  let i = 0;
  if (cols == PANEL_COLS) {
    for (; i + 2 <= m; i += 2) tile2(a + <usize>i * aStride, aStride, panel, k, c + <usize>i * cStride, cStride);
    if (i < m) tile1(a + <usize>i * aStride, panel, k, c + <usize>i * cStride);
    return;
  }
  for (; i < m; i++) {
    tile1(a + <usize>i * aStride, panel, k, stage);
    const row = c + <usize>i * cStride;
    for (let q = 0; q < cols; q++) store<i64>(row + word(q), load<i64>(stage + word(q)));
  }
}

/** matmul with the panel at `scratch` (panelScratchBytes(k) bytes, 16-aligned). */
export function matmulWith(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  const stage = scratch + ((<usize>k) << 6);
  for (let j = 0; j < n; j += PANEL_COLS) {
    const cols = min(PANEL_COLS, n - j);
    packColumns(b, n, k, j, cols, scratch);
    panelTimes(a, word(k), m, scratch, k, c + word(j), word(n), cols, stage);
  }
}

export function matmul(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  const end = max(a + word(m * k), max(b + word(k * n), c + word(m * n)));
  matmulWith(a, b, c, m, k, n, scratchAfter(end, panelScratchBytes(k)));
}
