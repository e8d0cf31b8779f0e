/**
 * Mutation kills for semantics/truncation.ts: `floorDivBig` (through the exported `localDivideShares`)
 * is a true floor division for every sign of the divisor, not only for the d ≥ 1 that
 * `localDivisionAllowed` admits (`localDivideShares` itself does not restrict d).
 *
 * Pins: line 150 col 37 ConditionalExpression (`b < 0n` → `false`).
 */
import { describe, expect, it } from 'vitest';
import { Ring } from '../../spec/ring.js';
import { localDivideShares } from '../../semantics/truncation.js';

const ELL = 6;
const ring = Ring(ELL);

/** ⌊a/b⌋ for b ≠ 0, written independently of the module (via the non-negative remainder). */
function floorDiv(a: bigint, b: bigint): bigint {
  const absB = b < 0n ? -b : b;
  const rem = ((a % absB) + absB) % absB;
  return (a - rem) / b - (b < 0n && rem !== 0n ? 1n : 0n);
}

describe('localDivideShares: floor division for a negative public divisor', () => {
  it('ℓ = 8, x0 = 3, d = −2: P0 outputs ⌊3/−2⌋ = −2 (254), not the truncated −1', () => {
    const r8 = Ring(8);
    expect(localDivideShares(r8, 3n, 0n, -2n)).toEqual([254n, 0n]);
  });

  it('ℓ = 6: every x0, x1 and d ∈ {−2, −3, −5}: shares are ⌊signed(x0)/d⌋ and −⌊signed(−x1)/d⌋', () => {
    for (const d of [-2n, -3n, -5n]) {
      for (let x0 = 0n; x0 < ring.modulus; x0++) {
        const x1 = ring.sub(17n, x0);
        const want0 = ring.reduce(floorDiv(ring.signed(x0), d));
        const want1 = ring.neg(ring.reduce(floorDiv(ring.signed(ring.neg(x1)), d)));
        expect(localDivideShares(ring, x0, x1, d)).toEqual([want0, want1]);
      }
    }
  });
});
