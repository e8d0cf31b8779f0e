/**
 * The inner loops of CrypTFlow2's OT-based linear layers (protocols/cryptflow2/product.ts and vcot.ts
 * state the protocol; the plain TypeScript references these are tested against live there and in
 * protocols/kernels/otmul.ts): w-bit values packed bit-tight LSB first and unpacked, the vector COT's
 * corrections V = G(s0) + Δ − G(s1) and the receiver's outputs, and the per-bit accumulation
 * acc[out[j]] ± 2^k·got[j]. All arithmetic is on u64 words, wrapping mod 2^64 (the callers reduce
 * mod 2^ℓ, which divides it).
 *
 * Layout: word arrays are 8-byte words at byte pointers; index arrays 32-bit; bytes as bytes.
 */

@inline
function maskOf(w: i32): u64 {
  return w >= 64 ? <u64>-1 : (<u64>1 << <u64>w) - 1;
}

/** Pack n w-bit words (1 ≤ w ≤ 64) into ⌈n·w/8⌉ bytes at dst, LSB first; bits above w are ignored. */
export function packWords(src: usize, n: i32, w: i32, dst: usize): void {
  const m = maskOf(w);
  let acc: u64 = 0;
  let held: i32 = 0;
  let at: usize = dst;
  for (let i: i32 = 0; i < n; i++) {
    const v: u64 = load<u64>(src + ((<usize>i) << 3)) & m;
    acc |= v << <u64>held;
    const total = held + w;
    if (total >= 64) {
      store<u64>(at, acc);
      at += 8;
      const used = 64 - held;
      acc = used >= 64 ? 0 : v >> <u64>used;
      held = total - 64;
    } else {
      held = total;
    }
  }
  for (let b: i32 = 0; b < held; b += 8) {
    store<u8>(at, <u8>(acc & 0xff));
    acc >>= 8;
    at += 1;
  }
}

/**
 * Unpack n w-bit words from bytes at src (⌈n·w/8⌉ of them, copied by the caller into a region
 * rounded up to whole 8-byte words and zero-filled beyond) into dst.
 */
export function unpackWords(src: usize, n: i32, w: i32, dst: usize): void {
  const m = maskOf(w);
  let bit: u64 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const word = <usize>(bit >> 6);
    const off = <u64>(bit & 63);
    let v: u64 = load<u64>(src + (word << 3)) >> off;
    if (off + <u64>w > 64) v |= load<u64>(src + ((word + 1) << 3)) << (64 - off);
    store<u64>(dst + ((<usize>i) << 3), v & m);
    bit += <u64>w;
  }
}

/** The sender's side of a vector COT batch: v = g0 + delta − g1 and g0 reduced, both mod 2^w, in place. */
export function vcotCorrect(g0: usize, g1: usize, delta: usize, n: i32, w: i32, v: usize): void {
  const m = maskOf(w);
  for (let i: i32 = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    const a = load<u64>(g0 + o);
    store<u64>(v + o, (a + load<u64>(delta + o) - load<u64>(g1 + o)) & m);
    store<u64>(g0 + o, a & m);
  }
}

/**
 * The receiver's outputs of a vector COT batch: per instance i (lens[i] values, choice bit c[i]),
 * g + c·v mod 2^w, in place in g.
 */
export function vcotOutput(g: usize, v: usize, lens: usize, choices: usize, m: i32, w: i32): void {
  const mask = maskOf(w);
  let at: usize = 0;
  for (let i: i32 = 0; i < m; i++) {
    const len = <usize>load<i32>(lens + ((<usize>i) << 2));
    const c: u64 = <u64>load<u8>(choices + <usize>i);
    const sel: u64 = 0 - c;
    for (let j: usize = 0; j < len; j++) {
      const o = (at + j) << 3;
      store<u64>(g + o, (load<u64>(g + o) + (load<u64>(v + o) & sel)) & mask);
    }
    at += len;
  }
}

/** acc[out[order[j]]] += sign·2^k·got[j] mod 2^64 for j < n (sign −1 when negate ≠ 0). */
export function accumulateTerms(acc: usize, out: usize, order: usize, got: usize, n: i32, k: i32, negate: i32): void {
  for (let j: i32 = 0; j < n; j++) {
    const t = <usize>load<i32>(order + ((<usize>j) << 2));
    const o = (<usize>load<i32>(out + (t << 2))) << 3;
    const g = load<u64>(got + ((<usize>j) << 3)) << <u64>k;
    const a = load<u64>(acc + o);
    store<u64>(acc + o, negate != 0 ? a - g : a + g);
  }
}

/** dst[i] = bit k of src[idx[i]] (one byte each), for i < n. */
export function bitsAt(src: usize, idx: usize, n: i32, k: i32, dst: usize): void {
  for (let i: i32 = 0; i < n; i++) {
    const e = <usize>load<i32>(idx + ((<usize>i) << 2));
    store<u8>(dst + <usize>i, <u8>((load<u64>(src + (e << 3)) >> <u64>k) & 1));
  }
}
