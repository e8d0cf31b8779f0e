/**
 * Mutation kills for protocols/cryptflow2/and.ts (bit triples and Beaver AND gates), survivors of the
 * sweep: which party sends the triple OTs (79, EqualityOperator) and which adds the public e·f (120,
 * EqualityOperator), the empty batch's early return (107, ConditionalExpression), the label of the
 * opening's receive (115, StringLiteral), and the defect guards with their messages: the OT output
 * length (65, ConditionalExpression and StringLiteral), the exhausted triple stock (94,
 * ConditionalExpression and StringLiteral) and the AND batch sizes (106, ConditionalExpression ×3,
 * LogicalOperator, StringLiteral). Listed as equivalent (scripts/mutation/equivalent/
 * protocols__cryptflow2__and.json): the loop bounds read as `<=` (37, 39, 56, 67, 117), whose extra pass
 * reads undefined (coerced to 0) and writes past the end of a typed array or a slot rewritten later.
 */
import { describe, expect, it } from 'vitest';
import type { PartyContext } from '../../protocols/common/party.js';
import {
  andGates,
  bitTriples,
  TripleStock,
  tripleReceiver,
  tripleSender,
  type BitTriples,
} from '../../protocols/cryptflow2/and.js';
import { packBits } from '../../protocols/cryptflow2/bits.js';
import type { OtChannel } from '../../protocols/ot/types.js';
import { expectCryptflowRejection } from './support.js';
import { expectDefect, loneParty, noOt } from './defect-support.js';

const SEED = 'cryptflow2 and kills';
const LABEL = 'AND opening of e, f';

interface Scripted {
  readonly ctx: PartyContext;
  readonly sent: { readonly to: number; readonly bytes: number[] }[];
  readonly labels: string[];
}

/** Party `id` alone, its sends recorded and every receive (label recorded) answered with `reply`. */
function scripted(id: 0 | 1, reply: Uint8Array): Scripted {
  const sent: { to: number; bytes: number[] }[] = [];
  const labels: string[] = [];
  const ctx: PartyContext = {
    ...loneParty(id, 8, SEED),
    send: (to, bytes) => {
      sent.push({ to, bytes: [...bytes] });
    },
    recv: async (from, what) => {
      labels.push(`P${from}: ${what ?? ''}`);
      return reply;
    },
  };
  return { ctx, sent, labels };
}

const bits = (...v: number[]): Uint8Array => Uint8Array.from(v);

/** A party's triple shares and inputs for five ANDs; with THEIRS, e = 11001 and f = 10101. */
const TRIPLE: BitTriples = { a: bits(1, 0, 1, 1, 0), b: bits(1, 1, 0, 1, 0), c: bits(0, 1, 1, 1, 0) };
const X = bits(0, 1, 1, 0, 1);
const Y = bits(0, 0, 1, 1, 1);
/** The peer's opening (e_peer ‖ f_peer), so that e = e_mine ⊕ e_peer = 11001 and f = 10101. */
const THEIRS = bits(0, 0, 0, 1, 0, 0, 1, 0, 0, 0);
/** This party's opening (x ⊕ a ‖ y ⊕ b) = 11011 ‖ 11101, packed LSB first. */
const MINE_PACKED = [0xfb, 0x02];

describe('andGates: which party adds e·f', () => {
  /**
   * Pins and.ts:120 (EqualityOperator ctx.id !== 0): P0's share is c ⊕ e·b ⊕ f·a ⊕ e·f, so at the
   * positions where e = f = 1 (0 and 4) it differs from the same computation without e·f.
   */
  it('P0 adds e·f to its share', async () => {
    const s = scripted(0, packBits(THEIRS));
    expect([...(await andGates(s.ctx, TRIPLE, X, Y))]).toEqual([1, 0, 0, 1, 1]);
    expect(s.sent).toEqual([{ to: 1, bytes: MINE_PACKED }]);
    expect(s.labels).toEqual([`P1: ${LABEL}`]);
  });

  /** Pins and.ts:120 (EqualityOperator ctx.id !== 0): P1's share is c ⊕ e·b ⊕ f·a, without e·f. */
  it('P1 does not add e·f to its share', async () => {
    const s = scripted(1, packBits(THEIRS));
    expect([...(await andGates(s.ctx, TRIPLE, X, Y))]).toEqual([0, 0, 0, 1, 0]);
    expect(s.sent).toEqual([{ to: 0, bytes: MINE_PACKED }]);
    expect(s.labels).toEqual([`P0: ${LABEL}`]);
  });
});

describe('andGates: the opening on the wire', () => {
  /**
   * Pins and.ts:115 (StringLiteral ""): a truncated opening (one byte for 2·5 bits) fails as a 'decode'
   * error naming the sender and the step's label.
   */
  it('a truncated opening is a decode error naming the step', async () => {
    const s = scripted(0, packBits(THEIRS).subarray(0, 1));
    const e = await expectCryptflowRejection(() => andGates(s.ctx, TRIPLE, X, Y), 'decode');
    expect(e.message).toBe(`message from P1 (${LABEL}): expected 2 bytes, got 1`);
    const p1 = scripted(1, Uint8Array.of(0, 0x04));
    const e1 = await expectCryptflowRejection(() => andGates(p1.ctx, TRIPLE, X, Y), 'decode');
    expect(e1.message).toBe(`message from P0 (${LABEL}): nonzero padding bits`);
  });

  /**
   * Pins and.ts:107 (ConditionalExpression false): an empty batch returns an empty share without
   * sending or receiving anything.
   */
  it('an empty batch exchanges no message', async () => {
    const empty = new Uint8Array(0);
    for (const id of [0, 1] as const) {
      const s = scripted(id, empty);
      const z = await andGates(s.ctx, { a: empty, b: empty, c: empty }, empty, empty);
      expect(z).toEqual(new Uint8Array(0));
      expect(s.sent).toEqual([]);
      expect(s.labels).toEqual([]);
    }
  });
});

describe('andGates: batch sizes', () => {
  /**
   * Pins and.ts:106 (ConditionalExpression false for the whole test and for its left operand,
   * LogicalOperator &&, StringLiteral ""): y shorter than x is a defect, before any message.
   */
  it('a y of another length than x is a defect', async () => {
    const s = scripted(0, packBits(THEIRS));
    await expectDefect(() => andGates(s.ctx, TRIPLE, X, Y.subarray(0, 4)), 'AND batch sizes');
    expect(s.sent).toEqual([]);
  });

  /** Pins and.ts:106 (ConditionalExpression false for the right operand): too few triples is a defect. */
  it('triples of another length than x are a defect', async () => {
    const s = scripted(1, packBits(THEIRS));
    const short: BitTriples = { a: TRIPLE.a.subarray(0, 4), b: TRIPLE.b.subarray(0, 4), c: TRIPLE.c.subarray(0, 4) };
    await expectDefect(() => andGates(s.ctx, short, X, Y), 'AND batch sizes');
    expect(s.sent).toEqual([]);
  });
});

type OtCall = readonly [string, number, number[], number];

/** An OT channel that records 1-out-of-N calls; `recvN` answers (choice + i) mod 4, all else fails. */
function recordingOt(calls: OtCall[]): OtChannel {
  return {
    ...noOt,
    sendN: async (n, messages, ell) => {
      calls.push(['sendN', n, [...messages].map(Number), ell]);
    },
    recvN: async (n, choices, ell) => {
      calls.push(['recvN', n, [...choices], ell]);
      return answer(choices);
    },
  };
}

const answer = (choices: Uint8Array): BigUint64Array => BigUint64Array.from(choices, (c, i) => BigInt((c + i) % 4));

describe('bitTriples: roles', () => {
  /**
   * Pins and.ts:79 (EqualityOperator ctx.id !== 0): P0 is the OT sender — it offers exactly the 16
   * two-bit messages of a seeded replay of tripleSender and returns that replay's triple shares.
   */
  it('P0 sends the 1-out-of-16 OTs and keeps its seeded sender shares', async () => {
    const calls: OtCall[] = [];
    const t = await bitTriples(loneParty(0, 8, SEED), recordingOt(calls), 5);
    const replay = tripleSender(loneParty(0, 8, SEED), 5);
    expect(t).toEqual(replay.triples);
    expect(replay.messages.length).toBe(48);
    expect(calls).toEqual([['sendN', 16, [...replay.messages].map(Number), 2]]);
  });

  /**
   * Pins and.ts:79 (EqualityOperator ctx.id !== 0): P1 is the OT receiver — its choices are those of
   * a seeded replay of tripleReceiver, and its triples are that replay finished with the OT outputs.
   */
  it('P1 receives the 1-out-of-16 OTs and completes its seeded receiver shares', async () => {
    const calls: OtCall[] = [];
    const t = await bitTriples(loneParty(1, 8, SEED), recordingOt(calls), 5);
    const replay = tripleReceiver(loneParty(1, 8, SEED), 5);
    expect(replay.choices.length).toBe(3);
    expect(calls).toEqual([['recvN', 16, [...replay.choices], 2]]);
    expect(t).toEqual(replay.finish(answer(replay.choices)));
  });
});

describe('tripleReceiver.finish and TripleStock: defect guards', () => {
  /**
   * Pins and.ts:65 (ConditionalExpression false, StringLiteral ""): OT outputs of a length other than
   * ⌈k/2⌉ are a defect.
   */
  it('finish refuses OT outputs of the wrong length', async () => {
    const r = tripleReceiver(loneParty(1, 8, SEED), 5);
    await expectDefect(() => r.finish(new BigUint64Array(2)), 'triple OT output length');
    await expectDefect(() => r.finish(new BigUint64Array(4)), 'triple OT output length');
    expect(r.finish(new BigUint64Array(3)).c).toEqual(new Uint8Array(5));
  });

  /**
   * Pins and.ts:94 (ConditionalExpression false, StringLiteral ""): taking more triples than are left
   * is a defect naming the end asked for and the stock's size, and takes nothing.
   */
  it('take past the end of the stock is a defect', async () => {
    const stock = new TripleStock(TRIPLE);
    expect(stock.take(3)).toEqual({ a: bits(1, 0, 1), b: bits(1, 1, 0), c: bits(0, 1, 1) });
    await expectDefect(() => stock.take(3), 'triple stock exhausted (6 > 5)');
    expect(stock.left).toBe(2);
    expect(stock.take(2)).toEqual({ a: bits(1, 0), b: bits(1, 0), c: bits(1, 0) });
    expect(stock.left).toBe(0);
  });
});
