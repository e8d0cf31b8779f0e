/**
 * `cryptflow party --role client|server|helper --config parties.json …`: one party of a deployment,
 * one OS process, connected to the other two over TCP with mutual TLS (harness/party/).
 *
 *   server: --model MODEL [--backend …] [--scale S --bitlen L --conv-policy … --placement …] [HLIL
 *           flags as for compile]. Loads, compiles and encodes the model once; serves every request of
 *           the session.
 *   client: --input FILE [FILE …] [--accept B,…] [--labels FILE] [--mean M --std S --layout nchw|nhwc
 *           --flatten]. Reads and decodes every input file before it connects; takes part only if
 *           the server's backend is one it accepts (default: the secure ones); one request per
 *           input file, all in one session; prints each result when it is complete.
 *   helper: nothing but the config.
 *   all:    [--seed S] (replayable keys: testing only, not secure) [--json] [--quiet].
 *
 * Fault injection for the tests (not a user option): the environment variable CRYPTFLOW_FAULT =
 * `crash@R:N` or `stall@R:N` makes this party kill itself (SIGKILL) or stop itself (SIGSTOP) as it
 * starts node N (from 0) of request R — a party dying or hanging at a chosen layer.
 */
import { basename } from 'node:path';
import { CryptflowError } from '../../spec/errors.js';
import type { PartyId } from '../../protocols/common/party.js';
import { loadConfig } from '../network/tcp/config.js';
import type { KeyMode } from '../network/tcp/keys.js';
import { decodeClientInput, fitClientInput } from '../io/client-input.js';
import { runClient } from '../party/client.js';
import { clientJson, formatRequest, formatSummary, requestJson } from '../party/report.js';
import { runHelper, runServer } from '../party/server.js';
import { partyLabel, ROLES, type Role } from '../party/session.js';
import type { CompiledProgram } from '../party/setup.js';
import type { PartyHooks, PartySummary } from '../party/walk.js';
import { BACKEND_INFO, backendOf, BACKENDS, SECURE_BACKENDS, type BackendName } from '../runner/inference.js';
import { getBoolean, getChoice, getInteger, getString, type FlagSpec, type ParsedArgs } from './args.js';
import { HLIL_FLAGS, loadAndOptimize, placementFlag } from './compile.js';
import { progressReporter } from './progress.js';
import { readLabels } from './run.js';

/** Where a party process writes: results on `out`, progress and notes on `err`. */
export interface PartyIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const PARTY_FLAGS: Readonly<Record<string, FlagSpec>> = {
  role: {
    kind: 'string',
    help: "which party this process is: 'client' (P0, the input), 'server' (P1, the model) or 'helper' (P2)",
  },
  config: {
    kind: 'string',
    help: 'the parties configuration (parties.json: addresses, certificates, this party’s key, timeouts)',
  },
  model: { kind: 'string', help: 'server: the model (ONNX, TF GraphDef, TF.js, HLIL with --weights, or zoo:NAME)' },
  input: {
    kind: 'string',
    help: 'client: an input file (JSON, .npy, PNG/PGM); more input files may follow as arguments, one request each',
  },
  backend: {
    kind: 'string',
    help: `server: ${BACKENDS.map((b) => `'${b}'${BACKEND_INFO[b].secure ? '' : ' (NOT SECURE)'}`).join(', ')}; default 'porthos'`,
  },
  accept: {
    kind: 'string',
    help: `client: the backends it takes part in, comma-separated (default: the secure ones, ${SECURE_BACKENDS.join(',')}); any other stops every party`,
  },
  flatten: { kind: 'boolean', help: "client, images: lay the image's pixels out as one vector for a non-image input" },
  scale: { kind: 'integer', help: 'server: fixed-point scale s (default 12)', min: 0, max: 63 },
  'conv-policy': { kind: 'string', help: "server, porthos: 'paper' (default), 'reshaped' or 'im2col'" },
  labels: { kind: 'string', help: 'client: class names (a JSON array, or one name per line)' },
  mean: { kind: 'string', help: 'client, images: per-channel mean subtracted after scaling to [0, 1]' },
  std: { kind: 'string', help: 'client, images: per-channel standard deviation (default 1)' },
  layout: { kind: 'string', help: "client, images: 'nchw' or 'nhwc' (default: what the server's model expects)" },
  seed: {
    kind: 'string',
    help: 'replayable PRG keys from this seed on every party instead of the key agreement: for testing only, NOT secure',
  },
  quiet: { kind: 'boolean', help: 'no progress or per-request lines on standard error' },
  json: {
    kind: 'boolean',
    help: 'print one JSON object at the end (client: the results; server, helper: the session summary)',
  },
  ...HLIL_FLAGS,
};

const SERVER_ONLY = ['model', 'backend', 'scale', 'conv-policy', ...Object.keys(HLIL_FLAGS)];
const CLIENT_ONLY = ['input', 'accept', 'labels', 'mean', 'std', 'layout', 'flatten'];

function numbers(args: ParsedArgs, name: string): number[] | undefined {
  const v = getString(args, name);
  if (v === undefined) return undefined;
  const xs = v.split(',').map((s) => Number(s.trim()));
  if (xs.some((x) => !Number.isFinite(x)))
    throw new CryptflowError('usage', `option --${name} needs numbers separated by commas, got '${v}'`);
  return xs;
}

/** `--accept porthos,securenn,cryptflow2` (default: the secure backends). */
export function acceptedBackends(spec: string | undefined): readonly BackendName[] {
  if (spec === undefined) return SECURE_BACKENDS;
  const names = spec.split(',').map((x) => x.trim());
  const unknown = names.filter((n) => !(BACKENDS as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0)
    throw new CryptflowError(
      'usage',
      `option --accept needs backend names separated by commas (known: ${BACKENDS.join(', ')}), got '${spec}'`,
    );
  return names as BackendName[];
}

/** CRYPTFLOW_FAULT=crash@R:N | stall@R:N (see the file header). */
export function faultHooks(
  spec: string | undefined,
  kill: (signal: NodeJS.Signals) => void = (s) => process.kill(process.pid, s),
): PartyHooks | undefined {
  if (spec === undefined || spec === '') return undefined;
  const m = /^(crash|stall)@(\d+):(\d+)$/.exec(spec);
  if (m === null)
    throw new CryptflowError(
      'usage',
      `CRYPTFLOW_FAULT must be crash@REQUEST:NODE or stall@REQUEST:NODE, got '${spec}'`,
    );
  const [request, node] = [Number(m[2]), Number(m[3])];
  const signal: NodeJS.Signals = m[1] === 'crash' ? 'SIGKILL' : 'SIGSTOP';
  return { onNode: (r, i) => r === request && i === node && kill(signal) };
}

function keyMode(args: ParsedArgs, io: PartyIo): KeyMode {
  const seed = getString(args, 'seed');
  if (seed === undefined) return { kind: 'agreed' };
  io.err('warning: --seed derives every PRG key from the seed: the run is replayable and NOT secure (testing only)');
  return { kind: 'seeded', seed };
}

function summaryJson(s: PartySummary): string {
  return JSON.stringify(s);
}

export async function partyCommand(args: ParsedArgs, io: PartyIo): Promise<void> {
  const role = getChoice(args, 'role', ROLES);
  if (role === undefined) throw new CryptflowError('usage', 'party needs --role client|server|helper');
  const configPath = getString(args, 'config');
  if (configPath === undefined) throw new CryptflowError('usage', 'party needs --config parties.json');
  const misplaced = [...args.flags.keys()].filter(
    (f) => (role !== 'server' && SERVER_ONLY.includes(f)) || (role !== 'client' && CLIENT_ONLY.includes(f)),
  );
  if (misplaced.length > 0) {
    const owner = (f: string): Role => (SERVER_ONLY.includes(f) ? 'server' : 'client');
    throw new CryptflowError(
      'usage',
      misplaced.map((f) => `--${f} is for the ${owner(f)} (--role ${owner(f)}), not the ${role}`).join('; '),
    );
  }
  if (role !== 'client' && args.positional.length > 0)
    throw new CryptflowError(
      'usage',
      `only the client takes input files; the ${role} got ${args.positional.length} extra argument(s)`,
    );
  const id = ROLES.indexOf(role) as PartyId;
  const json = getBoolean(args, 'json');
  const quiet = getBoolean(args, 'quiet');
  const log = (line: string): void => io.err(`${partyLabel(id)}: ${line}`);
  const hooks = faultHooks(process.env['CRYPTFLOW_FAULT']);
  const common = { keys: keyMode(args, io), log, ...(hooks === undefined ? {} : { hooks }) };

  if (role === 'server') {
    const path = getString(args, 'model');
    if (path === undefined) throw new CryptflowError('usage', 'the server needs --model MODEL');
    const backend = getChoice(args, 'backend', BACKENDS) ?? 'porthos';
    const convPolicy = getChoice(args, 'conv-policy', ['paper', 'reshaped', 'im2col'] as const);
    backendOf(backend, convPolicy);
    if (!BACKEND_INFO[backend].secure)
      io.err(
        `warning: the backend '${backend}' — ${BACKEND_INFO[backend].summary}; a client refuses it unless its --accept names it`,
      );
    const { model, notes } = loadAndOptimize(path, args);
    for (const n of notes) log(`note: ${n}`);
    if (model.missingWeights.length > 0)
      throw new CryptflowError(
        'usage',
        `the server needs every weight: give ${model.missingWeights.map((n) => `'${n}'`).join(', ')} with --weights FILE`,
      );
    const config = loadConfig(configPath, 1);
    const summary = await runServer({
      ...common,
      config,
      model,
      name: basename(path),
      backend,
      ...(convPolicy === undefined ? {} : { convPolicy }),
      ell: getInteger(args, 'bitlen') ?? 64,
      scale: getInteger(args, 'scale') ?? 12,
      placement: placementFlag(args),
      layout: model.format === 'tf-graphdef' || model.format === 'tfjs' ? 'nhwc' : 'nchw',
      ...(quiet ? {} : { onRequest: (n: number, s: number) => log(`request ${n} served in ${s.toFixed(2)} s`) }),
    });
    io.out(json ? summaryJson(summary) : formatSummary(summary));
    return;
  }
  if (role === 'helper') {
    const config = loadConfig(configPath, 2);
    const summary = await runHelper({
      ...common,
      config,
      ...(quiet ? {} : { onRequest: (n: number, s: number) => log(`request ${n} done in ${s.toFixed(2)} s`) }),
    });
    io.out(json ? summaryJson(summary) : formatSummary(summary));
    return;
  }
  const first = getString(args, 'input');
  const inputs = [...(first === undefined ? [] : [first]), ...args.positional];
  if (inputs.length === 0)
    throw new CryptflowError('usage', 'the client needs --input FILE (more input files may follow, one request each)');
  const layoutFlag = getChoice(args, 'layout', ['nchw', 'nhwc'] as const);
  const mean = numbers(args, 'mean');
  const std = numbers(args, 'std');
  const flatten = getBoolean(args, 'flatten');
  const accept = acceptedBackends(getString(args, 'accept'));
  const labelsPath = getString(args, 'labels');
  const labels = labelsPath === undefined ? undefined : readLabels(labelsPath);
  // Every file is read and decoded before connecting: a bad file fails here, and nothing of it leaves.
  const decoded = inputs.map((path) => decodeClientInput(path));
  const config = loadConfig(configPath, 0);
  let program: CompiledProgram | null = null;
  const outcome = await runClient({
    ...common,
    config,
    accept,
    requests: decoded.map((d) => ({
      label: d.path,
      read: (hlil) =>
        fitClientInput(d, hlil, {
          layout: layoutFlag ?? program?.layout ?? 'nchw',
          ...(mean === undefined ? {} : { mean }),
          ...(std === undefined ? {} : { std }),
          flatten,
          imageOptionsGiven: mean !== undefined || std !== undefined || layoutFlag !== undefined || flatten,
        }).values,
    })),
    onProgram: (p) => (program = p),
    ...(quiet ? {} : { onProgress: progressReporter(io.err) }),
    ...(json ? {} : { onResult: (r) => program !== null && io.out(formatRequest(requestJson(program, r, labels))) }),
  });
  io.out(json ? JSON.stringify(clientJson(outcome, labels)) : formatSummary(outcome.summary, outcome.program));
}
