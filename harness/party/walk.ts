/**
 * One request as one party runs it over its session: the same `programParty` walk as the in-memory
 * runner (harness/runner/program.ts), on the session's one PartyContext, with this party's own inputs
 * only. Around it: the step shown in errors (request, node, operator), the round clock reset per
 * request, a fault-injection hook per node (tests), and this party's counts for the request.
 *
 * Also here: the request frame (its number, 4 bytes) and a party's end-of-session summary of payload,
 * framing and TLS bytes per outgoing link.
 */
import { CryptflowError } from '../../spec/errors.js';
import { LINKS, type LinkBytes, type LinkName } from '../../spec/cost/types.js';
import type { Backend } from '../../protocols/common/backend.js';
import type { PartyId } from '../../protocols/common/party.js';
import type { ChannelCounts } from '../network/tcp/channel.js';
import { difference, linkName } from '../network/meter.js';
import { programParty, type NodeProgress, type PartyInputs } from '../runner/program.js';
import { backendOf } from '../runner/backends.js';
import type { Session } from './session.js';
import { roleOf, type Role } from './session.js';
import type { CompiledProgram } from './setup.js';
import type { RequestStats } from './stats.js';

export interface PartyHooks {
  /** Called as this party starts node `index` (from 0) of request `request` (from 1): fault injection in tests. */
  readonly onNode?: (request: number, index: number) => void;
}

export interface Walked {
  readonly revealed: ReadonlyMap<string, BigUint64Array>;
  readonly stats: RequestStats;
}

export async function walkRequest(
  session: Session,
  prog: CompiledProgram,
  request: number,
  inputs: PartyInputs,
  hooks?: PartyHooks,
  onNode?: (p: NodeProgress) => void,
): Promise<Walked> {
  const backend = backendOf(prog.backend, prog.convPolicy);
  const n = prog.plan.program.nodes.length;
  let started = 0;
  let finished = 0;
  let roundsAtStart = 0;
  let roundsAtEnd = 0;
  const tracked: Backend = {
    ...backend,
    run: async (ctx, node, operands) => {
      const i = started++;
      if (i === 0) roundsAtStart = session.endpoint.round;
      session.step = `request ${request}, node ${i + 1}/${n} '${node.out}' (${node.op})`;
      hooks?.onNode?.(request, i);
      const held = await backend.run(ctx, node, operands);
      finished++;
      if (finished === n) {
        roundsAtEnd = session.endpoint.round;
        session.step = `request ${request}, revealing the outputs`;
      }
      return held;
    },
  };
  session.step = `request ${request}, sharing the inputs`;
  session.endpoint.resetRound();
  const before = session.endpoint.sent.reading();
  const ctx = session.context(prog.ell);
  const party = programParty(prog.plan.program, inputs, {
    backend: tracked,
    ...(onNode === undefined ? {} : { onNode }),
  });
  const result = await party(ctx);
  const meter = difference(session.endpoint.sent.reading(), before);
  return {
    revealed: result.revealed,
    stats: {
      request,
      meter,
      roundsAtStart,
      roundsAtEnd,
      setupStamps: session.endpoint.sent.setupStamps,
      perNode: result.perNode,
    },
  };
}

export function encodeRequest(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

export function checkRequest(payload: Uint8Array, expected: number): void {
  const n = payload.length === 4 ? new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0) : -1;
  if (n !== expected)
    throw new CryptflowError(
      'protocol',
      `P0 sent request ${n < 0 ? `(a ${payload.length}-byte number)` : n} where request ${expected} was due`,
    );
}

/** Bytes on one outgoing link over the whole session. */
export interface WireCounts {
  /** Protocol payload (data frames, both phases): what the in-memory meter counts. */
  readonly payload: number;
  /** Frame headers and control frames (hello, setup, request, stats, bye). */
  readonly framing: number;
  /**
   * TLS: handshake, record headers and authentication tags (wire bytes − frame bytes); on a WebSocket
   * link, the WebSocket headers and each sealed frame's counter and tag (ws-seal.ts) instead.
   */
  readonly tls: number;
  /** Everything written to the TCP connection. */
  readonly wire: number;
}

export interface PartySummary {
  readonly party: PartyId;
  readonly role: Role;
  readonly requests: number;
  readonly links: Readonly<Partial<Record<LinkName, WireCounts>>>;
  readonly total: WireCounts;
  readonly seconds: number;
}

export function summarize(
  session: Session,
  counts: ReadonlyMap<PartyId, ChannelCounts>,
  requests: number,
  seconds: number,
): PartySummary {
  const me = session.me;
  const m = session.endpoint.sent.reading();
  const links: Partial<Record<LinkName, WireCounts>> = {};
  const total = { payload: 0, framing: 0, tls: 0, wire: 0 };
  for (const [peer, c] of counts) {
    const l = linkName(me, peer);
    const payload = m.links[l] + m.io[l];
    const w = { payload, framing: c.framesOut - payload, tls: c.wireOut - c.framesOut, wire: c.wireOut };
    links[l] = w;
    total.payload += w.payload;
    total.framing += w.framing;
    total.tls += w.tls;
    total.wire += w.wire;
  }
  return { party: me, role: roleOf(me), requests, links, total, seconds };
}

/** Sum per-node rows of several parties. */
export function addRows(a: readonly LinkBytes[], b: readonly LinkBytes[]): LinkBytes[] {
  return a.map((row, i) => {
    const out = { ...row };
    for (const l of LINKS) out[l] += b[i]?.[l] ?? 0;
    return out;
  });
}
