/**
 * Mutation kills for protocols/malicious3/wire.ts (the malicious backend's sending side and its
 * research/demo corruption). A Wire runs here over a recording context: every message it hands the
 * network is kept, so each strategy is pinned by the exact bytes it sends for chosen messages and
 * message indices t, together with the (t, recipient) pairs it reports to `onDeviation`. Also pinned:
 * `parseCorruption`'s accepted and rejected strings (error kind and full message) and the received-length
 * check of `recvBytes`.
 */
import { describe, expect, it } from 'vitest';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { fromBigints, toBigints } from '../../protocols/malicious3/ring.js';
import { parseCorruption, Wire, type Corruption, type Strategy } from '../../protocols/malicious3/wire.js';
import { loneParty } from './defect-support.js';
import { expectCryptflowError, expectCryptflowRejection } from './support.js';

interface Recorded {
  readonly to: PartyId;
  readonly bytes: Uint8Array;
}

/** Party `id`'s context that records what it sends and answers receives from `inbox`, in order. */
function recorder(id: PartyId, inbox: Uint8Array[] = []): { ctx: PartyContext; sent: Recorded[] } {
  const sent: Recorded[] = [];
  const base = loneParty(id, 16, 'wire-kills');
  const ctx: PartyContext = {
    id,
    ell: 16,
    send: (to, bytes) => {
      sent.push({ to, bytes });
    },
    recv: () => {
      const next = inbox.shift();
      return next === undefined ? Promise.reject(new Error('inbox empty')) : Promise.resolve(next);
    },
    shared: (other) => base.shared(other),
    own: base.own,
    inPhase: (phase, f) => base.inPhase(phase, f),
  };
  return { ctx, sent };
}

/** A message for `sendBytes`: recipient and bytes. */
type Msg = readonly [PartyId, readonly number[]];

/**
 * Party `id` at width `m` sends `msgs` in order under `corruption` (a strategy name stands for a
 * corruption of party `id` with that strategy and nothing else); returns the bytes each message put on
 * the wire and the deviations reported.
 */
function send(
  id: PartyId,
  m: number,
  corruption: Omit<Corruption, 'onDeviation'> | Strategy | undefined,
  msgs: readonly Msg[],
): { out: number[][]; to: PartyId[]; deviations: [number, PartyId][] } {
  const { ctx, sent } = recorder(id);
  const deviations: [number, PartyId][] = [];
  const c: Corruption | undefined =
    corruption === undefined
      ? undefined
      : typeof corruption === 'string'
        ? { party: id, strategy: corruption, onDeviation: (t, to) => deviations.push([t, to]) }
        : { ...corruption, onDeviation: (t, to) => deviations.push([t, to]) };
  const wire = new Wire(ctx, m, c);
  for (const [to, bytes] of msgs) wire.sendBytes(to, Uint8Array.from(bytes));
  expect(wire.sent).toBe(msgs.length);
  return { out: sent.map((r) => Array.from(r.bytes)), to: sent.map((r) => r.to), deviations };
}

const USAGE = `--corrupt takes P0, P1 or P2, optionally followed by :add-error|flip-bit|replay|inconsistent`;

describe('parseCorruption', () => {
  /** Pins 35 BlockStatement, 36 Regex ([^012], required strategy group, single-letter and [^a-z-] classes), 38 (true, m !== null, BooleanLiteral), 43 ObjectLiteral. */
  it.each([
    ['P0', 0, 'add-error'],
    ['P1', 1, 'add-error'],
    ['P2', 2, 'add-error'],
    ['P0:add-error', 0, 'add-error'],
    ['P1:flip-bit', 1, 'flip-bit'],
    ['P2:replay', 2, 'replay'],
    ['P1:inconsistent', 1, 'inconsistent'],
  ])('accepts %s', (text, party, strategy) => {
    expect(parseCorruption(text)).toStrictEqual({ party, strategy });
  });

  /**
   * Pins 36 Regex (the ^ and $ anchors), 38 (false, && for ||), 40 StringLiteral 'usage', 41 the
   * message and its '|' separator.
   */
  it.each(['P3', 'p0', 'xP0', 'P0x', 'P0:', 'P0:replay1', 'P0:bogus', 'P1:add_error', ''])('rejects %j', (text) => {
    const err = expectCryptflowError(() => parseCorruption(text), 'usage');
    expect(err.message).toBe(`${USAGE} (got '${text}')`);
  });
});

describe('Wire: honest parties and `at`', () => {
  /** Pins 66 ConditionalExpression (c !== undefined → true): without a corruption every message goes out as given. */
  it('a wire without a corruption sends its bytes unchanged', () => {
    const r = send(2, 12, undefined, [
      [0, [0xff, 0x0f]],
      [1, []],
      [0, [1, 2, 3]],
    ]);
    expect(r.out).toStrictEqual([[0xff, 0x0f], [], [1, 2, 3]]);
    expect(r.to).toStrictEqual([0, 1, 0]);
  });

  /** The corruption of another party leaves this one's messages alone. */
  it('a party that is not the corrupted one sends its bytes unchanged', () => {
    const r = send(0, 16, { party: 1, strategy: 'add-error' }, [
      [1, [5, 0]],
      [2, [7, 1]],
    ]);
    expect(r.out).toStrictEqual([
      [5, 0],
      [7, 1],
    ]);
    expect(r.deviations).toStrictEqual([]);
  });

  /** Pins 66 ConditionalExpression (c.at === t → false): `at` deviates on exactly that message. */
  it.each([0, 1, 2])('at: %i changes only that message', (at) => {
    const msgs: Msg[] = [
      [1, [10, 0]],
      [2, [20, 0]],
      [1, [30, 0]],
    ];
    const r = send(0, 16, { party: 0, strategy: 'add-error', at }, msgs);
    expect(r.out).toStrictEqual(msgs.map(([, b], t) => (t === at ? [(b[0] as number) + 1, 0] : [...b])));
    expect(r.deviations).toStrictEqual([[at, msgs[at]?.[0]]]);
  });
});

describe('Wire: add-error', () => {
  /** Pins 96 case fallthrough, 118 ArithmeticOperator (subtracting), 117 UpdateOperator i-- (the carry into the next byte). */
  it('adds 1 to the first element, carrying across its bytes and wrapping in m bits', () => {
    const r = send(1, 16, 'add-error', [
      [2, [5, 0]],
      [0, [0xff, 0x00]],
      [2, [0xff, 0x12]],
      [0, [0xff, 0xff]],
    ]);
    expect(r.out).toStrictEqual([
      [6, 0],
      [0x00, 0x01],
      [0x00, 0x13],
      [0x00, 0x00],
    ]);
    expect(r.deviations).toStrictEqual([
      [0, 2],
      [1, 0],
      [2, 2],
      [3, 0],
    ]);
  });

  /**
   * Only the first element of a vector changes: the carry stops at its last byte. Pins 114
   * MethodExpression (Math.max) and ArithmeticOperator (m * 8), 117 (|| for &&, true, <=).
   */
  it('carries only within the first element of a multi-element message', () => {
    const r = send(0, 8, 'add-error', [
      [1, [0xff, 0x00, 0x00]],
      [1, [0x03, 0x04]],
    ]);
    expect(r.out).toStrictEqual([
      [0x00, 0x00, 0x00],
      [0x04, 0x04],
    ]);
    const r16 = send(0, 16, 'add-error', [[1, [0xff, 0xff, 0x00, 0x00]]]);
    expect(r16.out).toStrictEqual([[0x00, 0x00, 0x00, 0x00]]);
  });

  /**
   * A full-width element is masked to m bits; a whole-byte width has no mask. Pins 123 (false, true,
   * !==, m * 8) and 124 (width + 1, (1 << topBits) + 1).
   */
  it('masks the top byte to m mod 8 bits when the element is ⌈m/8⌉ bytes wide', () => {
    const r = send(0, 12, 'add-error', [
      [1, [0xff, 0x0f]],
      [1, [0xff, 0x07]],
      [1, [0x01, 0x02, 0x00, 0x00]],
    ]);
    expect(r.out).toStrictEqual([
      [0x00, 0x00],
      [0x00, 0x08],
      [0x02, 0x02, 0x00, 0x00],
    ]);
    const whole = send(0, 8, 'add-error', [[1, [5]]]);
    expect(whole.out).toStrictEqual([[6]]);
  });

  /** A raw message shorter than an element: the carry stops at its end and nothing is masked (123 true, !==). */
  it('leaves the top byte of a message shorter than ⌈m/8⌉ bytes unmasked', () => {
    const r = send(0, 20, 'add-error', [
      [1, [0x00, 0xff]],
      [1, [0xff, 0xff]],
    ]);
    expect(r.out).toStrictEqual([
      [0x01, 0xff],
      [0x00, 0x00],
    ]);
  });

  /** errorShift j adds 2^j: from its byte j/8 up, wrapping in m bits, and nothing past the element. */
  it('adds 2^errorShift', () => {
    const cases: [number, number[], number[]][] = [
      [9, [0x00, 0x00], [0x00, 0x02]],
      [4, [0xf0, 0x00], [0x00, 0x01]],
      [15, [0x12, 0x80], [0x12, 0x00]],
      [16, [0x12, 0x34], [0x12, 0x34]],
    ];
    for (const [errorShift, before, after] of cases) {
      const r = send(2, 16, { party: 2, strategy: 'add-error', errorShift }, [[0, before]]);
      expect(r.out, `errorShift ${errorShift}`).toStrictEqual([after]);
      expect(r.deviations).toStrictEqual(after.every((v, i) => v === before[i]) ? [] : [[0, 0]]);
    }
  });

  /** sendZ encodes the vector first: the corruption acts on its ⌈m/8⌉-byte encoding. */
  it('acts on the encoding of sendZ', () => {
    const { ctx, sent } = recorder(0);
    const wire = new Wire(ctx, 12, { party: 0, strategy: 'add-error' });
    wire.sendZ(1, fromBigints(12, [0xfffn, 0x123n]));
    expect(sent.map((r) => Array.from(r.bytes))).toStrictEqual([[0x00, 0x00, 0x23, 0x01]]);
  });
});

describe('Wire: flip-bit', () => {
  /** Pins 98 case fallthrough and BlockStatement, 99 (7 * t * …, 7 / t, Math.max, out.length / 8). */
  it('flips bit (7·t) mod min(m, 8·length) of message t', () => {
    const zeros3: Msg[] = Array.from({ length: 6 }, (_, t) => [(t % 2 === 0 ? 1 : 2) as PartyId, [0, 0, 0]]);
    const r = send(0, 20, 'flip-bit', zeros3);
    const expected = [0, 7, 14, 1, 8, 15].map((bit) => {
      const b = [0, 0, 0];
      b[bit >>> 3] = 1 << (bit & 7);
      return b;
    });
    expect(r.out).toStrictEqual(expected);
    expect(r.deviations).toStrictEqual(zeros3.map(([to], t) => [t, to]));

    // a raw message narrower than m: the bit index wraps in its 16 bits; set bits are cleared
    const ones2: Msg[] = Array.from({ length: 6 }, () => [1, [0xff, 0xff]]);
    const raw = send(0, 64, 'flip-bit', ones2);
    expect(raw.out).toStrictEqual(
      [0, 7, 14, 5, 12, 3].map((bit) => {
        const b = [0xff, 0xff];
        b[bit >>> 3] = 0xff ^ (1 << (bit & 7));
        return b;
      }),
    );
  });
});

describe('Wire: replay', () => {
  /**
   * Pins 103 case fallthrough and BlockStatement, 105 (prev !== undefined → false, prev === bytes):
   * the previous message to the same peer, zeros before any.
   */
  it('sends the previous message to that peer again, or zeros', () => {
    const r = send(2, 16, 'replay', [
      [0, [1, 2, 3]],
      [0, [4, 5, 6]],
      [1, [7, 8, 9]],
      [0, [1, 1, 1, 1]],
      [1, [0, 0]],
    ]);
    expect(r.out).toStrictEqual([
      [0, 0, 0],
      [1, 2, 3],
      [0, 0, 0],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(r.deviations).toStrictEqual([
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 0],
      [4, 1],
    ]);
  });

  /** Pins 130 ConditionalExpression: a shorter replay that is a prefix of the message is still a deviation. */
  it('reports a replayed prefix as a deviation', () => {
    const r = send(1, 16, 'replay', [
      [0, [1, 2]],
      [0, [1, 2, 3]],
    ]);
    expect(r.out).toStrictEqual([
      [0, 0],
      [1, 2],
    ]);
    expect(r.deviations).toStrictEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  /** Zeros replacing zeros change nothing: no deviation reported. */
  it('reports no deviation when the replay equals the message', () => {
    const r = send(1, 16, 'replay', [
      [2, [0, 0]],
      [2, [0, 0]],
    ]);
    expect(r.out).toStrictEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(r.deviations).toStrictEqual([]);
  });

  /** Pins 105 ConditionalExpression (prev !== bytes → true): the same buffer sent twice is replaced by zeros. */
  it('sends zeros when the same buffer is sent to that peer again', () => {
    const { ctx, sent } = recorder(0);
    const deviations: [number, PartyId][] = [];
    const wire = new Wire(ctx, 16, { party: 0, strategy: 'replay', onDeviation: (t, to) => deviations.push([t, to]) });
    const b = Uint8Array.from([9, 9]);
    wire.sendBytes(1, Uint8Array.from([3, 4]));
    wire.sendBytes(1, b);
    wire.sendBytes(1, b);
    expect(sent.map((r) => Array.from(r.bytes))).toStrictEqual([
      [0, 0],
      [3, 4],
      [0, 0],
    ]);
    expect(deviations).toStrictEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
  });

  /** Pins 105 MethodExpression (prev.slice() → prev): the replay is a copy, not the caller's earlier buffer. */
  it('replays a snapshot that later writes to the earlier buffer do not reach', () => {
    const { ctx, sent } = recorder(0);
    const wire = new Wire(ctx, 16, { party: 0, strategy: 'replay' });
    const first = Uint8Array.from([1, 2, 3]);
    wire.sendBytes(2, first);
    wire.sendBytes(2, Uint8Array.from([4, 5, 6]));
    first.fill(0xee);
    expect(Array.from(sent[1]?.bytes ?? [])).toStrictEqual([1, 2, 3]);
  });
});

describe('Wire: inconsistent', () => {
  /** Pins 108 (true, false, !==, (id + 1) * 3, id − 1): only the message to (id + 1) mod 3 changes. */
  it.each([0, 1, 2] as const)('P%i adds 1 only toward the next party', (id) => {
    const next = ((id + 1) % 3) as PartyId;
    const prev = ((id + 2) % 3) as PartyId;
    const r = send(id, 8, 'inconsistent', [
      [next, [5]],
      [prev, [5]],
      [prev, [9]],
      [next, [9]],
    ]);
    expect(r.out).toStrictEqual([[6], [5], [9], [10]]);
    expect(r.deviations).toStrictEqual([
      [0, next],
      [3, next],
    ]);
  });

  it('adds 2^errorShift toward the next party', () => {
    const r = send(2, 16, { party: 2, strategy: 'inconsistent', errorShift: 8 }, [
      [0, [1, 1]],
      [1, [1, 1]],
    ]);
    expect(r.out).toStrictEqual([
      [1, 2],
      [1, 1],
    ]);
  });
});

describe('Wire: empty messages', () => {
  /** Pins 94 ConditionalExpression (false): an empty message stays empty under every strategy, replay included. */
  it.each(['add-error', 'flip-bit', 'replay', 'inconsistent'] as const)('%s leaves an empty message empty', (s) => {
    const r = send(0, 12, s, [
      [1, [1, 2]],
      [1, []],
      [2, []],
    ]);
    expect(r.out[1]).toStrictEqual([]);
    expect(r.out[2]).toStrictEqual([]);
    expect(r.deviations.filter(([t]) => t > 0)).toStrictEqual([]);
  });
});

describe('Wire: receiving', () => {
  /** Pins 84 ConditionalExpression (false) and 86 StringLiteral 'protocol'. */
  it('recvBytes aborts on a message of the wrong length', async () => {
    const { ctx } = recorder(1, [Uint8Array.from([1, 2, 3]), Uint8Array.from([1, 2, 3])]);
    const wire = new Wire(ctx, 16, undefined);
    expect(Array.from(await wire.recvBytes(0, 3, 'masks'))).toStrictEqual([1, 2, 3]);
    const err = await expectCryptflowRejection(() => wire.recvBytes(0, 4, 'masks'), 'protocol');
    expect(err.message).toBe('abort: message format check failed in masks (3 bytes, expected 4)');
  });

  it('recvZ decodes ⌈m/8⌉-byte elements', async () => {
    const { ctx } = recorder(2, [Uint8Array.from([0x34, 0x02, 0xff, 0x0f])]);
    const wire = new Wire(ctx, 12, undefined);
    expect(toBigints(await wire.recvZ(0, 2, 'values'))).toStrictEqual([0x234n, 0xfffn]);
  });
});
