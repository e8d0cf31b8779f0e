/**
 * Mutation kills for protocols/securenn-family/nonlinear/variant.ts: `checkVariant` at its boundaries. The
 * comparison field must be a prime below 256 (one byte per element: 251 passes, 257 does not, nor a
 * composite), and PrivateCompare over Z_p is correct for ℓ ≤ p − 2 only (p = 13: ℓ = 11 passes,
 * ℓ = 12 does not). Errors are 'field-modulus' errors that start with the variant's name and state
 * the bound.
 */
import { describe, expect, it } from 'vitest';
import { Field } from '../../spec/field.js';
import { checkVariant, PORTHOS, SECURENN } from '../../protocols/securenn-family/nonlinear/variant.js';
import { expectCryptflowError } from './support.js';

describe('checkVariant', () => {
  it('the two variants are named as the backends are', () => {
    expect(PORTHOS.name).toBe('porthos');
    expect(SECURENN.name).toBe('securenn');
  });

  it('p must be a prime below 256: a Variant carries a Field(p), which checks it', () => {
    expect(() => checkVariant({ ...PORTHOS, field: Field(251) }, 64)).not.toThrow();
    expectCryptflowError(
      () => Field(257),
      'field-modulus',
      'field modulus must be a prime below 256 (one byte per element), got 257',
    );
    expectCryptflowError(() => Field(221), 'field-modulus', 'field modulus must be a prime below 256', 'got 221');
  });

  it('ℓ must be at most p − 2', () => {
    expect(() => checkVariant({ ...SECURENN, field: Field(13) }, 11)).not.toThrow();
    expectCryptflowError(
      () => checkVariant({ ...SECURENN, field: Field(13) }, 12),
      'field-modulus',
      'securenn: PrivateCompare over Z_13 handles ring widths ℓ ≤ 11 (it needs p > ℓ + 1), got ℓ = 12',
    );
  });
});
