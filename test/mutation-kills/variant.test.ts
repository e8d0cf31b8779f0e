/**
 * Mutation kills for protocols/securenn-family/nonlinear/variant.ts: `checkVariant` at its boundaries. The
 * comparison field must be a prime below 256 (one byte per element: 251 passes, 257 does not, nor a
 * composite), and PrivateCompare over Z_p is correct for ℓ ≤ p − 2 only (p = 13: ℓ = 11 passes,
 * ℓ = 12 does not). Errors are 'field-modulus' errors that start with the variant's name and state
 * the bound.
 */
import { describe, expect, it } from 'vitest';
import { checkVariant, PORTHOS, SECURENN } from '../../protocols/securenn-family/nonlinear/variant.js';
import { expectCryptflowError } from './support.js';

describe('checkVariant', () => {
  it('the two variants are named as the backends are', () => {
    expect(PORTHOS.name).toBe('porthos');
    expect(SECURENN.name).toBe('securenn');
  });

  it('p must be a prime below 256', () => {
    expect(() => checkVariant({ ...PORTHOS, p: 251 }, 64)).not.toThrow();
    expectCryptflowError(() => checkVariant({ ...PORTHOS, p: 257 }, 16), 'field-modulus', 'porthos: PrivateCompare needs a prime p below 256 (one byte per Z_p element), got 257');
    expectCryptflowError(() => checkVariant({ ...SECURENN, p: 221 }, 16), 'field-modulus', 'securenn: PrivateCompare needs a prime p below 256', 'got 221');
  });

  it('ℓ must be at most p − 2', () => {
    expect(() => checkVariant({ ...SECURENN, p: 13 }, 11)).not.toThrow();
    expectCryptflowError(() => checkVariant({ ...SECURENN, p: 13 }, 12), 'field-modulus', 'securenn: PrivateCompare over Z_13 handles ring widths ℓ ≤ 11 (it needs p > ℓ + 1), got ℓ = 12');
  });
});
