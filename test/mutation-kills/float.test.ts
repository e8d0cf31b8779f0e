/**
 * The driver of the float32 semantics (semantics/float.ts): which values floatSemAll keeps when it is
 * told which names to keep (values are dropped after their last use, the kept ones never), that
 * floatSem keeps every declared output even when a later node reads it, the guard against a constant
 * declaration without values, and that an operator outside the closed union is refused instead of
 * being evaluated as the last case (Sigmoid).
 */
import { describe, expect, it } from 'vitest';
import type { HNode, HProgram } from '../../ir/hlil.js';
import { floatSem, floatSemAll } from '../../semantics/float.js';
import { CryptflowError } from '../../spec/errors.js';

const fl = Math.fround;

const X = [1.5, -4];
const W = [0.5, -3];

/** y = Relu(x + w) · x, with the sum `a` and the rectified `r` as intermediates. */
function chain(outputs: readonly string[]): HProgram {
  return {
    ir: 'hlil',
    decls: [
      { kind: 'input', name: 'x', shape: [2], owner: 'client' },
      { kind: 'const', name: 'w', shape: [2], values: Float32Array.from(W) },
    ],
    nodes: [
      { op: 'Add', out: 'a', a: 'x', b: 'w' },
      { op: 'Relu', out: 'r', x: 'a' },
      { op: 'Mul', out: 'y', a: 'r', b: 'x' },
    ],
    outputs: outputs.map((name) => ({ name, to: 'client' as const })),
  };
}

const inputs = (): Map<string, Float32Array> => new Map([['x', Float32Array.from(X)]]);

const A = X.map((x, i) => fl(x + (W[i] as number)));
const R = A.map((a) => (a > 0 ? a : 0));
const Y = R.map((r, i) => fl(r * (X[i] as number)));

describe('floatSemAll: which values it keeps', () => {
  /** Pins float.ts:169 (ConditionalExpression → false, EqualityOperator → !==): without `keep` nothing is dropped. */
  it('without a keep set, every declaration and node value stays', () => {
    const env = floatSemAll(chain(['y']), inputs());
    expect([...env.keys()].sort()).toEqual(['a', 'r', 'w', 'x', 'y']);
    expect([...(env.get('a')?.data ?? [])]).toEqual(A);
    expect([...(env.get('r')?.data ?? [])]).toEqual(R);
    expect([...(env.get('y')?.data ?? [])]).toEqual(Y);
  });

  /**
   * Pins float.ts:169 (ConditionalExpression → true, EqualityOperator → !==), float.ts:172:9
   * (ConditionalExpression → false) and float.ts:172:67 (ConditionalExpression → true / false,
   * EqualityOperator → !==): with a keep set, each value not kept is dropped right after its last
   * use — `x` only after the last node, which still reads it — and the kept value stays.
   */
  it('with a keep set, values are dropped after their last use and kept ones stay', () => {
    const env = floatSemAll(chain(['y']), inputs(), new Set(['y']));
    expect([...env.keys()].sort()).toEqual(['y']);
    expect([...(env.get('y')?.data ?? [])]).toEqual(Y);
  });

  /** Pins float.ts:172:67 (EqualityOperator → !==): a kept value read by a later node is not dropped. */
  it('a kept value that later nodes read is still there at the end', () => {
    const env = floatSemAll(chain(['y']), inputs(), new Set(['a', 'y']));
    expect([...env.keys()].sort()).toEqual(['a', 'y']);
    expect([...(env.get('a')?.data ?? [])]).toEqual(A);
  });
});

describe('floatSem and malformed programs', () => {
  /** Pins float.ts:178 (ArrowFunction → () => undefined): an output read by a later node is still returned. */
  it('returns an intermediate output that a later node also reads', () => {
    const out = floatSem(chain(['r', 'y']), inputs());
    expect([...(out.get('r') ?? [])]).toEqual(R);
    expect([...(out.get('y') ?? [])]).toEqual(Y);
  });

  /**
   * Pins float.ts:164 (ConditionalExpression → false, both StringLiterals): a constant declaration
   * that carries no values (a malformed program; inputs are checked before) is an 'input' error
   * naming it, not a TypeError.
   */
  it('a constant without values is a CryptflowError naming it', () => {
    const p = chain(['y']);
    const bad = {
      ...p,
      decls: [p.decls[0], { kind: 'const', name: 'w', shape: [2] }],
    } as unknown as HProgram;
    let caught: unknown;
    try {
      floatSem(bad, inputs());
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CryptflowError);
    expect((caught as CryptflowError).code).toBe('input');
    expect((caught as CryptflowError).message).toBe("missing input 'w'");
  });

  /**
   * Pins float.ts:150 (ObjectLiteral → {}): an operator outside the union with an `x` operand is a
   * pattern-matching failure, not silently evaluated as the last case (Sigmoid). Without a keep set
   * floatSemAll does not list operands first (operandsOf would refuse the node itself), so the
   * operator match is what is tested.
   */
  it('an unknown operator is refused, not evaluated as Sigmoid', () => {
    const p = chain(['t']);
    const bogus = { op: 'Tanh', out: 't', x: 'x' } as unknown as HNode;
    const bad: HProgram = { ...p, nodes: [bogus] };
    expect(() => floatSemAll(bad, inputs())).toThrow('Pattern matching error: no pattern matches value {"op":"Tanh"');
  });
});
