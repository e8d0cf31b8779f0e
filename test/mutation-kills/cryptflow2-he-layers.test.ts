/**
 * Mutation kills for protocols/cryptflow2-he/layers.ts (Conv, ConvTranspose and MatMul in the layer
 * geometry the coefficient packing takes). Answers the survivors and the mutants no suite reached:
 *   - the rank guard of convShape (an operand of rank < 2, operands of different ranks) and the
 *     missing-dimension guards of convShape and transposedAsConv, with the exact InvariantViolation
 *     message of each;
 *   - a convolution with no spatial axis is exactly matmulShape (empty geometry arrays);
 *   - padBegin has one entry per spatial axis (the begin pads only);
 *   - the ConvTranspose geometry: upsampled extent s·(S − 1) + 1 and unit strides on every spatial
 *     axis, and the upsampled share that follows it.
 */
import { describe, expect, it } from 'vitest';
import { convShape, matmulShape, transposedAsConv } from '../../protocols/cryptflow2-he/layers.js';
import { InvariantViolation } from '../../spec/errors.js';

/** `thunk` must throw bug(what): an InvariantViolation with exactly the message bug() builds. */
function expectBug(thunk: () => unknown, what: string): void {
  let caught: unknown;
  try {
    thunk();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an InvariantViolation').toBeInstanceOf(InvariantViolation);
  expect((caught as InvariantViolation).message).toBe(`internal error (please report): ${what}`);
}

/** A shape of `length` axes with only the listed ones present (the others are holes). */
function holed(length: number, present: Readonly<Record<number, number>>): number[] {
  const out = new Array<number>(length);
  for (const [axis, extent] of Object.entries(present)) out[Number(axis)] = extent;
  return out;
}

const plain1d = { pads: [0, 0], strides: [1], dilations: [1], groups: 1 };

describe('convShape guards', () => {
  /** Pins 19:7 ConditionalExpression (false) and LogicalOperator (&&): a rank-1 input is a defect. */
  it('rejects an input of rank 1 as an operand-rank defect', () => {
    expectBug(() => convShape(plain1d, [3], [3]), 'convolution operand ranks');
    expectBug(
      () => convShape({ pads: [], strides: [], dilations: [], groups: 1 }, [], []),
      'convolution operand ranks',
    );
  });

  /** Pins 19:16 ConditionalExpression (false), 19:7 false and LogicalOperator (&&): ranks must agree. */
  it('rejects operands of different ranks', () => {
    expectBug(() => convShape(plain1d, [1, 2, 4], [3, 2]), 'convolution operand ranks');
    expectBug(() => convShape(plain1d, [1, 2], [3, 2, 3]), 'convolution operand ranks');
  });

  /** Pins 19:43 StringLiteral (the message above), 30:24, 32:22 and 33:22 StringLiteral. */
  it('names the missing dimension', () => {
    expectBug(() => convShape(plain1d, holed(3, { 1: 2, 2: 4 }), [3, 2, 3]), 'batch');
    expectBug(() => convShape(plain1d, holed(3, { 0: 1, 2: 4 }), [3, 2, 3]), 'channels');
    expectBug(() => convShape(plain1d, [1, 2, 4], holed(3, { 1: 2, 2: 3 })), 'filters');
  });
});

describe('convShape geometry', () => {
  /**
   * Pins 19:7 EqualityOperator (d <= 0) and 51:15, 54:14, 55:16 ArrayDeclaration: a convolution of
   * [m, k] by [n, k] (no spatial axis) is accepted and is the MatMul geometry, with every spatial
   * array empty.
   */
  it('a convolution with no spatial axis is matmulShape', () => {
    for (const [m, k, n] of [
      [2, 5, 3],
      [1, 4, 2],
      [3, 1, 1],
    ] as const) {
      const conv = convShape({ pads: [], strides: [], dilations: [], groups: 1 }, [m, k], [n, k]);
      const mm = matmulShape(m, k, n);
      expect(mm).toEqual(conv);
      expect(mm).toEqual({
        batch: m,
        groups: 1,
        cg: k,
        mg: n,
        input: [],
        padBegin: [],
        padded: [],
        kernel: [],
        strides: [],
        dilations: [],
        output: [],
      });
    }
  });

  /** Pins 22:20 MethodExpression (padBegin = all pads): only the begin pads, one per spatial axis. */
  it('padBegin holds the begin pads only', () => {
    const s1 = convShape({ pads: [1, 2], strides: [1], dilations: [1], groups: 1 }, [1, 1, 5], [1, 1, 3]);
    expect(s1).toMatchObject({ padBegin: [1], padded: [8], output: [6] });
    const s2 = convShape(
      { pads: [2, 0, 1, 3], strides: [2, 1], dilations: [1, 2], groups: 2 },
      [2, 4, 6, 5],
      [6, 2, 3, 2],
    );
    expect(s2).toEqual({
      batch: 2,
      groups: 2,
      cg: 2,
      mg: 3,
      input: [6, 5],
      padBegin: [2, 0],
      padded: [9, 8],
      kernel: [3, 2],
      strides: [2, 1],
      dilations: [1, 2],
      output: [4, 6],
    });
  });
});

describe('transposedAsConv', () => {
  const node = { pads: [0, 1, 0, 1], strides: [2, 3], dilations: [1, 2], groups: 1 };

  /** Pins 104:36, 104:58 and 106:46 StringLiteral: the missing dimension is named. */
  it('names the missing dimension', () => {
    expectBug(() => transposedAsConv(node, [], [2, 1], [1, 1]), 'batch');
    expectBug(() => transposedAsConv(node, [1], [2, 1], [1, 1]), 'channels');
    expectBug(() => transposedAsConv(node, [1, 2, 3, 4], [2], [1, 1, 5, 12]), 'filters');
  });

  /**
   * Pins 109:65 ArithmeticOperator (e + 1) and 103:13 ArithmeticOperator (x.length + 2): the
   * upsampled extent is s·(S − 1) + 1 and the equivalent convolution has stride 1 on each of the d
   * spatial axes (no more).
   */
  it('gives the upsampled geometry with unit strides', () => {
    const t = transposedAsConv(node, [1, 2, 3, 4], [2, 1, 2, 3], [1, 1, 6, 12]);
    expect(t.shape).toEqual({
      batch: 1,
      groups: 1,
      cg: 2,
      mg: 1,
      input: [5, 10],
      padBegin: [1, 4],
      padded: [7, 18],
      kernel: [2, 3],
      strides: [1, 1],
      dilations: [1, 2],
      output: [6, 14],
    });
    const one = transposedAsConv(
      { pads: [0, 0], strides: [3], dilations: [1], groups: 1 },
      [1, 1, 3],
      [1, 1, 1],
      [1, 1, 7],
    );
    expect(one.shape.strides).toEqual([1]);
    expect(Array.from(one.upsample(BigUint64Array.of(4n, 5n, 6n)))).toEqual([4n, 0n, 0n, 5n, 0n, 0n, 6n]);
  });
});
