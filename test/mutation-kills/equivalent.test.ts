/**
 * The list of surviving mutants argued equivalent (scripts/mutation/equivalent/*.json, read by
 * `npm run mutation`) stays honest: each entry names a mutable file and a line that is still in it, a
 * Stryker mutator, and a reason that is more than the status placeholder `--survivors` prints; no
 * mutant is listed twice. Whether each listed mutant really survives is what the next sweep measures.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EQUIVALENT, equivalenceKey, equivalentLists } from '../../scripts/mutation/equivalent.js';

const MUTATORS = new Set([
  'ArithmeticOperator',
  'ArrayDeclaration',
  'ArrowFunction',
  'AssignmentOperator',
  'BlockStatement',
  'BooleanLiteral',
  'ConditionalExpression',
  'EqualityOperator',
  'LogicalOperator',
  'MethodExpression',
  'ObjectLiteral',
  'OptionalChaining',
  'Regex',
  'StringLiteral',
  'UnaryOperator',
  'UpdateOperator',
]);

describe('scripts/mutation/equivalent/', () => {
  it('each list is named after the one source file its entries are in', () => {
    const wrong = equivalentLists().flatMap(({ name, entries }) =>
      entries
        .filter((e) => `${e.file.replace(/\.ts$/, '').split('/').join('__')}.json` !== name)
        .map((e) => `${e.file} listed in ${name}`),
    );
    expect(wrong).toEqual([]);
  });

  it('every entry names a mutable file, a line still in it, a mutator and a reason', () => {
    const problems: string[] = [];
    for (const e of EQUIVALENT) {
      const where = `${e.file}:${e.line} ${e.mutator} → ${e.replacement}`;
      if (!/^(protocols|ideal|semantics)\/.+\.ts$/.test(e.file) || !existsSync(e.file)) {
        problems.push(`${where}: not a mutable source file`);
        continue;
      }
      const lines = readFileSync(e.file, 'utf8')
        .split('\n')
        .map((l) => l.trim());
      if (!lines.includes(e.code.trim())) problems.push(`${where}: the line "${e.code}" is no longer in the file`);
      if (!MUTATORS.has(e.mutator)) problems.push(`${where}: unknown mutator`);
      if (e.reason.replace(/^(Survived|NoCoverage):\s*/, '').trim().length < 20)
        problems.push(`${where}: no reason given`);
    }
    expect(problems).toEqual([]);
  });

  it('lists no mutant twice', () => {
    const keys = EQUIVALENT.map(
      (e) => `${equivalenceKey(e.file, e.mutator, e.replacement, e.code)}\u0000${e.line}\u0000${e.column ?? '*'}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
  });
});
