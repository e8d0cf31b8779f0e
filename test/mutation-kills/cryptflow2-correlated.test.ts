/**
 * Mutation kills for protocols/cryptflow2/correlated.ts (correlated triples and the millionaires'
 * protocol over them: 78.47 % in the sweep of 2026-12-07, 21 survived, 24 uncovered), by behaviour:
 *   - the empty cases: zero correlated pairs, an AND level with nothing to open and zero comparisons
 *     return empty results without any OT call or message (lines 84, 129, 170), and zero comparisons
 *     still refuse a width outside 1 … 64 as a defect naming it (171);
 *   - the receiver's completion refuses an OT output of the wrong length as a defect (74);
 *   - an AND level's opening that arrives with the wrong length is a 'decode' error naming the message
 *     (131), and P0 — not P1 — adds e·f to its share (133);
 *   - comparisons whose digit count q makes some level odd (q = 3, 5, 6, 9, 11, 15: no suite drove one,
 *     hence the uncovered carry of the odd last combination, 217–219) reconstruct to F_Mill, with the
 *     high digits often equal so the carried eq matters.
 * Listed as equivalent (scripts/mutation/equivalent/protocols__cryptflow2__correlated.json): the loop
 * bounds one step too far (53, 54, 135, 140, 185, 188, 210, 212: writes past a typed array's end or into
 * a slot rewritten or never read) and the unreachable unused-triples guard (224).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fMill } from '../../ideal/cryptflow2.js';
import { MemoryNetwork } from '../../harness/network/memory.js';
import { partyContext } from '../../protocols/common/context.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { keysFromSeed } from '../../protocols/common/prg.js';
import {
  andLevel,
  correlatedReceiver,
  correlatedTriples,
  millionaireCorrelated,
  type AndLevel,
} from '../../protocols/cryptflow2/correlated.js';
import { randomBits } from '../../protocols/cryptflow2/bits.js';
import { run2, runs, xor } from '../protocols/cryptflow2/support.js';
import { expectDefect, loneParty, noOt } from './defect-support.js';
import { expectCryptflowRejection } from './support.js';

const lone = (id: PartyId): PartyContext => loneParty(id, 16, 'cryptflow2-correlated');
const empty = (): Uint8Array => new Uint8Array(0);

describe('empty inputs: no OT, no message', () => {
  /** Pins line 84 (ConditionalExpression false, BlockStatement {}): zero pairs open no OT. */
  it('zero correlated pairs: five empty arrays at either party, no OT call', async () => {
    for (const id of [0, 1] as const) {
      const t = await correlatedTriples(lone(id), noOt, 0);
      expect([t.a, t.b, t.c, t.b2, t.c2]).toEqual([empty(), empty(), empty(), empty(), empty()]);
    }
  });

  /** Pins line 129 (ObjectLiteral {}, ConditionalExpression false): nothing to open sends nothing. */
  it('an AND level with no singles and no pairs returns three empty arrays and sends no message', async () => {
    const level: AndLevel = {
      single: { t: { a: empty(), b: empty(), c: empty() }, x: empty(), y: empty() },
      pair: {
        t: { a: empty(), b: empty(), c: empty(), b2: empty(), c2: empty() },
        x: empty(),
        y: empty(),
        y2: empty(),
      },
    };
    const { p0, p1, meter } = await run2(16, 'empty level', (ctx) => andLevel(ctx, level));
    for (const out of [p0, p1]) expect([out.z, out.zp, out.zp2]).toEqual([empty(), empty(), empty()]);
    expect(Object.values(meter.messages).every((m) => m === 0)).toBe(true);
    expect(meter.rounds).toBe(0);
  });

  /** Pins line 170 (ConditionalExpression false, BlockStatement {}): zero comparisons open no OT. */
  it('zero comparisons at any valid width: empty shares at either party, no OT call', async () => {
    for (const w of [1, 4, 9, 33, 64])
      for (const id of [0, 1] as const)
        expect(await millionaireCorrelated(lone(id), noOt, new BigUint64Array(0), w)).toEqual(empty());
  });

  /**
   * Pins line 171 (every ConditionalExpression, LogicalOperator, EqualityOperator and BooleanLiteral
   * mutant, and the StringLiteral of the message): with zero comparisons the width is still checked —
   * 1 and 64 pass, 0, 65, a fraction and a negative width are defects naming it.
   */
  it('zero comparisons at a width outside 1 … 64: a defect naming the width', async () => {
    for (const w of [0, 65, 1.5, -3, 100])
      for (const id of [0, 1] as const)
        await expectDefect(
          () => millionaireCorrelated(lone(id), noOt, new BigUint64Array(0), w),
          `millionaires' width ${w}`,
        );
  });
});

describe('receiver completion and the AND opening', () => {
  /** Pins line 74 (ConditionalExpression false, StringLiteral): a short or long OT output is a defect. */
  it('finish refuses an OT output whose length is not k', async () => {
    for (const got of [0, 2, 4]) {
      const r = correlatedReceiver(lone(1), 3);
      await expectDefect(() => r.finish(new BigUint64Array(got)), 'correlated triple OT output length');
    }
    const ok = correlatedReceiver(lone(1), 3).finish(BigUint64Array.from([1n, 2n, 3n]));
    expect([...ok.c, ...ok.c2]).toEqual([1, 0, 1, 0, 1, 1]);
  });

  /** Pins line 131 (StringLiteral): a mis-sized opening is a 'decode' error naming what was expected. */
  it("an opening of the wrong length is a 'decode' error naming the AND opening", async () => {
    const net = new MemoryNetwork({ parties: 2 });
    const ctx = partyContext(0, 16, net.endpoint(0), keysFromSeed('cor opening')[0]);
    net.endpoint(1).send(0, new Uint8Array(3), 'compute');
    const bits = Uint8Array.from([1, 0, 1]);
    const level: AndLevel = {
      single: { t: { a: bits, b: bits, c: bits }, x: bits, y: bits },
      pair: { t: { a: bits, b: bits, c: bits, b2: bits, c2: bits }, x: bits, y: bits, y2: bits },
    };
    await expectCryptflowRejection(
      () => andLevel(ctx, level),
      'decode',
      'message from P1 (AND opening of e, f (singles and correlated pairs)): expected 2 bytes, got 3',
    );
  });

  /**
   * Pins line 133 (EqualityOperator `ctx.id !== 0`): each party's share is c ⊕ e·b ⊕ f·a, and P0's alone
   * carries e·f (e and f the opened values) — for singles, pairs and their second outputs.
   */
  it('P0 adds e·f to its shares, P1 does not', async () => {
    const [ks, kp] = [24, 24];
    const { p0, p1 } = await run2(16, 'cor e·f', async (ctx) => {
      const bits = (n: number): Uint8Array => randomBits(ctx, n);
      const level: AndLevel = {
        single: { t: { a: bits(ks), b: bits(ks), c: bits(ks) }, x: bits(ks), y: bits(ks) },
        pair: {
          t: { a: bits(kp), b: bits(kp), c: bits(kp), b2: bits(kp), c2: bits(kp) },
          x: bits(kp),
          y: bits(kp),
          y2: bits(kp),
        },
      };
      return { level, out: await andLevel(ctx, level) };
    });
    const both = [p0, p1] as const;
    const opened = (pick: (l: AndLevel) => [Uint8Array, Uint8Array]): number[] =>
      xor(...(both.map((p) => Uint8Array.from(xor(...pick(p.level)))) as [Uint8Array, Uint8Array]));
    const s = (l: AndLevel): AndLevel['single'] => l.single;
    const q = (l: AndLevel): AndLevel['pair'] => l.pair;
    const e = opened((l) => [s(l).x, s(l).t.a]);
    const f = opened((l) => [s(l).y, s(l).t.b]);
    const ep = opened((l) => [q(l).x, q(l).t.a]);
    const fp = opened((l) => [q(l).y, q(l).t.b]);
    const fp2 = opened((l) => [q(l).y2, q(l).t.b2]);
    expect(e.some((v, i) => (v & (f[i] as number)) === 1)).toBe(true);
    for (const [id, p] of both.entries()) {
      const isP0 = id === 0 ? 1 : 0;
      const st = s(p.level).t;
      const pt = q(p.level).t;
      const at = (u: Uint8Array, i: number): number => u[i] as number;
      const ef = (x: number[], y: number[], i: number): number => isP0 & (x[i] as number) & (y[i] as number);
      expect([...p.out.z]).toEqual(
        [...st.c].map((c, i) => c ^ ((e[i] as number) & at(st.b, i)) ^ ((f[i] as number) & at(st.a, i)) ^ ef(e, f, i)),
      );
      expect([...p.out.zp]).toEqual(
        [...pt.c].map(
          (c, i) => c ^ ((ep[i] as number) & at(pt.b, i)) ^ ((fp[i] as number) & at(pt.a, i)) ^ ef(ep, fp, i),
        ),
      );
      expect([...p.out.zp2]).toEqual(
        [...pt.c2].map(
          (c, i) => c ^ ((ep[i] as number) & at(pt.b2, i)) ^ ((fp2[i] as number) & at(pt.a, i)) ^ ef(ep, fp2, i),
        ),
      );
    }
  });
});

describe('odd combination counts carry the last digit up a level', () => {
  /**
   * Pins lines 217 (ConditionalExpression false, ArithmeticOperator `c * 2`, BlockStatement {}), 218 and
   * 219 (ArithmeticOperator: the carried lt and eq written to the wrong slot): widths whose q digits make
   * a level odd reconstruct to 1{a < b}; b often shares a's high digits, so the carried eq decides.
   */
  for (const w of [9, 12, 20, 24, 36, 44, 60]) {
    it(`XOR shares of 1{a < b} at w = ${w}`, async () => {
      const top = (1n << BigInt(w)) - 1n;
      const value = fc.bigInt({ min: 0n, max: top });
      const row = fc.tuple(value, value, fc.integer({ min: 0, max: w }));
      await fc.assert(
        fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 6 }), async (rows) => {
          const a = BigUint64Array.from(rows, ([x]) => x);
          const b = BigUint64Array.from(rows, ([x, r, low]) => x ^ (r & ((1n << BigInt(low)) - 1n)));
          const { p0, p1 } = await run2(w, `odd ${w}`, (ctx, ot) =>
            millionaireCorrelated(ctx, ot, ctx.id === 0 ? a : b, w),
          );
          expect(xor(p0, p1)).toEqual([...fMill(w, a, b)]);
        }),
        { numRuns: runs(50) },
      );
    });
  }
});
