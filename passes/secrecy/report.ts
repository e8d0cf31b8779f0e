/**
 * The secrecy report: what each level of the analysis found, as text lines and as JSON, and the
 * error a rejected program raises.
 *
 * It lists each input with its owner, each output with whom it is revealed to and what it carries,
 * the model constants declassified as structure and any declared declassification, then "accepted"
 * or every finding with its node and path. Long name lists are cut (`limit`), counts never are.
 * Nothing in it is a tensor value: names, shapes, owners and labels only.
 */
import { CryptflowError, type ErrorCode } from '../../spec/errors.js';
import type { Owner } from '../../ir/common.js';
import type { GraphSecrecy } from './graph.js';
import { showFinding, showLabel, type Finding, type PathStep } from './labels.js';
import type { LlilSecrecy } from './llil.js';

export interface SecrecyReport {
  /** What was analysed (a model path, a program file). */
  readonly subject: string;
  readonly accepted: boolean;
  /** The imported graph, before folding (absent for an HLIL or LLIL program). */
  readonly graph: GraphSecrecy | null;
  /** The compiled (or given) LLIL program (absent when the graph was already rejected). */
  readonly llil: LlilSecrecy | null;
  readonly findings: readonly Finding[];
}

export function secrecyReport(subject: string, graph: GraphSecrecy | null, llil: LlilSecrecy | null): SecrecyReport {
  const findings = [...(graph?.findings ?? []), ...(llil?.findings ?? [])];
  return { subject, accepted: findings.length === 0, graph, llil, findings };
}

/** A rejected program: a CryptflowError whose message names the node and the path, carrying the report. */
export class SecrecyRejection extends CryptflowError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly report: SecrecyReport,
  ) {
    super(code, message);
  }
}

/** The error for a report with findings: code 'security', the first finding in full, the others named. */
export function rejection(r: SecrecyReport): SecrecyRejection {
  const [first, ...more] = r.findings;
  const head = first === undefined ? 'rejected' : `node '${first.node}' (${first.op}): ${showFinding(first)}`;
  const tail =
    more.length === 0
      ? ''
      : `\n(${more.length} more finding${more.length === 1 ? '' : 's'}: ${more
          .slice(0, 6)
          .map((f) => `'${f.node}' (${f.kind})`)
          .join(', ')}${more.length > 6 ? ', …' : ''})`;
  return new SecrecyRejection('security', `${r.subject}: secrecy: ${head}${tail}`, r);
}

function names(xs: readonly string[], limit: number): string {
  if (xs.length === 0) return 'none';
  return xs.length <= limit ? xs.join(', ') : `${xs.slice(0, limit).join(', ')}, … (${xs.length - limit} more)`;
}

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** `client 1 (image); server 2 (W, b)`; an owner without inputs is left out unless `both`. */
function byOwner(
  inputs: readonly { readonly name: string; readonly owner: Owner }[],
  limit: number,
  both = true,
): string {
  const parts = (['client', 'server'] as const).flatMap((o) => {
    const xs = inputs.filter((i) => i.owner === o).map((i) => i.name);
    return xs.length === 0 && !both ? [] : [`${o} ${xs.length} (${names(xs, limit)})`];
  });
  return parts.length === 0 ? 'none' : parts.join('; ');
}

function graphLines(g: GraphSecrecy, limit: number): string[] {
  const uses = (u: GraphSecrecy['structure'][number]['uses']): string =>
    u.map((x) => `${x.what} of ${x.op} '${x.node}'`).join(', ');
  const lines = [
    `graph (${g.format}, as imported, before shapes and constants are folded):`,
    `  inputs: ${byOwner(g.inputs, limit, false)}`,
    `  server weights (model constants combined with secrets or revealed): ${g.weights.length === 0 ? 'none' : `${g.weights.length} (${names(g.weights, limit)})`}`,
    `  structure (model constants read in the clear; the architecture is public): ${
      g.structure.length === 0
        ? 'none'
        : `${g.structure.length} (${names(
            g.structure.map((s) => `${s.name} as ${uses(s.uses)}`),
            limit,
          )})`
    }`,
  ];
  for (const o of g.outputs) lines.push(`  output ${o.name} -> ${o.to}: ${showLabel(o.label)}`);
  if (g.unknownOps.length > 0)
    lines.push(`  operators outside the port table (operands taken as data): ${g.unknownOps.join(', ')}`);
  return lines;
}

function llilLines(l: LlilSecrecy, limit: number): string[] {
  const lines = [
    `llil (ℓ = ${l.ell}): ${count(l.inputs.length, 'input')}, ${count(l.constants, 'public constant')}, ${count(l.nodes, 'node')}; shapes, axes, pads, shifts and window counts are literals (public by construction)`,
    `  inputs: ${byOwner(l.inputs, limit)}`,
  ];
  for (const o of l.outputs) {
    const from = (['client', 'server'] as const).map((w) => `${w} ${names(o.dependsOn[w], limit)}`).join('; ');
    const status = o.status === 'declassified' ? `declassified (${o.reason ?? ''})` : o.status;
    lines.push(`  output ${o.name} -> ${o.to}: ${status}, ${showLabel(o.label)}, from ${from}`);
  }
  lines.push(
    l.declassifications.length === 0
      ? '  declassifications: none declared'
      : `  declassifications: ${l.declassifications.map((d) => `${d.value} -> ${d.to} (${d.reason})${d.used ? '' : ' [unused]'}`).join('; ')}`,
  );
  return lines;
}

/** The report as text lines; `limit` cuts long name lists. */
export function reportLines(r: SecrecyReport, limit = 8): string[] {
  const lines = [
    `secrecy of ${r.subject}: ${r.accepted ? 'accepted' : `REJECTED (${count(r.findings.length, 'finding')})`}`,
  ];
  if (r.graph !== null) lines.push(...graphLines(r.graph, limit));
  if (r.llil !== null) lines.push(...llilLines(r.llil, limit));
  if (r.findings.length === 0)
    lines.push('findings: none; every revealed value is a declared output of its declared party');
  else {
    lines.push('findings:');
    for (const f of r.findings) lines.push(`  [${f.level}, ${f.kind}] node '${f.node}' (${f.op}): ${showFinding(f)}`);
  }
  return lines;
}

function findingJson(f: Finding): Record<string, unknown> {
  return {
    kind: f.kind,
    level: f.level,
    node: f.node,
    op: f.op,
    ...(f.port === undefined ? {} : { port: f.port }),
    message: f.message,
    path: f.path.map((s: PathStep) => ({ ...s })),
    text: showFinding(f),
  };
}

/** The report as a JSON-ready object (labels as text, e.g. "secret{client,server}"). */
export function reportJson(r: SecrecyReport): Record<string, unknown> {
  const g = r.graph;
  const l = r.llil;
  return {
    subject: r.subject,
    accepted: r.accepted,
    graph:
      g === null
        ? null
        : {
            format: g.format,
            inputs: g.inputs,
            weights: g.weights,
            structure: g.structure,
            outputs: g.outputs.map((o) => ({ name: o.name, to: o.to, label: showLabel(o.label) })),
            unknownOps: g.unknownOps,
            findings: g.findings.map(findingJson),
          },
    llil:
      l === null
        ? null
        : {
            ell: l.ell,
            inputs: l.inputs,
            constants: l.constants,
            nodes: l.nodes,
            outputs: l.outputs.map((o) => ({
              name: o.name,
              to: o.to,
              label: showLabel(o.label),
              status: o.status,
              ...(o.reason === undefined ? {} : { reason: o.reason }),
              dependsOn: o.dependsOn,
            })),
            declassifications: l.declassifications,
            findings: l.findings.map(findingJson),
          },
    findings: r.findings.map(findingJson),
  };
}
