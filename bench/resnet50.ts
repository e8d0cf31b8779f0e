/**
 * `npm run bench:resnet50`: an ImageNet-scale network under a 3-party backend executed for real on this
 * machine — all three parties in this process, one worker thread each (as `cryptflow run --threads`
 * does; bench/networks.ts `secureRun`) — with the paper's compilation (paper HLIL passes, ℓ = 64, s = 12, eager ScaleDown, the `paper`
 * convolution policy). It prints:
 *   - the machine line, the compile time, the three-party run's wall time, and the process's peak
 *     resident memory (sampled every 100 ms, and the kernel's high-water mark);
 *   - the metered bytes next to the closed-form cost walk, link by link, and whether they are equal
 *     (for ResNet50 under Porthos the walk is Table 2's 6,868,083,720 B);
 *   - the secure class against the float32 model's, and whether every output is within its bound.
 * Flags: --model NAME (a zoo name; default resnet50), --backend porthos|securenn, --seed S (weights),
 * --quiet (no per-layer progress), --json (one JSON object on the last line), --one-thread (the three
 * parties interleaved on this thread instead of one worker thread each), --plaintext-runs N (also time
 * the plaintext fixed-point evaluation of the same LLIL, median of N).
 * Exit status 1 when the meter and the walk disagree or an output leaves its bound.
 * Each run is also written to bench/history/ (bench/history.ts) with the load average before and after,
 * unless BENCH_HISTORY=0.
 */
import { LINKS } from '../spec/cost/types.js';
import { type BackendName } from '../harness/runner/inference.js';
import { progressReporter } from '../harness/cli/progress.js';
import { bytes } from '../harness/format/units.js';
import { loadLine, machineLine } from './harness.js';
import { writeHistory } from './history.js';
import { plaintextSeconds, secureRun, setupNetwork } from './networks.js';
import { encodeInputs } from '../passes/float-to-fixed/program.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

const name = flag('model') ?? 'resnet50';
const backend = (flag('backend') ?? 'porthos') as BackendName;
if (backend !== 'porthos' && backend !== 'securenn')
  throw new Error(`--backend must be porthos or securenn, not ${backend}`);
const quiet = process.argv.includes('--quiet');
const json = process.argv.includes('--json');
const threads = !process.argv.includes('--one-thread');
const plaintextRuns = Number(flag('plaintext-runs') ?? 0);
if (!Number.isInteger(plaintextRuns) || plaintextRuns < 0)
  throw new Error(`--plaintext-runs must be a whole number, not ${flag('plaintext-runs') ?? ''}`);
const convPolicy = backend === 'porthos' ? ('paper' as const) : undefined;

const gib = (b: number): string => `${(b / 2 ** 30).toFixed(2)} GiB`;

console.log(machineLine());
const loadBefore = loadLine('before');
console.log(loadBefore);
const setup = setupNetwork(name, flag('seed'));
const { model } = setup;
const buildSeconds = setup.buildSeconds;
console.log(
  `${name} under ${backend}${convPolicy === undefined ? '' : ` (${convPolicy} convolutions)`}: ${model.program.nodes.length} HLIL nodes, built and optimised in ${buildSeconds.toFixed(2)} s`,
);

const run = await secureRun(setup, {
  backend,
  threads,
  ...(quiet ? {} : { onProgress: progressReporter((line) => process.stderr.write(`${line}\n`), 10_000) }),
});
const r = run.result;
const peakRss = run.peakRssBytes;
const metered = run.metered;
const linksEqual = run.linksEqual;
const within = run.withinBound;
const cls = r.outputs.find((o) => o.argmax !== undefined);

console.log(`compile (float-to-fixed, range analysis, encoding): ${r.compileSeconds.toFixed(1)} s`);
console.log(
  `three-party run (${threads ? 'one worker thread per party' : 'parties interleaved on one thread'}): ${r.seconds.toFixed(1)} s wall, ${r.plan.program.nodes.length} LLIL nodes, ${r.rounds} rounds`,
);
console.log(`peak resident memory: ${gib(peakRss)}`);
console.log(
  `metered ${metered.toLocaleString('en-US')} B (${bytes(metered)}), cost walk ${run.costBytes.toLocaleString('en-US')} B: ${linksEqual ? 'equal on every link' : 'DIFFERENT'}`,
);
for (const l of LINKS) console.log(`  ${l}: ${r.meter.links[l].toLocaleString('en-US')}`);
if (cls !== undefined) console.log(`class: secure ${cls.argmax?.join(',')}, float32 ${cls.floatArgmax?.join(',')}`);
console.log(`outputs within their compile-time bounds: ${within ? 'yes' : 'NO'}`);
// The same LLIL in the clear (fixedSem, wasm kernels): median of --plaintext-runs runs.
const plaintext =
  plaintextRuns > 0
    ? plaintextSeconds(
        r,
        encodeInputs(r.plan, setup.input, 'client'),
        encodeInputs(r.plan, model.weights, 'server'),
        plaintextRuns,
      )
    : undefined;
if (plaintext !== undefined)
  console.log(
    `plaintext fixed point (same LLIL, wasm kernels): ${plaintext.toFixed(2)} s, median of ${plaintextRuns}; secure / plaintext ${(r.seconds / plaintext).toFixed(1)}×`,
  );
const loadAfter = loadLine('after');
console.log(loadAfter);
if (process.env['BENCH_HISTORY'] !== '0') {
  const group = `${name} ${backend}`;
  const file = writeHistory({
    groups: [`${name}-${backend}`],
    loadBefore,
    loadAfter,
    measurements: [
      {
        group,
        name: 'secure run',
        rate: r.seconds,
        unit: 's',
        detail: threads ? 'one worker thread per party' : 'one thread',
      },
      { group, name: 'peak resident memory', rate: peakRss, unit: 'B', detail: 'whole process' },
      {
        group,
        name: 'metered bytes',
        rate: metered,
        unit: 'B',
        detail: linksEqual ? 'equal to the cost walk on every link' : 'DIFFERENT from the cost walk',
      },
      { group, name: 'rounds', rate: r.rounds, unit: 'rounds', detail: '' },
      ...(plaintext === undefined
        ? []
        : [{ group, name: 'plaintext fixed point', rate: plaintext, unit: 's', detail: `median of ${plaintextRuns}` }]),
    ],
  });
  console.log(`wrote ${file}`);
}
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
      costBytes: run.costBytes,
      linksEqual,
      rounds: r.rounds,
      withinBound: within,
      ...(plaintext === undefined ? {} : { plaintextSeconds: plaintext }),
    }),
  );
}
process.exitCode = linksEqual && within ? 0 : 1;
