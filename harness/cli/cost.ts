/**
 * `cryptflow cost MODEL [--backend porthos|securenn|cryptflow2|cryptflow2-he|malicious] [--conv-policy paper|reshaped|im2col]
 *  [--scale S --bitlen L] [--per-layer] [--json] [HLIL pass flags as for compile]`
 *
 * Compiles the model as `compile` does (the paper's HLIL configuration unless flags say otherwise,
 * float-to-fixed at one scale) and walks the LLIL with the backend's closed-form costs
 * (harness/cost/walk.ts): the bytes a run would meter, per party and per link, and rounds, without
 * touching any value. The range analysis is not run (it needs no weights here, and costs nothing).
 */
import { floatToFixed } from '../../passes/float-to-fixed/program.js';
import type { ConvPolicy } from '../../protocols/securenn-family/three-party.js';
import { CONV_POLICIES, COST_BACKENDS, costBackend, type CostBackendName } from '../cost/backends.js';
import {
  byOperator,
  costProgram,
  reportedLinks,
  reportedParties,
  type BytesReport,
  type NodeCost,
} from '../cost/walk.js';
import { getBoolean, getChoice, getInteger, type FlagSpec, type ParsedArgs } from './args.js';
import { bytes, HLIL_FLAGS, loadAndOptimize, placementFlag } from './compile.js';

export const COST_FLAGS: Readonly<Record<string, FlagSpec>> = {
  backend: {
    kind: 'string',
    help: "'porthos' (default), 'securenn', 'cryptflow2' or 'cryptflow2-he' (two parties; -he: BFV linear layers)",
  },
  'conv-policy': {
    kind: 'string',
    help: "Porthos convolutions: 'paper' (reshaped for filters ≥ 5 and 3-D; default), 'reshaped' or 'im2col'",
  },
  scale: { kind: 'integer', help: 'fixed-point scale s (default 12)', min: 0, max: 63 },
  'per-layer': { kind: 'boolean', help: 'list every node that communicates, with its bytes' },
  json: { kind: 'boolean', help: 'print one JSON object' },
  ...HLIL_FLAGS,
};

export interface CostReport {
  readonly model: string;
  readonly backend: string;
  /** The convolution policy (porthos; securenn is always im2col; absent for cryptflow2, which has none). */
  readonly convPolicy?: ConvPolicy;
  readonly ell: number;
  readonly scale: number;
  readonly nodes: number;
  readonly bytes: BytesReport;
  readonly rounds: number;
  readonly roundsComposition: 'sequential';
  readonly byOperator: readonly { readonly op: string; readonly nodes: number; readonly bytes: number }[];
  readonly layers?: readonly NodeCost[];
}

export function costModel(path: string, args: ParsedArgs): CostReport {
  const name: CostBackendName = getChoice(args, 'backend', COST_BACKENDS) ?? 'porthos';
  const policy = getChoice(args, 'conv-policy', CONV_POLICIES);
  const backend = costBackend(name, policy);
  // The walk reads shapes only: a zoo model is built with shape-only weights (the same program).
  const { model } = loadAndOptimize(path, args, 'shape-only');
  const ell = getInteger(args, 'bitlen') ?? 64;
  const scale = getInteger(args, 'scale') ?? 12;
  const plan = floatToFixed(model.program, { ell, scale, placement: placementFlag(args) });
  const c = costProgram(plan.program, backend);
  return {
    model: path,
    backend: name,
    ...(name === 'cryptflow2' || name === 'cryptflow2-he'
      ? {}
      : { convPolicy: name === 'securenn' ? 'im2col' : (policy ?? 'paper') }),
    ell,
    scale,
    nodes: plan.program.nodes.length,
    bytes: c.bytes,
    rounds: c.rounds,
    roundsComposition: c.roundsComposition,
    byOperator: byOperator(c).map(({ op, nodes, bytes: b }) => ({ op, nodes, bytes: b })),
    ...(getBoolean(args, 'per-layer') ? { layers: c.perNode.filter((n) => n.bytes > 0) } : {}),
  };
}

export const grouped = (n: number): string => n.toLocaleString('en-US');

const pct = (part: number, whole: number): string => (whole === 0 ? '0.0%' : `${((100 * part) / whole).toFixed(1)}%`);

export function formatCost(r: CostReport): string {
  const b = r.bytes;
  const lines = [
    `cryptflow cost ${r.model}: ${r.backend}${r.backend === 'porthos' ? ` (${r.convPolicy ?? 'paper'} convolutions)` : r.backend === 'cryptflow2' || r.backend === 'cryptflow2-he' ? ' (two parties: P0, P1)' : ''}, ℓ = ${r.ell}, s = ${r.scale}, ${r.nodes} LLIL nodes`,
    `bytes: ${grouped(b.total)} (${bytes(b.total)}), sent Σ over parties; input sharing and the output reveal not counted`,
    `  sent      ${reportedParties(b)
      .map((p) => `${p} ${grouped(b.sent[p] ?? 0)}`)
      .join('   ')}`,
    `  received  ${reportedParties(b)
      .map((p) => `${p} ${grouped(b.recv[p] ?? 0)}`)
      .join('   ')}`,
    `  links     ${reportedLinks(b)
      .map((l) => `${l} ${grouped(b.links[l] ?? 0)}`)
      .join('   ')}`,
    `rounds: ${r.rounds} (the nodes composed one after the other: an upper bound of a run's computation rounds)`,
    'by operator:',
    ...r.byOperator
      .filter((o) => o.bytes > 0)
      .map(
        (o) =>
          `  ${o.op.padEnd(10)} ${String(o.nodes).padStart(5)} nodes  ${grouped(o.bytes).padStart(16)} B  ${pct(o.bytes, b.total).padStart(6)}`,
      ),
  ];
  if (r.layers !== undefined) {
    lines.push('per layer (nodes that communicate):');
    const w = Math.max(4, ...r.layers.map((l) => l.node.length));
    for (const l of r.layers) {
      lines.push(
        `  ${String(l.index).padStart(5)}  ${l.node.padEnd(w)}  ${l.op.padEnd(8)} [${l.shape.join(',')}]`.padEnd(
          w + 40,
        ) + `${grouped(l.bytes).padStart(16)} B  ${pct(l.bytes, b.total).padStart(6)}`,
      );
    }
  }
  return lines.join('\n');
}
