/**
 * Mutation kills for protocols/cryptflow2-he/index.ts (the HE variant of CrypTFlow2: 76.47 % in the
 * sweep of 2026-12-07, 26 survived, 6 uncovered), by behaviour:
 *   - what the backend declares: its name, claims (rings 8..64, uniform shares, two parties), the
 *     default kernels (`cryptflow2HeBackend()` with no options builds and computes), and `domain`:
 *     ±2^{ℓ−2} for MaxPool and ArgMax, ±2^{ℓ−1} otherwise, capped by (p − 1)/4 and (p − 1)/2 at wide
 *     rings (lines 54, 58, 59, 169–172, 175);
 *   - `run`: P2 is refused on a node with a secret operand (102, 103); a node whose secret operands are
 *     all server-only (the server's inputs), with or without a public operand, is computed by the
 *     server alone and shared by a zero-sharing — no OT, and the result is server-only again (104);
 *   - defect guards (InvariantViolation, naming the node): an operand missing (105), an operator
 *     outside the LLIL union (157).
 * Each case runs one party alone on a network nobody else is on; the backend's OT opener throws, so a
 * path that would open the OT channel fails at once instead of waiting for a peer. No HE session is
 * opened by any case here.
 * Listed as equivalent (scripts/mutation/equivalent/protocols__cryptflow2-he__index.json): the guards of
 * the all-public branch (98), the onNoiseBudget spread (87), `(F.p + 1n) / 4n` (171) and `ring <= field`
 * (172).
 */
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { numel, type Shape } from '../../spec/geometry.js';
import type { LNode } from '../../ir/llil.js';
import type { Held } from '../../protocols/common/backend.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { asPublic, asShare } from '../../protocols/common/sharing.js';
import { cryptflow2HeBackend } from '../../protocols/cryptflow2-he/index.js';
import { FIELD41 } from '../../protocols/cryptflow2-he/field.js';
import { ALIEN_NODE, expectDefect, lastNode, loneParty, UNHANDLED_ALIEN } from './defect-support.js';
import { expectCryptflowRejection } from './support.js';

const ELL = 16;
const NO_OT = 'this node must not open the OT channel';
const P2_REFUSED = 'cryptflow2-he is a two-party backend: P2 takes no part in its runs';
const P = FIELD41.p;

const heBackend = () =>
  cryptflow2HeBackend({
    kernels: 'reference',
    openOt: () => {
      throw new CryptflowError('usage', NO_OT);
    },
  });
const backend = heBackend();

const lone = (id: PartyId): PartyContext => loneParty(id, ELL, 'cryptflow2-he-index');

const nodeOf = (build: (b: Parameters<Parameters<typeof lastNode>[1]>[0]) => string): LNode => lastNode(ELL, build);

const words = (vs: readonly bigint[]): BigUint64Array => BigUint64Array.from(vs);
const general = (shape: Shape, vs: readonly bigint[] = new Array<bigint>(numel(shape)).fill(0n)): Held => ({
  kind: 'secret',
  shape,
  share: asShare(words(vs)),
});
const publicOf = (shape: Shape, vs: readonly bigint[]): Held => ({ kind: 'public', shape, data: asPublic(words(vs)) });
const valuesOf = (h: Held): bigint[] => [...(h.kind === 'secret' ? h.share : h.data)];
/** The ring value (ℓ = 16, two's complement) of field shares s0 + s1 read signed. */
const opened = (s0: Held, s1: Held): bigint[] =>
  valuesOf(s0).map((a, i) => {
    const v = (a + (valuesOf(s1)[i] as bigint)) % P;
    return BigInt.asUintN(ELL, v > (P - 1n) / 2n ? v - P : v);
  });

const mul = nodeOf((b) => b.mul(b.input('a', [3], 0, 'client'), b.input('b', [3], 0, 'server')));
const add = nodeOf((b) => b.add(b.input('a', [3], 0, 'server'), b.input('b', [3], 0, 'server')));
const relu = nodeOf((b) => b.relu(b.input('x', [4], 0, 'server')));
const maxPool = nodeOf((b) => b.maxPool(b.input('x', [1, 1, 2, 2], 0, 'client'), { kernel: [2, 2] }));
const argmax = nodeOf((b) => b.argmax(b.input('x', [2, 3], 0, 'client'), 1));
const avgPool = nodeOf((b) => b.avgPool(b.input('x', [1, 1, 2, 2], 0, 'client'), { kernel: [2, 2] }));

describe('what the backend declares', () => {
  /** Pins 175 StringLiteral (name), 54 ArithmeticOperator (rings), 59 BooleanLiteral (uniformShares). */
  it('name and claims: rings 8..64, uniform shares, two parties', () => {
    expect(backend.name).toBe('cryptflow2-he');
    expect(backend.claims).toEqual({
      uniformShares: true,
      rings: Array.from({ length: 57 }, (_, i) => 8 + i),
      parties: 2,
    });
  });

  /** Pins 58 StringLiteral '' and LogicalOperator `&&` (either hands an unknown kernel name on). */
  it('the default kernels compute: a public Mul on the backend built with no options', async () => {
    const out = await cryptflow2HeBackend().run(lone(0), mul, [
      publicOf([3], [2n, 3n, 4n]),
      publicOf([3], [5n, 6n, 7n]),
    ]);
    expect(out.kind).toBe('public');
    expect(valuesOf(out)).toEqual([10n, 18n, 28n]);
  });

  /**
   * Pins 169 (every ConditionalExpression, LogicalOperator, EqualityOperator, StringLiteral: which
   * nodes compare), 171 ArithmeticOperator `* 4n` and 172 ConditionalExpression `true` (the field cap).
   */
  it('domain: 2^{ℓ−2} for MaxPool and ArgMax, 2^{ℓ−1} (over the window) otherwise, capped by the field', () => {
    expect(backend.domain?.(maxPool, ELL)).toBe(1n << 14n);
    expect(backend.domain?.(argmax, ELL)).toBe(1n << 14n);
    expect(backend.domain?.(relu, ELL)).toBe(1n << 15n);
    expect(backend.domain?.(mul, 32)).toBe(1n << 31n);
    expect(backend.domain?.(avgPool, ELL)).toBe((1n << 15n) / 4n);
    expect(backend.domain?.(maxPool, 64)).toBe((P - 1n) / 4n);
    expect(backend.domain?.(argmax, 64)).toBe((P - 1n) / 4n);
    expect(backend.domain?.(relu, 64)).toBe((P - 1n) / 2n);
    expect(backend.domain?.(maxPool, 40)).toBe(1n << 38n);
  });
});

describe('run by who holds what', () => {
  /** Pins 102 ConditionalExpression false and 103 StringLiterals (code and message). */
  it('P2 is refused on a node with a secret operand', async () => {
    await expectCryptflowRejection(
      () => backend.run(lone(2), mul, [general([3]), publicOf([3], [1n, 1n, 1n])]),
      'usage',
      P2_REFUSED,
    );
  });

  /**
   * Pins 104 (ConditionalExpression false ×2, ArrowFunction, LogicalOperator `&&`): a Relu of a server
   * input is the server's alone — no OT at either party — and opens to the Relu of the input; so is a
   * Relu of that result (it is server-only again).
   */
  it("a Relu of the server's input: computed by P1 in the clear, zero-shared, no OT", async () => {
    const b = heBackend();
    const codec = b.sharing;
    if (codec === undefined) throw new Error('cryptflow2-he has a sharing hook');
    const x = words([3n, (1n << 16n) - 5n, 0n, 7n]);
    const [c0, c1] = [lone(0), lone(1)];
    const x0 = await codec.share(c0, 1, [4], undefined);
    const x1 = await codec.share(c1, 1, [4], x);
    const y0 = await b.run(c0, relu, [x0]);
    const y1 = await b.run(c1, relu, [x1]);
    expect(opened(y0, y1)).toEqual([3n, 0n, 0n, 7n]);
    const z0 = await b.run(c0, relu, [y0]);
    const z1 = await b.run(c1, relu, [y1]);
    expect(opened(z0, z1)).toEqual([3n, 0n, 0n, 7n]);
  });

  /**
   * Pins 104 StringLiteral `h.kind === ''`: an Add of a server input and a public operand is server-only
   * (its Relu then needs no OT), not a local affine sum (whose Relu would open the OT channel).
   */
  it('a server input plus a public operand is server-only: its Relu needs no OT', async () => {
    const b = heBackend();
    const codec = b.sharing;
    if (codec === undefined) throw new Error('cryptflow2-he has a sharing hook');
    const [c0, c1] = [lone(0), lone(1)];
    const c = publicOf([3], [1n, 2n, (1n << 16n) - 10n]);
    const a0 = await codec.share(c0, 1, [3], undefined);
    const a1 = await codec.share(c1, 1, [3], words([4n, 5n, 6n]));
    const s0 = await b.run(c0, add, [a0, c]);
    const s1 = await b.run(c1, add, [a1, c]);
    expect(opened(s0, s1)).toEqual([5n, 7n, (1n << 16n) - 4n]);
    const relu3 = nodeOf((bb) => bb.relu(bb.input('x', [3], 0, 'server')));
    const r0 = await b.run(c0, relu3, [s0]);
    const r1 = await b.run(c1, relu3, [s1]);
    expect(opened(r0, r1)).toEqual([5n, 7n, 0n]);
  });

  it('a Relu of a client secret opens the OT channel (the test double refuses it)', async () => {
    await expectCryptflowRejection(() => backend.run(lone(0), relu, [general([4])]), 'usage', NO_OT);
  });
});

describe('defect guards', () => {
  /** Pins 105 StringLiteral (the defect names the node and the operand). */
  it('an operand missing', async () => {
    await expectDefect(() => backend.run(lone(0), mul, [general([3])]), `node '${mul.out}' lacks operand 1`);
  });

  /** Pins 157 (the default arm of the dispatch). */
  it('an operator outside the LLIL union', async () => {
    await expectDefect(() => backend.run(lone(0), ALIEN_NODE, [general([3])]), UNHANDLED_ALIEN);
  });
});
