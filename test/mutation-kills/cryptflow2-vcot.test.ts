/**
 * Mutation kills for protocols/cryptflow2/vcot.ts (vector COT), survivors of the sweep of 2026-12-07:
 * the empty batch's early returns (119, 136), the decode errors' kind (98, 102) and the label of the
 * corrections message (142, 143), and the alignment copy of the hash output when the permutation hands
 * back a view at a 4-byte offset (66). Listed as equivalent (scripts/mutation/equivalent/
 * protocols__cryptflow2__vcot.json): the loop bounds read past the lengths (37, 39, 53, 73, 138), the
 * other alignment mutants (66), the fast path for even lengths (69) and the default kernels' name (24).
 */
import { describe, expect, it, vi } from 'vitest';
import type { PartyContext } from '../../protocols/common/party.js';
import { expandAll, recvVectorCot, sendVectorCot, unpackValues } from '../../protocols/cryptflow2/vcot.js';
import { run2, type Run2 } from '../protocols/cryptflow2/support.js';
import { expectCryptflowError, expectCryptflowRejection } from './support.js';
import { loneParty, noOt } from './defect-support.js';

/** When set, the OT layer's permutation returns its (unchanged) output as a view at byte offset 4. */
const shift = vi.hoisted(() => ({ on: false }));

vi.mock('../../protocols/ot/hash.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../protocols/ot/hash.js')>();
  const permute = (blocks: Uint8Array): Uint8Array => {
    const out = real.permute(blocks);
    if (!shift.on) return out;
    const padded = new Uint8Array(out.length + 4);
    padded.set(out, 4);
    return padded.subarray(4);
  };
  return { ...real, permute };
});

const LABEL = 'vector COT corrections';
const W = 5;
const LENS = Int32Array.from([3, 2]);
const DELTA = BigUint64Array.from([1n, 30n, 7n, 31n, 16n]);
const CHOICES = Uint8Array.from([1, 0]);

type Tamper = (bytes: Uint8Array) => Uint8Array;

/**
 * A vector COT run (P0 sends, P1 receives) with P1's corrections message passed through `tamper`;
 * the labels P1 gives its receives are recorded in `labels`.
 */
function runTampered(tamper: Tamper, labels: string[]): Promise<Run2<BigUint64Array>> {
  return run2(W, 'vcot tampered', async (ctx, ot) => {
    if (ctx.id === 0) return sendVectorCot(ctx, ot, LENS, DELTA, W);
    const watched: PartyContext = {
      ...ctx,
      recv: async (from, what) => {
        labels.push(what ?? '');
        return tamper(await ctx.recv(from, what));
      },
    };
    return recvVectorCot(watched, ot, CHOICES, LENS, W);
  });
}

describe('vector COT: an empty batch', () => {
  /**
   * Pins vcot.ts:119 and vcot.ts:136 (ConditionalExpression false): with no instances neither party
   * touches the OT channel (noOt rejects any call) and both return an empty vector.
   */
  it('returns an empty vector without any OT', async () => {
    const empty = new Int32Array(0);
    await expect(sendVectorCot(loneParty(0, W, 'vcot empty'), noOt, empty, new BigUint64Array(0), W)).resolves.toEqual(
      new BigUint64Array(0),
    );
    await expect(recvVectorCot(loneParty(1, W, 'vcot empty'), noOt, new Uint8Array(0), empty, W)).resolves.toEqual(
      new BigUint64Array(0),
    );
  });
});

describe('vector COT: malformed corrections', () => {
  /**
   * Pins vcot.ts:98 and vcot.ts:102 (StringLiteral ""): a message of the wrong length and one with a
   * padding bit set are 'decode' errors naming the sender and the step.
   */
  it('unpackValues refuses a wrong length and set padding bits as decode errors', () => {
    expectCryptflowError(
      () => unpackValues(new Uint8Array(1), 3, W, 1, 'step'),
      'decode',
      'message from P1 (step): expected 2 bytes, got 1',
    );
    expectCryptflowError(
      () => unpackValues(Uint8Array.from([0, 0x80]), 3, W, 0, 'step'),
      'decode',
      'message from P0 (step): nonzero padding bits',
    );
    expect([...unpackValues(Uint8Array.from([0xff, 0x7f]), 3, W, 0, 'step')]).toEqual([31n, 31n, 31n]);
  });

  /**
   * Pins vcot.ts:142 and vcot.ts:143 (StringLiteral ""): the receiver labels its receive of the
   * corrections with the step's name, and a truncated or padded-with-ones message fails with a
   * 'decode' error naming P0 and that same label.
   */
  it('a truncated or padding-damaged message fails naming P0 and the label of the receive', async () => {
    const labels: string[] = [];
    await expectCryptflowRejection(
      () => runTampered((b) => b.subarray(0, b.length - 1), labels),
      'decode',
      `message from P0 (${LABEL}): expected 4 bytes, got 3`,
    );
    expect(labels).toEqual([LABEL]);
    await expectCryptflowRejection(
      () => runTampered((b) => b.map((v, i) => (i === b.length - 1 ? v | 0x80 : v)), labels),
      'decode',
      `message from P0 (${LABEL}): nonzero padding bits`,
    );
    expect(labels).toEqual([LABEL, LABEL]);
  });

  it('an untouched message gives X + c·Δ', async () => {
    const { p0: x, p1: y } = await runTampered((b) => b, []);
    const c = [1, 1, 1, 0, 0];
    expect([...y]).toEqual([...x].map((v, i) => BigInt.asUintN(W, v + BigInt(c[i] as number) * (DELTA[i] as bigint))));
  });
});

describe('vector COT: the hash output at a 4-byte offset', () => {
  /**
   * Pins vcot.ts:66 (ConditionalExpression true, EqualityOperator !==, MethodExpression h for
   * h.slice()): when the permutation returns its blocks as a view at byte offset 4 (4-aligned, so
   * the word view keeps the offset), expandAll copies them to an 8-aligned array and gives the same words as at offset 0,
   * instead of failing to view them as 64-bit words.
   */
  it('expandAll gives the same words whatever the offset of the permutation output', () => {
    const seeds = BigUint64Array.from([1n, 2n, 3n, 4n, 5n, 6n]);
    for (const lens of [Int32Array.from([2, 4, 2]), Int32Array.from([3, 1, 2])]) {
      shift.on = false;
      const plain = expandAll(seeds, lens);
      shift.on = true;
      try {
        expect(expandAll(seeds, lens)).toEqual(plain);
      } finally {
        shift.on = false;
      }
      expect(plain.length).toBe(lens.reduce((s, l) => s + l, 0));
    }
  });
});
