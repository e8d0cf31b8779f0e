/**
 * The reference ring kernels: Z_{2^ℓ} tensor loops in plain bigint arithmetic, each result reduced with
 * `BigInt.asUintN(ℓ, ·)`. Clear loop nests, no tricks: this is the definition the wasm kernels are
 * differentially tested against, and what the fixed-point semantics runs when speed does not matter.
 *
 * Convolutions live in reference-conv.ts; geometry checks and the 3-axis normal form in geometry.ts.
 */
import { numel } from '../../spec/geometry.js';
import { checkMatmul, checkRingWidth, checkSameLength } from './checks.js';
import { checkLength, convPlan, convTransposePlan, forEachWindow, poolPlan } from './geometry.js';
import { convDirect, convIm2col, convTransposeGather } from './reference-conv.js';
import type { RingKernels, RingTensor } from './types.js';

function elementwise(op: string, f: (a: bigint, b: bigint) => bigint) {
  return (ell: number, a: BigUint64Array, b: BigUint64Array): BigUint64Array => {
    checkRingWidth(ell);
    checkSameLength(op, a, b);
    const y = new BigUint64Array(a.length);
    for (let i = 0; i < a.length; i++) y[i] = BigInt.asUintN(ell, f(a[i] as bigint, b[i] as bigint));
    return y;
  };
}

function matmul(ell: number, a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number): BigUint64Array {
  checkRingWidth(ell);
  checkMatmul(a, b, m, k, n);
  const c = new BigUint64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0n;
      for (let t = 0; t < k; t++) acc += (a[i * k + t] as bigint) * (b[t * n + j] as bigint);
      c[i * n + j] = BigInt.asUintN(ell, acc);
    }
  }
  return c;
}

export const referenceKernels: RingKernels = Object.freeze<RingKernels>({
  impl: 'reference' as const,
  add: elementwise('add', (a, b) => a + b),
  sub: elementwise('sub', (a, b) => a - b),
  mul: elementwise('mul', (a, b) => a * b),
  matmul,
  conv(ell, x, w, g, method): RingTensor {
    checkRingWidth(ell);
    const p = convPlan(x, w, g);
    const data = method === 'direct' ? convDirect(ell, p, x.data, w.data) : convIm2col(ell, p, x.data, w.data, matmul);
    return { shape: p.outShape, data };
  },
  convTranspose(ell, x, w, g): RingTensor {
    checkRingWidth(ell);
    const p = convTransposePlan(x, w, g);
    return { shape: p.outShape, data: convTransposeGather(ell, p, x.data, w.data) };
  },
  maxPool(ell, x, g): RingTensor {
    checkRingWidth(ell);
    const p = poolPlan(x.shape, g);
    checkLength('maxPool input', x.shape, x.data.length);
    const y = new BigUint64Array(numel(p.outShape));
    forEachWindow(p, (yi, cells) => {
      let best = BigInt.asIntN(ell, x.data[cells[0] as number] as bigint);
      for (const i of cells) {
        const v = BigInt.asIntN(ell, x.data[i] as bigint);
        if (v > best) best = v;
      }
      y[yi] = BigInt.asUintN(ell, best);
    });
    return { shape: p.outShape, data: y };
  },
  sumPool(ell, x, g): RingTensor {
    checkRingWidth(ell);
    const p = poolPlan(x.shape, g);
    checkLength('sumPool input', x.shape, x.data.length);
    const y = new BigUint64Array(numel(p.outShape));
    forEachWindow(p, (yi, cells) => {
      let acc = 0n;
      for (const i of cells) acc += x.data[i] as bigint;
      y[yi] = BigInt.asUintN(ell, acc);
    });
    return { shape: p.outShape, data: y };
  },
});
