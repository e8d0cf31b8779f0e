/**
 * PrivateCompare's per-bit work for one party (protocols/securenn-family/nonlinear/private-compare.ts states
 * the protocol and these formulas): for element e with public r_e, common bit β_e and this party's
 * Z_p shares x_k of the bits of x, the message entry at permuted position π(k) is
 *     s_k · (c_k ± z_k) mod p,   c_k = sign·(j·t_k − x_k) + j + p + Σ_{k' > k} w_{k'},
 * with t = r (β = 0) or r + 1 (β = 1), sign = 1 − 2β, w_k = x_k + t_k·(j + p − 2x_k) (j's share of
 * x_k ⊕ t_k) and +z for P0, −z + p for P1. The special element (β = 1, r = 2^ℓ − 1) has c = one zero
 * (position 0) among ones, held by P0. Reductions go through the tables `red` (x mod p for
 * x < ℓ·(p + 1) + 5p) and `mul` (a·b mod p at a·p + b): no division in the loop.
 *
 * Layout (byte pointers): xBits, s, z, pi, d: n·ℓ bytes, element-major; r: n 64-bit words; beta: n bytes.
 */
export function compareMessage(j: i32, p: i32, ell: i32, n: i32, xBits: usize, r: usize, beta: usize, s: usize, z: usize, pi: usize, red: usize, mul: usize, d: usize): void {
  const zSign: i32 = 1 - 2 * j;
  const zOffset: i32 = j * p;
  const cOffset: i32 = j + p;
  const top: u64 = ell >= 64 ? <u64>-1 : (<u64>1 << <u64>ell) - 1;
  for (let e: i32 = 0; e < n; e++) {
    const base = <usize>(e * ell);
    const b: i32 = <i32>load<u8>(beta + <usize>e);
    let t: u64 = load<u64>(r + ((<usize>e) << 3));
    if (b == 1 && t == top) {
      for (let k: i32 = ell - 1; k >= 0; k--) {
        const at = base + <usize>k;
        const c: i32 = j == 0 && k != 0 ? 1 : 0;
        const masked = c + zSign * <i32>load<u8>(z + at) + zOffset;
        const reduced = <i32>load<u8>(red + <usize>masked);
        store<u8>(d + base + <usize>load<u8>(pi + at), load<u8>(mul + <usize>(reduced * p + <i32>load<u8>(s + at))));
      }
      continue;
    }
    if (b == 1) t += 1;
    const sign: i32 = 1 - 2 * b;
    const sj: i32 = sign * j;
    const cBase: i32 = cOffset + zOffset;
    // acc = Σ_{k' > k} w_{k'} as an integer, not reduced: each w is at most p + 1, so acc < ℓ·(p + 1)
    // and `masked` < ℓ·(p + 1) + 3p + 2, inside `red`. Reducing once, at the end, gives the same
    // residue as reducing the running sum at every step, without a table load on the chain from one
    // bit to the next. The bits of t are read from its two 32-bit halves.
    let acc: i32 = 0;
    const lo: i32 = <i32>t;
    const hi: i32 = <i32>(t >> 32);
    for (let k: i32 = ell - 1; k >= 0; k--) {
      const at = base + <usize>k;
      const tk: i32 = k >= 32 ? (hi >>> (k - 32)) & 1 : (lo >>> k) & 1;
      const xk = <i32>load<u8>(xBits + at);
      const masked = sj * tk - sign * xk + cBase + acc + zSign * <i32>load<u8>(z + at);
      acc += xk + tk * (cOffset - 2 * xk);
      const reduced = <i32>load<u8>(red + <usize>masked);
      store<u8>(d + base + <usize>load<u8>(pi + at), load<u8>(mul + <usize>(reduced * p + <i32>load<u8>(s + at))));
    }
  }
}

/** Static room for `sampleBytes`'s compaction table: for each 8-bit mask, the lanes set in it, in order. */
const COMPACT: usize = memory.data(256 * 8, 16);
let compactReady = false;

function buildCompact(): void {
  for (let m: i32 = 0; m < 256; m++) {
    let at: usize = COMPACT + <usize>(m * 8);
    for (let i: i32 = 0; i < 8; i++) store<u8>(COMPACT + <usize>(m * 8 + i), 0);
    for (let i: i32 = 0; i < 8; i++) {
      if (((m >> i) & 1) != 0) {
        store<u8>(at, <u8>i);
        at++;
      }
    }
  }
  compactReady = true;
}

/**
 * Z_p rejection sampling on bytes (protocols/common/prg.ts `field`, reference `sampleReference`): for
 * each source byte b in order, b < limit = 256 − (256 mod p) is kept as (b mod p) + offset and any
 * other byte is skipped. Writes the first `want` kept values to `out` (which has 16 spare bytes) or as
 * many as the source gives, and returns how many.
 *
 * Sixteen bytes at a time: the kept lanes are `b < limit` (all lanes when p divides 256); b mod p is
 * reached by v ← min_u(v, v − p·2^s) for s from the largest p·2^s < 256 down to 0 (in 8-bit lanes a
 * subtraction that would go below 0 wraps to 256 + v − p·2^s > v, so min_u keeps v; otherwise it
 * subtracts; after step s, v < p·2^s, and v ≡ b mod p throughout); the kept lanes of each half are
 * packed to the front by a swizzle from COMPACT (indexed by the half's bitmask) and stored at the
 * current count, which then advances by the half's popcount. So the kept values land in order, as
 * the scalar loop writes them; lanes past `want` fall in the spare bytes. The last < 16 bytes run one
 * at a time.
 */
export function sampleBytes(src: usize, count: i32, p: i32, offset: i32, out: usize, want: i32): i32 {
  if (!compactReady) buildCompact();
  const limit: i32 = 256 - (256 % p);
  let top: i32 = 0;
  while ((p << (top + 1)) < 256) top++;
  const lim = i8x16.splat(<i8>limit);
  const off = i8x16.splat(<i8>offset);
  const eight = i8x16.splat(8);
  let kept: i32 = 0;
  let k: i32 = 0;
  for (; k + 16 <= count && kept < want; k += 16) {
    const b = v128.load(src + <usize>k);
    const keep = limit == 256 ? i8x16.splat(-1) : i8x16.lt_u(b, lim);
    let v = b;
    for (let s: i32 = top; s >= 0; s--) v = i8x16.min_u(v, i8x16.sub(v, i8x16.splat(<i8>(p << s))));
    v = i8x16.add(v, off);
    const mask = i8x16.bitmask(keep);
    const lo = mask & 0xff;
    const hi = mask >>> 8;
    const packedLo = i8x16.swizzle(v, v128.load64_zero(COMPACT + <usize>(lo << 3)));
    v128.store64_lane(out + <usize>kept, packedLo, 0);
    kept += popcnt<i32>(lo);
    const packedHi = i8x16.swizzle(v, i8x16.add(v128.load64_zero(COMPACT + <usize>(hi << 3)), eight));
    v128.store64_lane(out + <usize>kept, packedHi, 0);
    kept += popcnt<i32>(hi);
  }
  for (; k < count && kept < want; k++) {
    const b: i32 = <i32>load<u8>(src + <usize>k);
    if (b < limit) {
      store<u8>(out + <usize>kept, <u8>((b % p) + offset));
      kept++;
    }
  }
  return kept < want ? kept : want;
}

/**
 * Fisher–Yates permutations of {0, …, k − 1} for n elements (protocols/securenn-family/nonlinear/arith.ts
 * `permutations` states the draw; reference `permutationsReference`): for i = k − 1 down to 1, the next pool byte b with
 * table[(i + 1)·256 + b] < 256 (not rejected) gives j, and positions i and j swap. Stops before an element whose
 * draws would run past the pool; returns how many elements it completed and stores the pool position
 * after the last completed one at `state` (the caller finishes the rest after refilling).
 */
export function permute(pool: usize, poolLen: i32, table: usize, out: usize, n: i32, k: i32, state: usize): i32 {
  let at: i32 = 0;
  let e: i32 = 0;
  for (; e < n; e++) {
    const base = out + <usize>(e * k);
    const start = at;
    for (let i: i32 = 0; i < k; i++) store<u8>(base + <usize>i, <u8>i);
    // One pool byte per pass: an accepted byte swaps positions i and j and moves on to i − 1; a
    // rejected one leaves i as it is (the next byte is tried for the same i), as in the draw stated above.
    let i: i32 = k - 1;
    while (i > 0 && at < poolLen) {
      const j = <i32>load<u16>(table + ((<usize>((i + 1) << 8) + <usize>load<u8>(pool + <usize>at)) << 1));
      at++;
      if (j < 256) {
        const t = load<u8>(base + <usize>i);
        store<u8>(base + <usize>i, load<u8>(base + <usize>j));
        store<u8>(base + <usize>j, t);
        i--;
      }
    }
    if (i > 0) {
      at = start;
      break;
    }
  }
  store<i32>(state, at);
  return e;
}
