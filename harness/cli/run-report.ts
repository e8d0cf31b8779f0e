/**
 * What `cryptflow run` prints: the secure result next to the float32 model's (and the plaintext fixed
 * point's), per output, then the communication of the computation phase and the time — as text, or as
 * one JSON object (`--json`) whose fields are stated in `RunJson`.
 */
import { partiesOfBackend, type InferenceResult, type OutputResult } from '../runner/inference.js';
import type { PartyView } from '../runner/views.js';
import { BACKEND_INFO } from '../runner/inference.js';
import { bytes } from './compile.js';
import { bytesReport, reportedLinks, reportedParties, type BytesReport } from '../cost/walk.js';
import type { RunMode } from './mode.js';
import { probabilityValue, thresholdText, wrapClause, type SafetyIssue } from './safety.js';

export interface RunContext {
  readonly model: string;
  readonly format: string;
  readonly input: string;
  readonly inputNote: string;
  readonly convPolicy?: string;
  readonly labels?: readonly string[];
  /** What the loader assumed (a symbolic batch axis set to 1). */
  readonly notes?: readonly string[];
  /** Where the parties ran, and why. */
  readonly mode?: RunMode;
  /** The --max-failure the run was checked against. */
  readonly maxFailure?: number;
}

export interface RunJson {
  readonly model: string;
  readonly input: string;
  readonly backend: string;
  /** Whether the backend is a secure protocol (false: plaintext, ideal — a trusted party sees the data). */
  readonly secure: boolean;
  /** Whether every output is within its guarantees (false: the command exits 3 unless --allow-unsafe). */
  readonly safe: boolean;
  /** Why an output may be wrong: input-range, overflow, domain, truncation, outside-bound. */
  readonly unsafe: ReadonlyArray<{ readonly kind: string; readonly message: string }>;
  /** Where the parties ran ('one-thread', 'threads', 'processes') and why. */
  readonly mode?: string;
  readonly modeReason?: string;
  readonly notes?: readonly string[];
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
    /** Softmax/Sigmoid outputs: the bound is on the probabilities; `logitsBound` bounds their operand. */
    readonly boundOn?: 'probabilities';
    readonly logitsBound?: number | null;
    readonly withinBound: boolean;
    readonly argmax?: readonly number[];
    readonly floatArgmax?: readonly number[];
  }>;
  /** Whether the compile-time bounds are valid for this input (nothing may overflow). */
  readonly boundsHold: boolean;
  /** P(some local truncation wraps), a union bound (1 when it guarantees nothing). */
  readonly truncationFailure: number;
  readonly maxFailure?: number;
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

/** Softmax/Sigmoid outputs: the bound on |fixed − float32| of their operand, the logits. */
export function logitsBound(r: InferenceResult, o: OutputResult): number | undefined {
  if (o.post === undefined) return undefined;
  const node = r.plan.source.nodes.find((n) => n.out === o.name);
  const x = node !== undefined && (node.op === 'Softmax' || node.op === 'Sigmoid') ? node.x : undefined;
  return r.range.tensors.find((t) => t.name === x)?.errorBound;
}

export function runJson(r: InferenceResult, c: RunContext, issues: readonly SafetyIssue[] = []): RunJson {
  const first = r.outputs[0];
  const cls = firstClass(r);
  const names = cls?.argmax?.map((k) => labelOf(c.labels, k)).filter((s): s is string => s !== undefined);
  return {
    model: c.model,
    input: c.input,
    backend: r.backend,
    secure: BACKEND_INFO[r.backend].secure,
    safe: issues.length === 0,
    unsafe: issues.map((i) => ({ kind: i.kind, message: i.message })),
    ...(c.mode === undefined ? {} : { mode: c.mode.mode, modeReason: c.mode.why }),
    ...(c.notes === undefined || c.notes.length === 0 ? {} : { notes: c.notes }),
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
      // A bound on probabilities that is ≥ 1 says nothing: null, as for an unbounded output.
      bound: Number.isFinite(o.bound) && (o.post === undefined || o.bound < 1) ? o.bound : null,
      boundKind: o.boundKind,
      ...(o.post === undefined
        ? {}
        : { boundOn: 'probabilities' as const, logitsBound: finiteOrNull(logitsBound(r, o)) }),
      withinBound: o.withinBound,
      ...(o.argmax === undefined ? {} : { argmax: o.argmax }),
      ...(o.floatArgmax === undefined ? {} : { floatArgmax: o.floatArgmax }),
    })),
    boundsHold: r.range.boundsHold,
    truncationFailure: probabilityValue(r.range.truncation.probability),
    ...(c.maxFailure === undefined ? {} : { maxFailure: c.maxFailure }),
    domainRisks: r.range.domain.length,
    bytes: bytesReport(r.links, partiesOfBackend(r.backend)),
    rounds: r.rounds,
    seconds: r.seconds,
    compileSeconds: r.compileSeconds,
    ...(r.views === undefined ? {} : { views: viewCounts(r.views) }),
  };
}

const finiteOrNull = (x: number | undefined): number | null => (x === undefined || !Number.isFinite(x) ? null : x);

/** Per party: how many messages (and bytes) it received; every one passed the view check. */
function viewCounts(views: readonly PartyView[]): { party: string; received: number; bytes: number }[] {
  return views.map((v) => {
    const got = v.events.filter((e) => e.dir === 'received');
    return { party: `P${v.party}`, received: got.length, bytes: got.reduce((a, e) => a + e.bytes, 0) };
  });
}

const num = (x: number): string =>
  x === 0
    ? '0'
    : Number.isInteger(x) && Math.abs(x) < 1e9
      ? String(x)
      : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5
        ? x.toFixed(6)
        : x.toExponential(3);
const sci = (x: number): string => (!Number.isFinite(x) ? '∞' : x === 0 ? '0' : x.toExponential(2));
const grouped = (n: number): string => n.toLocaleString('en-US');

const SHOWN = 8;

/** The result column: 'secure', or the backend's name marked NOT SECURE. */
function resultColumn(r: InferenceResult): string {
  return BACKEND_INFO[r.backend].secure ? 'secure' : `${r.backend} (NOT SECURE)`;
}

function valueTable(o: OutputResult, head: string): string[] {
  const n = o.secure.length;
  const shown = n <= SHOWN + 2 ? n : SHOWN;
  const rows = [
    ['index', head, 'fixed (plain)', 'float32'],
    ...Array.from({ length: shown }, (_, i) => [
      `[${i}]`,
      num(o.secure[i] as number),
      num(o.fixed[i] as number),
      num(o.float[i] as number),
    ]),
  ];
  const widths = [0, 1, 2, 3].map((k) => Math.max(...rows.map((r) => (r[k] ?? '').length)));
  const lines = rows.map(
    (r) => `    ${r.map((v, k) => (k === 0 ? v.padEnd(widths[k] ?? 0) : v.padStart(widths[k] ?? 0))).join('  ')}`,
  );
  if (shown < n) lines.push(`    … ${n - shown} more of ${n} values (--json prints them all)`);
  return lines;
}

function className(k: number, labels: readonly string[] | undefined): string {
  const l = labelOf(labels, k);
  return l === undefined ? String(k) : `${k} (${l})`;
}

/** Above this many classes (e.g. one per voxel) the class line becomes a histogram. */
const LISTED_CLASSES = 16;

function classLines(
  secure: readonly number[],
  float: readonly number[],
  labels: readonly string[] | undefined,
): string[] {
  if (secure.length <= LISTED_CLASSES) {
    const s = secure.map((k) => className(k, labels)).join(', ');
    const f = float.map((k) => className(k, labels)).join(', ');
    return [`    class: ${s}${s === f ? ' (the float32 model agrees)' : `; the float32 model says ${f}`}`];
  }
  const counts = new Map<number, number>();
  for (const k of secure) counts.set(k, (counts.get(k) ?? 0) + 1);
  const hist = [...counts]
    .sort((a, b) => a[0] - b[0])
    .map(([k, n]) => `${className(k, labels)}: ${grouped(n)} (${((100 * n) / secure.length).toFixed(1)}%)`);
  const agree = secure.filter((k, i) => k === float[i]).length;
  return [
    `    classes of ${grouped(secure.length)} positions: ${hist.join(', ')}`,
    `    the float32 model agrees at ${grouped(agree)} of ${grouped(secure.length)} (${((100 * agree) / secure.length).toFixed(1)}%); --out FILE.npy writes the class volume`,
  ];
}

function boundLine(r: InferenceResult, o: OutputResult, head: string): string {
  const diff = `max |${head === 'secure' ? 'secure' : 'result'} − float32| = ${sci(o.maxAbsDiff)}`;
  const tail = `max |${head === 'secure' ? 'secure' : 'result'} − plaintext fixed| = ${sci(o.fixedDiff)}`;
  if (o.post === undefined)
    return `    ${diff} ${o.withinBound ? '≤' : '>'} ${sci(o.bound)} (compile-time bound): ${o.withinBound ? 'within' : 'OUTSIDE'}; ${tail}`;
  const logits = logitsBound(r, o);
  const onLogits = logits === undefined ? '' : `; bound on the logits ${sci(logits)}`;
  if (!(o.bound < 1))
    return `    ${diff}; bound on the ${o.post} probabilities: no guarantee (the analysed bound is ≥ 1)${onLogits}; ${tail}`;
  return `    ${diff} ${o.withinBound ? '≤' : '>'} ${sci(o.bound)} (compile-time bound on the ${o.post} probabilities${onLogits}): ${o.withinBound ? 'within' : 'OUTSIDE'}; ${tail}`;
}

function outputLines(r: InferenceResult, o: OutputResult, c: RunContext): string[] {
  const post = o.post === undefined ? '' : `, ${o.post} applied by the client after decoding`;
  const head = resultColumn(r);
  const lines = [`output ${o.name} -> ${o.to} [${o.shape.join(',')}]${post}`];
  if (o.boundKind === 'argmax-gap') {
    const n = o.argmax?.length ?? 0;
    if (n <= LISTED_CLASSES)
      lines.push(`    ${head} index ${o.argmax?.join(', ') ?? ''}; float32 index ${o.floatArgmax?.join(', ') ?? ''}`);
    lines.push(
      `    the float32 score at the ${head === 'secure' ? 'secure' : 'result'} index is within ${sci(o.bound)} of the float32 maximum (the compile-time bound): ${o.withinBound ? 'yes' : 'NO'}`,
    );
  } else {
    lines.push(...valueTable(o, head));
    lines.push(boundLine(r, o, head));
  }
  if (o.argmax !== undefined && o.floatArgmax !== undefined)
    lines.push(...classLines(o.argmax, o.floatArgmax, c.labels));
  return lines;
}

export function formatRun(r: InferenceResult, c: RunContext): string {
  const parties = partiesOfBackend(r.backend);
  const b = bytesReport(r.links, parties);
  const p = r.plan.program;
  const roles =
    parties === 3
      ? 'P0 client (input), P1 server (weights), P2 helper'
      : 'two parties, no helper: P0 client (input), P1 server (weights)';
  const count = parties === 3 ? 'three' : 'two';
  const policy = c.convPolicy === undefined ? '' : `, conv policy ${c.convPolicy}`;
  const lines = [
    `cryptflow run ${c.model} (${c.format}) on ${c.input}`,
    `  input:    ${c.inputNote}`,
    ...(c.notes ?? []).map((n) => `  note:     ${n}`),
    `  compiled: ℓ = ${p.ell}, s = ${r.plan.params.scale}, ${p.nodes.length} LLIL nodes; range analysis for the client input range [${num(r.range.inputRange.lo)}, ${num(r.range.inputRange.hi)}]`,
    BACKEND_INFO[r.backend].secure
      ? `  backend:  ${r.backend}${policy}: ${roles}; output revealed to the client`
      : `  backend:  ${r.backend} — NOT SECURE: a trusted party sees the client's input and the server's weights (a reference point, not a protocol); ${roles}`,
    ...(c.mode === undefined
      ? []
      : [
          `  parties:  ${c.mode.mode === 'threads' ? `${count} worker threads` : c.mode.mode === 'processes' ? `${count} processes` : 'interleaved on one thread'} (${c.mode.why})`,
        ]),
    '',
    ...r.outputs.flatMap((o) => [...outputLines(r, o, c), '']),
  ];
  if (!r.range.boundsHold)
    lines.push(
      `warning: ${r.range.overflow.length} value(s) may overflow ℓ = ${p.ell} bits for inputs in this range, so the bounds above are not guaranteed`,
    );
  if (r.range.domain.length > 0)
    lines.push(
      `warning: ${r.range.domain.length} comparison input(s) may leave the domain where the backend's comparisons are exact (${r.range.domain
        .map((d) => d.node)
        .slice(0, 4)
        .join(', ')})`,
    );
  lines.push(
    `communication (computation phase; input sharing and the output reveal are not counted):`,
    `  total ${bytes(b.total)} (${grouped(b.total)} B) in ${r.rounds} rounds; ${BACKEND_INFO[r.backend].localTruncation ? `${wrapClause(r.range.truncation.probability)}${c.maxFailure === undefined ? '' : ` (--max-failure ${thresholdText(c.maxFailure)})`}` : 'ScaleDown exact (no local truncation)'}`,
    ...reportedParties(b).map(
      (q) => `  ${q} sent ${bytes(b.sent[q] ?? 0).padStart(10)}   received ${bytes(b.recv[q] ?? 0).padStart(10)}`,
    ),
    `  links: ${reportedLinks(b)
      .map((l) => `${l} ${bytes(b.links[l] ?? 0)}`)
      .join(', ')}`,
    `time: ${r.seconds.toFixed(2)} s for the ${count}-party run (compile and range analysis ${r.compileSeconds.toFixed(2)} s)`,
  );
  if (r.views !== undefined) {
    const counts = viewCounts(r.views).map((v) => `${v.party} ${grouped(v.received)} messages (${bytes(v.bytes)})`);
    lines.push(
      `views checked: every message and opening allowed by the secrecy analysis and the backend's declaration — received ${counts.join(', ')}`,
    );
  }
  return lines.join('\n');
}
