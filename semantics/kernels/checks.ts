/**
 * Argument checks shared by every kernel implementation (reference, wasm, float): ring width,
 * elementwise lengths and matmul dimensions. Failures are `CryptflowError`s naming lengths and
 * dimensions, never values.
 */
import { CryptflowError } from '../../spec/errors.js';
import { checkRingWidth } from '../../spec/ring.js';

export { checkRingWidth };

export function checkSameLength(op: string, a: { readonly length: number }, b: { readonly length: number }): void {
  if (a.length !== b.length) {
    throw new CryptflowError('shape', `${op}: operands have different lengths ${a.length} and ${b.length}`);
  }
}

/** a is m × k and b is k × n, row-major, with non-negative integer dimensions. */
export function checkMatmul(
  a: { readonly length: number },
  b: { readonly length: number },
  m: number,
  k: number,
  n: number,
): void {
  for (const [name, d] of [
    ['m', m],
    ['k', k],
    ['n', n],
  ] as const) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new CryptflowError('shape', `matmul: dimension ${name} must be a non-negative integer, got ${String(d)}`);
    }
  }
  if (a.length !== m * k)
    throw new CryptflowError('shape', `matmul: left operand ${m}×${k} needs ${m * k} entries, got ${a.length}`);
  if (b.length !== k * n)
    throw new CryptflowError('shape', `matmul: right operand ${k}×${n} needs ${k * n} entries, got ${b.length}`);
}
