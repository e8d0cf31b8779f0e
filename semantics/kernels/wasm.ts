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
import { platform } from '../../platform/index.js';
import { CryptflowError } from '../../spec/errors.js';
import { numel, type PoolGeometry } from '../../spec/geometry.js';
import { checkMatmul, checkRingWidth, checkSameLength } from './checks.js';
import {
  checkLength,
  convPlan,
  convTransposePlan,
  poolPlan,
  volume,
  type ConvPlan,
  type PoolPlan,
} from './geometry.js';
import type { RingKernels, RingTensor } from './types.js';

/** A byte address in the module's linear memory. */
export type Ptr = number;

/**
 * The slice of the WebAssembly JS API used here, typed locally: this project's lib settings (ES2022,
 * @types/node 20) do not declare the `WebAssembly` global, although Node provides it.
 */
export interface WasmMemory {
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
}

const FUNCTIONS = [
  'heapBase',
  'add',
  'sub',
  'mul',
  'maskTo',
  'matmul',
  'convDirect',
  'convIm2col',
  'convTranspose',
  'maxPool',
  'sumPool',
];
/** Where the kernels are: next to the code (the browser bundle serves them at the same relative place). */
export const WASM_URL = new URL('../../build/kernels.wasm', import.meta.url);
const PAGE = 65536;
const MAX_BYTES = 65536 * PAGE;
/** Bytes reserved for the geometry block at the heap base. */
const GEOMETRY_BYTES = 128;

let loaded: KernelExports | undefined;

let instance: Record<string, unknown> | undefined;

/**
 * The module's exports, checked to hold a memory and each of `names` as a function: the loader of
 * this file asks for the semantics' kernels, protocols/kernels/wasm.ts for the protocols' (both are
 * entries of the one module, scripts/build-wasm.js). A missing or stale build is a usage error.
 */
export function wasmExports<T extends { readonly memory: WasmMemory }>(names: readonly string[]): T {
  const path = WASM_URL.pathname;
  if (instance === undefined) {
    let bytes: Uint8Array;
    try {
      bytes = platform.artifact(WASM_URL);
    } catch {
      throw new CryptflowError('usage', `wasm kernels not built: ${path} is missing; run \`npm run build:wasm\``);
    }
    instance = new WA.Instance(new WA.Module(bytes), {}).exports;
  }
  const exports = instance;
  const missing = names.filter((f) => typeof exports[f] !== 'function');
  if (missing.length > 0 || !(exports['memory'] instanceof WA.Memory)) {
    throw new CryptflowError(
      'usage',
      `${path} is stale (missing ${missing.join(', ') || 'memory'}); run \`npm run build:wasm\``,
    );
  }
  return exports as unknown as T;
}

function load(): KernelExports {
  if (loaded) return loaded;
  loaded = wasmExports<KernelExports>(FUNCTIONS);
  return loaded;
}

/**
 * Scratch regions of the given 8-byte word counts after the geometry block (16-byte aligned),
 * growing memory to fit: where a caller outside this file lays its operands. Valid until the next
 * kernel call.
 */
export function wasmScratch(words: readonly number[]): { readonly memory: WasmMemory; readonly ptrs: Ptr[] } {
  const { ex, ptrs } = layout(words);
  return { memory: ex.memory, ptrs };
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
  if (end > MAX_BYTES)
    throw new CryptflowError(
      'unsupported',
      `wasm kernels: operands need ${end} bytes, above the 4 GiB of wasm32 memory`,
    );
  const have = ex.memory.buffer.byteLength;
  if (end > have) ex.memory.grow(Math.ceil((end - have) / PAGE));
  return { ex, geo, ptrs };
}

function put(ex: KernelExports, ptr: Ptr, data: BigUint64Array): void {
  putWords(ex.memory, ptr, data);
}

/** Copy 64-bit words into linear memory at `ptr`. */
export function putWords(memory: WasmMemory, ptr: Ptr, data: BigUint64Array): void {
  new BigUint64Array(memory.buffer, ptr, data.length).set(data);
}

/** Copy bytes into linear memory at `ptr`. */
export function putBytes(memory: WasmMemory, ptr: Ptr, data: Uint8Array): void {
  new Uint8Array(memory.buffer, ptr, data.length).set(data);
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
