/**
 * What a party process prints: the client's results (per request: the decoded outputs, the class,
 * the whole run's communication and rounds) and each party's session summary (payload, framing and
 * TLS bytes per outgoing link), as text or as one JSON object (`--json`) whose fields are stated in
 * `ClientJson` and `PartySummary`. `cryptflow run --processes` reads these objects back from its
 * three child processes (`parseClientJson`, `parseSummaryJson`).
 */
import { CryptflowError } from '../../spec/errors.js';
import type { LinkBytes } from '../../spec/cost/types.js';
import { bytesReport, reportedLinks, reportedParties, type BytesReport } from '../cost/walk.js';
import { BACKEND_INFO, partiesOfBackend, rowArgmax } from '../runner/inference.js';
import { bytes } from '../format/units.js';
import type { ClientOutcome, ClientResult } from './client.js';
import { partyLabel } from './session.js';
import type { CompiledProgram } from './setup.js';
import type { PartySummary, WireCounts } from './walk.js';

export interface ClientRequestJson {
  readonly request: number;
  readonly input: string;
  /** The first output, decoded (after Softmax/Sigmoid where the model ends with one). */
  readonly output: readonly number[];
  readonly argmax?: number | readonly number[];
  readonly class?: string | readonly string[];
  readonly outputs: ReadonlyArray<{
    readonly name: string;
    readonly to: string;
    readonly shape: readonly number[];
    readonly post?: string;
    readonly secure: readonly number[];
    readonly argmax?: readonly number[];
  }>;
  /** Computation-phase bytes of all three parties, as `cryptflow run --json` reports them. */
  readonly bytes: BytesReport;
  /** Input sharing and output reveal bytes per link (not in `bytes`). */
  readonly io: LinkBytes;
  readonly messages: LinkBytes;
  readonly rounds: number;
  readonly perNode: readonly LinkBytes[];
  readonly seconds: number;
}

export interface ClientJson {
  readonly role: 'client';
  readonly model: string;
  readonly backend: string;
  /** Whether the backend is a secure protocol (false: NOT SECURE, a trusted party saw the data). */
  readonly secure: boolean;
  readonly convPolicy?: string;
  readonly ell: number;
  readonly scale: number;
  /** SHA-256 of the LLIL program all three parties ran. */
  readonly digest: string;
  readonly requests: readonly ClientRequestJson[];
  readonly wire: PartySummary;
}

const one = <T>(xs: readonly T[]): T | readonly T[] => (xs.length === 1 ? (xs[0] as T) : xs);

/** The arg-max of each output: the values of an ArgMax output, else per row of a rank ≤ 2 output. */
export function outputArgmax(
  prog: CompiledProgram,
  o: { readonly name: string; readonly shape: readonly number[]; readonly secure: Float64Array },
): number[] | undefined {
  const node = prog.plan.program.nodes.find((n) => n.out === o.name);
  return node?.op === 'ArgMax' ? Array.from(o.secure) : rowArgmax(o.shape, o.secure);
}

export function requestJson(prog: CompiledProgram, r: ClientResult, labels?: readonly string[]): ClientRequestJson {
  const outputs = r.outputs.map((o) => {
    const argmax = outputArgmax(prog, o);
    return {
      name: o.name,
      to: o.to,
      shape: [...o.shape],
      ...(o.post === undefined ? {} : { post: o.post }),
      secure: Array.from(o.secure),
      ...(argmax === undefined ? {} : { argmax }),
    };
  });
  const cls = outputs.find((o) => o.argmax !== undefined)?.argmax;
  const names = cls?.map((k) => labels?.[k]).filter((s): s is string => s !== undefined);
  return {
    request: r.request,
    input: r.input,
    output: outputs[0]?.secure ?? [],
    ...(cls === undefined ? {} : { argmax: one(cls) }),
    ...(names === undefined || names.length === 0 ? {} : { class: one(names) }),
    outputs,
    bytes: bytesReport(r.meter.links, partiesOfBackend(prog.backend)),
    io: r.meter.io,
    messages: r.meter.messages,
    rounds: r.rounds,
    perNode: r.perNode,
    seconds: r.seconds,
  };
}

export function clientJson(o: ClientOutcome, labels?: readonly string[]): ClientJson {
  const p = o.program;
  return {
    role: 'client',
    model: p.model,
    backend: p.backend,
    secure: BACKEND_INFO[p.backend].secure,
    ...(p.convPolicy === undefined ? {} : { convPolicy: p.convPolicy }),
    ell: p.ell,
    scale: p.scale,
    digest: p.digest,
    requests: o.results.map((r) => requestJson(p, r, labels)),
    wire: o.summary,
  };
}

const grouped = (n: number): string => n.toLocaleString('en-US');
const num = (x: number): string =>
  Number.isInteger(x) && Math.abs(x) < 1e9
    ? String(x)
    : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5
      ? x.toFixed(6)
      : x.toExponential(3);

export function formatRequest(j: ClientRequestJson): string {
  const b = j.bytes;
  const lines = [`request ${j.request}: ${j.input}`];
  for (const o of j.outputs) {
    const post = o.post === undefined ? '' : `, ${o.post} applied by the client after decoding`;
    const shown = o.secure.slice(0, 10).map(num).join(', ');
    lines.push(
      `  output ${o.name} [${o.shape.join(',')}]${post}: ${shown}${o.secure.length > 10 ? `, … (${o.secure.length} values; --json prints them all)` : ''}`,
    );
  }
  if (j.argmax !== undefined) {
    const ks = typeof j.argmax === 'number' ? [j.argmax] : j.argmax;
    const cs = j.class === undefined ? [] : typeof j.class === 'string' ? [j.class] : j.class;
    lines.push(`  class: ${ks.map((k, i) => (cs[i] === undefined ? String(k) : `${k} (${cs[i] ?? ''})`)).join(', ')}`);
  }
  lines.push(
    `  communication (computation phase, all parties): ${bytes(b.total)} (${grouped(b.total)} B) in ${j.rounds} rounds; sent ${reportedParties(
      b,
    )
      .map((p) => `${p} ${bytes(b.sent[p] ?? 0)}`)
      .join(', ')}`,
    `  links: ${reportedLinks(b)
      .map((l) => `${l} ${bytes(b.links[l] ?? 0)}`)
      .join(', ')}`,
    `  time: ${j.seconds.toFixed(2)} s`,
  );
  return lines.join('\n');
}

export function formatWire(w: WireCounts): string {
  return `payload ${bytes(w.payload)}, framing ${bytes(w.framing)}, TLS ${bytes(w.tls)}; on the wire ${bytes(w.wire)} (${grouped(w.wire)} B)`;
}

export function formatSummary(s: PartySummary, prog?: CompiledProgram): string {
  const what =
    prog === undefined
      ? ''
      : ` of ${prog.model} (${prog.backend}${BACKEND_INFO[prog.backend].secure ? '' : ', NOT SECURE'}, ℓ = ${prog.ell}, s = ${prog.scale})`;
  const verb = s.role === 'client' ? 'ran' : 'served';
  return [
    `${partyLabel(s.party)}: ${verb} ${s.requests} request(s)${what} in one mutually authenticated TLS 1.3 session, ${s.seconds.toFixed(2)} s`,
    ...Object.entries(s.links).map(([l, w]) => `  ${l}: ${formatWire(w)}`),
  ].join('\n');
}

function isObject(u: unknown): u is Record<string, unknown> {
  return typeof u === 'object' && u !== null && !Array.isArray(u);
}

function parsed(text: string, what: string): Record<string, unknown> {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    throw new CryptflowError('protocol', `${what} printed no JSON result`);
  }
  if (!isObject(j)) throw new CryptflowError('protocol', `${what} printed no JSON object`);
  return j;
}

function isSummary(u: unknown): u is PartySummary {
  return (
    isObject(u) &&
    typeof u['party'] === 'number' &&
    typeof u['requests'] === 'number' &&
    isObject(u['total']) &&
    isObject(u['links'])
  );
}

/** A client process's `--json` output. */
export function parseClientJson(text: string): ClientJson {
  const j = parsed(text, 'the client');
  if (
    j['role'] !== 'client' ||
    !Array.isArray(j['requests']) ||
    typeof j['digest'] !== 'string' ||
    !isSummary(j['wire'])
  )
    throw new CryptflowError('protocol', 'the client printed an unexpected JSON object');
  return j as unknown as ClientJson;
}

/** A server or helper process's `--json` output. */
export function parseSummaryJson(text: string, what: string): PartySummary {
  const j = parsed(text, what);
  if (!isSummary(j)) throw new CryptflowError('protocol', `${what} printed an unexpected JSON object`);
  return j;
}
