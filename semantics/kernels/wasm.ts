/**
 * The fast ring kernels: AssemblyScript compiled to build/kernels.wasm (scripts/build-wasm.js), computing
 * in Z_{2^64} with wrapping i64 arithmetic; results are then reduced mod 2^ℓ, which is exact because
 * reduction is a ring homomorphism Z_{2^64} → Z_{2^ℓ} (and maxPool compares values sign-extended from
 * bit ℓ−1). Differential tests check bit-for-bit agreement with the bigint reference.
 *
 * Per call, JS lays out scratch memory from the module's heap base (a geometry block, then the
 * operands and the result), grows linear memory when needed, copies the `BigUint64Array` inputs in
 * through views on `memory.buffer`, runs the kernel on byte pointers, masks and copies the result out.
 * The module is loaded synchronously on first use, so importing this file never fails.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CryptflowError } from '../../spec/errors.js';
import { numel, type PoolGeometry } from '../../spec/geometry.js';
import { checkMatmul, checkRingWidth, checkSameLength } from './checks.js';
import { checkLength, convPlan, convTransposePlan, poolPlan, volume, type ConvPlan, type PoolPlan } from './geometry.js';
import type { RingKernels, RingTensor } from './types.js';

type Ptr = number;

/**
 * The slice of the WebAssembly JS API used here, typed locally: this project's lib settings (ES2022,
 * @types/node 20) do not declare the `WebAssembly` global, although Node provides it.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  readonly Memory: abstract new (...args: never[]) => WasmMemory;
}
const WA = (globalThis as unknown as { readonly WebAssembly: WasmApi }).WebAssembly;

interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): Ptr;
  add(a: Ptr, b: Ptr, y: Ptr, n: number): void;
  sub(a: Ptr, b: Ptr, y: Ptr, n: number): void;
  mul(a: Ptr, b: Ptr, y: Ptr, n: number): void;
  maskTo(y: Ptr, n: number, ell: number): void;
  matmul(a: Ptr, b: Ptr, c: Ptr, m: number, k: number, n: number): void;
  convDirect(x: Ptr, w: Ptr, y: Ptr, g: Ptr): void;
  convIm2col(x: Ptr, w: Ptr, y: Ptr, cols: Ptr, g: Ptr): void;
  convTranspose(x: Ptr, w: Ptr, y: Ptr, g: Ptr): void;
  maxPool(x: Ptr, y: Ptr, g: Ptr, ell: number): void;
  sumPool(x: Ptr, y: Ptr, g: Ptr): void;
  compareMessage(j: number, p: number, ell: number, n: number, xBits: Ptr, r: Ptr, beta: Ptr, s: Ptr, z: Ptr, pi: Ptr, red: Ptr, mul: Ptr, d: Ptr): void;
  sampleBytes(src: Ptr, count: number, table: Ptr, out: Ptr, want: number): number;
  permute(pool: Ptr, poolLen: number, table: Ptr, out: Ptr, n: number, k: number, state: Ptr): number;
}

const FUNCTIONS = ['heapBase', 'add', 'sub', 'mul', 'maskTo', 'matmul', 'convDirect', 'convIm2col', 'convTranspose', 'maxPool', 'sumPool', 'compareMessage', 'sampleBytes', 'permute'];
const WASM_URL = new URL('../../build/kernels.wasm', import.meta.url);
const PAGE = 65536;
const MAX_BYTES = 65536 * PAGE;
/** Bytes reserved for the geometry block at the heap base. */
const GEOMETRY_BYTES = 128;

let loaded: KernelExports | undefined;

function load(): KernelExports {
  if (loaded) return loaded;
  const path = fileURLToPath(WASM_URL);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new CryptflowError('usage', `wasm kernels not built: ${path} is missing; run \`npm run build:wasm\``);
  }
  const exports = new WA.Instance(new WA.Module(bytes), {}).exports;
  const missing = FUNCTIONS.filter((f) => typeof exports[f] !== 'function');
  if (missing.length > 0 || !(exports['memory'] instanceof WA.Memory)) {
    throw new CryptflowError('usage', `${path} is stale (missing ${missing.join(', ') || 'memory'}); run \`npm run build:wasm\``);
  }
  loaded = exports as unknown as KernelExports;
  return loaded;
}

/**
 * Lay out regions of the given word counts after the geometry block (16-byte aligned), growing memory
 * to fit; returns the exports, the geometry pointer and one pointer per region.
 */
function layout(words: readonly number[]): { ex: KernelExports; geo: Ptr; ptrs: Ptr[] } {
  const ex = load();
  const geo = Math.ceil(ex.heapBase() / 16) * 16;
  let end = geo + GEOMETRY_BYTES;
  const ptrs = words.map((n) => {
    const p = end;
    end += Math.ceil((n * 8) / 16) * 16;
    return p;
  });
  if (end > MAX_BYTES) throw new CryptflowError('unsupported', `wasm kernels: operands need ${end} bytes, above the 4 GiB of wasm32 memory`);
  const have = ex.memory.buffer.byteLength;
  if (end > have) ex.memory.grow(Math.ceil((end - have) / PAGE));
  return { ex, geo, ptrs };
}

function put(ex: KernelExports, ptr: Ptr, data: BigUint64Array): void {
  new BigUint64Array(ex.memory.buffer, ptr, data.length).set(data);
}

function take(ex: KernelExports, ptr: Ptr, n: number, ell: number): BigUint64Array {
  ex.maskTo(ptr, n, ell);
  return new BigUint64Array(ex.memory.buffer, ptr, n).slice();
}

function putConvGeometry(ex: KernelExports, geo: Ptr, p: ConvPlan): void {
  const words = [p.n, p.ci, p.co, p.groups, ...p.inp, ...p.ker, ...p.out, ...p.strides, ...p.dilations, ...p.padBegin];
  new Int32Array(ex.memory.buffer, geo, words.length).set(words);
}

function putPoolGeometry(ex: KernelExports, geo: Ptr, p: PoolPlan): void {
  const words = [p.planes, ...p.inp, ...p.ker, ...p.out, ...p.strides, ...p.padBegin];
  new Int32Array(ex.memory.buffer, geo, words.length).set(words);
}

function elementwise(op: 'add' | 'sub' | 'mul') {
  return (ell: number, a: BigUint64Array, b: BigUint64Array): BigUint64Array => {
    checkRingWidth(ell);
    checkSameLength(op, a, b);
    const n = a.length;
    const { ex, ptrs } = layout([n, n, n]);
    const [pa, pb, py] = ptrs as [Ptr, Ptr, Ptr];
    put(ex, pa, a);
    put(ex, pb, b);
    ex[op](pa, pb, py, n);
    return take(ex, py, n, ell);
  };
}

function matmul(ell: number, a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number): BigUint64Array {
  checkRingWidth(ell);
  checkMatmul(a, b, m, k, n);
  const { ex, ptrs } = layout([a.length, b.length, m * n]);
  const [pa, pb, pc] = ptrs as [Ptr, Ptr, Ptr];
  put(ex, pa, a);
  put(ex, pb, b);
  ex.matmul(pa, pb, pc, m, k, n);
  return take(ex, pc, m * n, ell);
}

export const wasmKernels: RingKernels = Object.freeze<RingKernels>({
  impl: 'wasm',
  add: elementwise('add'),
  sub: elementwise('sub'),
  mul: elementwise('mul'),
  matmul,
  conv(ell, x, w, g, method): RingTensor {
    checkRingWidth(ell);
    const p = convPlan(x, w, g);
    const outLen = numel(p.outShape);
    const colsLen = method === 'im2col' ? (p.ci / p.groups) * volume(p.ker) * volume(p.out) : 0;
    const { ex, geo, ptrs } = layout([x.data.length, w.data.length, outLen, colsLen]);
    const [px, pw, py, pcols] = ptrs as [Ptr, Ptr, Ptr, Ptr];
    putConvGeometry(ex, geo, p);
    put(ex, px, x.data);
    put(ex, pw, w.data);
    if (method === 'direct') ex.convDirect(px, pw, py, geo);
    else ex.convIm2col(px, pw, py, pcols, geo);
    return { shape: p.outShape, data: take(ex, py, outLen, ell) };
  },
  convTranspose(ell, x, w, g): RingTensor {
    checkRingWidth(ell);
    const p = convTransposePlan(x, w, g);
    const outLen = numel(p.outShape);
    const { ex, geo, ptrs } = layout([x.data.length, w.data.length, outLen]);
    const [px, pw, py] = ptrs as [Ptr, Ptr, Ptr];
    putConvGeometry(ex, geo, p);
    put(ex, px, x.data);
    put(ex, pw, w.data);
    ex.convTranspose(px, pw, py, geo);
    return { shape: p.outShape, data: take(ex, py, outLen, ell) };
  },
  maxPool(ell, x, g): RingTensor {
    return pool(ell, x, g, 'max');
  },
  sumPool(ell, x, g): RingTensor {
    return pool(ell, x, g, 'sum');
  },
});

function pool(ell: number, x: RingTensor, g: PoolGeometry, kind: 'max' | 'sum'): RingTensor {
  checkRingWidth(ell);
  const p = poolPlan(x.shape, g);
  checkLength(`${kind}Pool input`, x.shape, x.data.length);
  const outLen = numel(p.outShape);
  const { ex, geo, ptrs } = layout([x.data.length, outLen]);
  const [px, py] = ptrs as [Ptr, Ptr];
  putPoolGeometry(ex, geo, p);
  put(ex, px, x.data);
  if (kind === 'max') ex.maxPool(px, py, geo, ell);
  else ex.sumPool(px, py, geo);
  return { shape: p.outShape, data: take(ex, py, outLen, ell) };
}

/** Elements per call of `compareMessage` (so that its scratch stays a few MiB whatever n is). */
const COMPARE_CHUNK = 32768;

function putBytes(ex: KernelExports, ptr: Ptr, data: Uint8Array): void {
  new Uint8Array(ex.memory.buffer, ptr, data.length).set(data);
}

/**
 * PrivateCompare's per-bit Z_p work for party j (wasm/assembly/compare.ts states the formulas; the
 * protocol is protocols/common/nonlinear/private-compare.ts): the party's n·ℓ-byte message from its
 * bit shares, the public r (reduced mod 2^ℓ), the common bits β, multipliers s, masks z and
 * permutations π, with `red` (x mod p for x < 5p) and `mul` (a·b mod p at a·p + b) as tables.
 */
export function compareMessage(j: 0 | 1, p: number, ell: number, n: number, xBits: Uint8Array, r: BigUint64Array, beta: Uint8Array, s: Uint8Array, z: Uint8Array, pi: Uint8Array, red: Uint8Array, mul: Uint8Array): Uint8Array {
  const out = new Uint8Array(n * ell);
  const words = (bytes: number): number => Math.ceil(bytes / 8);
  for (let e0 = 0; e0 < n; e0 += COMPARE_CHUNK) {
    const m = Math.min(COMPARE_CHUNK, n - e0);
    const bits = m * ell;
    const { ex, ptrs } = layout([words(red.length), words(mul.length), words(bits), m, words(m), words(bits), words(bits), words(bits), words(bits)]);
    const [pRed, pMul, pX, pR, pBeta, pS, pZ, pPi, pD] = ptrs as [Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr, Ptr];
    const from = e0 * ell;
    putBytes(ex, pRed, red);
    putBytes(ex, pMul, mul);
    putBytes(ex, pX, xBits.subarray(from, from + bits));
    put(ex, pR, r.subarray(e0, e0 + m));
    putBytes(ex, pBeta, beta.subarray(e0, e0 + m));
    putBytes(ex, pS, s.subarray(from, from + bits));
    putBytes(ex, pZ, z.subarray(from, from + bits));
    putBytes(ex, pPi, pi.subarray(from, from + bits));
    ex.compareMessage(j, p, ell, m, pX, pR, pBeta, pS, pZ, pPi, pRed, pMul, pD);
    out.set(new Uint8Array(ex.memory.buffer, pD, bits), from);
  }
  return out;
}

/**
 * Rejection sampling of bytes through a table (assembly/compare.ts `sampleBytes`): writes into
 * `out[from…]` the table entries of `src`'s bytes that are below 256, in order, until `out` is full or
 * `src` is used up; returns how many were written. `table` has 256 16-bit entries (256 = reject).
 */
export function sampleBytes(src: Uint8Array, table: Uint16Array, out: Uint8Array, from: number): number {
  const want = out.length - from;
  const { ex, ptrs } = layout([64, Math.ceil(src.length / 8), Math.ceil((want + 1) / 8)]);
  const [pTable, pSrc, pOut] = ptrs as [Ptr, Ptr, Ptr];
  new Uint16Array(ex.memory.buffer, pTable, 256).set(table);
  putBytes(ex, pSrc, src);
  const kept = ex.sampleBytes(pSrc, src.length, pTable, pOut, want);
  out.set(new Uint8Array(ex.memory.buffer, pOut, kept), from);
  return kept;
}

/**
 * Fisher–Yates permutations drawn from a byte pool through a (k + 1) × 256 table of accepted values
 * (assembly/compare.ts `permute`): fills out[from·k …] for up to `n` elements from `pool[at…]`, and
 * returns how many it completed and the pool position after them. It stops early, at an element
 * boundary, when the pool would run out inside an element.
 */
export function permuteFromPool(pool: Uint8Array, at: number, table: Uint16Array, out: Uint8Array, from: number, n: number, k: number): { readonly done: number; readonly at: number } {
  const windowLen = Math.min(pool.length - at, 2 * n * k + 1024);
  const { ex, ptrs } = layout([Math.ceil(table.length / 4), Math.ceil(windowLen / 8), Math.ceil((n * k) / 8), 1]);
  const [pTable, pPool, pOut, pState] = ptrs as [Ptr, Ptr, Ptr, Ptr];
  new Uint16Array(ex.memory.buffer, pTable, table.length).set(table);
  putBytes(ex, pPool, pool.subarray(at, at + windowLen));
  const done = ex.permute(pPool, windowLen, pTable, pOut, n, k, pState);
  out.set(new Uint8Array(ex.memory.buffer, pOut, done * k), from * k);
  return { done, at: at + (new Int32Array(ex.memory.buffer, pState, 1)[0] as number) };
}
