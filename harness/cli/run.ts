/**
 * `cryptflow run MODEL --input FILE [--backend plaintext|ideal|porthos|securenn|cryptflow2|ideal2|plaintext2] [--scale S --bitlen L
 *  --conv-policy paper|reshaped|im2col] [--seed S] [--labels FILE] [--mean M --std S --layout nchw|nhwc]
 *  [--processes | --threads | --check-views] [--quiet] [--json] [HLIL pass flags as for compile]`
 *
 * The main job: load the model (harness/io/model.ts), optimise it with the paper's HLIL passes, read
 * the client's input (harness/io/client-input.ts: JSON, .npy, PNG/PGM with preprocessing), and run
 * secure inference (harness/runner/inference.ts). Prints the result next to the float32 model's with
 * communication and time (run-report.ts); progress per node goes to standard error unless --quiet.
 * An ONNX model with a symbolic batch axis runs at batch 1 unless --batch says otherwise. With
 * --processes the parties are three processes over loopback with mutual TLS (processes.ts); with
 * --threads they run in three worker threads of this process (harness/runner/threads.ts); with
 * --check-views every party's view is recorded and checked (harness/runner/views.ts).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CryptflowError } from '../../spec/errors.js';
import { readClientInput } from '../io/client-input.js';
import type { Layout } from '../io/image-input.js';
import { BACKENDS, secureInference, type InferenceResult } from '../runner/inference.js';
import { getBoolean, getChoice, getInteger, getString, type FlagSpec, type ParsedArgs } from './args.js';
import { HLIL_FLAGS, loadAndOptimize, placementFlag } from './compile.js';
import { progressReporter } from './progress.js';
import { formatRun, runJson, type RunContext } from './run-report.js';
import { argvOf, formatProcessesWire, runProcesses, type ProcessesWire } from './processes.js';

export const RUN_FLAGS: Readonly<Record<string, FlagSpec>> = {
  input: { kind: 'string', help: "the client's input: a JSON object of client inputs, an .npy array, or a PNG/PGM image" },
  backend: { kind: 'string', help: "'porthos' (default), 'securenn', 'cryptflow2' (two parties, no helper), 'ideal' (trusted party, ideal functionalities), 'plaintext' (trusted party, exact), or 'ideal2' / 'plaintext2' (their 2-party flavours)" },
  scale: { kind: 'integer', help: 'fixed-point scale s (default 12)', min: 0, max: 63 },
  'conv-policy': { kind: 'string', help: "porthos convolutions: 'paper' (reshaped triple for filters ≥ 5; default), 'reshaped' or 'im2col'" },
  seed: { kind: 'string', help: 'derive the parties’ PRG keys from this seed (a replayable run; default fresh random keys)' },
  labels: { kind: 'string', help: 'class names: a JSON array of strings, or a text file with one name per line' },
  mean: { kind: 'string', help: 'images: per-channel mean subtracted after scaling to [0, 1] (one value, or one per channel, comma-separated)' },
  std: { kind: 'string', help: 'images: per-channel standard deviation divided by after the mean (default 1)' },
  layout: { kind: 'string', help: "images: the model input's layout, 'nchw' (default for ONNX) or 'nhwc' (default for TensorFlow)" },
  quiet: { kind: 'boolean', help: 'no progress lines on standard error' },
  json: { kind: 'boolean', help: 'print one JSON object (backend, output, argmax, bytes, rounds, seconds, …)' },
  'check-views': { kind: 'boolean', help: "record every party's view and fail the run on any message or opening the secrecy analysis and the backend do not allow (in-memory runs)" },
  processes: { kind: 'boolean', help: 'run the three parties as separate processes over loopback with mutual TLS (throw-away certificates); adds the bytes on the wire' },
  threads: { kind: 'boolean', help: 'run the three parties of porthos/securenn in three worker threads (in parallel on a multi-core machine; the same messages and meter)' },
  ...HLIL_FLAGS,
};

function numbers(args: ParsedArgs, name: string): number[] | undefined {
  const v = getString(args, name);
  if (v === undefined) return undefined;
  const parts = v.split(',').map((s) => s.trim());
  const xs = parts.map(Number);
  if (parts.some((s) => s === '') || xs.some((x) => !Number.isFinite(x))) throw new CryptflowError('usage', `option --${name} needs numbers separated by commas, got '${v}'`);
  return xs;
}

/** Class names from a JSON array of strings or a text file of lines. */
export function readLabels(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CryptflowError('input', `cannot read the labels file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`);
  }
  if (text.trimStart().startsWith('[')) {
    let j: unknown;
    try {
      j = JSON.parse(text);
    } catch {
      throw new CryptflowError('input', `${path}: not valid JSON (expected an array of class names)`);
    }
    if (!Array.isArray(j) || j.some((s) => typeof s !== 'string')) throw new CryptflowError('input', `${path}: expected a JSON array of strings (class names)`);
    return j as string[];
  }
  return text.split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
}

/** ONNX models with a symbolic batch axis run at batch 1 unless --batch is given. */
function withDefaultBatch(path: string, args: ParsedArgs): ParsedArgs {
  if (extname(path).toLowerCase() !== '.onnx' || args.flags.has('batch')) return args;
  return { ...args, flags: new Map([...args.flags, ['batch', 1]]) };
}

export interface RunOutcome {
  readonly result: InferenceResult;
  readonly context: RunContext;
  /** With --processes: what each party put on the wire. */
  readonly wire?: ProcessesWire;
}

export async function runCommand(path: string, args: ParsedArgs, progress: ((line: string) => void) | null): Promise<RunOutcome> {
  const input = getString(args, 'input');
  if (input === undefined) throw new CryptflowError('usage', 'run needs --input FILE (the client input: JSON, .npy, PNG or PGM)');
  const backend = getChoice(args, 'backend', BACKENDS) ?? 'porthos';
  const convPolicy = getChoice(args, 'conv-policy', ['paper', 'reshaped', 'im2col'] as const);
  const layoutFlag = getChoice(args, 'layout', ['nchw', 'nhwc'] as const);
  const mean = numbers(args, 'mean');
  const std = numbers(args, 'std');
  const labelsPath = getString(args, 'labels');
  const labels = labelsPath === undefined ? undefined : readLabels(labelsPath);

  const checkViews = getBoolean(args, 'check-views');
  if (checkViews && getBoolean(args, 'processes')) throw new CryptflowError('usage', '--check-views records the views of an in-memory run; it does not apply with --processes');
  const threads = getBoolean(args, 'threads');
  if (threads && getBoolean(args, 'processes')) throw new CryptflowError('usage', '--threads and --processes are two ways to place the parties; give one');
  const { loaded, model } = loadAndOptimize(path, withDefaultBatch(path, args));
  if (model.missingWeights.length > 0) {
    throw new CryptflowError('usage', `run needs every weight: give ${model.missingWeights.map((n) => `'${n}'`).join(', ')} with --weights FILE`);
  }
  const layout: Layout = layoutFlag ?? (model.format === 'tf-graphdef' || model.format === 'tfjs' ? 'nhwc' : 'nchw');
  const client = readClientInput(input, model.program, {
    layout,
    ...(mean === undefined ? {} : { mean }),
    ...(std === undefined ? {} : { std }),
    imageOptionsGiven: mean !== undefined || std !== undefined || layoutFlag !== undefined,
  });
  const seed = getString(args, 'seed');
  const common = {
    backend,
    ell: getInteger(args, 'bitlen') ?? 64,
    scale: getInteger(args, 'scale') ?? 12,
    placement: placementFlag(args),
    ...(convPolicy === undefined ? {} : { convPolicy }),
    ...(seed === undefined ? {} : { seed }),
  };
  const processes = getBoolean(args, 'processes')
    ? await runProcesses({
        ...common,
        modelPath: path,
        serverArgs: argvOf(args, ['backend', 'scale', 'conv-policy', ...Object.keys(HLIL_FLAGS)]),
        clientArgs: ['--input', input, ...argvOf(args, ['mean', 'std', 'layout'])],
        model,
        clientInputs: client.values,
        progress,
      })
    : null;
  const result = processes?.result ?? (await secureInference(model, client.values, {
      ...common,
      ...(progress === null ? {} : { onProgress: progressReporter(progress) }),
      ...(checkViews ? { checkViews: { declared: loaded.program } } : {}),
      ...(threads ? { threads } : {}),
    }));
  const classes = result.outputs.find((o) => o.argmax !== undefined);
  if (labels !== undefined && classes?.boundKind === 'value') {
    const k = classes.shape[classes.shape.length - 1] ?? 0;
    if (labels.length !== k) throw new CryptflowError('input', `${labelsPath ?? ''}: ${labels.length} class names for the ${k} classes of output '${classes.name}'`);
  }
  const context: RunContext = {
    model: path,
    format: model.format,
    input,
    inputNote: client.note,
    ...(backend === 'porthos' ? { convPolicy: convPolicy ?? 'paper' } : {}),
    ...(labels === undefined ? {} : { labels }),
  };
  return { result, context, ...(processes === null ? {} : { wire: processes.wire }) };
}

export function printRun(o: RunOutcome, json: boolean): string {
  if (json) return JSON.stringify({ ...runJson(o.result, o.context), ...(o.wire === undefined ? {} : { wire: o.wire }) });
  return o.wire === undefined ? formatRun(o.result, o.context) : `${formatRun(o.result, o.context)}\n${formatProcessesWire(o.wire)}`;
}

export function runFlags(args: ParsedArgs): { readonly json: boolean; readonly quiet: boolean } {
  return { json: getBoolean(args, 'json'), quiet: getBoolean(args, 'quiet') };
}
