/** Builders for HLIL and LLIL programs (see ir/builder/hlil.ts and ir/builder/llil.ts). */
export { hlilBuilder, type HlilBuilder } from './builder/hlil.js';
export { llilBuilder, type LlilBuilder } from './builder/llil.js';
export type { CommonOps, ConvOptions, ConvTransposeOptions, PoolOptions } from './builder/ops.js';
