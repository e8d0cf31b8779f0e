/**
 * Communication without running: walk a compiled LLIL program and sum the backend's closed-form cost
 * of every node (`Backend.cost`, spec/cost/), from the operands' static types alone — no value, share
 * or PRG is touched. The property behind it (test/e2e/cost.test.ts): for every program, the result
 * equals what a real run of the same program on the same backend meters, link by link, exactly.
 *
 * Counting follows COMM-SPEC.md: bytes sent in the computation, each direction once; input sharing
 * and the final reveal cost nothing and are not included.
 *
 * Rounds: the sum of the nodes' rounds (`sequence` of spec/cost/types.ts), i.e. the nodes composed
 * as if each started only when the previous one had finished on every party. That is an upper bound
 * of the rounds a run meters: the network's clock lets a party that lags (usually the helper P2) send
 * a later node's first message without waiting, so consecutive nodes can overlap by a round.
 */
import { bug } from '../../spec/errors.js';
import { numel, type Shape } from '../../spec/geometry.js';
import {
  LINKS,
  sequence,
  totalBytes,
  zeroLinks,
  type Cost,
  type LinkBytes,
  type LinkName,
} from '../../spec/cost/types.js';
import type { LNode, LProgram } from '../../ir/llil.js';
import { operandsOf } from '../../ir/traverse.js';
import type { Backend, OperandType } from '../../protocols/common/backend.js';
import type { PartyId } from '../../protocols/common/party.js';
import { receivedBy, sentBy } from '../network/meter.js';
import { linksOf, type PartyCount } from '../network/parties.js';

export type PartyName = 'P0' | 'P1' | 'P2';
export const PARTIES: readonly PartyName[] = ['P0', 'P1', 'P2'];

/** The party names of a run of `n` parties. */
export function partyNames(n: PartyCount): readonly PartyName[] {
  return PARTIES.slice(0, n);
}

/** Per party: P0 and P1 always, P2 only in a 3-party run. */
export type PerParty = Readonly<Record<'P0' | 'P1', number>> & Readonly<Partial<Record<'P2', number>>>;

/** Per directed link: the two links between P0 and P1 always, the four P2 links only in a 3-party run. */
export type PerLink = Readonly<Record<'P0->P1' | 'P1->P0', number>> & Readonly<Partial<LinkBytes>>;

/**
 * The bytes object of `cryptflow cost` and `cryptflow run --json`: totals, per party and per link —
 * only the parties and links the run has (no P2 entry for a 2-party backend).
 */
export interface BytesReport {
  readonly total: number;
  readonly sent: PerParty;
  readonly recv: PerParty;
  readonly links: PerLink;
}

/** The report of `links` for a run of `parties` parties (default 3); a byte on a missing link is a bug. */
export function bytesReport(links: LinkBytes, parties: PartyCount = 3): BytesReport {
  const present = linksOf(parties);
  const stray = LINKS.filter((l) => !present.includes(l) && links[l] !== 0);
  if (stray.length > 0) bug(`bytes metered on ${stray.join(', ')}, which a ${parties}-party run does not have`);
  const per = (f: (links: LinkBytes, p: PartyId) => number): PerParty => {
    const two = { P0: f(links, 0), P1: f(links, 1) };
    return parties === 3 ? { ...two, P2: f(links, 2) } : two;
  };
  // In LINKS order (P0->P1, P0->P2, P1->P0, …), the links that exist only.
  const shown: Partial<LinkBytes> = {};
  for (const l of present) shown[l] = links[l];
  return {
    total: totalBytes(links),
    sent: per(sentBy),
    recv: per(receivedBy),
    links: { ...shown, 'P0->P1': links['P0->P1'], 'P1->P0': links['P1->P0'] },
  };
}

/** A report's links as the six-link record (zero on the links the run does not have). */
export function allLinks(l: PerLink): LinkBytes {
  const out = zeroLinks();
  for (const k of LINKS) out[k] = l[k] ?? 0;
  return out;
}

/** The links a report shows, in LINKS order. */
export function reportedLinks(b: BytesReport): readonly LinkName[] {
  return LINKS.filter((l) => b.links[l] !== undefined);
}

/** The parties a report shows. */
export function reportedParties(b: BytesReport): readonly PartyName[] {
  return PARTIES.filter((p) => b.sent[p] !== undefined);
}

export interface NodeCost {
  readonly index: number;
  readonly node: string;
  readonly op: LNode['op'];
  /** Output shape. */
  readonly shape: Shape;
  readonly links: LinkBytes;
  readonly bytes: number;
  readonly rounds: number;
}

export interface ProgramCost {
  readonly backend: string;
  /** How many parties the backend has (its report shows only their links). */
  readonly parties: PartyCount;
  readonly ell: number;
  readonly bytes: BytesReport;
  /** Σ of the nodes' rounds: an upper bound of the metered rounds (see the file header). */
  readonly rounds: number;
  readonly roundsComposition: 'sequential';
  readonly perNode: readonly NodeCost[];
}

/**
 * The static type of every value of `p`: shape, whether it is secret, and its owner when it is a
 * function of one owner's inputs and public constants alone (an input is its owner's; a node is P_j's
 * when every secret operand is P_j's).
 */
export function operandTypes(p: LProgram): Map<string, OperandType> {
  const types = new Map<string, OperandType>(
    p.decls.map((d) => [
      d.name,
      d.kind === 'input'
        ? { shape: d.shape, secret: true, owner: d.owner === 'client' ? 0 : 1, serverOnly: d.owner === 'server' }
        : { shape: d.shape, secret: false },
    ]),
  );
  for (const n of p.nodes) {
    const secret = n.type.label === 'secret';
    const owners = new Set(
      operandsOf(n)
        .map((o) => types.get(o) ?? bug(`'${o}' is not defined before node '${n.out}'`))
        .filter((t) => t.secret)
        .map((t) => t.owner),
    );
    const [only] = owners;
    types.set(
      n.out,
      secret && owners.size === 1 && only !== undefined
        ? { shape: n.type.shape, secret, owner: only, serverOnly: only === 1 }
        : { shape: n.type.shape, secret },
    );
  }
  return types;
}

/** Each node's closed-form cost on `backend`, in program order. */
export function nodeCosts(p: LProgram, backend: Backend): Cost[] {
  const types = operandTypes(p);
  return p.nodes.map((n) =>
    backend.cost(
      n,
      operandsOf(n).map((o) => types.get(o) ?? bug(`'${o}' is not defined before node '${n.out}'`)),
      p.ell,
    ),
  );
}

export function costProgram(p: LProgram, backend: Backend): ProgramCost {
  const costs = nodeCosts(p, backend);
  const total = sequence(...costs);
  const perNode = p.nodes.map((n, index): NodeCost => {
    const c = costs[index] ?? bug('node cost');
    return {
      index,
      node: n.out,
      op: n.op,
      shape: n.type.shape,
      links: c.links,
      bytes: totalBytes(c.links),
      rounds: c.rounds,
    };
  });
  return {
    backend: backend.name,
    parties: backend.claims.parties,
    ell: p.ell,
    bytes: bytesReport(total.links, backend.claims.parties),
    rounds: total.rounds,
    roundsComposition: 'sequential',
    perNode,
  };
}

/** Per-operator totals: how many nodes, their bytes, and the elements they output. */
export function byOperator(
  c: ProgramCost,
): { readonly op: string; readonly nodes: number; readonly bytes: number; readonly elements: number }[] {
  const rows = new Map<string, { op: string; nodes: number; bytes: number; elements: number }>();
  for (const n of c.perNode) {
    const r = rows.get(n.op) ?? { op: n.op, nodes: 0, bytes: 0, elements: 0 };
    r.nodes += 1;
    r.bytes += n.bytes;
    r.elements += numel(n.shape);
    rows.set(n.op, r);
  }
  return [...rows.values()].sort((a, b) => b.bytes - a.bytes);
}

/** Σ of links over a set of rows. */
export function sumLinks(rows: readonly { readonly links: LinkBytes }[]): LinkBytes {
  const out = zeroLinks();
  for (const r of rows) for (const l of LINKS) out[l] += r.links[l];
  return out;
}
