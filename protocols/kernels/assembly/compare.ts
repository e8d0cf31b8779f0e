/**
 * PrivateCompare's per-bit work for one party (protocols/securenn-family/nonlinear/private-compare.ts states
 * the protocol and these formulas): for element e with public r_e, common bit β_e and this party's
 * Z_p shares x_k of the bits of x, the message entry at permuted position π(k) is
 *     s_k · (c_k ± z_k) mod p,   c_k = sign·(j·t_k − x_k) + j + p + Σ_{k' > k} w_{k'},
 * with t = r (β = 0) or r + 1 (β = 1), sign = 1 − 2β, w_k = x_k + t_k·(j + p − 2x_k) (j's share of
 * x_k ⊕ t_k) and +z for P0, −z + p for P1. The special element (β = 1, r = 2^ℓ − 1) has c = one zero
 * (position 0) among ones, held by P0. Reductions go through the tables `red` (x mod p, x < 5p) and
 * `mul` (a·b mod p at a·p + b): no division in the loop.
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
    let acc: i32 = 0;
    for (let k: i32 = ell - 1; k >= 0; k--) {
      const at = base + <usize>k;
      const tk = <i32>((t >> <u64>k) & 1);
      const xk = <i32>load<u8>(xBits + at);
      const c = sign * (j * tk - xk) + cOffset + acc;
      acc = <i32>load<u8>(red + <usize>(acc + xk + tk * (cOffset - 2 * xk)));
      const masked = c + zSign * <i32>load<u8>(z + at) + zOffset;
      const reduced = <i32>load<u8>(red + <usize>masked);
      store<u8>(d + base + <usize>load<u8>(pi + at), load<u8>(mul + <usize>(reduced * p + <i32>load<u8>(s + at))));
    }
  }
}

/**
 * Rejection sampling through a table (protocols/common/prg.ts `field`, reference `sampleReference`): for each source byte b in
 * order, table[b] (16-bit entries) is either a value below 256 — kept — or 256 — rejected. Stops
 * after `want` kept values or at the end of the source; returns how many were kept. `out` has one
 * spare byte (the kept value is stored unconditionally and the count advanced only when kept).
 */
export function sampleBytes(src: usize, count: i32, table: usize, out: usize, want: i32): i32 {
  let kept: i32 = 0;
  for (let k: i32 = 0; k < count && kept < want; k++) {
    const v = load<u16>(table + ((<usize>load<u8>(src + <usize>k)) << 1));
    store<u8>(out + <usize>kept, <u8>v);
    kept += v < 256 ? 1 : 0;
  }
  return kept;
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
    let complete = true;
    for (let i: i32 = k - 1; i > 0 && complete; i--) {
      const row = <usize>((i + 1) << 8);
      let j: i32 = 0xffff;
      while (j >= 256) {
        if (at >= poolLen) {
          complete = false;
          break;
        }
        j = <i32>load<u16>(table + ((row + <usize>load<u8>(pool + <usize>at)) << 1));
        at++;
      }
      if (complete) {
        const t = load<u8>(base + <usize>i);
        store<u8>(base + <usize>i, load<u8>(base + <usize>j));
        store<u8>(base + <usize>j, t);
      }
    }
    if (!complete) {
      at = start;
      break;
    }
  }
  store<i32>(state, at);
  return e;
}
