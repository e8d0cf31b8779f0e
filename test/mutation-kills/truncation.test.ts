/**
 * Mutation kills for semantics/truncation.ts: what the exhaustive counting suite
 * (test/semantics/truncation.test.ts) leaves unpinned.
 *
 *   - `isAllowedTruncation` REJECTS: at ℓ = 6, for every x, k and y, y is allowed exactly when it is
 *     q + c + j·2^{ℓ−k} (c ∈ {0, 1}; j = 0, or the sign-determined j when x̃ ≠ 0), the set the header
 *     states, computed here independently of the module;
 *   - `classifyTruncation` returns a cell exactly for the results some sharing produces: a value that
 *     only a zero-count cell carries (e.g. x = 0, y = 1) classifies as null;
 *   - every outcome cell, including the zero-count ones of x = 0, carries the j the header states
 *     (−1 for x̃ ≥ 0, +1 for x̃ < 0) and the value q + c + j·2^{ℓ−k};
 *   - the usage errors name the bound and the offending shift or divisor.
 */
import { describe, expect, it } from 'vitest';
import { Ring } from '../../spec/ring.js';
import {
  classifyTruncation,
  isAllowedTruncation,
  localDivisionAllowed,
  localTruncateShares,
  localTruncationAllowed,
} from '../../semantics/truncation.js';
import { expectCryptflowError } from './support.js';

const ELL = 6;
const ring = Ring(ELL);

/** The header's statement, written out: q, and the sign-determined wrap direction j. */
function statement(x: bigint, k: number): { q: bigint; j: bigint; xs: bigint } {
  const xs = ring.signed(ring.reduce(x));
  const q = xs >= 0n ? xs / (1n << BigInt(k)) : -((-xs + (1n << BigInt(k)) - 1n) / (1n << BigInt(k)));
  return { q, j: xs >= 0n ? -1n : 1n, xs };
}

describe('local truncation: the allowed set is exactly the stated one', () => {
  it('ℓ = 6: every x, k, y — allowed iff y = q + c + j·2^{ℓ−k} with j = 0 or the wrap direction (x̃ ≠ 0)', () => {
    for (let k = 0; k < ELL; k++) {
      for (let x = 0n; x < ring.modulus; x++) {
        const spec = localTruncationAllowed(ELL, x, k);
        const { q, j, xs } = statement(x, k);
        const shift = j << BigInt(ELL - k);
        const expected = new Set<bigint>([ring.reduce(q), ring.reduce(q + 1n)]);
        if (xs !== 0n) {
          expected.add(ring.reduce(q + shift));
          expected.add(ring.reduce(q + 1n + shift));
        }
        for (let y = 0n; y < ring.modulus; y++) {
          expect(isAllowedTruncation(spec, y), `x=${x} k=${k} y=${y}`).toBe(expected.has(y));
        }
      }
    }
  });
});

describe('local truncation: classification', () => {
  it('ℓ = 6: a result classifies to a cell iff some sharing produces it, and the cell holds that value', () => {
    for (let k = 0; k < ELL; k++) {
      for (let x = 0n; x < ring.modulus; x++) {
        const spec = localTruncationAllowed(ELL, x, k);
        const produced = new Set<bigint>();
        for (let x0 = 0n; x0 < ring.modulus; x0++) {
          const [y0, y1] = localTruncateShares(ring, x0, ring.sub(x, x0), k);
          produced.add(ring.add(y0, y1));
        }
        for (let y = 0n; y < ring.modulus; y++) {
          const cell = classifyTruncation(spec, y);
          expect(cell !== null, `x=${x} k=${k} y=${y}`).toBe(produced.has(y));
          if (cell !== null) {
            expect(cell.value).toBe(y);
            expect(cell.count > 0n).toBe(true);
          }
        }
      }
    }
  });

  it('x = 0: only 0 is produced; the carry and wrap values (zero-count cells) classify as null', () => {
    const spec = localTruncationAllowed(ELL, 0n, 3);
    expect(classifyTruncation(spec, 0n)?.count).toBe(ring.modulus);
    expect(classifyTruncation(spec, 1n)).toBeNull();
    expect(classifyTruncation(spec, ring.reduce(-1n << 3n))).toBeNull();
  });
});

describe('local truncation: the outcome cells', () => {
  it('ℓ = 6: every cell (zero-count ones too) has j ∈ {0, stated direction} and value q + c + j·2^{ℓ−k}', () => {
    for (let k = 0; k < ELL; k++) {
      for (let x = 0n; x < ring.modulus; x++) {
        const spec = localTruncationAllowed(ELL, x, k);
        const { q, j } = statement(x, k);
        expect(spec.outcomes.map((o) => [o.carry, o.wrap])).toEqual([
          [0, 0],
          [1, 0],
          [0, Number(j)],
          [1, Number(j)],
        ]);
        for (const o of spec.outcomes) {
          expect(o.value, `x=${x} k=${k}`).toBe(ring.reduce(q + BigInt(o.carry) + (BigInt(o.wrap) << BigInt(ELL - k))));
        }
        expect(spec.outcomes.reduce((s, o) => s + o.count, 0n)).toBe(ring.modulus);
      }
    }
  });
});

describe('local truncation and division: usage errors', () => {
  it('a shift outside 0 … ℓ − 1 names the bound and the shift', () => {
    expectCryptflowError(() => localTruncationAllowed(8, 3n, 8), 'usage', 'local truncation', 'ℓ − 1 = 7', 'got 8');
    expectCryptflowError(() => localTruncationAllowed(12, 3n, -1), 'usage', 'ℓ − 1 = 11', 'got -1');
    expectCryptflowError(() => localTruncationAllowed(8, 3n, 1.5), 'usage', 'integer shift', 'got 1.5');
  });

  it('a divisor below 1 names the divisor', () => {
    expectCryptflowError(
      () => localDivisionAllowed(8, 3n, 0n),
      'usage',
      'local division needs a positive divisor',
      'got 0',
    );
    expectCryptflowError(() => localDivisionAllowed(8, 3n, -4n), 'usage', 'got -4');
  });
});
