/**
 * What the server and the helper tell the client after each request, so that the client can report
 * the whole run's communication as `cryptflow run` does: the payload bytes each party sent per link
 * and phase (its meter, harness/network/meter.ts), its messages, its round counters when it began
 * the first node and finished the last, and its bytes per node. These are counts the sender measured, never values.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { CryptflowError } from '../../spec/errors.js';
import { LINKS, zeroLinks, type LinkBytes } from '../../spec/cost/types.js';
import { reportErrors } from '../../ir/json/combinators.js';
import type { PartyId } from '../../protocols/common/party.js';
import type { MeterReading } from '../network/meter.js';

export interface RequestStats {
  readonly request: number;
  readonly meter: MeterReading;
  /** Rounds of this party when it began the program's first node and when it finished its last. */
  readonly roundsAtStart: number;
  readonly roundsAtEnd: number;
  /** The rounds in which this party sent setup messages during the request. */
  readonly setupStamps: readonly number[];
  /** Bytes this party sent per node, per link. */
  readonly perNode: readonly LinkBytes[];
}

const Count = new t.Type<number, number, unknown>(
  'a byte count',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) =>
    typeof u === 'number' && Number.isSafeInteger(u) && u >= 0
      ? t.success(u)
      : t.failure(u, c, 'expected a non-negative integer'),
  (a) => a,
);

const LinksC = t.type(Object.fromEntries(LINKS.map((l) => [l, Count])) as Record<(typeof LINKS)[number], typeof Count>);

const StatsC = t.type({
  request: Count,
  links: LinksC,
  io: LinksC,
  messages: LinksC,
  rounds: Count,
  roundsAtStart: Count,
  roundsAtEnd: Count,
  setupStamps: t.array(Count),
  perNode: t.array(t.array(Count)),
});

export function encodeStats(s: RequestStats): Uint8Array {
  const m = s.meter;
  const json = {
    request: s.request,
    links: m.links,
    io: m.io,
    messages: m.messages,
    rounds: m.rounds,
    roundsAtStart: s.roundsAtStart,
    roundsAtEnd: s.roundsAtEnd,
    setupStamps: s.setupStamps,
    perNode: s.perNode.map((row) => LINKS.map((l) => row[l])),
  };
  return new TextEncoder().encode(JSON.stringify(json));
}

/** Decode a peer's stats for `request` of a program with `nodes` nodes; only the peer's own links may be non-zero. */
export function decodeStats(bytes: Uint8Array, from: PartyId, request: number, nodes: number): RequestStats {
  const bad = (why: string): never => {
    throw new CryptflowError('protocol', `P${from} sent malformed statistics: ${why}`);
  };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return bad('not UTF-8 JSON');
  }
  const d = StatsC.decode(json);
  if (E.isLeft(d)) return bad(reportErrors(d.left).join('; '));
  const s = d.right;
  if (s.request !== request) bad(`they are for request ${s.request}, not ${request}`);
  if (s.perNode.length !== nodes || s.perNode.some((r) => r.length !== LINKS.length))
    bad(`expected ${nodes} rows of ${LINKS.length} links per node`);
  if (s.roundsAtStart > s.roundsAtEnd)
    bad(`the first node began at round ${s.roundsAtStart}, after the last ended (${s.roundsAtEnd})`);
  const foreign = LINKS.filter(
    (l) => !l.startsWith(`P${from}->`) && (s.links[l] > 0 || s.io[l] > 0 || s.messages[l] > 0),
  );
  if (foreign.length > 0) bad(`they count bytes on ${foreign.join(', ')}, which P${from} does not send on`);
  const perNode = s.perNode.map((row) => {
    const out = zeroLinks();
    LINKS.forEach((l, i) => (out[l] = row[i] ?? 0));
    return out;
  });
  return {
    request: s.request,
    meter: { links: s.links, io: s.io, messages: s.messages, rounds: s.rounds },
    roundsAtStart: s.roundsAtStart,
    roundsAtEnd: s.roundsAtEnd,
    setupStamps: s.setupStamps,
    perNode,
  };
}
