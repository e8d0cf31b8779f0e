/**
 * The protocols' wasm kernels (protocols/kernels/assembly/compare.ts, an entry of build/kernels.wasm):
 * PrivateCompare's per-bit Z_p message, table-driven rejection sampling of Z_p bytes, and Fisher–Yates
 * permutations from a byte pool. Each is the fast path of a plain TypeScript reference kept beside the
 * protocol that states it — `messageReference` (securenn-family/nonlinear/private-compare.ts),
 * `sampleReference` (common/prg.ts), `permutationsReference` (securenn-family/nonlinear/arith.ts) —
 * and test/protocols/kernels.test.ts checks wasm = reference on random inputs.
 *
 * Memory: operands are laid out per call in the module's scratch (semantics/kernels/wasm.ts
 * `wasmScratch`), copied in, and the result copied out.
 */
import {
  putBytes,
  putWords,
  wasmExports,
  wasmScratch,
  type Ptr,
  type WasmMemory,
} from '../../semantics/kernels/wasm.js';

interface ProtocolExports {
  readonly memory: WasmMemory;
  compareMessage(
    j: number,
    p: number,
    ell: number,
    n: number,
    xBits: Ptr,
    r: Ptr,
    beta: Ptr,
    s: Ptr,
    z: Ptr,
    pi: Ptr,
    red: Ptr,
    mul: Ptr,
    d: Ptr,
  ): void;
  sampleBytes(src: Ptr, count: number, p: number, offset: number, out: Ptr, want: number): number;
  permute(pool: Ptr, poolLen: number, table: Ptr, out: Ptr, n: number, k: number, state: Ptr): number;
}

const FUNCTIONS = ['compareMessage', 'sampleBytes', 'permute'];
let loaded: ProtocolExports | undefined;

function load(): ProtocolExports {
  loaded ??= wasmExports<ProtocolExports>(FUNCTIONS);
  return loaded;
}

/** Elements per call of `compareMessage` (so that its scratch stays a few MiB whatever n is). */
const COMPARE_CHUNK = 32768;

/** The inputs of one party's PrivateCompare message (private-compare.ts states each). */
export interface CompareInputs {
  readonly j: 0 | 1;
  readonly p: number;
  readonly ell: number;
  readonly n: number;
  /** This party's Z_p shares of the bits of x, n·ℓ, element-major, least significant first. */
  readonly xBits: Uint8Array;
  /** The public r, reduced mod 2^ℓ. */
  readonly r: BigUint64Array;
  /** The common bits β. */
  readonly beta: Uint8Array;
  /** Common multipliers in Z_p^*, masks in Z_p and permutations (n·ℓ each). */
  readonly s: Uint8Array;
  readonly z: Uint8Array;
  readonly pi: Uint8Array;
}

/**
 * PrivateCompare's per-bit Z_p work for party j: the party's n·ℓ-byte message, with `red` (x mod p for
 * x < 5p) and `mul` (a·b mod p at a·p + b) as tables.
 */
export function compareMessage(inp: CompareInputs, red: Uint8Array, mul: Uint8Array): Uint8Array {
  const { j, p, ell, n, xBits, r, beta, s, z, pi } = inp;
  const ex = load();
  const out = new Uint8Array(n * ell);
  const words = (bytes: number): number => Math.ceil(bytes / 8);
  for (let e0 = 0; e0 < n; e0 += COMPARE_CHUNK) {
    const m = Math.min(COMPARE_CHUNK, n - e0);
    const bits = m * ell;
    const { memory, ptrs } = wasmScratch([
      words(red.length),
      words(mul.length),
      words(bits),
      m,
      words(m),
      words(bits),
      words(bits),
      words(bits),
      words(bits),
    ]);
    const [pRed, pMul, pX, pR, pBeta, pS, pZ, pPi, pD] = ptrs as [Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr];
    const from = e0 * ell;
    putBytes(memory, pRed, red);
    putBytes(memory, pMul, mul);
    putBytes(memory, pX, xBits.subarray(from, from + bits));
    putWords(memory, pR, r.subarray(e0, e0 + m));
    putBytes(memory, pBeta, beta.subarray(e0, e0 + m));
    putBytes(memory, pS, s.subarray(from, from + bits));
    putBytes(memory, pZ, z.subarray(from, from + bits));
    putBytes(memory, pPi, pi.subarray(from, from + bits));
    ex.compareMessage(j, p, ell, m, pX, pR, pBeta, pS, pZ, pPi, pRed, pMul, pD);
    out.set(new Uint8Array(memory.buffer, pD, bits), from);
  }
  return out;
}

/**
 * Z_p rejection sampling of bytes (assembly/compare.ts `sampleBytes`, reference `sampleReference` in
 * prg.ts): writes into `out[from…]`, for each byte b of `src` in order with b < 256 − (256 mod p), the
 * value (b mod p) + offset, until `out` is full or `src` is used up; returns how many were written.
 */
export function sampleBytes(src: Uint8Array, p: number, offset: number, out: Uint8Array, from: number): number {
  const ex = load();
  const want = out.length - from;
  // 16 spare bytes: the kernel stores 8 lanes at a time past the last value it keeps.
  const { memory, ptrs } = wasmScratch([Math.ceil(src.length / 8), Math.ceil((want + 16) / 8)]);
  const [pSrc, pOut] = ptrs as [Ptr, Ptr];
  putBytes(memory, pSrc, src);
  const kept = ex.sampleBytes(pSrc, src.length, p, offset, pOut, want);
  out.set(new Uint8Array(memory.buffer, pOut, kept), from);
  return kept;
}

/** One call's worth of permutations: where the bytes come from and where the results go. */
export interface PermuteJob {
  /** The byte pool, read from position `at`. */
  readonly pool: Uint8Array;
  readonly at: number;
  /** (k + 1) × 256 entries: row m is `rejectionTable(m)` (prg.ts). */
  readonly table: Uint16Array;
  /** Receives element e's permutation at out[e·k …]; this call fills elements from, …, from + n − 1. */
  readonly out: Uint8Array;
  readonly from: number;
  readonly n: number;
  /** The size of each permutation. */
  readonly k: number;
}

/**
 * Fisher–Yates permutations drawn from a byte pool through a (k + 1) × 256 table of accepted values
 * (assembly/compare.ts `permute`): fills out[from·k …] for up to `n` elements from `pool[at…]`, and
 * returns how many it completed and the pool position after them. It stops early, at an element
 * boundary, when the pool would run out inside an element.
 */
export function permuteFromPool(job: PermuteJob): { readonly done: number; readonly at: number } {
  const { pool, at, table, out, from, n, k } = job;
  const ex = load();
  const windowLen = Math.min(pool.length - at, 2 * n * k + 1024);
  const { memory, ptrs } = wasmScratch([
    Math.ceil(table.length / 4),
    Math.ceil(windowLen / 8),
    Math.ceil((n * k) / 8),
    1,
  ]);
  const [pTable, pPool, pOut, pState] = ptrs as [Ptr, Ptr, Ptr, Ptr];
  new Uint16Array(memory.buffer, pTable, table.length).set(table);
  putBytes(memory, pPool, pool.subarray(at, at + windowLen));
  const done = ex.permute(pPool, windowLen, pTable, pOut, n, k, pState);
  out.set(new Uint8Array(memory.buffer, pOut, done * k), from * k);
  return { done, at: at + (new Int32Array(memory.buffer, pState, 1)[0] as number) };
}
