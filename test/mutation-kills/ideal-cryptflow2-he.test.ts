/**
 * The domains of ideal/cryptflow2-he.ts, enforced: F_Div^p refuses a divisor below 1, F_Max^p and
 * F_ArgMax^p refuse an element of p or more, each with an InvariantViolation naming the functionality;
 * the boundary values (d = 1, an element p − 1) are accepted and computed. Pins the guards' mutants
 * (condition forced either way, `<` ↔ `<=`, `>=` ↔ `>`, `some` ↔ `every`, the messages), and makes the
 * equivalence of the tie and a = 0 mutants (scripts/mutation/equivalent/ideal__cryptflow2-he.json) hold
 * for every call, not only for the documented inputs.
 */
import { describe, expect, it } from 'vitest';
import { fArgmaxP, fDivP, fMaxP } from '../../ideal/cryptflow2-he.js';
import { InvariantViolation } from '../../spec/errors.js';

const p = 251n;
const xs = (...v: bigint[]): BigUint64Array => BigUint64Array.from(v);

function refused(run: () => unknown, message: string): void {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InvariantViolation);
  expect((caught as Error).message).toBe(`internal error (please report): ${message}`);
}

describe('ideal/cryptflow2-he.ts: domains', () => {
  it('F_Div^p: divisors of 1 and more are computed (⌊signed(x)/d⌋ mod p), 0 and negative ones refused', () => {
    expect([...fDivP(p, xs(7n, 250n, 0n), [1n, 1n, 3n])]).toEqual([7n, 250n, 0n]);
    expect([...fDivP(p, xs(7n, 246n), [2n, 2n])]).toEqual([3n, 248n]);
    for (const d of [[0n], [-3n], [2n, 0n], [0n, 2n]])
      refused(() => fDivP(p, xs(...d.map(() => 5n)), d), 'F_Div^p takes divisors d ≥ 1');
  });

  it('F_Max^p: elements below p are computed, an element p or above refused', () => {
    const windows = Int32Array.from([0, 1, 2]);
    expect([...fMaxP(p, xs(250n, 3n, 125n), windows, 1, 3)]).toEqual([125n]);
    for (const bad of [xs(p, 3n, 4n), xs(3n, 4n, p + 1n), xs(2n ** 64n - 1n, 0n, 0n)])
      refused(() => fMaxP(p, bad, windows, 1, 3), 'F_Max^p takes elements below p');
  });

  it('F_ArgMax^p: elements below p are computed, an element p or above refused', () => {
    expect([...fArgmaxP(p, xs(250n, 3n, 125n, 126n, 0n, 1n), 2, 3)]).toEqual([2n, 2n]);
    for (const bad of [xs(p, 3n, 4n), xs(3n, 4n, p + 1n)])
      refused(() => fArgmaxP(p, bad, 1, 3), 'F_ArgMax^p takes elements below p');
  });
});
