/**
 * Mutation kills for protocols/cryptflow2/millionaire.ts (the millionaires' protocol), survivors of the
 * sweep: the width guard of millLeaves (69, ConditionalExpression ×4, LogicalOperator ×2,
 * StringLiteral), its input-range guard (71, ConditionalExpression ×2, MethodExpression, ArrowFunction,
 * EqualityOperator, StringLiteral), the empty batch's early return (112, ConditionalExpression and
 * BlockStatement) and the width guard on that path (113, ConditionalExpression ×5, LogicalOperator ×2,
 * BooleanLiteral, EqualityOperator ×4, StringLiteral). Listed as equivalent (scripts/mutation/
 * equivalent/protocols__cryptflow2__millionaire.json): the loop bounds read as `<=` (44, 80, 82, 124,
 * 138, 139), the eq write at t = 0 (141), which fills a slot never read, and the unused-triples guard
 * (150), which cannot fire.
 */
import { describe, expect, it } from 'vitest';
import type { PartyContext } from '../../protocols/common/party.js';
import { millionaire, millLeaves } from '../../protocols/cryptflow2/millionaire.js';
import { expectDefect, loneParty, noOt } from './defect-support.js';
import { run2, xor } from '../protocols/cryptflow2/support.js';

const SEED = 'cryptflow2 millionaire kills';

/** Party `id` alone, every send and receive (by label) recorded; a receive fails at once. */
function silent(id: 0 | 1): { readonly ctx: PartyContext; readonly traffic: string[] } {
  const traffic: string[] = [];
  const ctx: PartyContext = {
    ...loneParty(id, 8, SEED),
    send: (to, bytes) => {
      traffic.push(`send to P${to}: ${bytes.length} bytes`);
    },
    recv: async (from, what) => {
      traffic.push(`recv from P${from}: ${what ?? ''}`);
      throw new Error('no receive expected');
    },
  };
  return { ctx, traffic };
}

const values = (...v: bigint[]): BigUint64Array => BigUint64Array.from(v);

describe('millionaire: an empty batch', () => {
  /**
   * Pins 112 (ConditionalExpression false, BlockStatement {}): no comparisons give an empty share with
   * no message and no OT call (noOt rejects any), for either party and any width in [1, 64].
   */
  it('returns an empty share without traffic or OT', async () => {
    for (const id of [0, 1] as const) {
      for (const w of [1, 8, 64]) {
        const s = silent(id);
        expect(await millionaire(s.ctx, noOt, values(), w)).toEqual(new Uint8Array(0));
        expect(s.traffic).toEqual([]);
      }
    }
  });

  /**
   * Pins 113 (every mutant of the width guard and its message): on the empty path too, widths 0, 65
   * and 1.5 are defects naming the width, while 1 and 64 are accepted.
   */
  it('still refuses a width outside [1, 64]', async () => {
    for (const w of [0, 65, 1.5, -3]) {
      const s = silent(0);
      await expectDefect(() => millionaire(s.ctx, noOt, values(), w), `millionaires' width ${w}`);
      expect(s.traffic).toEqual([]);
    }
    expect(await millionaire(silent(1).ctx, noOt, values(), 1)).toEqual(new Uint8Array(0));
    expect(await millionaire(silent(1).ctx, noOt, values(), 64)).toEqual(new Uint8Array(0));
  });
});

describe('millLeaves: parameter guards', () => {
  /**
   * Pins 69 (ConditionalExpression false on the whole test and on each operand, LogicalOperator
   * variants, StringLiteral ""): widths 0, 65 and 1.5 are defects naming the width, before any OT call
   * (noOt would reject with a usage error instead) or message.
   */
  it('refuses a width outside [1, 64] as a defect naming it', async () => {
    for (const id of [0, 1] as const) {
      for (const w of [0, 65, 1.5]) {
        const s = silent(id);
        await expectDefect(() => millLeaves(s.ctx, noOt, values(0n), w, () => 0), `millionaires' width ${w}`);
        await expectDefect(() => millionaire(s.ctx, noOt, values(0n, 1n), w), `millionaires' width ${w}`);
        expect(s.traffic).toEqual([]);
      }
    }
  });

  /**
   * Pins 71 (ConditionalExpression false ×2, MethodExpression every, ArrowFunction, EqualityOperator
   * >, StringLiteral ""): one input of exactly 2^w among valid ones is a defect naming the width.
   */
  it('refuses an input of 2^w as a defect naming the width', async () => {
    for (const id of [0, 1] as const) {
      const s = silent(id);
      await expectDefect(
        () => millLeaves(s.ctx, noOt, values(3n, 256n), 8, () => 0),
        "millionaires' input exceeds 8 bits",
      );
      await expectDefect(() => millionaire(s.ctx, noOt, values(32n, 0n), 5), "millionaires' input exceeds 5 bits");
      expect(s.traffic).toEqual([]);
    }
  });

  /**
   * Pins 69 and 71 from the accepting side: widths 1 and 64 and inputs of 2^w − 1 run the protocol,
   * whose XOR-shared outputs are exactly 1{a < b}.
   */
  it('accepts widths 1 and 64 and inputs up to 2^w − 1', async () => {
    const one = await run2(1, SEED, (ctx, ot) =>
      millionaire(ctx, ot, ctx.id === 0 ? values(1n, 0n, 1n, 0n) : values(1n, 1n, 0n, 0n), 1),
    );
    expect(xor(one.p0, one.p1)).toEqual([0, 1, 0, 0]);
    const top = (1n << 64n) - 1n;
    const wide = await run2(64, SEED, (ctx, ot) =>
      millionaire(ctx, ot, ctx.id === 0 ? values(top, 0n, top - 1n, 5n) : values(top, top, top, 4n), 64),
    );
    expect(xor(wide.p0, wide.p1)).toEqual([0, 1, 1, 0]);
  });
});
