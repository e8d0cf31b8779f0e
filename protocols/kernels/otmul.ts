/**
 * The OT-based linear layers' loops in wasm (protocols/kernels/assembly/otmul.ts, an entry of
 * build/kernels.wasm), each the fast path of a plain TypeScript reference in this file: packing w-bit
 * values bit-tight (LSB first) and unpacking them, the vector COT's sender corrections and receiver
 * outputs (protocols/cryptflow2/vcot.ts states the protocol), the accumulation of a cross term's
 * outputs into the layer's result (product.ts), and the choice bits of one bit position.
 * test/protocols/kernels.test.ts checks wasm = reference on random inputs.
 *
 * Memory: operands are copied into the module's scratch (semantics/kernels/wasm.ts `wasmScratch`)
 * per call and the results copied out; values are u64 words, arithmetic mod 2^64 (callers reduce).
 */
import {
  putBytes,
  putWords,
  wasmExports,
  wasmScratch,
  type Ptr,
  type WasmMemory,
} from '../../semantics/kernels/wasm.js';

interface OtMulExports {
  readonly memory: WasmMemory;
  packWords(src: Ptr, n: number, w: number, dst: Ptr): void;
  unpackWords(src: Ptr, n: number, w: number, dst: Ptr): void;
  vcotCorrect(g0: Ptr, g1: Ptr, delta: Ptr, n: number, w: number, v: Ptr): void;
  vcotOutput(g: Ptr, v: Ptr, lens: Ptr, choices: Ptr, m: number, w: number): void;
  accumulateTerms(acc: Ptr, out: Ptr, order: Ptr, got: Ptr, n: number, k: number, negate: number): void;
  bitsAt(src: Ptr, idx: Ptr, n: number, k: number, dst: Ptr): void;
}

const FUNCTIONS = ['packWords', 'unpackWords', 'vcotCorrect', 'vcotOutput', 'accumulateTerms', 'bitsAt'];
let loaded: OtMulExports | undefined;

function load(): OtMulExports {
  loaded ??= wasmExports<OtMulExports>(FUNCTIONS);
  return loaded;
}

const words = (bytes: number): number => Math.ceil(bytes / 8);
const maskOf = (w: number): bigint => (1n << BigInt(w)) - 1n;

function putInts(memory: WasmMemory, ptr: Ptr, data: Int32Array): void {
  new Int32Array(memory.buffer, ptr, data.length).set(data);
}

/** Pack w-bit values bit-tight, LSB first (bits above w ignored): ⌈n·w/8⌉ bytes. */
export function packWords(values: BigUint64Array, w: number): Uint8Array {
  const n = values.length;
  const bytes = Math.ceil((n * w) / 8);
  const ex = load();
  const { memory, ptrs } = wasmScratch([n, words(bytes) + 1]);
  const [pSrc, pDst] = ptrs as [Ptr, Ptr];
  putWords(memory, pSrc, values);
  ex.packWords(pSrc, n, w, pDst);
  return new Uint8Array(memory.buffer, pDst, bytes).slice();
}

export function packWordsReference(values: BigUint64Array, w: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((values.length * w) / 8));
  let bit = 0;
  for (const v0 of values) {
    let v = v0 & maskOf(w);
    for (let left = w; left > 0;) {
      const take = Math.min(8 - (bit & 7), left);
      out[bit >> 3] = (out[bit >> 3] as number) | (Number(v & ((1n << BigInt(take)) - 1n)) << (bit & 7));
      v >>= BigInt(take);
      bit += take;
      left -= take;
    }
  }
  return out;
}

/** Unpack n w-bit values from ⌈n·w/8⌉ bytes (the caller checks the length and the padding bits). */
export function unpackWords(bytes: Uint8Array, n: number, w: number): BigUint64Array {
  const ex = load();
  const { memory, ptrs } = wasmScratch([words(bytes.length) + 1, n]);
  const [pSrc, pDst] = ptrs as [Ptr, Ptr];
  new Uint8Array(memory.buffer, pSrc, 8 * (words(bytes.length) + 1)).fill(0);
  putBytes(memory, pSrc, bytes);
  ex.unpackWords(pSrc, n, w, pDst);
  return new BigUint64Array(memory.buffer, pDst, n).slice();
}

export function unpackWordsReference(bytes: Uint8Array, n: number, w: number): BigUint64Array {
  const out = new BigUint64Array(n);
  let bit = 0;
  for (let i = 0; i < n; i++) {
    let v = 0n;
    for (let got = 0; got < w;) {
      const take = Math.min(8 - (bit & 7), w - got);
      v |= BigInt(((bytes[bit >> 3] as number) >> (bit & 7)) & ((1 << take) - 1)) << BigInt(got);
      got += take;
      bit += take;
    }
    out[i] = v;
  }
  return out;
}

/** Sender of a vector COT batch: X = g0 mod 2^w and V = g0 + Δ − g1 mod 2^w. */
export function vcotCorrect(
  g0: BigUint64Array,
  g1: BigUint64Array,
  delta: BigUint64Array,
  w: number,
): { readonly x: BigUint64Array; readonly v: BigUint64Array } {
  const n = g0.length;
  const ex = load();
  const { memory, ptrs } = wasmScratch([n, n, n, n]);
  const [p0, p1, pd, pv] = ptrs as [Ptr, Ptr, Ptr, Ptr];
  putWords(memory, p0, g0);
  putWords(memory, p1, g1);
  putWords(memory, pd, delta);
  ex.vcotCorrect(p0, p1, pd, n, w, pv);
  return {
    x: new BigUint64Array(memory.buffer, p0, n).slice(),
    v: new BigUint64Array(memory.buffer, pv, n).slice(),
  };
}

export function vcotCorrectReference(
  g0: BigUint64Array,
  g1: BigUint64Array,
  delta: BigUint64Array,
  w: number,
): { readonly x: BigUint64Array; readonly v: BigUint64Array } {
  return {
    x: g0.map((a) => BigInt.asUintN(w, a)),
    v: g0.map((a, j) => BigInt.asUintN(w, a + (delta[j] as bigint) - (g1[j] as bigint))),
  };
}

/** Receiver of a vector COT batch: per instance i (lens[i] values), g + c_i·v mod 2^w. */
export function vcotOutput(
  g: BigUint64Array,
  v: BigUint64Array,
  lens: Int32Array,
  choices: Uint8Array,
  w: number,
): BigUint64Array {
  const n = g.length;
  const m = lens.length;
  const ex = load();
  const { memory, ptrs } = wasmScratch([n, n, Math.ceil(m / 2), words(m)]);
  const [pg, pv, pl, pc] = ptrs as [Ptr, Ptr, Ptr, Ptr];
  putWords(memory, pg, g);
  putWords(memory, pv, v);
  putInts(memory, pl, lens);
  putBytes(memory, pc, choices);
  ex.vcotOutput(pg, pv, pl, pc, m, w);
  return new BigUint64Array(memory.buffer, pg, n).slice();
}

export function vcotOutputReference(
  g: BigUint64Array,
  v: BigUint64Array,
  lens: Int32Array,
  choices: Uint8Array,
  w: number,
): BigUint64Array {
  const out = new BigUint64Array(g.length);
  let at = 0;
  lens.forEach((len, i) => {
    for (let j = at; j < at + len; j++)
      out[j] = BigInt.asUintN(w, (g[j] as bigint) + ((choices[i] as number) === 1 ? (v[j] as bigint) : 0n));
    at += len;
  });
  return out;
}

/** acc[out[order[j]]] ±= 2^k·got[j] mod 2^64 for every j, in place (− when `negate`). */
export function accumulateTerms(
  acc: BigUint64Array,
  out: Int32Array,
  order: Int32Array,
  got: BigUint64Array,
  k: number,
  negate: boolean,
): void {
  const n = got.length;
  const ex = load();
  const { memory, ptrs } = wasmScratch([acc.length, Math.ceil(out.length / 2), Math.ceil(n / 2), n]);
  const [pa, po, pr, pg] = ptrs as [Ptr, Ptr, Ptr, Ptr];
  putWords(memory, pa, acc);
  putInts(memory, po, out);
  putInts(memory, pr, order.subarray(0, n));
  putWords(memory, pg, got);
  ex.accumulateTerms(pa, po, pr, pg, n, k, negate ? 1 : 0);
  acc.set(new BigUint64Array(memory.buffer, pa, acc.length));
}

export function accumulateTermsReference(
  acc: BigUint64Array,
  out: Int32Array,
  order: Int32Array,
  got: BigUint64Array,
  k: number,
  negate: boolean,
): void {
  got.forEach((g, j) => {
    const o = out[order[j] as number] as number;
    const d = (g << BigInt(k)) * (negate ? -1n : 1n);
    acc[o] = BigInt.asUintN(64, (acc[o] as bigint) + d);
  });
}

/** Bit k of src[idx[i]] for every i, one byte each. */
export function bitsAt(src: BigUint64Array, idx: Int32Array, k: number): Uint8Array {
  const n = idx.length;
  const ex = load();
  const { memory, ptrs } = wasmScratch([src.length, Math.ceil(n / 2), words(n)]);
  const [ps, pi, pd] = ptrs as [Ptr, Ptr, Ptr];
  putWords(memory, ps, src);
  putInts(memory, pi, idx);
  ex.bitsAt(ps, pi, n, k, pd);
  return new Uint8Array(memory.buffer, pd, n).slice();
}

export function bitsAtReference(src: BigUint64Array, idx: Int32Array, k: number): Uint8Array {
  return Uint8Array.from(idx, (e) => Number(((src[e] as bigint) >> BigInt(k)) & 1n));
}

/** The six loops, as one implementation: the wasm kernels or the plain references. */
export interface OtMulKernels {
  readonly packWords: typeof packWords;
  readonly unpackWords: typeof unpackWords;
  readonly vcotCorrect: typeof vcotCorrect;
  readonly vcotOutput: typeof vcotOutput;
  readonly accumulateTerms: typeof accumulateTerms;
  readonly bitsAt: typeof bitsAt;
}

const WASM: OtMulKernels = { packWords, unpackWords, vcotCorrect, vcotOutput, accumulateTerms, bitsAt };
const REFERENCE: OtMulKernels = {
  packWords: packWordsReference,
  unpackWords: unpackWordsReference,
  vcotCorrect: vcotCorrectReference,
  vcotOutput: vcotOutputReference,
  accumulateTerms: accumulateTermsReference,
  bitsAt: bitsAtReference,
};

export function otMulKernels(kind: 'reference' | 'wasm'): OtMulKernels {
  return kind === 'wasm' ? WASM : REFERENCE;
}

/** src[idx[j]] for every j, copied as two 32-bit halves (no BigInt per element). */
export function gatherWords(src: BigUint64Array, idx: ArrayLike<number>): BigUint64Array {
  const out = new BigUint64Array(idx.length);
  const s = new Uint32Array(src.buffer, src.byteOffset, 2 * src.length);
  const o = new Uint32Array(out.buffer);
  for (let j = 0; j < idx.length; j++) {
    const e = 2 * (idx[j] as number);
    o[2 * j] = s[e] as number;
    o[2 * j + 1] = s[e + 1] as number;
  }
  return out;
}

/** A copy of src reduced mod 2^w (1 ≤ w ≤ 64), on 32-bit halves. */
export function maskedWords(src: BigUint64Array, w: number): BigUint64Array {
  const out = src.slice();
  if (w >= 64) return out;
  const o = new Uint32Array(out.buffer);
  const lo = w >= 32 ? 0xffffffff : 2 ** w - 1;
  const hi = w >= 32 ? 2 ** (w - 32) - 1 : 0;
  for (let j = 0; j < out.length; j++) {
    o[2 * j] = ((o[2 * j] as number) & lo) >>> 0;
    o[2 * j + 1] = ((o[2 * j + 1] as number) & hi) >>> 0;
  }
  return out;
}
