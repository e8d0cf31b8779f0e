/**
 * Mutation kills for protocols/cryptflow2/index.ts (the CrypTFlow2 backend: 88.17 % in the sweep of
 * 2026-12-07, 27 survived, 6 uncovered; issue 20), by behaviour:
 *   - what the backend declares: its name, claims (rings 8..64, uniform shares, two parties) and the
 *     comparison domain ±2^{ℓ−2} of MaxPool and ArgMax only (lines 89, 114, 320, 322);
 *   - the default kernels: `cryptflow2Backend()` with no options builds and computes (line 112);
 *   - `input`: P2 is refused with a usage error (132), an owner whose value is missing or of the wrong
 *     length gets an 'input' error naming shape and length (134, 136, 137), the other party holds 0
 *     whatever it passes (139), and the owner's share is a copy, masked to ℓ bits, never the caller's
 *     array (139 `slice`);
 *   - `run`: P2 is refused on a node with a secret operand (169); a node whose secret operands one party
 *     holds in the clear is computed by that party alone, with no OT, and is FREE in `cost` (94–97);
 *     a convolution with a public image runs locally, with no OT (208);
 *   - defect guards (InvariantViolation, naming the node): an operand missing in `run` and `cost` (170,
 *     259), an ArgMax axis beyond its operand (287), an operator outside the LLIL union (252, 314).
 * Each case runs one party alone on a network nobody else is on; the backend's OT opener throws, so a
 * path that would open the OT channel fails at once instead of waiting for a peer.
 * Listed as equivalent (scripts/mutation/equivalent/protocols__cryptflow2__index.json): the guards of the
 * all-public branch (164), `ownerOf` on public operands (100), the transposed-convolution kind label
 * (108), the default OT-multiplication kernels (113) and `value !== undefined` for the owner (139).
 */
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { numel, type Shape } from '../../spec/geometry.js';
import { FREE } from '../../spec/cost/types.js';
import { llilBuilder } from '../../ir/builder.js';
import type { LNode } from '../../ir/llil.js';
import type { Held } from '../../protocols/common/backend.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { ALIEN_NODE, expectDefect, lastNode, loneParty, UNHANDLED_ALIEN } from './defect-support.js';
import { asPublic, asShare } from '../../protocols/common/sharing.js';
import { cryptflow2Backend } from '../../protocols/cryptflow2/index.js';
import { expectCryptflowError, expectCryptflowRejection } from './support.js';

const ELL = 16;
const NO_OT = 'this node must not open the OT channel';
const backend = cryptflow2Backend({
  kernels: 'reference',
  openOt: () => {
    throw new CryptflowError('usage', NO_OT);
  },
});
const P2_REFUSED = 'cryptflow2 is a two-party backend: P2 takes no part in its runs';

const lone = (id: PartyId): PartyContext => loneParty(id, ELL, 'cryptflow2-index');

const nodeOf = (build: (b: ReturnType<typeof llilBuilder>) => string): LNode => lastNode(ELL, build);

const words = (vs: readonly bigint[]): BigUint64Array => BigUint64Array.from(vs);
const general = (shape: Shape, vs: readonly bigint[] = new Array<bigint>(numel(shape)).fill(0n)): Held => ({
  kind: 'secret',
  shape,
  share: asShare(words(vs)),
});
const owned = (shape: Shape, owner: 0 | 1, vs: readonly bigint[]): Held => ({
  kind: 'secret',
  shape,
  share: asShare(words(vs)),
  owner,
});
const publicOf = (shape: Shape, vs: readonly bigint[]): Held => ({ kind: 'public', shape, data: asPublic(words(vs)) });
const valuesOf = (h: Held): bigint[] => [...(h.kind === 'secret' ? h.share : h.data)];

const mul = nodeOf((b) => b.mul(b.input('a', [3], 0, 'client'), b.input('b', [3], 0, 'server')));
const relu = nodeOf((b) => b.relu(b.input('x', [4], 0, 'client')));
const maxPool = nodeOf((b) => b.maxPool(b.input('x', [1, 1, 2, 2], 0, 'client'), { kernel: [2, 2] }));
const argmax = nodeOf((b) => b.argmax(b.input('x', [2, 3], 0, 'client'), 1));
const conv = nodeOf((b) => b.conv(b.input('x', [1, 1, 2, 2], 0, 'client'), b.input('w', [1, 1, 2, 2], 0, 'server')));

describe('what the backend declares', () => {
  it('name and claims: rings 8..64, uniform shares, two parties', () => {
    expect(backend.name).toBe('cryptflow2');
    expect(backend.claims).toEqual({
      uniformShares: true,
      rings: Array.from({ length: 57 }, (_, i) => 8 + i),
      parties: 2,
    });
  });

  it('the comparison domain ±2^{ℓ−2} bounds MaxPool and ArgMax only', () => {
    expect(backend.domain?.(maxPool, ELL)).toBe(1n << 14n);
    expect(backend.domain?.(argmax, 32)).toBe(1n << 30n);
    expect(backend.domain?.(relu, ELL)).toBeUndefined();
    expect(backend.domain?.(mul, ELL)).toBeUndefined();
  });

  it('the default kernels compute: a public Mul on the backend built with no options', async () => {
    const out = await cryptflow2Backend().run(lone(0), mul, [publicOf([3], [2n, 3n, 4n]), publicOf([3], [5n, 6n, 7n])]);
    expect(out.kind).toBe('public');
    expect(valuesOf(out)).toEqual([10n, 18n, 28n]);
  });
});

describe('input', () => {
  it('P2 is refused', () => {
    expectCryptflowError(() => backend.input?.(lone(2), 0, [3], undefined), 'usage', P2_REFUSED);
  });

  it("an owner's missing or mis-sized value is an input error naming the shape and the length", () => {
    expectCryptflowError(
      () => backend.input?.(lone(0), 0, [3], words([1n, 2n])),
      'input',
      'P0 enters an input of shape [3] but holds 2 entries',
    );
    expectCryptflowError(
      () => backend.input?.(lone(1), 1, [2, 2], undefined),
      'input',
      'P1 enters an input of shape [2, 2] but holds 0 entries',
    );
  });

  it('the other party holds 0, whatever it passes', () => {
    for (const value of [undefined, words([5n, 6n, 7n])]) {
      const h = backend.input?.(lone(1), 0, [3], value);
      expect(h).toMatchObject({ kind: 'secret', shape: [3], owner: 0 });
      expect(valuesOf(h as Held)).toEqual([0n, 0n, 0n]);
    }
  });

  it("the owner's share is a copy of its value masked to ℓ bits; the caller's array is left alone", () => {
    const value = words([(1n << 16n) + 5n, 6n, 7n]);
    const h = backend.input?.(lone(0), 0, [3], value) as Held;
    expect(h).toMatchObject({ kind: 'secret', shape: [3], owner: 0 });
    expect(valuesOf(h)).toEqual([5n, 6n, 7n]);
    expect([...value]).toEqual([(1n << 16n) + 5n, 6n, 7n]);
    value[1] = 99n;
    expect(valuesOf(h)).toEqual([5n, 6n, 7n]);
  });
});

describe('run and cost by who holds what', () => {
  it('P2 is refused on a node with a secret operand', async () => {
    await expectCryptflowRejection(
      () => backend.run(lone(2), mul, [general([3]), publicOf([3], [1n, 1n, 1n])]),
      'usage',
      P2_REFUSED,
    );
  });

  it('secret operands one party holds in the clear: that party computes alone, no OT, FREE', async () => {
    const ops = [owned([3], 1, [2n, 3n, 4n]), owned([3], 1, [5n, 6n, 7n])];
    const mine = await backend.run(lone(1), mul, ops);
    expect(mine).toMatchObject({ kind: 'secret', shape: [3], owner: 1 });
    expect(valuesOf(mine)).toEqual([10n, 18n, 28n]);
    const other = await backend.run(lone(0), mul, [owned([3], 1, [0n, 0n, 0n]), owned([3], 1, [0n, 0n, 0n])]);
    expect(other).toMatchObject({ kind: 'secret', owner: 1 });
    expect(valuesOf(other)).toEqual([0n, 0n, 0n]);
    const t = (owner: 0 | 1) => ({ shape: [3], secret: true, owner });
    expect(backend.cost(mul, [t(1), t(1)], ELL)).toEqual(FREE);
    expect(backend.cost(mul, [t(0), t(0)], ELL)).toEqual(FREE);
    expect(backend.cost(mul, [t(0), t(1)], ELL)).not.toEqual(FREE);
  });

  it('secret operands of both parties take the OT product', async () => {
    await expectCryptflowRejection(
      () => backend.run(lone(0), mul, [owned([3], 0, [1n, 2n, 3n]), owned([3], 1, [0n, 0n, 0n])]),
      'usage',
      NO_OT,
    );
  });

  it('a convolution with a public image or public weights is local: no OT', async () => {
    const x = [1n, 2n, 3n, 4n];
    const w = [1n, 1n, 1n, 1n];
    for (const ops of [
      [publicOf([1, 1, 2, 2], x), general([1, 1, 2, 2], w)],
      [general([1, 1, 2, 2], x), publicOf([1, 1, 2, 2], w)],
    ]) {
      const out = await backend.run(lone(0), conv, ops);
      expect(out).toMatchObject({ kind: 'secret', shape: [1, 1, 1, 1] });
      expect(valuesOf(out)).toEqual([10n]);
    }
    await expectCryptflowRejection(
      () => backend.run(lone(0), conv, [general([1, 1, 2, 2], x), general([1, 1, 2, 2], w)]),
      'usage',
      NO_OT,
    );
  });
});

describe('defect guards', () => {
  const lacks = (node: LNode, i: number): string => `node '${node.out}' lacks operand ${i}`;

  it('an operand missing: run on each party, and its cost', async () => {
    for (const id of [0, 1] as const)
      await expectDefect(() => backend.run(lone(id), mul, [general([3])]), lacks(mul, 1));
    await expectDefect(() => backend.cost(mul, [{ shape: [3], secret: true }], ELL), lacks(mul, 1));
  });

  it('an ArgMax axis beyond its operand: its cost', async () => {
    await expectDefect(() => backend.cost(argmax, [{ shape: [6], secret: true }], ELL), 'ArgMax axis');
  });

  it('an operator outside the LLIL union: run and cost', async () => {
    const alien = ALIEN_NODE;
    const unhandled = UNHANDLED_ALIEN;
    await expectDefect(() => backend.run(lone(0), alien, [general([3])]), unhandled);
    await expectDefect(() => backend.cost(alien, [{ shape: [3], secret: true }], ELL), unhandled);
  });
});
