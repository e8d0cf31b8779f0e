/**
 * Mutation kills for semantics/truncation.ts: the local division rule `localDivideShares` takes a
 * positive public divisor only, as `localDivisionAllowed` does; a zero or negative one is a usage error
 * naming the divisor (before this test, d = 0 threw a bare RangeError and d < 0 gave a floor with a
 * negative divisor that no caller means). For d ≥ 1 the shares are floors of the signed shares.
 *
 * Pins: the divisor guard of `localDivideShares` (line 178), its error code and message.
 */
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { Ring } from '../../spec/ring.js';
import { localDivideShares, localDivisionAllowed } from '../../semantics/truncation.js';

const ELL = 6;
const ring = Ring(ELL);

/** ⌊a/b⌋ for b ≥ 1, written independently of the module (via the non-negative remainder). */
function floorDiv(a: bigint, b: bigint): bigint {
  return (a - (((a % b) + b) % b)) / b;
}

describe('localDivideShares: the public divisor', () => {
  it('rejects d = 0 and d < 0 with a usage error naming d, like localDivisionAllowed', () => {
    for (const d of [0n, -1n, -2n]) {
      const call = (): unknown => localDivideShares(ring, 3n, 0n, d);
      expect(call).toThrow(CryptflowError);
      expect(call).toThrow(expect.objectContaining({ code: 'usage' }));
      expect(call).toThrow(`local division needs a positive divisor, got ${d}`);
      expect(() => localDivisionAllowed(ELL, 3n, d)).toThrow(`local division needs a positive divisor, got ${d}`);
    }
  });

  it('ℓ = 6: every x0, x1 and d ∈ {1, 2, 3, 5}: shares are ⌊signed(x0)/d⌋ and −⌊signed(−x1)/d⌋', () => {
    for (const d of [1n, 2n, 3n, 5n]) {
      for (let x0 = 0n; x0 < ring.modulus; x0++) {
        const x1 = ring.sub(17n, x0);
        const want0 = ring.reduce(floorDiv(ring.signed(x0), d));
        const want1 = ring.neg(ring.reduce(floorDiv(ring.signed(ring.neg(x1)), d)));
        expect(localDivideShares(ring, x0, x1, d)).toEqual([want0, want1]);
      }
    }
  });
});
