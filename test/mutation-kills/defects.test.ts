/**
 * Broken invariants inside the protocols are defects, stopped by `bug()` (InvariantViolation) before a
 * party computes on or sends anything derived from them — never a silent wrong answer. The guards are
 * part of each building block's contract (the caller passes shares of the stated sizes; only P0 and
 * P1 hold shares; only P2 deals), and Stryker showed that no suite exercised them. Each case calls
 * one block on one party's context with one argument wrong and checks the defect and its message
 * (which names sizes and parties, never values); the helper P2, which passes empty operands, is not
 * held to the operand checks.
 */
import { Ring } from '../../spec/ring.js';
import { Field } from '../../spec/field.js';
import { describe, it } from 'vitest';
import { asField, asRing, deal, receiveDeal, type Part } from '../../protocols/securenn-family/nonlinear/deal.js';
import { argmax, computeMsb, maxPool, privateCompare, selectShare, shareConvert } from '../protocols/by-role.js';
import { PORTHOS } from '../../protocols/securenn-family/nonlinear/variant.js';
import type { HelperContext, HolderContext, PartyContext, PartyId } from '../../protocols/common/party.js';
import { expectDefect, loneParty } from './defect-support.js';
import { asShare, myShare } from '../../protocols/common/sharing.js';
import { addMod, subMod } from '../../semantics/kernels/words.js';

const ELL = 16;
const u64 = (n: number): BigUint64Array => new BigUint64Array(n);

const lone = (id: PartyId): PartyContext => loneParty(id, ELL, 'defects');
const expectDefectIn = (run: () => unknown, fragment: string): Promise<void> => expectDefect(run, fragment, 'contains');

describe('sharing', () => {
  // That the helper holds no share and opens nothing is a type error now (test/protocols/roles.test.ts).
  it('share sizes must match their shape', async () => {
    await expectDefectIn(
      () => myShare(lone(1) as HolderContext, { shape: [2, 3], share: asShare(u64(5)) }),
      'P1 holds a share of 5 entries for shape [2, 3]',
    );
    await expectDefectIn(() => addMod(Ring(ELL), u64(2), u64(3)), 'element-wise operation on 2 and 3 entries');
    await expectDefectIn(() => subMod(Ring(ELL), u64(2), u64(3)), 'element-wise operation on 2 and 3 entries');
  });
});

describe('non-linear building blocks: operand sizes', () => {
  it('ShareConvert and ComputeMSB take n shares', async () => {
    await expectDefectIn(() => shareConvert(lone(0), PORTHOS, 3, u64(2)), 'ShareConvert share of 2 entries for n = 3');
    await expectDefectIn(() => computeMsb(lone(1), PORTHOS, 3, u64(4)), 'ComputeMSB share of 4 entries for n = 3');
  });

  it('SelectShare takes n selectors and n of each operand', async () => {
    await expectDefectIn(
      () => selectShare(lone(0), 2, u64(1), u64(2), u64(2)),
      'SelectShare operands of 1, 2, 2 entries for n = 2',
    );
    await expectDefectIn(
      () => selectShare(lone(0), 2, u64(2), u64(3), u64(2)),
      'SelectShare operands of 2, 3, 2 entries for n = 2',
    );
    await expectDefectIn(
      () => selectShare(lone(1), 2, u64(2), u64(2), u64(1)),
      'SelectShare operands of 2, 2, 1 entries for n = 2',
    );
  });

  it('PrivateCompare takes n·ℓ bit shares, n values r and n bits β', async () => {
    const n = 2;
    await expectDefectIn(
      () => privateCompare(lone(0), PORTHOS, n, new Uint8Array(n * ELL - 1), u64(n), new Uint8Array(n)),
      `PrivateCompare inputs of ${n * ELL - 1}, 2, 2 entries for n = 2, ℓ = ${ELL}`,
    );
    await expectDefectIn(
      () => privateCompare(lone(0), PORTHOS, n, new Uint8Array(n * ELL), u64(n + 1), new Uint8Array(n)),
      `PrivateCompare inputs of ${n * ELL}, 3, 2 entries`,
    );
    await expectDefectIn(
      () => privateCompare(lone(1), PORTHOS, n, new Uint8Array(n * ELL), u64(n), new Uint8Array(n - 1)),
      `PrivateCompare inputs of ${n * ELL}, 2, 1 entries`,
    );
  });
});

describe('MaxPool and ArgMax arguments', () => {
  it('group counts must be non-negative integers and group sizes positive integers', async () => {
    for (const [r, k] of [
      [-1, 2],
      [1.5, 2],
      [1, 0],
      [1, 2.5],
    ] as const) {
      await expectDefectIn(
        () => maxPool(lone(0), PORTHOS, u64(4), new Int32Array(Math.max(0, Math.floor(r * k))), r, k),
        `MaxPool over ${r} groups of ${k}`,
      );
      await expectDefectIn(() => argmax(lone(1), PORTHOS, u64(4), r, k), `ArgMax over ${r} groups of ${k}`);
    }
  });

  it('the window table has r·k cells, each inside the input (on P0 and P1)', async () => {
    await expectDefectIn(
      () => maxPool(lone(0), PORTHOS, u64(4), Int32Array.of(0, 1, 2), 2, 2),
      'MaxPool window table of 3 entries for 2 windows of 2',
    );
    await expectDefectIn(
      () => maxPool(lone(0), PORTHOS, u64(4), Int32Array.of(0, 1, 2, 4), 2, 2),
      'MaxPool window cell 4 outside an input of 4',
    );
    await expectDefectIn(
      () => maxPool(lone(1), PORTHOS, u64(4), Int32Array.of(-1, 1, 2, 3), 2, 2),
      'MaxPool window cell -1 outside an input of 4',
    );
  });

  it('ArgMax input has r·c entries (on P0 and P1)', async () => {
    await expectDefectIn(() => argmax(lone(0), PORTHOS, u64(5), 2, 3), 'ArgMax input of 5 entries for 2 rows of 3');
    await expectDefectIn(() => argmax(lone(1), PORTHOS, u64(7), 2, 3), 'ArgMax input of 7 entries for 2 rows of 3');
  });
});

describe('dealing', () => {
  const field: Part = { kind: 'field', field: Field(67), per: 2 };
  const ring: Part = { kind: 'ring', odd: false };

  it('only the helper deals, with one value array per part of the right size and domain', async () => {
    await expectDefectIn(
      () => deal(lone(0) as HelperContext, 'both', 1, [ring], [u64(1)]),
      'only the helper deals shares',
    );
    await expectDefectIn(
      () => deal(lone(2) as HelperContext, 'both', 1, [ring, field], [u64(1)]),
      '1 value arrays for 2 parts',
    );
    await expectDefectIn(
      () => deal(lone(2) as HelperContext, 'both', 2, [ring, field], [u64(2), new Uint8Array(3)]),
      'part 1 holds 3 values for 2 elements',
    );
    for (const mode of ['both', 'one'] as const) {
      await expectDefectIn(
        () => deal(lone(2) as HelperContext, mode, 2, [field], [u64(4)]),
        'field part holds ring values',
      );
      await expectDefectIn(
        () => deal(lone(2) as HelperContext, mode, 2, [ring], [new Uint8Array(2)]),
        'ring part holds field values',
      );
    }
  });

  it('the helper receives no deal; a part read as the wrong domain is a defect', async () => {
    await expectDefectIn(
      () => receiveDeal(lone(2) as HolderContext, 'both', 1, [ring], 'deal under test'),
      'the helper receives no deal',
    );
    await expectDefectIn(() => asField(u64(1)), 'expected Z_p shares');
    await expectDefectIn(() => asRing(new Uint8Array(1)), 'expected ring shares');
    await expectDefectIn(() => asField(undefined), 'expected Z_p shares');
  });
});
