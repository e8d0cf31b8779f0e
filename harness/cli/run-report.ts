/**
 * What `cryptflow run` prints: the secure result next to the float32 model's (and the plaintext fixed
 * point's), per output, then the communication of the computation phase and the time — as text, or as
 * one JSON object (`--json`) whose fields are stated in `RunJson`.
 */
import { partiesOfBackend, type InferenceResult, type OutputResult } from '../runner/inference.js';
import type { PartyView } from '../runner/views.js';
import { bytes } from './compile.js';
import { bytesReport, reportedLinks, reportedParties, type BytesReport } from '../cost/walk.js';

export interface RunContext {
  readonly model: string;
  readonly format: string;
  readonly input: string;
  readonly inputNote: string;
  readonly convPolicy?: string;
  readonly labels?: readonly string[];
}


export interface RunJson {
  readonly model: string;
  readonly input: string;
  readonly backend: string;
  /** Porthos only: the convolution policy. */
  readonly convPolicy?: string;
  readonly ell: number;
  readonly scale: number;
  /** The first output, decoded (after Softmax/Sigmoid where the model ends with one). */
  readonly output: readonly number[];
  /** The class of the first output that has one (a list when it has several rows). */
  readonly argmax?: number | readonly number[];
  readonly class?: string | readonly string[];
  readonly outputs: ReadonlyArray<{
    readonly name: string;
    readonly to: string;
    readonly shape: readonly number[];
    readonly post?: string;
    readonly secure: readonly number[];
    readonly fixed: readonly number[];
    readonly float: readonly number[];
    readonly maxAbsDiff: number;
    readonly fixedDiff: number;
    readonly bound: number | null;
    readonly boundKind: 'value' | 'argmax-gap';
    readonly withinBound: boolean;
    readonly argmax?: readonly number[];
    readonly floatArgmax?: readonly number[];
  }>;
  /** Whether the compile-time bounds are valid for this input (nothing may overflow). */
  readonly boundsHold: boolean;
  /** P(some local truncation wraps), a union bound. */
  readonly truncationFailure: number;
  /** Comparison inputs that may leave the protocols' exact domain (should be 0). */
  readonly domainRisks: number;
  readonly bytes: BytesReport;
  readonly rounds: number;
  readonly seconds: number;
  readonly compileSeconds: number;
  /** With --check-views: per party, the messages it received, all of them allowed. */
  readonly views?: ReadonlyArray<{ readonly party: string; readonly received: number; readonly bytes: number }>;
}


/** The class of the first output with an arg-max. */
function firstClass(r: InferenceResult): OutputResult | undefined {
  return r.outputs.find((o) => o.argmax !== undefined);
}

const one = <T>(xs: readonly T[]): T | readonly T[] => (xs.length === 1 ? (xs[0] as T) : xs);

function labelOf(labels: readonly string[] | undefined, k: number): string | undefined {
  return labels?.[k];
}

export function runJson(r: InferenceResult, c: RunContext): RunJson {
  const first = r.outputs[0];
  const cls = firstClass(r);
  const names = cls?.argmax?.map((k) => labelOf(c.labels, k)).filter((s): s is string => s !== undefined);
  return {
    model: c.model,
    input: c.input,
    backend: r.backend,
    ...(c.convPolicy === undefined ? {} : { convPolicy: c.convPolicy }),
    ell: r.plan.params.ell,
    scale: r.plan.params.scale,
    output: Array.from(first?.secure ?? []),
    ...(cls?.argmax === undefined ? {} : { argmax: one(cls.argmax) }),
    ...(names === undefined || names.length === 0 ? {} : { class: one(names) }),
    outputs: r.outputs.map((o) => ({
      name: o.name,
      to: o.to,
      shape: [...o.shape],
      ...(o.post === undefined ? {} : { post: o.post }),
      secure: Array.from(o.secure),
      fixed: Array.from(o.fixed),
      float: Array.from(o.float),
      maxAbsDiff: o.maxAbsDiff,
      fixedDiff: o.fixedDiff,
      bound: Number.isFinite(o.bound) ? o.bound : null,
      boundKind: o.boundKind,
      withinBound: o.withinBound,
      ...(o.argmax === undefined ? {} : { argmax: o.argmax }),
      ...(o.floatArgmax === undefined ? {} : { floatArgmax: o.floatArgmax }),
    })),
    boundsHold: r.range.boundsHold,
    truncationFailure: r.range.truncation.probability,
    domainRisks: r.range.domain.length,
    bytes: bytesReport(r.links, partiesOfBackend(r.backend)),
    rounds: r.rounds,
    seconds: r.seconds,
    compileSeconds: r.compileSeconds,
    ...(r.views === undefined ? {} : { views: viewCounts(r.views) }),
  };
}

/** Per party: how many messages (and bytes) it received; every one passed the view check. */
function viewCounts(views: readonly PartyView[]): { party: string; received: number; bytes: number }[] {
  return views.map((v) => {
    const got = v.events.filter((e) => e.dir === 'received');
    return { party: `P${v.party}`, received: got.length, bytes: got.reduce((a, e) => a + e.bytes, 0) };
  });
}

const num = (x: number): string => (x === 0 ? '0' : Number.isInteger(x) && Math.abs(x) < 1e9 ? String(x) : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? x.toFixed(6) : x.toExponential(3));
const sci = (x: number): string => (!Number.isFinite(x) ? '∞' : x === 0 ? '0' : x.toExponential(2));
const grouped = (n: number): string => n.toLocaleString('en-US');

const SHOWN = 8;

function valueTable(o: OutputResult): string[] {
  const n = o.secure.length;
  const shown = n <= SHOWN + 2 ? n : SHOWN;
  const rows = [['index', 'secure', 'fixed (plain)', 'float32'], ...Array.from({ length: shown }, (_, i) => [`[${i}]`, num(o.secure[i] as number), num(o.fixed[i] as number), num(o.float[i] as number)])];
  const widths = [0, 1, 2, 3].map((k) => Math.max(...rows.map((r) => (r[k] ?? '').length)));
  const lines = rows.map((r) => `    ${r.map((v, k) => (k === 0 ? v.padEnd(widths[k] ?? 0) : v.padStart(widths[k] ?? 0))).join('  ')}`);
  if (shown < n) lines.push(`    … ${n - shown} more of ${n} values (--json prints them all)`);
  return lines;
}

function className(k: number, labels: readonly string[] | undefined): string {
  const l = labelOf(labels, k);
  return l === undefined ? String(k) : `${k} (${l})`;
}

function outputLines(o: OutputResult, c: RunContext): string[] {
  const post = o.post === undefined ? '' : `, ${o.post} applied by the client after decoding`;
  const lines = [`output ${o.name} -> ${o.to} [${o.shape.join(',')}]${post}`];
  if (o.boundKind === 'argmax-gap') {
    lines.push(`    secure index ${o.argmax?.join(', ') ?? ''}; float32 index ${o.floatArgmax?.join(', ') ?? ''}`);
    lines.push(`    the float32 score at the secure index is within ${sci(o.bound)} of the float32 maximum (the compile-time bound): ${o.withinBound ? 'yes' : 'NO'}`);
  } else {
    lines.push(...valueTable(o));
    lines.push(`    max |secure − float32| = ${sci(o.maxAbsDiff)} ${o.withinBound ? '≤' : '>'} ${sci(o.bound)} (compile-time bound): ${o.withinBound ? 'within' : 'OUTSIDE'}; max |secure − plaintext fixed| = ${sci(o.fixedDiff)}`);
  }
  if (o.argmax !== undefined && o.floatArgmax !== undefined) {
    const secure = o.argmax.map((k) => className(k, c.labels)).join(', ');
    const float = o.floatArgmax.map((k) => className(k, c.labels)).join(', ');
    lines.push(`    class: ${secure}${secure === float ? ' (the float32 model agrees)' : `; the float32 model says ${float}`}`);
  }
  return lines;
}

export function formatRun(r: InferenceResult, c: RunContext): string {
  const parties = partiesOfBackend(r.backend);
  const b = bytesReport(r.links, parties);
  const p = r.plan.program;
  const roles = parties === 3 ? 'P0 client (input), P1 server (weights), P2 helper' : 'two parties, no helper: P0 client (input), P1 server (weights)';
  const policy = c.convPolicy === undefined ? '' : `, conv policy ${c.convPolicy}`;
  const lines = [
    `cryptflow run ${c.model} (${c.format}) on ${c.input}`,
    `  input:    ${c.inputNote}`,
    `  compiled: ℓ = ${p.ell}, s = ${r.plan.params.scale}, ${p.nodes.length} LLIL nodes; range analysis for the client input range [${num(r.range.inputRange.lo)}, ${num(r.range.inputRange.hi)}]`,
    `  backend:  ${r.backend}${policy}: ${roles}; output revealed to the client`,
    '',
    ...r.outputs.flatMap((o) => [...outputLines(o, c), '']),
  ];
  if (!r.range.boundsHold) lines.push(`warning: ${r.range.overflow.length} value(s) may overflow ℓ = ${p.ell} bits for inputs in this range, so the bounds above are not guaranteed`);
  if (r.range.domain.length > 0) lines.push(`warning: ${r.range.domain.length} comparison input(s) may leave the domain where the backend's comparisons are exact (${r.range.domain.map((d) => d.node).slice(0, 4).join(', ')})`);
  lines.push(
    `communication (computation phase; input sharing and the output reveal are not counted):`,
    `  total ${bytes(b.total)} (${grouped(b.total)} B) in ${r.rounds} rounds; P(some local truncation wraps) ≤ ${sci(r.range.truncation.probability)}`,
    ...reportedParties(b).map((q) => `  ${q} sent ${bytes(b.sent[q] ?? 0).padStart(10)}   received ${bytes(b.recv[q] ?? 0).padStart(10)}`),
    `  links: ${reportedLinks(b).map((l) => `${l} ${bytes(b.links[l] ?? 0)}`).join(', ')}`,
    `time: ${r.seconds.toFixed(2)} s for the ${parties === 3 ? 'three' : 'two'}-party run (compile and range analysis ${r.compileSeconds.toFixed(2)} s)`,
  );
  if (r.views !== undefined) {
    const counts = viewCounts(r.views).map((v) => `${v.party} ${grouped(v.received)} messages (${bytes(v.bytes)})`);
    lines.push(`views checked: every message and opening allowed by the secrecy analysis and the backend's declaration — received ${counts.join(', ')}`);
  }
  return lines.join('\n');
}
