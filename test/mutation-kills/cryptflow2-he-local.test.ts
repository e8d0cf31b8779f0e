/**
 * Mutation kills for protocols/cryptflow2-he/local.ts: one party's local work, called alone (no
 * network). The reconstructed result of a run cannot tell which party a public value joins at, so
 * these tests read each party's own field share:
 *   - fieldShare: a public operand joins at the holder (the other party holds zeros), and an entry
 *     outside the field's range is an input error naming "a public operand", raised at the holder;
 *   - affineP: ScaleUp multiplies mod p (not mod 2^64 and then reduced), Pad's value joins at P0 only,
 *     and a ScaleUp without an operand is a defect;
 *   - ServerClear: reading a value that was never marked is a defect with its message.
 */
import { describe, expect, it } from 'vitest';
import type { LNode } from '../../ir/llil.js';
import type { Held } from '../../protocols/common/backend.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { asShare } from '../../protocols/common/sharing.js';
import { FIELD41, modP } from '../../protocols/cryptflow2-he/field.js';
import { affineP, fieldSecret, fieldShare, ServerClear } from '../../protocols/cryptflow2-he/local.js';
import { kernels } from '../../semantics/kernels/index.js';
import { expectDefect, lastNode, loneParty } from './defect-support.js';
import { expectCryptflowError } from './support.js';

const ELL = 64;
const F = FIELD41;
const k = kernels('reference');
const party = (id: 0 | 1): PartyContext => loneParty(id, ELL, 'cryptflow2-he-local');
const ring = (v: bigint): bigint => BigInt.asUintN(ELL, v);
const pub = (vs: readonly bigint[]): Held => ({
  kind: 'public',
  shape: [vs.length],
  data: BigUint64Array.from(vs.map(ring)),
});
const secret = (vs: readonly bigint[]): Held => fieldSecret([vs.length], BigUint64Array.from(vs));

describe('fieldShare', () => {
  /** Pins L58 EqualityOperator (ctx.id !== holder): the public value sits at the holder, zeros at the other. */
  it('a public operand joins at the holder, signed and reduced mod p; the other party holds zeros', () => {
    const h = pub([5n, -2n, 0n, F.half]);
    const joined = [5n, F.p - 2n, 0n, F.half];
    expect([...fieldShare(party(0), F, h)]).toEqual(joined);
    expect([...fieldShare(party(1), F, h)]).toEqual([0n, 0n, 0n, 0n]);
    expect([...fieldShare(party(1), F, h, 1)]).toEqual(joined);
    expect([...fieldShare(party(0), F, h, 1)]).toEqual([0n, 0n, 0n, 0n]);
  });

  it('a secret operand is its own share at either party', () => {
    const share = BigUint64Array.of(3n, F.p - 1n);
    for (const id of [0, 1] as const) expect(fieldShare(party(id), F, fieldSecret([2], share))).toBe(share);
  });

  /** Pins L58 StringLiteral ('a public operand' → ""): the range error names the operand. */
  it('an entry outside ±(p − 1)/2 is an input error at the holder naming a public operand', () => {
    const h = pub([1n, 1n << 50n]);
    expectCryptflowError(
      () => fieldShare(party(0), F, h),
      'input',
      "a public operand has an entry outside the field's range",
    );
    expect([...fieldShare(party(1), F, h)]).toEqual([0n, 0n]);
  });
});

describe('affineP', () => {
  /**
   * Pins L73 ConditionalExpression (false), StringLiteral ("") and BlockStatement ({}): without the
   * ScaleUp branch the ring kernel multiplies mod 2^64, which wraps once v·2^40 ≥ 2^63.
   */
  it('ScaleUp multiplies a field share by 2^shift mod p, past 2^64', () => {
    const node = lastNode(ELL, (b) => b.scaleUp(b.input('x', [4], 0, 'client'), 40));
    const vs = [F.p - 1n, (1n << 40n) + 7n, 123456789012n, 1n];
    const want = vs.map((v) => (v << 40n) % F.p);
    for (const id of [0, 1] as const) expect([...affineP(party(id), F, k, node, [secret(vs)])]).toEqual(want);
    expect(want[0]).not.toBe(modP(F, BigInt.asIntN(64, (vs[0] as bigint) << 40n)));
  });

  /** Pins L75 StringLiteral ('ScaleUp operand' → ""): a ScaleUp called without its operand is a defect. */
  it('ScaleUp without an operand is a defect naming it', async () => {
    const node = lastNode(ELL, (b) => b.scaleUp(b.input('x', [2], 0, 'client'), 3));
    await expectDefect(() => affineP(party(0), F, k, node, []), 'ScaleUp operand');
  });

  /** Pins L82 EqualityOperator (ctx.id !== holder): Pad's value joins P0's share; P1 pads with 0. */
  it("Pad's value joins at P0 only, signed and reduced mod p", () => {
    const node: LNode = lastNode(ELL, (b) => b.pad(b.input('x', [2], 0, 'client'), [1, 1], -3n));
    const x = secret([10n, F.p - 4n]);
    expect([...affineP(party(0), F, k, node, [x])]).toEqual([F.p - 3n, 10n, F.p - 4n, F.p - 3n]);
    expect([...affineP(party(1), F, k, node, [x])]).toEqual([0n, 10n, F.p - 4n, 0n]);
  });
});

describe('ServerClear', () => {
  /** Pins L45 StringLiteral (the defect message → ""): a share never marked has no clear value. */
  it('reading an unmarked or public operand is a defect; a marked one reads its clear value', async () => {
    const clear = new ServerClear();
    const clearValue = BigUint64Array.of(9n, 8n);
    const marked = clear.mark([2], BigUint64Array.of(1n, 2n), clearValue);
    expect(clear.value(marked)).toBe(clearValue);
    expect(clear.has(marked)).toBe(true);
    const unmarked: Held = { kind: 'secret', shape: [2], share: asShare(BigUint64Array.of(1n, 2n)) };
    expect(clear.has(unmarked)).toBe(false);
    expect(clear.has(pub([1n, 2n]))).toBe(false);
    const text = 'a server-only value read where it is not held in the clear';
    await expectDefect(() => clear.value(unmarked), text);
    await expectDefect(() => clear.value(pub([1n, 2n])), text);
  });
});
