/**
 * Mutation kills for protocols/malicious3/cost.ts (which closed form of spec/cost/malicious3.ts each
 * LLIL node of the malicious backend runs). What the first sweep's suites left open:
 *
 *   - a Conv of two secret factors with a public bias is a secret × secret product (a public operand
 *     beside secret ones does not make the node free): its metered bytes equal the product's cost;
 *   - an average pool whose divisors are one power of two costs one truncation, not the general
 *     division: the metered bytes of a 2 × 2 pool equal `trunc`, which is less than `divide`;
 *   - the internal errors: an operand the node needs but was not given, an ArgMax axis outside its
 *     operand's shape, and an operator the switch does not know, each named.
 *
 * Every cost here is pinned twice: against the bytes the real run meters on each link, and against the
 * closed form of spec/cost/malicious3.ts that the node must use.
 */
import { describe, expect, it } from 'vitest';
import { llilBuilder } from '../../ir/builder.js';
import type { LNode, LProgram } from '../../ir/llil.js';
import { nodeCosts } from '../../harness/cost/walk.js';
import { totalBytes } from '../../harness/network/meter.js';
import { runProgram } from '../../harness/runner/program.js';
import { malicious3Costs } from '../../spec/cost/malicious3.js';
import { InvariantViolation } from '../../spec/errors.js';
import type { OperandType } from '../../protocols/common/backend.js';
import { malicious3NodeCost } from '../../protocols/malicious3/cost.js';
import { malicious3Backend } from '../../protocols/malicious3/index.js';

const ell = 16;
const s = 8;
const backend = malicious3Backend({ s });
const ring = (vs: readonly number[]): BigUint64Array =>
  BigUint64Array.from(vs.map((v) => BigInt.asUintN(ell, BigInt(v))));

/** The links the malicious backend meters running `p` (its only node is the one under test). */
async function metered(p: LProgram, client: Map<string, BigUint64Array>, server: Map<string, BigUint64Array>) {
  const r = await runProgram(p, { client, server }, { backend, seed: 'cost' });
  return r.meter.links;
}

function only(p: LProgram): LNode {
  expect(p.nodes).toHaveLength(1);
  return p.nodes[0] as LNode;
}

describe('malicious3 node costs against metered runs', () => {
  /** Kills cost.ts:23 MethodExpression (ops.some: a public bias would make the product free). */
  it('Conv of two secrets with a public bias costs one product of its output size', async () => {
    const b = llilBuilder(ell);
    const x = b.input('x', [1, 1, 3, 3], 0, 'client');
    const w = b.input('w', [2, 1, 2, 2], 0, 'server');
    const bias = b.const('bias', [2], 0, ring([5, -3]));
    b.node({ op: 'Conv', x, w, b: bias, strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1 }, 'y');
    b.output('y', 'client');
    const p = b.build();
    const ops: OperandType[] = [
      { shape: [1, 1, 3, 3], secret: true },
      { shape: [2, 1, 2, 2], secret: true },
      { shape: [2], secret: false },
    ];
    const cost = malicious3NodeCost(only(p), ops, ell, s);
    // output [1, 2, 2, 2]: 8 elements
    expect(cost).toEqual(malicious3Costs.product(ell, s, 8));
    // E = ⌈24/8⌉ = 3 B. mult(8) = product(16): 48 B on each backward link; the closing check: 48 B
    // (digest, coin) on all six links, twice E back, then E on all six: 3·(48 + 48 + 6 + 3) + 3·(48 + 3)
    expect(totalBytes(cost.links)).toBe(468);
    const links = await metered(
      p,
      new Map([['x', ring([1, 2, 3, 4, 5, 6, 7, 8, 9])]]),
      new Map([['w', ring([1, -1, 2, 0, 3, 1, -2, 1])]]),
    );
    expect(links).toEqual(cost.links);
    expect(nodeCosts(p, backend)).toEqual([cost]);
  });

  /** Kills cost.ts:40 ConditionalExpression (false) and StringLiteral ("") on `kind === 'shift'`. */
  it('a 2 × 2 average pool (every divisor 4) costs one truncation, not a division', async () => {
    const b = llilBuilder(ell);
    const x = b.input('x', [1, 1, 4, 4], 0, 'client');
    b.node({ op: 'AvgPool', x, kernel: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], countIncludePad: true }, 'y');
    b.output('y', 'client');
    const p = b.build();
    const cost = malicious3NodeCost(only(p), [{ shape: [1, 1, 4, 4], secret: true }], ell, s);
    // output [1, 1, 2, 2]: 4 elements, each divided by 4 = 2^2
    expect(cost).toEqual(malicious3Costs.trunc(ell, s, 4));
    expect(totalBytes(cost.links)).toBeLessThan(totalBytes(malicious3Costs.divide(ell, s, 4).links));
    const links = await metered(p, new Map([['x', ring(Array.from({ length: 16 }, (_, i) => 3 * i - 20))]]), new Map());
    expect(links).toEqual(cost.links);
  });
});

describe('malicious3 node costs: internal errors', () => {
  const secret = (shape: readonly number[]): OperandType => ({ shape, secret: true });
  const failure = (f: () => unknown): unknown => {
    try {
      f();
    } catch (e) {
      return e;
    }
    return undefined;
  };
  const expectBug = (f: () => unknown, message: string): void => {
    const e = failure(f);
    expect(e).toBeInstanceOf(InvariantViolation);
    expect((e as Error).message).toBe(`internal error (please report): ${message}`);
  };

  /** Kills cost.ts:24 StringLiteral (the missing operand's message). */
  it('a product given one operand names the node and the missing operand', () => {
    const b = llilBuilder(ell);
    const a = b.input('a', [2, 2], 0, 'client');
    b.output(b.node({ op: 'Mul', a, b: a }, 'y'), 'client');
    expectBug(() => malicious3NodeCost(only(b.build()), [secret([2, 2])], ell, s), "node 'y' lacks operand 1");
  });

  /** Kills cost.ts:45 StringLiteral (the ArgMax axis message). */
  it('an ArgMax axis outside its operand is named', () => {
    const b = llilBuilder(ell);
    const x = b.input('x', [2, 3], 0, 'client');
    b.output(b.node({ op: 'ArgMax', x, axis: 1, keepdims: false }, 'y'), 'client');
    expectBug(() => malicious3NodeCost(only(b.build()), [secret([6])], ell, s), 'ArgMax axis');
  });

  /** Kills cost.ts:59 ConditionalExpression (an emptied `default:` returns undefined instead). */
  it('an operator outside the LLIL union is an internal error naming it', () => {
    const node = { op: 'Softmax', out: 'y', x: 'x', type: { shape: [2], scale: 0, label: 'secret' } };
    expectBug(
      () => malicious3NodeCost(node as unknown as LNode, [secret([2])], ell, s),
      `unhandled value: ${JSON.stringify(node)}`,
    );
  });
});
