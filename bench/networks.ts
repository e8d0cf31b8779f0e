/**
 * Secure inference of whole networks, executed for real on this machine, next to the plaintext
 * fixed-point evaluation of the same LLIL (issue 7, targets 2 and 3):
 *   - `secureRun`: one three-party run of a zoo network (paper HLIL passes, ℓ = 64, s = 12, eager
 *     ScaleDown; Porthos with the `paper` convolution policy), its wall time, the process's peak
 *     resident memory (workers included), the metered bytes against the closed-form cost walk link
 *     by link, and whether every output is within its compile-time bound;
 *   - `plaintextSeconds`: fixedSem of the same program on the same encoded inputs with the wasm
 *     kernels — the cost of the computation itself, without any protocol.
 * The `networks` group reports, per network: the median secure time over several runs, whether
 * metered = cost on every run, the median plaintext time and the ratio of the two. Small networks run
 * in this process with their parties interleaved on one thread (a worker thread's start-up would
 * dominate). ImageNet-scale ones run one worker thread per party, each run in a fresh process
 * (bench/resnet50.ts --json) so that the reported peak memory (the worst run's) is the run's own.
 */
import { spawn } from 'node:child_process';
import { resourceUsage } from 'node:process';
import { fileURLToPath } from 'node:url';
import { numel } from '../spec/geometry.js';
import { LINKS, totalBytes } from '../spec/cost/types.js';
import { onnxToHlil } from '../passes/frontend/onnx/index.js';
import { optimizeHlil, paperConfig } from '../passes/hlil/pipeline.js';
import { fixedSem } from '../semantics/fixed.js';
import { encodeInputs } from '../passes/float-to-fixed/program.js';
import {
  backendOf,
  secureInference,
  type BackendName,
  type InferenceResult,
  type Progress,
  type ServerModel,
} from '../harness/runner/inference.js';
import { allLinks, costProgram } from '../harness/cost/walk.js';
import { zooEntry, zooModel } from '../harness/zoo/zoo.js';
import { medianSeconds, spread, type BenchGroup, type Measurement } from './harness.js';

export interface NetworkSetup {
  readonly name: string;
  readonly model: ServerModel;
  readonly input: Map<string, Float32Array>;
  readonly buildSeconds: number;
}

/** The zoo network, built and HLIL-optimised, with a deterministic image-like input in [0, 1]. */
export function setupNetwork(name: string, seed?: string): NetworkSetup {
  const entry = zooEntry(name);
  const t0 = performance.now();
  const { model } = optimizeHlil(onnxToHlil(zooModel(name, seed)), paperConfig);
  const buildSeconds = (performance.now() - t0) / 1000;
  const hlilInput = model.program.decls.find((d) => d.kind === 'input' && d.owner === 'client');
  if (hlilInput === undefined) throw new Error(`${name}: the model has no client input`);
  const pixels = Float32Array.from(
    { length: numel(entry.input.shape) },
    (_, i) => 0.5 + 0.5 * Math.sin(0.37 * i + 0.1 * Math.cos(0.05 * i)),
  );
  return { name, model, input: new Map([[hlilInput.name, pixels]]), buildSeconds };
}

export interface SecureRun {
  readonly result: InferenceResult;
  readonly peakRssBytes: number;
  readonly metered: number;
  readonly costBytes: number;
  readonly linksEqual: boolean;
  readonly withinBound: boolean;
}

export interface SecureRunOptions {
  readonly backend?: BackendName;
  readonly threads: boolean;
  readonly onProgress?: (p: Progress) => void;
}

/** One secure run, with peak memory sampled every 100 ms (and the kernel's high-water mark). */
export async function secureRun(s: NetworkSetup, o: SecureRunOptions): Promise<SecureRun> {
  const backend = o.backend ?? 'porthos';
  const convPolicy = backend === 'porthos' ? ('paper' as const) : undefined;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  try {
    const result = await secureInference(s.model, s.input, {
      backend,
      ell: 64,
      scale: 12,
      placement: 'eager',
      threads: o.threads,
      ...(convPolicy === undefined ? {} : { convPolicy }),
      ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
    });
    peak = Math.max(peak, process.memoryUsage().rss, resourceUsage().maxRSS * 1024);
    const walked = costProgram(result.plan.program, backendOf(backend, convPolicy));
    return {
      result,
      peakRssBytes: peak,
      metered: totalBytes(result.meter.links),
      costBytes: walked.bytes.total,
      linksEqual: LINKS.every((l) => allLinks(walked.bytes.links)[l] === result.meter.links[l]),
      withinBound: result.outputs.every((x) => x.withinBound),
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Median seconds of the plaintext fixed-point evaluation (wasm kernels) of a run's program. */
export function plaintextSeconds(
  r: InferenceResult,
  client: ReadonlyMap<string, BigUint64Array>,
  server: ReadonlyMap<string, BigUint64Array>,
  runs: number,
): number {
  const inputs = new Map([...client, ...server]);
  return medianSeconds(() => fixedSem(r.plan.program, inputs, { kernels: 'wasm' }), runs);
}

const SMALL = ['logreg', 'securenn-a', 'securenn-b', 'securenn-c', 'securenn-d', 'lenet', 'unet3d'] as const;
const LARGE: readonly { readonly name: string; readonly target?: string }[] = [
  { name: 'resnet50', target: 'target ≤ 60 s, ≤ 4 GiB, metered = 6,868,083,720 B' },
  { name: 'densenet121' },
];

const gib = (b: number): string => `${(b / 2 ** 30).toFixed(2)} GiB`;
const check = (metered: number, equal: boolean, within: boolean): string =>
  `metered ${metered.toLocaleString('en-US')} B ${equal ? '= cost walk on every link' : '≠ COST WALK'}, outputs ${within ? 'within bounds' : 'OUT OF BOUNDS'}`;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

interface ChildRun {
  readonly seconds: number;
  readonly peakRssBytes: number;
  readonly bytes: number;
  readonly costBytes: number;
  readonly linksEqual: boolean;
  readonly withinBound: boolean;
  readonly plaintextSeconds?: number;
}

const SCRIPT = fileURLToPath(new URL('./resnet50.ts', import.meta.url));

/**
 * One run of an ImageNet-scale network in a fresh process (bench/resnet50.ts --json), so that its peak
 * memory is its own and not what earlier groups and runs left behind. Its progress goes to stderr.
 */
async function childRun(name: string, plaintextRuns: number, label: string): Promise<ChildRun> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SCRIPT, '--model', name, '--json', '--plaintext-runs', String(plaintextRuns)],
    // The parent's bench/history file holds these runs; the children write none of their own.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BENCH_HISTORY: '0' } },
  );
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
    pending += c;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('[')) process.stderr.write(`  ${label}: ${line}\n`);
  });
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  if (!last.startsWith('{'))
    throw new Error(
      `${label}: bench/resnet50.ts failed (exit ${String(status)}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`,
    );
  return JSON.parse(last) as ChildRun;
}

/** `large` runs per ImageNet-scale network (BENCH_LARGE_RUNS, default 3; 0 skips them). */
export function networksGroup(large = Number(process.env['BENCH_LARGE_RUNS'] ?? 3)): BenchGroup {
  return {
    name: 'networks',
    async run(report: (m: Measurement) => void): Promise<void> {
      // Two of issue 7's target groups: 'secure' (ImageNet-scale runs executed for real) and 'ratio'
      // (secure time against plaintext fixed-point time of the same LLIL, small networks included).
      const seconds = (group: 'secure' | 'ratio', name: string, value: number, detail: string): void =>
        report({ group, name, rate: value, unit: 's', detail });
      const ratio = (name: string, value: number, detail: string): void =>
        report({ group: 'ratio', name, rate: value, unit: '×', detail });

      const small = async (name: string, runs: number): Promise<void> => {
        const s = setupNetwork(name);
        const times: number[] = [];
        let allEqual = true;
        let allWithin = true;
        let last: SecureRun | undefined;
        for (let i = 0; i < runs; i++) {
          const r = await secureRun(s, { threads: false });
          times.push(r.result.seconds);
          allEqual &&= r.linksEqual && r.metered === r.costBytes;
          allWithin &&= r.withinBound;
          last = r;
        }
        if (last === undefined) return;
        const secure = median(times);
        const plain = plaintextSeconds(
          last.result,
          encodeInputs(last.result.plan, s.input, 'client'),
          encodeInputs(last.result.plan, s.model.weights, 'server'),
          3,
        );
        seconds(
          'ratio',
          `${name} porthos`,
          secure,
          `median of ${runs} (parties interleaved on one thread); ${check(last.metered, allEqual, allWithin)}`,
        );
        seconds('ratio', `${name} plaintext fixed point`, plain, 'median of 3, wasm kernels');
        ratio(`${name} secure / plaintext`, secure / plain, 'Porthos time / plaintext fixed-point time');
      };

      const largeNet = async (name: string, runs: number, target?: string): Promise<void> => {
        const results: ChildRun[] = [];
        for (let i = 0; i < runs; i++)
          results.push(await childRun(name, i === 0 ? 3 : 0, `${name} run ${i + 1}/${runs}`));
        const secure = median(results.map((r) => r.seconds));
        const sp = spread(results.map((r) => r.seconds));
        const worst = Math.max(...results.map((r) => r.peakRssBytes));
        const allEqual = results.every((r) => r.linksEqual && r.bytes === r.costBytes);
        const allWithin = results.every((r) => r.withinBound);
        const plain = results[0]?.plaintextSeconds ?? NaN;
        const detail = `median of ${runs} (min ${sp.min.toFixed(1)} s, max ${sp.max.toFixed(1)} s), each in a fresh process (one worker thread per party); peak ${gib(worst)} (worst run); ${check(results[0]?.bytes ?? 0, allEqual, allWithin)}`;
        seconds('secure', `${name} porthos`, secure, `${detail}${target === undefined ? '' : `; ${target}`}`);
        seconds('ratio', `${name} plaintext fixed point`, plain, 'median of 3, wasm kernels');
        ratio(`${name} secure / plaintext`, secure / plain, 'Porthos time / plaintext fixed-point time');
      };

      for (const name of SMALL) await small(name, 5);
      if (large > 0) for (const n of LARGE) await largeNet(n.name, large, n.target);
    },
  };
}
