/** The program arbitraries only produce programs the checkers accept, covering every operator. */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { checkHlil, checkLlil } from '../../ir/check.js';
import { HLIL_OPS, hlilOpProgram, hlilProgram } from '../arbitraries/hlil.js';
import { LLIL_OPS, llilOpProgram, llilProgram } from '../arbitraries/llil.js';

const messages = (r: E.Either<readonly { message: string }[], unknown>): string[] =>
  E.isLeft(r) ? r.left.map((e) => e.message) : [];

describe('test/arbitraries', () => {
  it('hlilProgram yields well-typed programs', () => {
    fc.assert(
      fc.property(hlilProgram(), (p) => {
        expect(messages(checkHlil(p))).toEqual([]);
      }),
    );
  });

  it('llilProgram yields well-typed programs', () => {
    fc.assert(
      fc.property(llilProgram(), (p) => {
        expect(messages(checkLlil(p))).toEqual([]);
      }),
    );
  });

  it.each(HLIL_OPS)('hlilOpProgram(%s) yields well-typed programs containing the operator', (op) => {
    fc.assert(
      fc.property(hlilOpProgram(op), (p) => {
        expect(messages(checkHlil(p))).toEqual([]);
        expect(p.nodes.some((n) => n.op === op)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it.each(LLIL_OPS)('llilOpProgram(%s) yields well-typed programs containing the operator', (op) => {
    fc.assert(
      fc.property(llilOpProgram(op), (p) => {
        expect(messages(checkLlil(p))).toEqual([]);
        expect(p.nodes.some((n) => n.op === op)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('hlilProgram reaches every operator', () => {
    const seen = new Set<string>();
    fc.sample(hlilProgram(), { numRuns: 300, seed: 1 }).forEach((p) => p.nodes.forEach((n) => seen.add(n.op)));
    expect([...HLIL_OPS].filter((op) => !seen.has(op))).toEqual([]);
  });
});
