/**
 * Kernel interfaces: the tensor loops under both semantics and under every backend's local work.
 *
 * Ring kernels compute over Z_{2^ℓ} on `BigUint64Array`s whose entries are reduced mod 2^ℓ; their
 * results are reduced too. Two implementations agree bit for bit (differential property tests): the
 * bigint `reference` and the AssemblyScript `wasm` (64-bit wrapping arithmetic, then a mask — exact,
 * because reduction mod 2^ℓ is a ring homomorphism from Z_{2^64}). Float kernels compute in float32
 * with a fixed, documented accumulation order (the order floatSem states).
 *
 * Layout: N × C × spatial… with 1, 2 or 3 spatial axes (spec/geometry.ts).
 */
import type { ConvGeometry, ConvTransposeGeometry, PoolGeometry, Shape } from '../../spec/geometry.js';

export interface RingTensor {
  readonly shape: Shape;
  readonly data: BigUint64Array;
}

export interface FloatTensor {
  readonly shape: Shape;
  readonly data: Float32Array;
}

export type ConvMethod = 'direct' | 'im2col';

export interface RingKernels {
  readonly impl: 'reference' | 'wasm';
  /** Elementwise on equal-length arrays. */
  add(ell: number, a: BigUint64Array, b: BigUint64Array): BigUint64Array;
  sub(ell: number, a: BigUint64Array, b: BigUint64Array): BigUint64Array;
  mul(ell: number, a: BigUint64Array, b: BigUint64Array): BigUint64Array;
  /** a[m,k]·b[k,n], row-major. */
  matmul(ell: number, a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number): BigUint64Array;
  conv(ell: number, x: RingTensor, w: RingTensor, g: ConvGeometry, method: ConvMethod): RingTensor;
  convTranspose(ell: number, x: RingTensor, w: RingTensor, g: ConvTransposeGeometry): RingTensor;
  /** Max by signed value over each window; padded cells do not take part. */
  maxPool(ell: number, x: RingTensor, g: PoolGeometry): RingTensor;
  /** Sum over each window; padded cells count as 0. */
  sumPool(ell: number, x: RingTensor, g: PoolGeometry): RingTensor;
}

export interface FloatKernels {
  matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array;
  conv(x: FloatTensor, w: FloatTensor, g: ConvGeometry): FloatTensor;
  convTranspose(x: FloatTensor, w: FloatTensor, g: ConvTransposeGeometry): FloatTensor;
  maxPool(x: FloatTensor, g: PoolGeometry): FloatTensor;
  sumPool(x: FloatTensor, g: PoolGeometry): FloatTensor;
}
