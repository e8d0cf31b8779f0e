/**
 * `cryptflow compile MODEL [--scale S --bitlen L --emit hlil|llil|json -o FILE] [HLIL pass flags]
 *  [--placement eager|lazy] [--input-range lo..hi] [--weights FILE]`
 *
 * Loads a model (harness/io/model.ts), runs the HLIL optimisations (passes/hlil), lowers to LLIL at
 * one global scale (passes/float-to-fixed) and prints the program together with the range report:
 * per-output interval and error bound against float32, the values that may overflow ℓ bits, the
 * probability that local truncation wraps, and peak memory (HLIL float32 and LLIL at ⌈ℓ/8⌉ bytes per
 * element), then the secrecy report (passes/secrecy: the graph as imported and the LLIL against the
 * frontend's declaration; a leaking program is a 'security' error naming the node and the path,
 * exit code 1). Where the report goes: after a text program on standard output as `#` comment lines (the
 * output stays a valid program); on standard output when the program goes to a file (-o); on standard
 * error when the program is JSON on standard output.
 */
import { extname } from 'node:path';
import { CryptflowError } from '../../spec/errors.js';
import { printHlil, printLlil } from '../../ir/text.js';
import { analyzeProgram, type RangeReport } from '../../passes/float-to-fixed/analysis.js';
import { floatToFixed, type FixedPlan, type Placement } from '../../passes/float-to-fixed/program.js';
import { llilLiveness, type LivenessReport } from '../../passes/hlil/liveness.js';
import { optimizeHlil, paperConfig, type HlilOptions, type HlilReport } from '../../passes/hlil/pipeline.js';
import { analyzePlan } from '../../passes/secrecy/plan.js';
import {
  rejection,
  reportLines as secrecyLines,
  secrecyReport,
  type SecrecyReport,
} from '../../passes/secrecy/report.js';
import { loadModel, type LoadedModel, type ModelLoadOptions } from '../io/model.js';
import { programJson } from '../io/program.js';
import { getBoolean, getChoice, getInteger, getRange, getString, type FlagSpec, type ParsedArgs } from './args.js';
import { bytes } from '../format/units.js';
import { wrapClause } from './safety.js';

export const HLIL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  weights: { kind: 'string', help: 'HLIL programs: JSON file of the server weights (client entries are ignored)' },
  batch: {
    kind: 'integer',
    help: 'ONNX models: the extent of a symbolic batch axis of the inputs (default 1, and the report says so)',
    min: 1,
  },
  'input-shape': {
    kind: 'string',
    help: 'TensorFlow models: shapes of placeholders with unknown extents, NAME=1x224x224x3[,NAME=…]',
  },
  paper: {
    kind: 'boolean',
    help: "the paper's HLIL configuration (the default; incompatible with the pass flags below)",
  },
  'no-const-fold': { kind: 'boolean', help: 'keep shape-only subgraphs of constants and weights' },
  'no-bn-precompute': {
    kind: 'boolean',
    help: 'keep BatchNorm as is (float-to-fixed then lowers it to the same Mul + bias)',
  },
  'fold-bn': { kind: 'boolean', help: 'fold BatchNorm into the preceding Conv where valid' },
  'no-bn-expand': {
    kind: 'boolean',
    help: "multiply by BatchNorm's γ' broadcast per channel instead of expanded to the tensor (the paper's)",
  },
  'no-relu-maxpool': { kind: 'boolean', help: 'keep Relu before MaxPool' },
  'no-dead-nodes': { kind: 'boolean', help: 'keep nodes that reach no output' },
  placement: {
    kind: 'string',
    help: "ScaleDown placement: 'eager' (after each product, the paper's; default) or 'lazy'",
  },
  bitlen: { kind: 'integer', help: 'ring width ℓ (default 64)', min: 2, max: 64 },
};

export const COMPILE_FLAGS: Readonly<Record<string, FlagSpec>> = {
  scale: { kind: 'integer', help: 'fixed-point scale s (default 12)', min: 0, max: 63 },
  emit: {
    kind: 'string',
    help: "what to print: 'llil' (default), 'hlil' (the optimised HLIL) or 'json' (LLIL in JSON)",
  },
  json: { kind: 'boolean', help: 'print the emitted program in its JSON form' },
  out: { kind: 'string', help: 'write the program to FILE (the report goes to standard output)', alias: 'o' },
  'input-range': {
    kind: 'string',
    help: 'range lo..hi of every client input entry, for the range analysis (default -1..1)',
  },
  'no-secrecy-report': {
    kind: 'boolean',
    help: 'leave the secrecy report out (the analysis still runs; a leaking program is still rejected)',
  },
  ...HLIL_FLAGS,
};

export const DEFAULT_INPUT_RANGE = { lo: -1, hi: 1 } as const;

export function hlilOptions(args: ParsedArgs): HlilOptions {
  const flags = [
    'no-const-fold',
    'no-bn-precompute',
    'fold-bn',
    'no-bn-expand',
    'no-relu-maxpool',
    'no-dead-nodes',
  ].filter((f) => getBoolean(args, f));
  if (getBoolean(args, 'paper') && flags.length > 0)
    throw new CryptflowError('usage', `--paper fixes every HLIL pass; drop ${flags.map((f) => `--${f}`).join(', ')}`);
  if (getBoolean(args, 'fold-bn') && getBoolean(args, 'no-bn-precompute'))
    throw new CryptflowError('usage', '--fold-bn needs BatchNorm precomputation; drop --no-bn-precompute');
  return {
    ...paperConfig,
    constFold: !getBoolean(args, 'no-const-fold'),
    batchNorm: !getBoolean(args, 'no-bn-precompute'),
    foldBatchNorm: getBoolean(args, 'fold-bn'),
    expandBatchNorm: !getBoolean(args, 'no-bn-expand'),
    reluMaxPool: !getBoolean(args, 'no-relu-maxpool'),
    deadNodes: !getBoolean(args, 'no-dead-nodes'),
  };
}

export function placementFlag(args: ParsedArgs): Placement {
  return getChoice(args, 'placement', ['eager', 'lazy'] as const) ?? 'eager';
}

/** `NAME=1x224x224x3,NAME2=…` */
function inputShapes(args: ParsedArgs): Record<string, number[]> | undefined {
  const v = getString(args, 'input-shape');
  if (v === undefined) return undefined;
  const out: Record<string, number[]> = {};
  for (const part of v.split(',')) {
    const m = /^\s*([^=\s]+)\s*=\s*(\d+(?:x\d+)*)\s*$/.exec(part);
    if (m === null)
      throw new CryptflowError(
        'usage',
        `option --input-shape needs NAME=D1xD2x… entries separated by commas, got '${part}'`,
      );
    out[m[1] as string] = (m[2] as string).split('x').map(Number);
  }
  return out;
}

/**
 * ONNX models (files and zoo:NAME) whose inputs have a symbolic batch axis are read at batch 1 when
 * --batch is not given, by every command alike (compile, run, cost, scale, secrecy, party), and the
 * note says so. TensorFlow placeholders with unknown extents need --input-shape everywhere.
 */
function loadWithDefaultBatch(
  path: string,
  opts: ModelLoadOptions,
): { readonly loaded: LoadedModel; readonly notes: string[] } {
  const onnx = path.startsWith('zoo:') || extname(path).toLowerCase() === '.onnx';
  if (!onnx || opts.batch !== undefined || opts.weights !== undefined || opts.inputShapes !== undefined)
    return { loaded: loadModel(path, opts), notes: [] };
  try {
    return { loaded: loadModel(path, opts), notes: [] };
  } catch (e) {
    if (!(
      e instanceof CryptflowError &&
      e.code === 'unsupported' &&
      /graph input\b.*: dim 0 is (?:symbolic|unknown)/.test(e.message)
    ))
      throw e;
    const name = /node '([^']*)' \(graph input\)/.exec(e.message)?.[1];
    return {
      loaded: loadModel(path, { ...opts, batch: 1 }),
      notes: [
        `the symbolic batch axis of ${name === undefined ? 'an input' : `input '${name}'`} is set to 1 (--batch N to change)`,
      ],
    };
  }
}

export function loadAndOptimize(
  path: string,
  args: ParsedArgs,
  zooWeights?: 'shape-only',
): {
  readonly loaded: LoadedModel;
  readonly model: LoadedModel;
  readonly hlil: HlilReport;
  readonly notes: readonly string[];
} {
  const weights = getString(args, 'weights');
  const batch = getInteger(args, 'batch');
  const shapes = inputShapes(args);
  const { loaded, notes } = loadWithDefaultBatch(path, {
    ...(weights === undefined ? {} : { weights }),
    ...(batch === undefined ? {} : { batch }),
    ...(shapes === undefined ? {} : { inputShapes: shapes }),
    ...(zooWeights === undefined ? {} : { zooWeights }),
  });
  const { model, report } = optimizeHlil(loaded, hlilOptions(args));
  const missingWeights = model.program.decls
    .filter((d) => d.kind === 'input' && d.owner === 'server' && !model.weights.has(d.name))
    .map((d) => d.name);
  return { loaded, model: { ...model, missingWeights }, hlil: report, notes };
}

export interface CompileResult {
  readonly path: string;
  readonly model: LoadedModel;
  readonly plan: FixedPlan;
  readonly hlil: HlilReport;
  readonly llilMemory: LivenessReport;
  readonly range: RangeReport | null;
  readonly inputRangeDefaulted: boolean;
  /** The secrecy analysis (graph as imported, LLIL against the frontend's declaration); always accepted here. */
  readonly secrecy: SecrecyReport;
  readonly showSecrecy: boolean;
  /** What the loader assumed (a symbolic batch axis set to 1). */
  readonly notes: readonly string[];
}

export function compile(path: string, args: ParsedArgs): CompileResult {
  const { loaded, model, hlil, notes } = loadAndOptimize(path, args);
  const ell = getInteger(args, 'bitlen') ?? 64;
  const scale = getInteger(args, 'scale') ?? 12;
  const given = getRange(args, 'input-range');
  const plan = floatToFixed(model.program, { ell, scale, placement: placementFlag(args) });
  const secrecy = secrecyReport(path, loaded.secrecy ?? null, analyzePlan(loaded.program, plan));
  if (!secrecy.accepted) throw rejection(secrecy);
  const range =
    model.missingWeights.length > 0 ? null : analyzeProgram(plan, model.weights, given ?? DEFAULT_INPUT_RANGE);
  return {
    path,
    model,
    plan,
    hlil,
    llilMemory: llilLiveness(plan.program),
    range,
    inputRangeDefaulted: given === undefined,
    secrecy,
    showSecrecy: !getBoolean(args, 'no-secrecy-report'),
    notes,
  };
}

export function emittedProgram(r: CompileResult, args: ParsedArgs): { readonly text: string; readonly json: boolean } {
  const emit =
    getChoice(args, 'emit', ['llil', 'hlil', 'json'] as const) ?? (getBoolean(args, 'json') ? 'json' : 'llil');
  const json = emit === 'json' || getBoolean(args, 'json');
  if (emit === 'hlil') return { text: json ? programJson(r.model.program) : printHlil(r.model.program), json };
  return { text: json ? programJson(r.plan.program) : printLlil(r.plan.program), json };
}

const num = (x: number): string =>
  !Number.isFinite(x)
    ? String(x)
    : x === 0
      ? '0'
      : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6
        ? String(Number(x.toPrecision(4)))
        : x.toExponential(2);

/** Re-exported for the other CLI reports, which import it from here. */
export { bytes };

function passSummary(h: HlilReport): string {
  const parts: string[] = [];
  if (h.constFold)
    parts.push(`const-fold ${h.constFold.publicFolded.length} public, ${h.constFold.serverFolded.length} server`);
  if (h.batchNorm) {
    const by = (k: string): number => h.batchNorm?.rewrites.filter((r) => r.as === k).length ?? 0;
    parts.push(`batchnorm ${by('mul-add')} Mul+BiasAdd, ${by('fold')} folded, ${by('kept')} kept`);
  }
  if (h.reluMaxPool) parts.push(`relu∘maxpool ${h.reluMaxPool.swapped.length} swapped`);
  if (h.deadNodes)
    parts.push(
      `dead ${h.deadNodes.removedNodes.length} nodes, ${h.deadNodes.removedDecls.length} declarations removed`,
    );
  return parts.length === 0 ? 'none' : parts.join('; ');
}

/** The range report as text lines (without the `#` prefix). */
export function reportLines(r: CompileResult): string[] {
  const { plan } = r;
  const p = plan.program;
  const lines = [
    `cryptflow compile ${r.path} (${r.model.format}): ℓ = ${p.ell}, s = ${plan.params.scale}, ${plan.params.placement ?? 'eager'} ScaleDown placement, ${p.nodes.length} LLIL nodes (${p.nodes.filter((n) => n.op === 'ScaleDown').length} ScaleDown)`,
    ...r.notes.map((n) => `note: ${n}`),
    `HLIL passes: ${passSummary(r.hlil)}`,
    `peak memory: HLIL float32 ${bytes(r.hlil.liveness.peakBytes)}${r.hlil.liveness.peakAt === null ? '' : ` (at ${r.hlil.liveness.peakAt})`}; LLIL at ${r.llilMemory.bytesPerElement} B/element ${bytes(r.llilMemory.peakBytes)}${r.llilMemory.peakAt === null ? '' : ` (at ${r.llilMemory.peakAt})`}`,
  ];
  const rr = r.range;
  if (rr === null) {
    lines.push(
      `range report: skipped, the weights of ${r.model.missingWeights.map((n) => `'${n}'`).join(', ')} are not given (--weights FILE)`,
    );
    return r.showSecrecy ? [...lines, ...secrecyLines(r.secrecy, 4)] : lines;
  }
  lines.push(
    `range report, every client input entry in [${rr.inputRange.lo}, ${rr.inputRange.hi}]${r.inputRangeDefaulted ? ' (default; set --input-range lo..hi)' : ''}:`,
  );
  for (const o of rr.outputs) {
    const what =
      o.argmaxGap !== undefined
        ? `ArgMax: the fixed index is a float maximum up to ${num(o.argmaxGap)}`
        : `range [${num(o.range.lo)}, ${num(o.range.hi)}], |fixed − float32| ≤ ${num(o.errorBound)}${o.post ? ` (after ${o.post})` : ''}`;
    lines.push(`  output ${o.name} -> ${o.to} ${JSON.stringify(o.shape)}: ${what}`);
  }
  if (rr.overflow.length === 0) lines.push(`overflow: none possible; the bounds hold for every input in range`);
  else {
    const shown = rr.overflow.slice(0, 8).map((o) => `${o.value} (${o.op}, needs ${o.bits} bits)`);
    lines.push(
      `overflow: ${rr.overflow.length} value(s) may exceed ℓ = ${p.ell} bits, so the bounds above do not hold: ${shown.join(', ')}${rr.overflow.length > 8 ? ', …' : ''}`,
    );
  }
  if (rr.domain.length === 0)
    lines.push('3-party comparisons: every ReLU, MaxPool and ArgMax input stays in the Porthos/SecureNN domain');
  else {
    const shown = rr.domain
      .slice(0, 8)
      .map((d) => `${d.value} → ${d.op} ${d.node} (needs ${d.bits} bits, allowed ${d.allowed})`);
    lines.push(
      `3-party comparisons: ${rr.domain.length} input(s) may leave the Porthos/SecureNN domain, where ReLU/MaxPool/ArgMax are not exact: ${shown.join(', ')}${rr.domain.length > 8 ? ', …' : ''}`,
    );
  }
  lines.push(
    `local truncation: ${rr.truncation.elements} truncated elements; ${wrapClause(rr.truncation.probability).replace('some local truncation', 'some truncation')}`,
  );
  return r.showSecrecy ? [...lines, ...secrecyLines(r.secrecy, 4)] : lines;
}
