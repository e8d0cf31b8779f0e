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
import { LINKS, sequence, totalBytes, zeroLinks, type Cost, type LinkBytes } from '../../spec/cost/types.js';
import type { LNode, LProgram } from '../../ir/llil.js';
import { operandsOf } from '../../ir/traverse.js';
import type { Backend, OperandType } from '../../protocols/common/backend.js';
import { receivedBy, sentBy } from '../network/meter.js';

export type PartyName = 'P0' | 'P1' | 'P2';
export const PARTIES: readonly PartyName[] = ['P0', 'P1', 'P2'];

/** The bytes object of `cryptflow cost` and `cryptflow run --json`. */
export interface BytesReport {
  readonly total: number;
  readonly sent: Readonly<Record<PartyName, number>>;
  readonly recv: Readonly<Record<PartyName, number>>;
  readonly links: LinkBytes;
}

export function bytesReport(links: LinkBytes): BytesReport {
  return {
    total: totalBytes(links),
    sent: { P0: sentBy(links, 0), P1: sentBy(links, 1), P2: sentBy(links, 2) },
    recv: { P0: receivedBy(links, 0), P1: receivedBy(links, 1), P2: receivedBy(links, 2) },
    links: { ...links },
  };
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
  readonly ell: number;
  readonly bytes: BytesReport;
  /** Σ of the nodes' rounds: an upper bound of the metered rounds (see the file header). */
  readonly rounds: number;
  readonly roundsComposition: 'sequential';
  readonly perNode: readonly NodeCost[];
}

/** The static type of every value of `p`: shape, and whether it is secret. */
export function operandTypes(p: LProgram): Map<string, OperandType> {
  const types = new Map<string, OperandType>(p.decls.map((d) => [d.name, { shape: d.shape, secret: d.kind === 'input' }]));
  for (const n of p.nodes) types.set(n.out, { shape: n.type.shape, secret: n.type.label === 'secret' });
  return types;
}

/** Each node's closed-form cost on `backend`, in program order. */
export function nodeCosts(p: LProgram, backend: Backend): Cost[] {
  const types = operandTypes(p);
  return p.nodes.map((n) => backend.cost(n, operandsOf(n).map((o) => types.get(o) ?? bug(`'${o}' is not defined before node '${n.out}'`)), p.ell));
}

export function costProgram(p: LProgram, backend: Backend): ProgramCost {
  const costs = nodeCosts(p, backend);
  const total = sequence(...costs);
  const perNode = p.nodes.map((n, index): NodeCost => {
    const c = costs[index] ?? bug('node cost');
    return { index, node: n.out, op: n.op, shape: n.type.shape, links: c.links, bytes: totalBytes(c.links), rounds: c.rounds };
  });
  return { backend: backend.name, ell: p.ell, bytes: bytesReport(total.links), rounds: total.rounds, roundsComposition: 'sequential', perNode };
}

/** Per-operator totals: how many nodes, their bytes, and the elements they output. */
export function byOperator(c: ProgramCost): { readonly op: string; readonly nodes: number; readonly bytes: number; readonly elements: number }[] {
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
