/**
 * The conformance suite as vitest tests: one test per (operator, ring width) of a backend, failing
 * with the suite's failing verdicts (check, case, seed, link or element index), skipped — visibly —
 * when the backend reports every case of that operator unsupported.
 *
 *   describeConformance(idealBackend(), { programs: llilOpProgram });
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../protocols/common/backend.js';
import { ALL_OPS, checkGroup, conformanceRings, failuresOf, type ConformanceOptions } from './suite.js';

export function describeConformance(backend: Backend, options: ConformanceOptions): void {
  const ells = conformanceRings(backend, options);
  describe(`conformance: ${backend.name}`, () => {
    it('claims at least one of the requested ring widths', () => {
      expect(ells.length).toBeGreaterThan(0);
    });
    for (const ell of ells) {
      for (const op of options.ops ?? ALL_OPS) {
        it(`${op} at ℓ = ${ell}`, async (ctx) => {
          const g = await checkGroup(backend, op, ell, options);
          if (g.cases > 0 && g.unsupported === g.cases)
            ctx.skip(`${backend.name} does not support ${op}: ${g.notes.join('; ')}`);
          expect(failuresOf(g).map((v) => `${v.check}: ${v.detail}`)).toEqual([]);
          expect(g.cases - g.unsupported).toBeGreaterThan(0);
        });
      }
    }
  });
}
