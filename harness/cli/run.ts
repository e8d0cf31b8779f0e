/**
 * `cryptflow run MODEL --input FILE [--backend plaintext|ideal|porthos|securenn|cryptflow2|ideal2|plaintext2|malicious]
 *  [--scale S --bitlen L --conv-policy paper|reshaped|im2col] [--input-range lo..hi --max-failure P
 *  --allow-unsafe] [--seed S] [--labels FILE] [--mean M --std S --layout nchw|nhwc --flatten]
 *  [--processes | --threads | --one-thread | --check-views] [--out FILE.npy] [--quiet] [--json]
 *  [--corrupt P<i>[:strategy] (research/demo, backend malicious)]
 *  [HLIL pass flags as for compile]`
 *
 * The main job: load the model (harness/io/model.ts), optimise it with the paper's HLIL passes, read
 * the client's input (harness/io/client-input.ts: JSON, .npy, PNG/PGM with preprocessing), and run
 * secure inference (harness/runner/inference.ts). Prints the result next to the float32 model's with
 * communication and time (run-report.ts); progress per node goes to standard error unless --quiet.
 * An ONNX model with a symbolic batch axis runs at batch 1 unless --batch says otherwise (compile.ts,
 * as for every command). With --processes the parties are three processes over loopback with mutual
 * TLS (processes.ts); with --threads they run in three worker threads of this process
 * (harness/runner/threads.ts), with --one-thread interleaved on this one; without either the mode is
 * picked from the core count and the model's size (mode.ts) and the report says which. With
 * --check-views every party's view is recorded and checked (harness/runner/views.ts).
 *
 * A result that may be wrong (safety.ts: input outside the analysed range, predicted overflow,
 * P(wrap) above --max-failure, an output outside its bound) is printed and then fails the command
 * with exit status 3, unless --allow-unsafe.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CryptflowError } from '../../spec/errors.js';
import { readClientInput } from '../io/client-input.js';
import type { Layout } from '../io/image-input.js';
import { encodeNpy } from '../io/npy.js';
import { BACKEND_INFO, BACKENDS, secureInference, type InferenceResult } from '../runner/inference.js';
import { getBoolean, getChoice, getInteger, getRange, getString, type FlagSpec, type ParsedArgs } from './args.js';
import { HLIL_FLAGS, loadAndOptimize, placementFlag } from './compile.js';
import { chooseMode, type RunMode } from './mode.js';
import { progressReporter } from './progress.js';
import { formatRun, runJson, type RunContext } from './run-report.js';
import { argvOf, formatProcessesWire, runProcesses, type ProcessesWire } from './processes.js';
import { maxFailureOf, rangeOf, safetyIssues, type SafetyIssue } from './safety.js';
import { parseCorruption } from '../../protocols/malicious3/wire.js';

export const RUN_FLAGS: Readonly<Record<string, FlagSpec>> = {
  input: {
    kind: 'string',
    help: "the client's input: a JSON object of client inputs, an .npy array, or a PNG/PGM image",
  },
  backend: {
    kind: 'string',
    help: `${BACKENDS.map((b) => `'${b}'${BACKEND_INFO[b].secure ? '' : ' (NOT SECURE)'}`).join(', ')}; default 'porthos' ('cryptflow2': two parties, no helper; 'ideal2'/'plaintext2': the references' 2-party flavours)`,
  },
  scale: { kind: 'integer', help: 'fixed-point scale s (default 12)', min: 0, max: 63 },
  'conv-policy': {
    kind: 'string',
    help: "porthos convolutions: 'paper' (reshaped triple for filters ≥ 5; default), 'reshaped' or 'im2col'",
  },
  seed: {
    kind: 'string',
    help: 'derive the parties’ PRG keys from this seed (a replayable run; default fresh random keys)',
  },
  labels: { kind: 'string', help: 'class names: a JSON array of strings, or a text file with one name per line' },
  mean: {
    kind: 'string',
    help: 'images: per-channel mean subtracted after scaling to [0, 1] (one value, or one per channel, comma-separated)',
  },
  std: { kind: 'string', help: 'images: per-channel standard deviation divided by after the mean (default 1)' },
  layout: {
    kind: 'string',
    help: "images: the model input's layout, 'nchw' (default for ONNX) or 'nhwc' (default for TensorFlow)",
  },
  quiet: { kind: 'boolean', help: 'no progress lines on standard error' },
  json: { kind: 'boolean', help: 'print one JSON object (backend, output, argmax, bytes, rounds, seconds, …)' },
  'check-views': {
    kind: 'boolean',
    help: "record every party's view and fail the run on any message or opening the secrecy analysis and the backend do not allow (in-memory runs)",
  },
  processes: {
    kind: 'boolean',
    help: 'run the three parties as separate processes over loopback with mutual TLS (throw-away certificates); adds the bytes on the wire',
  },
  threads: {
    kind: 'boolean',
    help: 'run the three parties of porthos/securenn in three worker threads (in parallel on a multi-core machine; the same messages and meter); default: picked from the cores and the model size',
  },
  'one-thread': {
    kind: 'boolean',
    help: 'run the three parties interleaved on this thread (default: picked from the cores and the model size)',
  },
  'input-range': {
    kind: 'string',
    help: 'range lo..hi of every client input entry the analysis assumes (default: the input’s own range); an input outside it fails the run (exit 3)',
  },
  'max-failure': {
    kind: 'string',
    help: 'the largest acceptable P(some local truncation wraps) (default 1e-6); above it the run fails (exit 3)',
  },
  'allow-unsafe': { kind: 'boolean', help: 'print a warning instead of failing (exit 3) when an output may be wrong' },
  corrupt: {
    kind: 'string',
    help: "research/demo, backend 'malicious' only: party P<i> deviates, P<i>[:add-error|flip-bit|replay|inconsistent] (default add-error); the honest parties abort (one thread)",
  },
  flatten: {
    kind: 'boolean',
    help: "images: lay the image's pixels out as one vector for a non-image input (no resizing)",
  },
  out: {
    kind: 'string',
    help: 'write the first class output (e.g. a segmentation volume) as int32 .npy, or the first output as float64 .npy, to FILE',
    alias: 'o',
  },
  ...HLIL_FLAGS,
};

function numbers(args: ParsedArgs, name: string): number[] | undefined {
  const v = getString(args, name);
  if (v === undefined) return undefined;
  const parts = v.split(',').map((s) => s.trim());
  const xs = parts.map(Number);
  if (parts.some((s) => s === '') || xs.some((x) => !Number.isFinite(x)))
    throw new CryptflowError('usage', `option --${name} needs numbers separated by commas, got '${v}'`);
  return xs;
}

/** Class names from a JSON array of strings or a text file of lines. */
export function readLabels(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CryptflowError(
      'input',
      `cannot read the labels file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`,
    );
  }
  if (text.trimStart().startsWith('[')) {
    let j: unknown;
    try {
      j = JSON.parse(text);
    } catch {
      throw new CryptflowError('input', `${path}: not valid JSON (expected an array of class names)`);
    }
    if (!Array.isArray(j) || j.some((s) => typeof s !== 'string'))
      throw new CryptflowError('input', `${path}: expected a JSON array of strings (class names)`);
    return j as string[];
  }
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export interface RunOutcome {
  readonly result: InferenceResult;
  readonly context: RunContext;
  /** With --processes: what each party put on the wire. */
  readonly wire?: ProcessesWire;
  /** Why the output may be wrong (empty: within its guarantees). */
  readonly issues: readonly SafetyIssue[];
  readonly allowUnsafe: boolean;
}

/** `--out FILE`: the first class output as int32 .npy, or the first output as float64 .npy. */
export function writeOutput(path: string, r: InferenceResult): string {
  const cls = r.outputs.find((o) => o.argmax !== undefined);
  const first = r.outputs[0];
  const [name, shape, values, dtype] =
    cls?.argmax !== undefined
      ? [cls.name, cls.boundKind === 'argmax-gap' ? cls.shape : [cls.argmax.length], cls.argmax, '<i4' as const]
      : [first?.name ?? '', first?.shape ?? [0], first?.secure ?? new Float64Array(), '<f8' as const];
  try {
    writeFileSync(path, encodeNpy(shape, values, dtype));
  } catch (e) {
    throw new CryptflowError('input', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`);
  }
  return `wrote ${path}: output '${name}' [${shape.join(',')}] as ${dtype === '<i4' ? 'int32 class indices' : 'float64 values'} (.npy)`;
}

export async function runCommand(
  path: string,
  args: ParsedArgs,
  progress: ((line: string) => void) | null,
): Promise<RunOutcome> {
  const input = getString(args, 'input');
  if (input === undefined)
    throw new CryptflowError('usage', 'run needs --input FILE (the client input: JSON, .npy, PNG or PGM)');
  const backend = getChoice(args, 'backend', BACKENDS) ?? 'porthos';
  const convPolicy = getChoice(args, 'conv-policy', ['paper', 'reshaped', 'im2col'] as const);
  const layoutFlag = getChoice(args, 'layout', ['nchw', 'nhwc'] as const);
  const mean = numbers(args, 'mean');
  const std = numbers(args, 'std');
  const labelsPath = getString(args, 'labels');
  const labels = labelsPath === undefined ? undefined : readLabels(labelsPath);

  const checkViews = getBoolean(args, 'check-views');
  if (checkViews && getBoolean(args, 'processes'))
    throw new CryptflowError(
      'usage',
      '--check-views records the views of an in-memory run; it does not apply with --processes',
    );
  const corruptFlag = getString(args, 'corrupt');
  const corrupt = corruptFlag === undefined ? undefined : parseCorruption(corruptFlag);
  if (corrupt !== undefined && (getBoolean(args, 'processes') || getBoolean(args, 'threads')))
    throw new CryptflowError(
      'usage',
      '--corrupt runs the parties interleaved on one thread; drop --processes/--threads',
    );
  const placed = ['processes', 'threads', 'one-thread'].filter((f) => getBoolean(args, f));
  if (placed.length > 1)
    throw new CryptflowError(
      'usage',
      `${placed.map((f) => `--${f}`).join(' and ')} are ways to place the parties; give one`,
    );
  const maxFailure = maxFailureOf(getString(args, 'max-failure'));
  const analysedRange = getRange(args, 'input-range');
  const { loaded, model, hlil, notes } = loadAndOptimize(path, args);
  if (model.missingWeights.length > 0) {
    throw new CryptflowError(
      'usage',
      `run needs every weight: give ${model.missingWeights.map((n) => `'${n}'`).join(', ')} with --weights FILE`,
    );
  }
  const layout: Layout = layoutFlag ?? (model.format === 'tf-graphdef' || model.format === 'tfjs' ? 'nhwc' : 'nchw');
  const client = readClientInput(input, model.program, {
    layout,
    ...(mean === undefined ? {} : { mean }),
    ...(std === undefined ? {} : { std }),
    flatten: getBoolean(args, 'flatten'),
    imageOptionsGiven:
      mean !== undefined || std !== undefined || layoutFlag !== undefined || getBoolean(args, 'flatten'),
  });
  const mode: RunMode = chooseMode({
    backend,
    processes: getBoolean(args, 'processes'),
    threads: getBoolean(args, 'threads'),
    oneThread: getBoolean(args, 'one-thread') || corrupt !== undefined,
    checkViews,
    modelBytes: hlil.liveness.totalBytes,
  });
  const seed = getString(args, 'seed');
  const common = {
    backend,
    ell: getInteger(args, 'bitlen') ?? 64,
    scale: getInteger(args, 'scale') ?? 12,
    placement: placementFlag(args),
    ...(analysedRange === undefined ? {} : { inputRange: analysedRange }),
    ...(convPolicy === undefined ? {} : { convPolicy }),
    ...(seed === undefined ? {} : { seed }),
    ...(corrupt === undefined ? {} : { corrupt }),
  };
  const processes =
    mode.mode === 'processes'
      ? await runProcesses({
          ...common,
          modelPath: path,
          serverArgs: argvOf(args, ['backend', 'scale', 'conv-policy', ...Object.keys(HLIL_FLAGS)]),
          clientArgs: ['--input', input, '--accept', backend, ...argvOf(args, ['mean', 'std', 'layout', 'flatten'])],
          model,
          clientInputs: client.values,
          progress,
        })
      : null;
  const result =
    processes?.result ??
    (await secureInference(model, client.values, {
      ...common,
      ...(progress === null ? {} : { onProgress: progressReporter(progress) }),
      ...(checkViews ? { checkViews: { declared: loaded.program } } : {}),
      ...(mode.mode === 'threads' ? { threads: true } : {}),
    }));
  const classes = result.outputs.find((o) => o.argmax !== undefined);
  if (labels !== undefined && classes?.boundKind === 'value') {
    const k = classes.shape[classes.shape.length - 1] ?? 0;
    if (labels.length !== k)
      throw new CryptflowError(
        'input',
        `${labelsPath ?? ''}: ${labels.length} class names for the ${k} classes of output '${classes.name}'`,
      );
  }
  const context: RunContext = {
    model: path,
    format: model.format,
    input,
    inputNote: client.note,
    notes,
    mode,
    maxFailure,
    ...(backend === 'porthos' ? { convPolicy: convPolicy ?? 'paper' } : {}),
    ...(labels === undefined ? {} : { labels }),
  };
  const issues = safetyIssues(result, { maxFailure, actual: rangeOf(client.values) });
  return {
    result,
    context,
    issues,
    allowUnsafe: getBoolean(args, 'allow-unsafe'),
    ...(processes === null ? {} : { wire: processes.wire }),
  };
}

export function printRun(o: RunOutcome, json: boolean): string {
  if (json)
    return JSON.stringify({
      ...runJson(o.result, o.context, o.issues),
      ...(o.wire === undefined ? {} : { wire: o.wire }),
    });
  return o.wire === undefined
    ? formatRun(o.result, o.context)
    : `${formatRun(o.result, o.context)}\n${formatProcessesWire(o.wire)}`;
}

export function runFlags(args: ParsedArgs): { readonly json: boolean; readonly quiet: boolean } {
  return { json: getBoolean(args, 'json'), quiet: getBoolean(args, 'quiet') };
}
