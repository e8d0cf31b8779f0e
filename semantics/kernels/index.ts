/**
 * The kernel layer's public face: ring kernels by implementation name, the float32 kernels, and the
 * pooling window counts AvgPool (count_include_pad = 0) divides by.
 */
import { assertNever } from '../../spec/errors.js';
import { referenceKernels } from './reference.js';
import type { RingKernels } from './types.js';
import { wasmKernels } from './wasm.js';

export type { ConvMethod, FloatKernels, FloatTensor, RingKernels, RingTensor } from './types.js';
export { floatKernels } from './float.js';
export { poolWindowCounts } from './geometry.js';
export { referenceKernels, wasmKernels };

/** The ring kernels of one implementation; both agree bit for bit (test/semantics/kernels). */
export function kernels(impl: 'reference' | 'wasm'): RingKernels {
  switch (impl) {
    case 'reference':
      return referenceKernels;
    case 'wasm':
      return wasmKernels;
    default:
      return assertNever(impl, 'kernel implementation');
  }
}
