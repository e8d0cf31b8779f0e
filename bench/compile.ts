/**
 * Compile-time benchmarks: how long the compiler takes on the zoo's large networks, piece by piece, next
 * to the targets (ResNet50 ≤ 2 s, DenseNet121 ≤ 5 s, the 3D-UNet ≤ 5 s), and how long `cryptflow cost
 * zoo:resnet50` takes (target ≤ 1 s end to end).
 *
 * "Compile" is what a secure run does before its parties start (harness/runner/inference.ts,
 * `prepareInference`, with the HLIL build in front as bench/resnet50.ts does it):
 *   - HLIL build + optimise: onnxToHlil and optimizeHlil with the paper's configuration;
 *   - float-to-fixed: floatToFixed at ℓ = 64, s = 12, eager ScaleDown;
 *   - range analysis: analyzeProgram with the real weights and the client input's range;
 *   - encoding: encodeInputs for the client's input and for the server's weights.
 * Each piece is the median of 3 runs after 1 warm-up, on the same inputs; the total is their sum. Making
 * the zoo's ONNX bytes (seeded weights, the ONNX writer) is not compilation: it is reported on its own
 * line and left out of the total.
 *
 * `cost`: the in-process `costModel` call (median as above; it includes building the zoo model), then
 * one spawned `node bin/cryptflow.js cost zoo:resnet50` (wall time of the whole process) and one spawned
 * `node bin/cryptflow.js --help` (the process start-up share: node, the TypeScript loader and the CLI's
 * modules, with no command run).
 *
 * Every measurement is in seconds (unit 's'; `rate` holds the seconds).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bug } from '../spec/errors.js';
import { numel } from '../spec/geometry.js';
import { onnxToHlil } from '../passes/frontend/onnx/index.js';
import { optimizeHlil, paperConfig } from '../passes/hlil/pipeline.js';
import { analyzeProgram } from '../passes/float-to-fixed/analysis.js';
import { encodeInputs, floatToFixed } from '../passes/float-to-fixed/program.js';
import { parseArgs } from '../harness/cli/args.js';
import { COST_FLAGS, costModel } from '../harness/cli/cost.js';
import { zooEntry, zooModel } from '../harness/zoo/zoo.js';
import { medianSeconds, type BenchGroup, type Measurement } from './harness.js';

const RUNS = 3;
const WARMUP = 1;
const PARAMS = { ell: 64, scale: 12, placement: 'eager' } as const;
const CLI = fileURLToPath(new URL('../bin/cryptflow.js', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The zoo models and their compile-time targets in seconds. */
const MODELS: readonly { readonly name: string; readonly target: number }[] = [
  { name: 'resnet50', target: 2 },
  { name: 'densenet121', target: 5 },
  { name: 'unet3d', target: 5 },
];
const COST_TARGET = 1;

/** A deterministic image-like client input in [0, 1] (as bench/resnet50.ts makes it). */
function pixels(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => 0.5 + 0.5 * Math.sin(0.37 * i + 0.1 * Math.cos(0.05 * i)));
}

function range(v: Float32Array): { lo: number; hi: number } {
  let [lo, hi] = [Infinity, -Infinity];
  for (const x of v) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
  return { lo, hi };
}

function timed<T>(f: () => T): { readonly value: T; readonly seconds: number } {
  const t0 = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

const verdict = (s: number, target: number): string => `target ≤ ${target} s: ${s <= target ? 'met' : 'NOT met'}`;

function compileModel(name: string, target: number, report: (m: Measurement) => void): void {
  const m = (what: string, seconds: number, detail: string): void =>
    report({ group: 'compile', name: `${name} ${what}`, rate: seconds, unit: 's', detail });
  const entry = zooEntry(name);
  const onnx = timed(() => zooModel(name));
  m('zoo ONNX bytes', onnx.seconds, 'seeded weights and the ONNX writer; not part of the total (one run)');
  const build = (): ReturnType<typeof optimizeHlil> => optimizeHlil(onnxToHlil(onnx.value), paperConfig);
  const buildSeconds = medianSeconds(build, RUNS, WARMUP);
  const { model } = build();
  const client = model.program.decls.find((d) => d.kind === 'input' && d.owner === 'client');
  if (client === undefined) bug(`${name}: the zoo model has no client input`);
  const input = pixels(numel(entry.input.shape));
  const clientInputs = new Map([[client.name, input]]);
  const fixSeconds = medianSeconds(() => floatToFixed(model.program, PARAMS), RUNS, WARMUP);
  const plan = floatToFixed(model.program, PARAMS);
  const box = range(input);
  const analysisSeconds = medianSeconds(() => analyzeProgram(plan, model.weights, box), RUNS, WARMUP);
  const encodeSeconds = medianSeconds(
    () => [encodeInputs(plan, clientInputs, 'client'), encodeInputs(plan, model.weights, 'server')],
    RUNS,
    WARMUP,
  );
  const nodes = `${model.program.nodes.length} HLIL nodes, ${plan.program.nodes.length} LLIL nodes`;
  m('HLIL build+optimise', buildSeconds, `onnxToHlil + optimizeHlil (paper configuration); ${nodes}`);
  m('float-to-fixed', fixSeconds, `floatToFixed, ℓ = ${PARAMS.ell}, s = ${PARAMS.scale}, eager`);
  m('range analysis', analysisSeconds, 'analyzeProgram with the weights and the input range');
  m('encoding', encodeSeconds, 'encodeInputs: client input and server weights');
  const total = buildSeconds + fixSeconds + analysisSeconds + encodeSeconds;
  m('compile total', total, verdict(total, target));
}

/** Wall seconds of one `node bin/cryptflow.js ARGS` run. */
function spawnSeconds(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) bug(`cryptflow ${args.join(' ')} exited with ${String(r.status)}: ${r.stderr.slice(0, 400)}`);
  return seconds;
}

function costCommand(report: (m: Measurement) => void): void {
  const m = (what: string, seconds: number, detail: string): void =>
    report({ group: 'compile', name: `cost zoo:resnet50 ${what}`, rate: seconds, unit: 's', detail });
  const args = parseArgs(['zoo:resnet50'], COST_FLAGS);
  const inProcess = medianSeconds(() => costModel('zoo:resnet50', args), RUNS, WARMUP);
  m('in process', inProcess, 'costModel: zoo build, HLIL, float-to-fixed, cost walk');
  const wall = spawnSeconds(['cost', 'zoo:resnet50']);
  const startup = spawnSeconds(['--help']);
  m('process wall', wall, `node bin/cryptflow.js cost zoo:resnet50; ${verdict(wall, COST_TARGET)}`);
  m(
    'process start-up',
    startup,
    `node bin/cryptflow.js --help: ${((100 * startup) / wall).toFixed(0)}% of the cost run`,
  );
}

export const compileGroup: BenchGroup = {
  name: 'compile',
  run(report) {
    for (const { name, target } of MODELS) compileModel(name, target, report);
    costCommand(report);
  },
};
