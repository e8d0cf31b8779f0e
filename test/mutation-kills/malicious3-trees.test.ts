/**
 * Mutation kills for protocols/malicious3/trees.ts (MaxPool and ArgMax of the malicious backend as
 * comparison trees). What the first sweep's suites left open:
 *
 *   - trees of four and five columns over several windows at once: each level pairs columns 0–1,
 *     2–3, … (not the first half with the second), splits its batch of p·r results back into p
 *     columns of r rows, and carries an odd last column up to the next level, so a maximum in any
 *     position of any row is found, and the first of tied maxima is the ArgMax;
 *   - the metered bytes of both trees equal the backend's closed-form cost (a level's batch holds
 *     exactly its pairs, no unpaired column);
 *   - a tree over no columns is an internal error naming it.
 *
 * Argued equivalent (scripts/mutation/equivalent/protocols__malicious3__trees.json): `i <= r` in
 * `columns` (the extra write lands past the end of an Int32Array of length r and is dropped) and the
 * `.slice(0, pairs)` of the right-hand columns (there are exactly ⌊n/2⌋ odd positions among n).
 */
import { describe, expect, it } from 'vitest';
import { llilBuilder } from '../../ir/builder.js';
import type { LProgram } from '../../ir/llil.js';
import { nodeCosts } from '../../harness/cost/walk.js';
import { plaintextBackend } from '../../harness/backends/plaintext.js';
import { runProgram } from '../../harness/runner/program.js';
import { sequence } from '../../spec/cost/types.js';
import { InvariantViolation } from '../../spec/errors.js';
import { malicious3Backend } from '../../protocols/malicious3/index.js';
import { argmaxTree, maxTree } from '../../protocols/malicious3/trees.js';
import { run3 } from '../protocols/malicious3/support.js';

const ell = 16;
const backend = malicious3Backend({ s: 8 });
const ring = (vs: readonly number[]): BigUint64Array =>
  BigUint64Array.from(vs.map((v) => BigInt.asUintN(ell, BigInt(v))));
const signed = (xs: BigUint64Array | undefined): number[] => [...(xs ?? [])].map((v) => Number(BigInt.asIntN(ell, v)));

/** Rows of c entries with the unique maximum at each position in turn, then all-negative rows. */
function rowsWithMaxEverywhere(c: number): number[][] {
  const rows: number[][] = [];
  for (let at = 0; at < c; at++) rows.push(Array.from({ length: c }, (_, j) => (j === at ? 90 + at : 3 * j - 7)));
  rows.push(Array.from({ length: c }, (_, j) => -20 - ((j * 7) % c)));
  return rows;
}

/** Run `p` on the malicious and the plaintext backend: the output `y` of each, and the metered links. */
async function both(p: LProgram, x: BigUint64Array): Promise<{ got: number[]; want: number[] }> {
  const inputs = { client: new Map([['x', x]]), server: new Map<string, BigUint64Array>() };
  const mal = await runProgram(p, inputs, { backend, seed: 'trees' });
  const plain = await runProgram(p, inputs, { backend: plaintextBackend(), seed: 'trees' });
  expect(mal.meter.links).toEqual(sequence(...nodeCosts(p, backend)).links);
  return { got: signed(mal.outputs.get('y')), want: signed(plain.outputs.get('y')) };
}

function maxPoolProgram(rows: number, c: number): LProgram {
  const b = llilBuilder(ell);
  const x = b.input('x', [1, rows, 1, c], 0, 'client');
  b.node({ op: 'MaxPool', x, kernel: [1, c], strides: [1, 1], pads: [0, 0, 0, 0] }, 'y');
  b.output('y', 'client');
  return b.build();
}

function argmaxProgram(rows: number, c: number): LProgram {
  const b = llilBuilder(ell);
  const x = b.input('x', [rows, c], 0, 'client');
  b.node({ op: 'ArgMax', x, axis: 1, keepdims: false }, 'y');
  b.output('y', 'client');
  return b.build();
}

describe('malicious3 trees: four and five columns over several windows', () => {
  /**
   * Kills trees.ts:25 ArithmeticOperator (j / r: the second pair's results read from offset 1/r, not
   * r), :34 MethodExpression (level.slice: lefts 0, 1 instead of 0, 2), :34 ConditionalExpression
   * (true: the same) and :34 ArithmeticOperator (j * 2 === 0: column 0 alone on the left).
   */
  it('MaxPool finds the maximum in every position of every window (c = 4, 5)', async () => {
    for (const c of [4, 5]) {
      const rows = rowsWithMaxEverywhere(c);
      const { got, want } = await both(maxPoolProgram(rows.length, c), ring(rows.flat()));
      expect(got).toEqual(rows.map((r) => Math.max(...r)));
      expect(got).toEqual(want);
    }
  });

  /**
   * Kills trees.ts:50 MethodExpression (level: every column on the left), :50 MethodExpression (no
   * slice: an odd level's last column paired twice, a longer batch), :50 ConditionalExpression (true:
   * lefts 0, 1 instead of 0, 2), and :62 ConditionalExpression / ArithmeticOperator (the odd last
   * column dropped, so a maximum in column 2 of three or column 4 of five is lost).
   */
  it('ArgMax is the index of the first maximum (c = 3, 4, 5), ties to the left', async () => {
    for (const c of [3, 4, 5]) {
      const rows = [...rowsWithMaxEverywhere(c), Array.from({ length: c }, (_, j) => (j === 0 ? 1 : 8))];
      const { got, want } = await both(argmaxProgram(rows.length, c), ring(rows.flat()));
      expect(got).toEqual([...Array.from({ length: c }, (_, at) => at), 0, 1]);
      expect(got).toEqual(want);
    }
  });
});

describe('malicious3 trees: no columns', () => {
  /** Kills trees.ts:41 and :65 StringLiteral (the internal errors' messages). */
  it('a tree over no columns is an internal error naming it', async () => {
    const failure = (prog: Promise<unknown>): Promise<unknown> =>
      prog.then(
        () => undefined,
        (e: unknown) => e,
      );
    const max = await failure(run3(ell, 8, 'empty', (st) => maxTree(st, [], 1)));
    expect(max).toBeInstanceOf(InvariantViolation);
    expect((max as Error).message).toBe('internal error (please report): max of no columns');
    const arg = await failure(run3(ell, 8, 'empty', (st) => argmaxTree(st, [], 1)));
    expect(arg).toBeInstanceOf(InvariantViolation);
    expect((arg as Error).message).toBe('internal error (please report): argmax of no columns');
  });
});
