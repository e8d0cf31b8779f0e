/**
 * Mutation kills for ideal/prep.ts: the dealer's input checks, at their boundaries and with their
 * messages. ComputeMSB's mask needs p > ℓ + 2 (SecureNN Alg. 5): p = ℓ + 2 itself is refused (ℓ = 5,
 * p = 7; ℓ = 3, p = 5), the next prime is accepted; a bilinear map that returns the wrong number of
 * outputs is a shape error naming both counts.
 */
import { describe, expect, it } from 'vitest';
import { Prg } from '../../protocols/common/prg.js';
import { beaverTriple, msbMask, type BilinearMap } from '../../ideal/prep.js';
import { expectCryptflowError } from './support.js';

const rng = (): Prg => new Prg(new Uint8Array(16).fill(7));

describe('F_prep input checks', () => {
  it('msbMask refuses p = ℓ + 2 and names the bound', () => {
    expectCryptflowError(() => msbMask(5, 7, 1, rng()), 'field-modulus', 'ComputeMSB', 'p > ℓ + 2 = 7', 'got 7');
    expectCryptflowError(() => msbMask(3, 5, 1, rng()), 'field-modulus', 'p > ℓ + 2 = 5', 'got 5');
    expectCryptflowError(() => msbMask(9, 3, 1, rng()), 'field-modulus', 'p > ℓ + 2 = 11', 'got 3');
  });

  it('msbMask accepts the next prime above ℓ + 2', () => {
    const m = msbMask(5, 11, 3, rng());
    expect(m.bits[0].length).toBe(15);
    expect(m.r[0].length).toBe(3);
  });

  it('beaverTriple refuses a map whose output size is not the declared one, naming both sizes', () => {
    const bad: BilinearMap = { xSize: 2, ySize: 2, zSize: 3, apply: (x) => x.slice() };
    expectCryptflowError(() => beaverTriple(16, bad, rng()), 'shape', 'bilinear map declares 3 outputs but returned 2');
  });
});
