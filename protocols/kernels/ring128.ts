/**
 * The loader of the malicious backend's wasm products over Z_{2^m}, m ≤ 128
 * (protocols/kernels/assembly/ring128.ts): vectors of n elements as 2n 64-bit lanes (low, high),
 * copied into the module's scratch in chunks, the result copied out. The plain TypeScript reference
 * is protocols/malicious3/ring.ts `mul` (test/protocols/malicious3/ring.test.ts checks them equal).
 */
import { putWords, wasmExports, wasmScratch, type Ptr, type WasmMemory } from '../../semantics/kernels/wasm.js';
import { bug } from '../../spec/errors.js';

interface Ring128Exports {
  readonly memory: WasmMemory;
  mulRing128(n: number, a: Ptr, b: Ptr, out: Ptr, maskLo: bigint, maskHi: bigint): void;
  productRing128(
    n: number,
    xa: Ptr,
    xb: Ptr,
    ya: Ptr,
    yb: Ptr,
    zeta: Ptr,
    out: Ptr,
    maskLo: bigint,
    maskHi: bigint,
  ): void;
}

let loaded: Ring128Exports | undefined;
const load = (): Ring128Exports => (loaded ??= wasmExports<Ring128Exports>(['mulRing128', 'productRing128']));

/** Elements per call (a few MiB of scratch whatever n is). */
const CHUNK = 65536;

/** The low and high lanes' masks of Z_{2^m}, for a whole m in 1..128 (anything else is a caller's bug). */
function masks(m: number): [bigint, bigint] {
  if (!(Number.isInteger(m) && m >= 1 && m <= 128)) bug(`Z_2^m lanes take a whole m in 1..128, got ${m}`);
  const lo = m >= 64 ? (1n << 64n) - 1n : (1n << BigInt(m)) - 1n;
  const hi = m <= 64 ? 0n : m >= 128 ? (1n << 64n) - 1n : (1n << BigInt(m - 64)) - 1n;
  return [lo, hi];
}

/** Run a kernel over `ins` (each 2n lanes) chunk by chunk; `call` gets the pointers and the chunk size. */
function chunked(
  ins: readonly BigUint64Array[],
  n: number,
  call: (ex: Ring128Exports, len: number, ptrs: readonly Ptr[], out: Ptr) => void,
): BigUint64Array {
  const ex = load();
  const out = new BigUint64Array(2 * n);
  for (let e0 = 0; e0 < n; e0 += CHUNK) {
    const len = Math.min(CHUNK, n - e0);
    const { memory, ptrs } = wasmScratch([...ins.map(() => 2 * len), 2 * len]);
    ins.forEach((a, i) => putWords(memory, ptrs[i] as Ptr, a.subarray(2 * e0, 2 * (e0 + len))));
    const pOut = ptrs[ins.length] as Ptr;
    call(ex, len, ptrs, pOut);
    out.set(new BigUint64Array(memory.buffer, pOut, 2 * len), 2 * e0);
  }
  return out;
}

/** a_i · b_i mod 2^m on lanes (2n each). */
export function mulLanes128(m: number, a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const [lo, hi] = masks(m);
  return chunked([a, b], a.length / 2, (ex, len, p, out) => ex.mulRing128(len, p[0] as Ptr, p[1] as Ptr, out, lo, hi));
}

/** xa·(ya + yb) + xb·ya + zeta mod 2^m on lanes. */
export function productLanes128(
  m: number,
  xa: BigUint64Array,
  xb: BigUint64Array,
  ya: BigUint64Array,
  yb: BigUint64Array,
  zeta: BigUint64Array,
): BigUint64Array {
  const [lo, hi] = masks(m);
  return chunked([xa, xb, ya, yb, zeta], xa.length / 2, (ex, len, p, out) =>
    ex.productRing128(len, p[0] as Ptr, p[1] as Ptr, p[2] as Ptr, p[3] as Ptr, p[4] as Ptr, out, lo, hi),
  );
}
