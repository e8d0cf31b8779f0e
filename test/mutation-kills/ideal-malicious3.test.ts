/**
 * Mutation kills for ideal/malicious3.ts (F^⊥_op, the functionalities the malicious backend realises).
 *
 * Why the sweep left it uncovered: the sweep selects the suites whose import graph contains the file,
 * and the only one is test/protocols/malicious3/programs.test.ts, which imports `allowedWithAbort`
 * alone and only ever asserts that it holds. Nothing called `malicious3Functionality` or
 * `idealWithAbort`. These tests call them directly against hand-computed values:
 *
 *   - `malicious3Functionality` is F_op with exact truncation: named without "(local)", truncation
 *     'exact', and a ScaleDown's spec a single exact tensor (⌊signed x / 2^k⌋);
 *   - `idealWithAbort` on 'abort' is exactly ⊥; on 'deliver' it is F_op's exact output, for a
 *     division (ScaleDown) and for a non-division (Add);
 *   - `allowedWithAbort` accepts ⊥ and the right value, and refuses a wrong value.
 *
 * Argued equivalent (scripts/mutation/equivalent/ideal__malicious3.json): the `spec.kind === 'exact'`
 * test forced true in `idealWithAbort` (with exact truncation every spec is of kind 'exact').
 */
import { describe, expect, it } from 'vitest';
import type { LNode } from '../../ir/llil.js';
import { allowedWithAbort, idealWithAbort, malicious3Functionality } from '../../ideal/malicious3.js';
import type { RingTensor } from '../../semantics/kernels/types.js';

const ell = 8;
const secretType = (shape: readonly number[]): LNode['type'] => ({ shape, scale: 0, label: 'secret' });
const scaleDown: LNode = { op: 'ScaleDown', out: 'z', x: 'x', shift: 2, type: secretType([4]) };
const addNode: LNode = { op: 'Add', out: 'z', a: 'x', b: 'y', type: secretType([2]) };

/** 13, −13, 7, −1 at ℓ = 8; ⌊·/4⌋ on signed values: 3, −4, 1, −1. */
const x: RingTensor = { shape: [4], data: BigUint64Array.from([13n, 243n, 7n, 255n]) };
const xDividedBy4 = [3n, 252n, 1n, 255n];

describe('ideal/malicious3: F^⊥_op', () => {
  /**
   * Kills 24 BlockStatement (no functionality), 25 ObjectLiteral (options dropped: local truncation,
   * "F_ScaleDown(local)", a local-division spec) and 25 StringLiteral (truncation '').
   */
  it('malicious3Functionality is F_op with exact truncation', () => {
    const f = malicious3Functionality(scaleDown);
    expect(f.name).toBe('F_ScaleDown');
    expect(f.truncation).toBe('exact');
    const spec = f.spec(ell, [x]);
    expect(spec.kind).toBe('exact');
    expect(spec.kind === 'exact' ? [...spec.value.data] : null).toEqual(xDividedBy4);
    expect([...f.sample(ell, [x], { ring: (_e, n) => new BigUint64Array(n).fill(77n) }).data]).toEqual(xDividedBy4);
  });

  /** Kills 34 BlockStatement, 35 ConditionalExpression (false), EqualityOperator, both StringLiterals and the ObjectLiteral. */
  it("idealWithAbort on 'abort' gives exactly ⊥", () => {
    expect(idealWithAbort(scaleDown, ell, [x], 'abort')).toEqual({ kind: 'abort' });
    expect(idealWithAbort(addNode, ell, [x, x], 'abort')).toEqual({ kind: 'abort' });
  });

  /**
   * Kills 35 ConditionalExpression (true: always ⊥), 37 ObjectLiteral and StringLiteral ('output'),
   * 37 ConditionalExpression (false), EqualityOperator and StringLiteral (each reads `spec.exact`,
   * absent from an exact spec).
   */
  it("idealWithAbort on 'deliver' gives F_op's exact output", () => {
    const scaled = idealWithAbort(scaleDown, ell, [x], 'deliver');
    expect(scaled.kind).toBe('output');
    expect(scaled.kind === 'output' ? { shape: scaled.value.shape, data: [...scaled.value.data] } : null).toEqual({
      shape: [4],
      data: xDividedBy4,
    });
    const a: RingTensor = { shape: [2], data: BigUint64Array.from([1n, 200n]) };
    const b: RingTensor = { shape: [2], data: BigUint64Array.from([3n, 100n]) };
    const sum = idealWithAbort(addNode, ell, [a, b], 'deliver');
    expect(sum.kind === 'output' ? [...sum.value.data] : null).toEqual([4n, 44n]);
  });

  /** Kills 42 ConditionalExpression (true: every outcome allowed). */
  it('allowedWithAbort accepts ⊥ and the right value, and refuses a wrong value', () => {
    const eq = (p: number, q: number): boolean => p === q;
    expect(allowedWithAbort<number>({ kind: 'abort' }, 5, eq)).toBe(true);
    expect(allowedWithAbort<number>({ kind: 'output', value: 5 }, 5, eq)).toBe(true);
    expect(allowedWithAbort<number>({ kind: 'output', value: 6 }, 5, eq)).toBe(false);
  });
});
