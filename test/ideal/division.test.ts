/**
 * Local division (semantics/truncation.ts: `localDivisionAllowed`, `localDivideShares`), exhaustively
 * at ℓ = 8: every x, every one of the 2^ℓ sharings x = x0 + x1, every divisor d = 1…17. The allowed set
 * the ideal functionalities use for AvgPool / GlobalAvgPool / ScaleDown must contain every result, the
 * wraps must happen for exactly |x̃| sharings, and outside a wrap the result is ⌊x̃/d⌋ or ⌊x̃/d⌋ + 1.
 */
import { describe, expect, it } from 'vitest';
import { Ring } from '../../spec/ring.js';
import { CryptflowError } from '../../spec/errors.js';
import { floorDiv } from '../../semantics/fixed.js';
import {
  localDivideShares,
  localDivisionAllowed,
  localTruncateShares,
  localTruncationAllowed,
} from '../../semantics/truncation.js';

const ell = 8;
const ring = Ring(ell);

describe('local division at ℓ = 8: exhaustive over x, sharings and divisors 1…17', () => {
  it('every result is allowed; wraps happen for exactly |x̃| sharings; other results are q or q + 1', () => {
    const faults: string[] = [];
    for (let d = 1n; d <= 17n; d++) {
      for (let x = 0n; x < ring.modulus; x++) {
        const spec = localDivisionAllowed(ell, x, d);
        const allowed = new Set(spec.allowed);
        const xs = ring.signed(x);
        const abs = xs < 0n ? -xs : xs;
        const q = ring.reduce(floorDiv(xs, d));
        const q1 = ring.add(q, 1n);
        if (
          spec.exact !== q ||
          spec.allowed[0] !== q ||
          spec.allowed.length > 4 ||
          spec.wrapProbability !== Number(abs) / 256
        )
          faults.push(`spec of x=${x}, d=${d}`);
        let wraps = 0n;
        let outside = 0n;
        for (let x0 = 0n; x0 < ring.modulus; x0++) {
          const x1 = ring.sub(x, x0);
          const [y0, y1] = localDivideShares(ring, x0, x1, d);
          const y = ring.add(y0, y1);
          if (!allowed.has(y)) faults.push(`x=${x}, x0=${x0}, d=${d}: result not allowed`);
          // j from a − b = x̃ + j·2^ℓ, a = signed(x0), b = signed(−x1).
          const j = (ring.signed(x0) - ring.signed(ring.neg(x1)) - xs) / ring.modulus;
          if (j !== 0n) wraps++;
          else if (y !== q && y !== q1) faults.push(`x=${x}, x0=${x0}, d=${d}: no wrap but not q or q + 1`);
          if (y !== q && y !== q1) outside++;
        }
        if (wraps !== abs) faults.push(`x=${x}, d=${d}: ${wraps} wraps, |x̃| = ${abs}`);
        if (outside > abs || (d >= 2n && outside !== abs))
          faults.push(`x=${x}, d=${d}: ${outside} results outside {q, q + 1}, |x̃| = ${abs}`);
      }
    }
    expect(faults.slice(0, 5)).toEqual([]);
  });

  it('for d = 2^k it is local truncation: same shares, same allowed set', () => {
    for (let k = 0; k < ell; k++) {
      const d = 1n << BigInt(k);
      for (let x = 0n; x < ring.modulus; x++) {
        const div = localDivisionAllowed(ell, x, d);
        const tr = localTruncationAllowed(ell, x, k);
        expect(new Set(div.allowed)).toEqual(new Set([tr.exact, ...tr.ulp, ...tr.wrap]));
        for (let x0 = 0n; x0 < ring.modulus; x0 += 7n) {
          expect(localDivideShares(ring, x0, ring.sub(x, x0), d)).toEqual(
            localTruncateShares(ring, x0, ring.sub(x, x0), k),
          );
        }
      }
    }
  });

  it('rejects a divisor below 1', () => {
    expect(() => localDivisionAllowed(ell, 3n, 0n)).toThrow(CryptflowError);
  });
});
