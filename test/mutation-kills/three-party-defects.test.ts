/**
 * Mutation kills for protocols/securenn-family/three-party.ts, its defect guards, from the sweep of
 * 2026-12-07 (proofs-notes/mutation.md): a node run or costed with an operand missing, an ArgMax axis
 * beyond its operand's rank, and an operator outside the LLIL union, each stopped by `bug()`
 * (InvariantViolation) with a message naming the node and the operand — never a silent `undefined`.
 * Survivors answered: the `lacks operand` messages of the helper, the holders and the cost (lines 139,
 * 197, 287), the helper's check of a convolution's bias operand (171), the ArgMax axis message (309),
 * and the three `default:` arms (188, 280, 326). Each case runs one party alone on a network nobody
 * else is on: every guard fires before anything is sent or received.
 */
import { describe, it } from 'vitest';
import { numel, type Shape } from '../../spec/geometry.js';
import { llilBuilder } from '../../ir/builder.js';
import type { LNode } from '../../ir/llil.js';
import type { Backend, Held } from '../../protocols/common/backend.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { ALIEN_NODE, expectDefect, lastNode, loneParty, UNHANDLED_ALIEN } from './defect-support.js';
import { asPublic } from '../../protocols/common/sharing.js';
import { secret } from '../../protocols/common/local-ops.js';
import { porthos } from '../../protocols/porthos/index.js';
import { securenn } from '../../protocols/securenn/index.js';

const ELL = 32;
const BACKENDS: readonly Backend[] = [porthos({ kernels: 'reference' }), securenn({ kernels: 'reference' })];

const lone = (id: PartyId): PartyContext => loneParty(id, ELL, 'three-party-defects');

const nodeOf = (build: (b: ReturnType<typeof llilBuilder>) => string): LNode => lastNode(ELL, build);

/** A share of zeros of this shape (the helper's is empty, as it holds none). */
const secretOf = (ctx: PartyContext, shape: Shape): Held =>
  secret(shape, new BigUint64Array(ctx.id === 2 ? 0 : numel(shape)));
const publicOf = (shape: Shape): Held => ({ kind: 'public', shape, data: asPublic(new BigUint64Array(numel(shape))) });

const mul = nodeOf((b) => b.mul(b.input('a', [3], 0, 'client'), b.input('b', [3], 0, 'server')));
const lacks = (node: LNode, i: number): string => `node '${node.out}' lacks operand ${i}`;

describe('a node with an operand missing', () => {
  it.each(BACKENDS)('$name: run on the helper and on each holder, and its cost', async (backend) => {
    for (const id of [0, 1, 2] as const) {
      const ctx = lone(id);
      await expectDefect(() => backend.run(ctx, mul, [secretOf(ctx, [3])]), lacks(mul, 1));
    }
    await expectDefect(() => backend.cost(mul, [{ shape: [3], secret: true }], ELL), lacks(mul, 1));
  });

  it.each(BACKENDS)("$name: the helper checks a convolution's bias operand too", async (backend) => {
    const conv = nodeOf((b) =>
      b.conv(b.input('x', [1, 1, 3, 3], 0, 'client'), b.input('w', [1, 1, 2, 2], 0, 'server'), {
        b: b.input('bias', [1], 0, 'server'),
      }),
    );
    const ctx = lone(2);
    await expectDefect(
      () => backend.run(ctx, conv, [publicOf([1, 1, 3, 3]), secretOf(ctx, [1, 1, 2, 2])]),
      lacks(conv, 2),
    );
  });
});

describe('an ArgMax axis beyond its operand', () => {
  it.each(BACKENDS)('$name: its cost', async (backend) => {
    const argmax = nodeOf((b) => b.argmax(b.input('x', [2, 3], 0, 'client'), 1));
    await expectDefect(() => backend.cost(argmax, [{ shape: [6], secret: true }], ELL), 'ArgMax axis');
  });
});

describe('an operator outside the LLIL union', () => {
  const alien = ALIEN_NODE;
  const unhandled = UNHANDLED_ALIEN;

  it.each(BACKENDS)('$name: run on the helper and on a holder, and its cost', async (backend) => {
    for (const id of [0, 2] as const) {
      const ctx = lone(id);
      await expectDefect(() => backend.run(ctx, alien, [secretOf(ctx, [3])]), unhandled);
    }
    await expectDefect(() => backend.cost(alien, [{ shape: [3], secret: true }], ELL), unhandled);
  });
});
