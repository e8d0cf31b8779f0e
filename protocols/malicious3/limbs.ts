/**
 * Linear and bilinear maps over Z_{2^m} (m ≤ 128) on the project's 64-bit ring kernels, by 16-bit limbs.
 *
 * x = Σ_a 2^{16a}·x_a with limbs x_a < 2^16. For a Z-linear map L (a layout op, a broadcast, a window
 * sum): L(x) = Σ_a 2^{16a}·L(x_a), and each L(x_a) is exact in 64-bit arithmetic when L sums fewer than
 * 2^48 terms. For a bilinear map B (element-wise product, MatMul, convolution):
 * B(x, y) = Σ_{a,b} 2^{16(a+b)}·B(x_a, y_b) over the pairs with 16(a+b) < m, and each B(x_a, y_b) is
 * exact in 64 bits when B sums fewer than 2^32 products of limbs (< 2^32 each). The 64-bit results
 * are recombined mod 2^m (`shiftedSum`). m = 104: 7 limbs, 28 limb products per bilinear map.
 */
import { bug } from '../../spec/errors.js';
import { limb16, shiftedSum } from './convert.js';
import type { Z128 } from './ring.js';

function limbCount(m: number): number {
  return Math.ceil(m / 16);
}

/** L(x) for a Z-linear map given on 64-bit vectors; `outLen` is the length L produces. */
export function linearMap(m: number, x: Z128, outLen: number, f: (v: BigUint64Array) => BigUint64Array): Z128 {
  const terms = [];
  for (let a = 0; a < limbCount(m); a++) {
    const v = f(limb16(x, a));
    if (v.length !== outLen) bug(`linear map gave ${v.length} entries, expected ${outLen}`);
    terms.push({ shift16: a, v });
  }
  return shiftedSum(m, outLen, terms);
}

/** B(x, y) for a bilinear map given on 64-bit vectors. */
export function bilinearMap(
  m: number,
  x: Z128,
  y: Z128,
  outLen: number,
  f: (u: BigUint64Array, v: BigUint64Array) => BigUint64Array,
): Z128 {
  const L = limbCount(m);
  const xs = Array.from({ length: L }, (_, a) => limb16(x, a));
  const ys = Array.from({ length: L }, (_, b) => limb16(y, b));
  const terms = [];
  for (let a = 0; a < L; a++)
    for (let b = 0; 16 * (a + b) < m; b++) {
      const v = f(xs[a] as BigUint64Array, ys[b] as BigUint64Array);
      if (v.length !== outLen) bug(`bilinear map gave ${v.length} entries, expected ${outLen}`);
      terms.push({ shift16: a + b, v });
    }
  return shiftedSum(m, outLen, terms);
}
