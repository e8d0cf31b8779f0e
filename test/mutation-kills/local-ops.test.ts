/**
 * Mutation kills for protocols/common/local-ops.ts: the communication-free share operations, called
 * alone at one party (no network) and checked against plaintext values. A full run reconstructs
 * P0 + P1, which hides where a public value or a pad value joins and what P2 carries; these tests
 * read each party's own share:
 *   - sharesOf: a public operand joins at P0, P1 holds zeros, P2 holds an empty array;
 *   - applyLocally / affineLocally: P2 only tracks the shape; Pad's value joins at P0 only;
 *   - addBias: the bias is added per channel at P0 and P1; P2 and a public y pass through untouched;
 *   - argmaxRows: the gather indices for an axis with both outer and inner extent above one;
 *   - the defect guards of apply and argmaxRows, by class and message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LConv, LNode } from '../../ir/llil.js';
import type { Held } from '../../protocols/common/backend.js';
import { addBias, affineLocally, apply, applyLocally, argmaxRows, sharesOf } from '../../protocols/common/local-ops.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { asShare } from '../../protocols/common/sharing.js';
import { kernels } from '../../semantics/kernels/index.js';
import { expectDefect, lastNode, loneParty } from './defect-support.js';

const ELL = 64;
const k = kernels('reference');
const party = (id: PartyId): PartyContext => loneParty(id, ELL, 'local-ops');
const ring = (v: bigint): bigint => BigInt.asUintN(ELL, v);
const words = (vs: readonly bigint[]): BigUint64Array => BigUint64Array.from(vs.map(ring));
const pub = (vs: readonly bigint[]): Held => ({ kind: 'public', shape: [vs.length], data: words(vs) });
const sec = (shape: readonly number[], vs: readonly bigint[]): Held => ({
  kind: 'secret',
  shape,
  share: asShare(words(vs)),
});
const shareOf = (h: Held): bigint[] => {
  if (h.kind !== 'secret') throw new Error('expected a secret');
  return [...h.share];
};
const word = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const RUNS = { numRuns: 60 } as const;

/** A Conv node with output shape [1, c, 1, 2] (addBias reads only its name and type). */
const conv = (c: number): LConv => ({
  op: 'Conv',
  out: 'y',
  x: 'x',
  w: 'w',
  b: 'b',
  strides: [1, 1],
  pads: [0, 0, 0, 0],
  dilations: [1, 1],
  groups: 1,
  type: { shape: [1, c, 1, 2], scale: 0, label: 'secret' },
});

describe('sharesOf', () => {
  /**
   * Pins L36 ConditionalExpression (false) and StringLiteral ('helper' → ""): without the helper
   * branch P2 would get P1's zero share of the full length instead of an empty array.
   */
  it('lifts a public operand: P0 holds it, P1 zeros, P2 an empty array', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), (vs) => {
        const h = pub(vs);
        expect([...sharesOf(party(0), h).share]).toEqual(vs);
        expect([...sharesOf(party(1), h).share]).toEqual(vs.map(() => 0n));
        const helper = sharesOf(party(2), h);
        expect(helper.shape).toEqual([vs.length]);
        expect(helper.share.length).toBe(0);
      }),
      { ...RUNS, seed: 3601 },
    );
  });
});

describe('applyLocally / affineLocally', () => {
  const add = lastNode(ELL, (b) =>
    b.node({ op: 'Add', a: b.input('x', [3], 0, 'client'), b: b.input('z', [3], 0, 'server') }),
  );

  /**
   * Pins L53 ConditionalExpression (false): P2 holds no shares; it returns an empty share of the
   * node's shape instead of running the node on its empty arrays (a Pad gathers from them and fails).
   */
  it('P2 only tracks the shape of an affine node', () => {
    const empty = sec([3], []);
    const pad = lastNode(ELL, (b) => b.pad(b.input('x', [3], 0, 'client'), [1, 1], 5n));
    for (const [r, shape] of [
      [applyLocally(party(2), k, add, [empty, empty]), [3]],
      [affineLocally(party(2), k, add, [empty, pub([1n, 2n, 3n])]), [3]],
      [affineLocally(party(2), k, pad, [empty]), [5]],
    ] as const) {
      expect(r.shape).toEqual(shape);
      expect(shareOf(r)).toEqual([]);
    }
  });

  /**
   * Pins L58 (the `h.kind === 'public'` test): applyLocally hands a public operand's values to the
   * node as they are, at either holder (it does not lift them).
   */
  it('applyLocally applies a public operand as it is at each holder', () => {
    fc.assert(
      fc.property(fc.tuple(word, word, word), fc.tuple(word, word, word), (s, c) => {
        for (const id of [0, 1] as const)
          expect(shareOf(applyLocally(party(id), k, add, [sec([3], s), pub(c)]))).toEqual(
            s.map((v, i) => ring(v + (c[i] as bigint))),
          );
      }),
      { ...RUNS, seed: 3606 },
    );
  });

  /** Add of a share and a public operand: P0 adds the value, P1 keeps its share (mod 2^64). */
  it('a public Add operand joins at P0 only', () => {
    fc.assert(
      fc.property(fc.tuple(word, word, word), fc.tuple(word, word, word), fc.tuple(word, word, word), (s0, s1, c) => {
        const r0 = shareOf(affineLocally(party(0), k, add, [sec([3], s0), pub(c)]));
        const r1 = shareOf(affineLocally(party(1), k, add, [sec([3], s1), pub(c)]));
        expect(r0.map((v, i) => ring(v + (r1[i] as bigint)))).toEqual(
          s0.map((v, i) => ring(v + (s1[i] as bigint) + (c[i] as bigint))),
        );
        expect(r1).toEqual(s1);
      }),
      { ...RUNS, seed: 3602 },
    );
  });

  /** Pins L65 EqualityOperator (ctx.id !== 1): P0 pads its share with the value, P1 with 0. */
  it("Pad's value joins at P0 only, so the sum is padded with it once", () => {
    fc.assert(
      fc.property(fc.tuple(word, word), fc.tuple(word, word), word, (s0, s1, v) => {
        const pad: LNode = lastNode(ELL, (b) => b.pad(b.input('x', [2], 0, 'client'), [1, 1], v));
        const r0 = shareOf(affineLocally(party(0), k, pad, [sec([2], s0)]));
        const r1 = shareOf(affineLocally(party(1), k, pad, [sec([2], s1)]));
        expect(r0).toEqual([ring(v), ...s0, ring(v)]);
        expect(r1).toEqual([0n, ...s1, 0n]);
      }),
      { ...RUNS, seed: 3603 },
    );
  });
});

describe('addBias', () => {
  /** The bias (shared, or public and lifted at P0) is added per channel to each holder's share. */
  it('adds a bias per channel: the shares sum to y + b', () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 6, maxLength: 6 }),
        fc.array(word, { minLength: 6, maxLength: 6 }),
        fc.tuple(word, word, word),
        (y0, y1, bias) => {
          const node = conv(3);
          const r0 = shareOf(addBias(party(0), k, node, sec([1, 3, 1, 2], y0), pub(bias)));
          const r1 = shareOf(addBias(party(1), k, node, sec([1, 3, 1, 2], y1), pub(bias)));
          expect(r1).toEqual(y1);
          expect(r0.map((v, i) => ring(v + (r1[i] as bigint)))).toEqual(
            y0.map((v, i) => ring(v + (y1[i] as bigint) + (bias[Math.floor(i / 2)] as bigint))),
          );
        },
      ),
      { ...RUNS, seed: 3604 },
    );
  });

  /**
   * Pins L82 ConditionalExpression (false, both the whole test and `ctx.id === 2`) and
   * LogicalOperator (&&): P2 gets its own (empty) y back, untouched.
   */
  it('P2 passes its empty share through', () => {
    const y = sec([1, 2, 1, 2], []);
    expect(addBias(party(2), k, conv(2), y, sec([2], []))).toBe(y);
    expect(addBias(party(2), k, conv(2), y, pub([4n, 5n]))).toBe(y);
  });

  /**
   * Pins L82 ConditionalExpression (false, `y.kind !== 'secret'`) and LogicalOperator (&&): a public y
   * is returned as it is at P0 and P1.
   */
  it('a public y passes through unbiased', () => {
    const y: Held = { kind: 'public', shape: [1, 2, 1, 2], data: words([1n, 2n, 3n, 4n]) };
    for (const id of [0, 1] as const) expect(addBias(party(id), k, conv(2), y, sec([2], [7n, 8n]))).toBe(y);
  });
});

describe('argmaxRows', () => {
  /** The reference gather: row (o, i) lists x[o, t, i] for t < c, flat row-major. */
  const model = (shape: readonly number[], axis: number): number[] => {
    const c = shape[axis] as number;
    const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const out: number[] = [];
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) for (let t = 0; t < c; t++) out.push(o * c * inner + t * inner + i);
    return out;
  };

  /** Pins L114 ArithmeticOperator (o * inner → o / inner): outer and inner both above one. */
  it('gathers each row along the axis, for any axis of a rank-1..4 shape', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
          .chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }))),
        ([shape, axis]) => {
          const { idx, r, c } = argmaxRows(shape, axis);
          expect(c).toBe(shape[axis]);
          expect(r * c).toBe(shape.reduce((a, b) => a * b, 1));
          expect([...idx]).toEqual(model(shape, axis));
        },
      ),
      { ...RUNS, seed: 3605 },
    );
    expect([...argmaxRows([2, 2, 2], 1).idx]).toEqual([0, 2, 1, 3, 4, 6, 5, 7]);
  });

  /** Pins L109 StringLiteral ('ArgMax axis' → ""): an axis past the rank is a defect naming it. */
  it('an axis past the rank is a defect', async () => {
    await expectDefect(() => argmaxRows([2, 3], 2), 'ArgMax axis');
  });
});

describe('defect guards', () => {
  /** Pins L47 StringLiteral (the message → ``): a node applied without one of its operands. */
  it('apply without an operand is a defect naming the node and the operand', async () => {
    const add = lastNode(ELL, (b) =>
      b.node({ op: 'Add', a: b.input('x', [2], 0, 'client'), b: b.input('z', [2], 0, 'server') }),
    );
    await expectDefect(
      () => apply(ELL, k, add, [{ shape: [2], data: words([1n, 2n]) }]),
      `node '${add.out}' lacks operand 1`,
    );
  });
});
