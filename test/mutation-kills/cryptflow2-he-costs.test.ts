/**
 * Mutation kills for protocols/cryptflow2-he/costs.ts (the closed-form cost of each LLIL node under
 * cryptflow2-he: 82.93 % in the sweep of 2026-12-07, 12 survived, 9 uncovered), by behaviour, through
 * the backend's own `cost` on single nodes:
 *   - the refusals `run` makes are made at cost too, with the same code and message: a Conv or
 *     ConvTranspose whose filter is a client secret (41–42, 46–47), a Mul or MatMul of two client
 *     secrets (51, 54, 62), and a convolution whose single padded input row is already over N/2 = 4096
 *     cells, so no packing exists, whole-plane or row-tiled (36–37);
 *   - nodes whose operands are all public or server-only cost nothing: `run` computes them at P1 alone
 *     and shares them by a zero-sharing (66);
 *   - defect guards (InvariantViolation naming what is wrong): a product with one operand (32), an
 *     operand slot left empty (67), an ArgMax axis beyond its operand's rank (80), an operator outside
 *     the LLIL union (106).
 * No HE session or OT runs: costs are closed forms. Listed as equivalent
 * (scripts/mutation/equivalent/protocols__cryptflow2-he__costs.json): the MatMul guard of productCost
 * and its message (56: only Mul, MatMul, Conv and ConvTranspose reach it, and the first three return
 * before it) and the emptied `case 'Conv'` (71: it falls through to ConvTranspose's identical return).
 */
import { describe, expect, it } from 'vitest';
import type { OperandType } from '../../protocols/common/backend.js';
import { cryptflow2HeBackend } from '../../protocols/cryptflow2-he/index.js';
import { FREE } from '../../spec/cost/types.js';
import type { Shape } from '../../spec/geometry.js';
import { functionalOtCosts } from '../protocols/cryptflow2/functional-ot.js';
import { ALIEN_NODE, expectDefect, lastNode, UNHANDLED_ALIEN } from './defect-support.js';
import { expectCryptflowError } from './support.js';

const ELL = 16;
const backend = cryptflow2HeBackend({ kernels: 'reference', otCost: functionalOtCosts });
const cost = backend.cost.bind(backend);

const client = (shape: Shape): OperandType => ({ shape, secret: true });
const server = (shape: Shape): OperandType => ({ shape, secret: true, serverOnly: true });
const pub = (shape: Shape): OperandType => ({ shape, secret: false });

type Build = Parameters<typeof lastNode>[1];
const node = (build: Build) => lastNode(ELL, build);

/** Both operands of each node are client inputs in the program; the operand types passed decide. */
const conv = node((b) => b.conv(b.input('x', [1, 1, 4, 4], 0, 'client'), b.input('w', [2, 1, 3, 3], 0, 'client')));
const convT = node((b) =>
  b.convTranspose(b.input('x', [1, 2, 3, 3], 0, 'client'), b.input('w', [2, 3, 2, 2], 0, 'client'), {
    strides: [2, 2],
  }),
);
const mul = node((b) => b.mul(b.input('x', [2, 3], 0, 'client'), b.input('y', [2, 3], 0, 'client')));
const matmul = node((b) => b.matmul(b.input('x', [2, 3], 0, 'client'), b.input('y', [3, 4], 0, 'client')));
const relu = node((b) => b.relu(b.input('x', [2, 3], 0, 'client')));
const argmax = node((b) => b.argmax(b.input('x', [2, 3], 0, 'client'), 1));
/** A 1 × 5000 plane: its one input row alone is 5000 > N/2 = 4096 cells. */
const wide = node((b) => b.conv(b.input('x', [1, 1, 1, 5000], 0, 'client'), b.input('w', [1, 1, 1, 1], 0, 'server')));

const refused = (what: string) => `cryptflow2-he: ${what}`;

describe('cryptflow2-he costs: the refusals of run, made at cost', () => {
  /** Pins 41 ConditionalExpression false and 42 StringLiteral. */
  it('a Conv whose filter is a client secret', () => {
    expectCryptflowError(
      () => cost(conv, [client([1, 1, 4, 4]), client([2, 1, 3, 3])], ELL),
      'unsupported',
      refused('a convolution whose filter is not computed from the server’s inputs alone'),
    );
  });

  /** Pins 46 ConditionalExpression false and 47 StringLiteral. */
  it('a ConvTranspose whose filter is a client secret', () => {
    expectCryptflowError(
      () => cost(convT, [client([1, 2, 3, 3]), client([2, 3, 2, 2])], ELL),
      'unsupported',
      refused('a transposed convolution whose filter is not computed from the server’s inputs alone'),
    );
  });

  /** Pins 51 ConditionalExpression true and 54 StringLiteral. */
  it('a Mul of two client secrets', () => {
    expectCryptflowError(
      () => cost(mul, [client([2, 3]), client([2, 3])], ELL),
      'unsupported',
      refused('an elementwise product of two secrets neither of which is computed from the server’s inputs alone'),
    );
  });

  /** Pins 62 StringLiteral. */
  it('a MatMul of two client secrets', () => {
    expectCryptflowError(
      () => cost(matmul, [client([2, 3]), client([3, 4])], ELL),
      'unsupported',
      refused('a product of two secrets neither of which is computed from the server’s inputs alone'),
    );
  });

  /**
   * Pins 36 ConditionalExpression false and 37 StringLiteral: the plane (5000 cells) is over N/2, and
   * a tile of one output row reads the one input row of 5000 cells, over N/2 too, so `hePacking` has
   * no candidate.
   */
  it('a convolution whose one padded input row exceeds N/2 cells', () => {
    expectCryptflowError(
      () => cost(wide, [client([1, 1, 1, 5000]), server([1, 1, 1, 1])], ELL),
      'unsupported',
      refused('one row of a padded input plane exceeds N/2 cells'),
    );
  });
});

describe('cryptflow2-he costs: nodes of public and server-only operands are free', () => {
  /**
   * Pins 66 ConditionalExpression false: a ReLU of a server-only or a public tensor, and a product of
   * a server-only tensor by a public one, are computed by P1 alone (no OT, no HE): zero bytes on every
   * link and zero rounds, where the ReLU schedule of 6 elements and the slot-packed product would
   * otherwise cost bytes.
   */
  it('ReLU and Mul of server-only and public operands cost nothing', () => {
    expect(cost(relu, [server([2, 3])], ELL)).toEqual(FREE);
    expect(cost(relu, [pub([2, 3])], ELL)).toEqual(FREE);
    expect(cost(mul, [server([2, 3]), pub([2, 3])], ELL)).toEqual(FREE);
    expect(cost(relu, [client([2, 3])], ELL)).not.toEqual(FREE);
  });
});

describe('cryptflow2-he costs: defect guards', () => {
  /**
   * Pins 32 ConditionalExpression false (whole condition and `a === undefined`), LogicalOperator,
   * 32:28 ConditionalExpression false and 32 StringLiteral: the second operand missing, or the first
   * (a sparse list whose slot 0 is empty), each names the node.
   */
  it('a product with one operand names its node', async () => {
    await expectDefect(() => cost(mul, [client([2, 3])], ELL), `node '${mul.out}' lacks an operand`);
    const second: OperandType[] = [];
    second[1] = client([2, 3]);
    await expectDefect(() => cost(mul, second, ELL), `node '${mul.out}' lacks an operand`);
  });

  /** Pins 67 StringLiteral: operand slot 0 left empty (a sparse list) while slot 1 is a client secret. */
  it('an empty operand slot names the node and the slot', async () => {
    const ops: OperandType[] = [];
    ops[1] = client([2, 3]);
    await expectDefect(() => cost(relu, ops, ELL), `node '${relu.out}' lacks operand 0`);
  });

  /** Pins 80 StringLiteral: the ArgMax node's axis 1 on an operand of rank 1. */
  it('an ArgMax axis beyond the operand’s rank', async () => {
    await expectDefect(() => cost(argmax, [client([6])], ELL), 'ArgMax axis');
  });

  /** Pins 106 ConditionalExpression (the emptied default, which would return undefined). */
  it('an operator outside the LLIL union', async () => {
    await expectDefect(() => cost(ALIEN_NODE, [client([3])], ELL), UNHANDLED_ALIEN);
  });
});
