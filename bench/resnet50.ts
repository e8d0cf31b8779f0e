/**
 * `npm run bench:resnet50`: an ImageNet-scale network under a 3-party backend executed for real on this
 * machine — all three parties in this process over the metered in-memory network, as `cryptflow run`
 * does — with the paper's compilation (paper HLIL passes, ℓ = 64, s = 12, eager ScaleDown, the `paper`
 * convolution policy). It prints:
 *   - the machine line, the compile time, the three-party run's wall time, and the process's peak
 *     resident memory (sampled every 100 ms, and the kernel's high-water mark);
 *   - the metered bytes next to the closed-form cost walk, link by link, and whether they are equal
 *     (for ResNet50 under Porthos the walk is Table 2's 6,868,083,720 B);
 *   - the secure class against the float32 model's, and whether every output is within its bound.
 * Flags: --model NAME (a zoo name; default resnet50), --backend porthos|securenn, --seed S (weights),
 * --quiet (no per-layer progress), --json (one JSON object on the last line), --one-thread (the three
 * parties interleaved on this thread instead of one worker thread each).
 * Exit status 1 when the meter and the walk disagree or an output leaves its bound.
 */
import { resourceUsage } from 'node:process';
import { numel } from '../spec/geometry.js';
import { LINKS, totalBytes } from '../spec/cost/types.js';
import { onnxToHlil } from '../passes/frontend/onnx/index.js';
import { optimizeHlil, paperConfig } from '../passes/hlil/pipeline.js';
import { backendOf, secureInference, type BackendName } from '../harness/runner/inference.js';
import { costProgram } from '../harness/cost/walk.js';
import { progressReporter } from '../harness/cli/progress.js';
import { bytes } from '../harness/cli/compile.js';
import { zooEntry, zooModel } from '../harness/zoo/zoo.js';
import { machineLine } from './harness.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const name = flag('model') ?? 'resnet50';
const backend = (flag('backend') ?? 'porthos') as BackendName;
if (backend !== 'porthos' && backend !== 'securenn') throw new Error(`--backend must be porthos or securenn, not ${backend}`);
const quiet = process.argv.includes('--quiet');
const threads = !process.argv.includes('--one-thread');
const json = process.argv.includes('--json');
const convPolicy = backend === 'porthos' ? ('paper' as const) : undefined;

const gib = (b: number): string => `${(b / 2 ** 30).toFixed(2)} GiB`;
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);

console.log(machineLine());
const entry = zooEntry(name);
const t0 = performance.now();
const { model } = optimizeHlil(onnxToHlil(zooModel(name, flag('seed'))), paperConfig);
const buildSeconds = (performance.now() - t0) / 1000;
// A deterministic image-like input in [0, 1] (the zoo's stand-in weights expect no particular statistics).
const pixels = Float32Array.from({ length: numel(entry.input.shape) }, (_, i) => 0.5 + 0.5 * Math.sin(0.37 * i + 0.1 * Math.cos(0.05 * i)));
const hlilInput = model.program.decls.find((d) => d.kind === 'input' && d.owner === 'client');
if (hlilInput === undefined) throw new Error(`${name}: no client input`);
console.log(`${name} under ${backend}${convPolicy === undefined ? '' : ` (${convPolicy} convolutions)`}: ${model.program.nodes.length} HLIL nodes, built and optimised in ${buildSeconds.toFixed(2)} s`);

const r = await secureInference(model, new Map([[hlilInput.name, pixels]]), {
  backend,
  ell: 64,
  scale: 12,
  placement: 'eager',
  threads,
  ...(convPolicy === undefined ? {} : { convPolicy }),
  ...(quiet ? {} : { onProgress: progressReporter((line) => process.stderr.write(`${line}\n`), 5000) }),
});
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss, resourceUsage().maxRSS * 1024);

const walked = costProgram(r.plan.program, backendOf(backend, convPolicy));
const metered = totalBytes(r.meter.links);
const linksEqual = LINKS.every((l) => walked.bytes.links[l] === r.meter.links[l]);
const within = r.outputs.every((o) => o.withinBound);
const cls = r.outputs.find((o) => o.argmax !== undefined);

console.log(`compile (float-to-fixed, range analysis, encoding): ${r.compileSeconds.toFixed(1)} s`);
console.log(`three-party run (${threads ? 'one worker thread per party' : 'parties interleaved on one thread'}): ${r.seconds.toFixed(1)} s wall, ${r.plan.program.nodes.length} LLIL nodes, ${r.rounds} rounds`);
console.log(`peak resident memory: ${gib(peakRss)}`);
console.log(`metered ${metered.toLocaleString('en-US')} B (${bytes(metered)}), cost walk ${walked.bytes.total.toLocaleString('en-US')} B: ${linksEqual ? 'equal on every link' : 'DIFFERENT'}`);
for (const l of LINKS) console.log(`  ${l}: ${r.meter.links[l].toLocaleString('en-US')}`);
if (cls !== undefined) console.log(`class: secure ${cls.argmax?.join(',')}, float32 ${cls.floatArgmax?.join(',')}`);
console.log(`outputs within their compile-time bounds: ${within ? 'yes' : 'NO'}`);
if (json) {
  console.log(
    JSON.stringify({
      model: name,
      backend,
      machine: machineLine(),
      buildSeconds,
      compileSeconds: r.compileSeconds,
      seconds: r.seconds,
      peakRssBytes: peakRss,
      bytes: metered,
      costBytes: walked.bytes.total,
      linksEqual,
      rounds: r.rounds,
      withinBound: within,
    }),
  );
}
process.exitCode = linksEqual && within ? 0 : 1;
