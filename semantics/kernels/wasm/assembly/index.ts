/**
 * Entry point of build/kernels.wasm for the semantics: Z_{2^64} tensor kernels (wrapping i64
 * arithmetic) called by semantics/kernels/wasm.ts with byte pointers into the exported linear memory.
 * The protocols' own kernels (protocols/kernels/assembly/index.ts) are a second entry of the same
 * module (scripts/build-wasm.js), so both share one memory and one heap base. The JS side owns
 * allocation: everything from `heapBase()` upwards is scratch that it lays out per call; the MatMul
 * and convolution kernels put their own packed panels just above that call's operands, growing memory
 * when needed (geometry.ts `scratchAfter`). Built with SIMD enabled (scripts/build-wasm.js).
 */
export { add, sub, mul, maskTo } from './elementwise';
export { matmul } from './matmul';
export { convDirect, convIm2col, convTranspose } from './conv';
export { maxPool, sumPool } from './pool';

/** First byte JS may use (after the module's static data). */
export function heapBase(): usize {
  return __heap_base;
}
