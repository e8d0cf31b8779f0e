/**
 * The glue of `cryptflow run --processes`: the same job as `run`, with the parties (three, or two for
 * a 2-party backend) as separate processes over loopback with mutual TLS (harness/party/launch.ts). This process compiles the model
 * too, but only to compare the client's result in the clear as `run` does; the parties themselves get
 * the model (server) or the input (client) on their command lines, never both. The report adds the
 * bytes each party put on the wire: payload, framing and TLS.
 */
import { CryptflowError } from '../../spec/errors.js';
import { runLocalProcesses } from '../party/launch.js';
import { formatWire, type ClientJson } from '../party/report.js';
import { programDigest } from '../party/setup.js';
import type { WireCounts } from '../party/walk.js';
import { allLinks } from '../cost/walk.js';
import {
  backendOf,
  compareOutputs,
  prepareInference,
  type BackendName,
  type InferenceResult,
  type ServerModel,
} from '../runner/inference.js';
import type { ConvPolicy } from '../../protocols/securenn-family/three-party.js';
import type { Placement } from '../../passes/float-to-fixed/program.js';
import type { ParsedArgs } from './args.js';

/** Rebuild `--flag value` arguments for the flags in `names` that `args` holds (for a child process). */
export function argvOf(args: ParsedArgs, names: readonly string[]): string[] {
  return names.flatMap((n) => {
    const v = args.flags.get(n);
    return v === undefined || v === false ? [] : v === true ? [`--${n}`] : [`--${n}`, String(v)];
  });
}

/** Wire totals of the parties of a `run --processes` (no P2 in a 2-party run). */
export interface ProcessesWire {
  readonly parties: Readonly<Record<'P0' | 'P1', WireCounts>> & Readonly<Partial<Record<'P2', WireCounts>>>;
  readonly total: WireCounts;
}

export interface ProcessesOutcome {
  readonly result: InferenceResult;
  readonly wire: ProcessesWire;
  readonly client: ClientJson;
}

export interface ProcessesOptions {
  /** The model argument and the server's flags, as given to `run`. */
  readonly modelPath: string;
  readonly serverArgs: readonly string[];
  readonly clientArgs: readonly string[];
  readonly model: ServerModel;
  readonly clientInputs: ReadonlyMap<string, Float32Array>;
  readonly ell: number;
  readonly scale: number;
  readonly placement: Placement;
  /** The client input range the comparison's analysis assumes (default: the input's own). */
  readonly inputRange?: { readonly lo: number; readonly hi: number };
  readonly backend: BackendName;
  readonly convPolicy?: ConvPolicy;
  readonly seed?: string;
  readonly progress: ((line: string) => void) | null;
}

/** `cryptflow run --processes`: the parties as three processes, the comparison in the clear here. */
export async function runProcesses(o: ProcessesOptions): Promise<ProcessesOutcome> {
  const backend = backendOf(o.backend, o.convPolicy);
  const prep = prepareInference(o.model, o.clientInputs, o);
  const local = await runLocalProcesses({
    serverArgs: ['--model', o.modelPath, ...o.serverArgs],
    clientArgs: o.clientArgs,
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    progress: o.progress,
    parties: backend.claims.parties,
  });
  if (local.client.digest !== programDigest(prep.plan.program))
    throw new CryptflowError('protocol', 'the parties ran a different LLIL program than this process compiled');
  const r = local.client.requests[0];
  if (r === undefined) throw new CryptflowError('protocol', 'the client reported no result');
  const secure = new Map(r.outputs.map((x) => [x.name, Float64Array.from(x.secure)]));
  const outputs = compareOutputs(o.model, o.clientInputs, prep, secure);
  const meter = { links: allLinks(r.bytes.links), io: r.io, messages: r.messages, rounds: r.rounds };
  const result: InferenceResult = {
    backend: o.backend,
    protocol: backend.name,
    plan: prep.plan,
    range: prep.range,
    outputs,
    links: meter.links,
    rounds: r.rounds,
    meter,
    perNode: r.perNode,
    seconds: r.seconds,
    compileSeconds: prep.compileSeconds,
  };
  const parties = {
    P0: local.client.wire.total,
    P1: local.server.total,
    ...(local.helper === undefined ? {} : { P2: local.helper.total }),
  };
  const total = { payload: 0, framing: 0, tls: 0, wire: 0 };
  for (const w of Object.values(parties) as WireCounts[])
    for (const k of ['payload', 'framing', 'tls', 'wire'] as const) total[k] += w[k];
  return { result, wire: { parties, total }, client: local.client };
}

/** The text lines `run --processes` adds: each party's bytes on the wire. */
export function formatProcessesWire(w: ProcessesWire): string {
  return [
    `on the wire (${w.parties.P2 === undefined ? 'two' : 'three'} processes over loopback, mutual TLS 1.3, throw-away certificates; the payload includes the input sharing and the output reveal; a 2-party backend's once-per-session setup too):`,
    ...(['P0', 'P1', 'P2'] as const).flatMap((p) => {
      const c = w.parties[p];
      return c === undefined ? [] : [`  ${p} sent ${formatWire(c)}`];
    }),
    `  all   ${formatWire(w.total)}`,
  ].join('\n');
}
