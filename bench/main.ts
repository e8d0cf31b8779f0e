/**
 * `npm run bench`: prints the machine, then runs each benchmark group in turn, one line per
 * measurement, in issue 7's four groups (the first column of each line):
 *   - kernels: wasm ring MatMul and convolutions against a `g++ -O3` C baseline and the bigint reference;
 *   - compile: the compiler's pieces on ResNet50, DenseNet121 and the 3D-UNet, and `cryptflow cost`;
 *   - secure: ResNet50 and DenseNet121 under Porthos executed for real (three parties on this machine);
 *   - ratio: Porthos time against the plaintext fixed-point time of the same LLIL, for those two and the
 *     zoo's small networks;
 *   - ot: the 2PC backend's OT layer, OTs per second per core beside the machine's AES throughput
 *     (bench/ot.ts).
 *   - cryptflow2: the 2PC backend's millionaires' comparisons and ReLUs per second at ℓ = 32 and 64,
 *     with the metered bits each, securenn-c executed for real under it, and the ImageNet networks'
 *     bytes from the cost walk (bench/cryptflow2.ts).
 *   - cryptflow2-he: the HE layer's responses per second, and small networks executed for real under
 *     cryptflow2-he with time, bytes and peak memory (bench/cryptflow2-he.ts).
 * The last two come from bench/networks.ts (the `networks` entry below).
 * `BENCH_LARGE_RUNS=N` sets the runs per ImageNet-scale network (default 3; 0 skips them);
 * `BENCH_GROUPS=kernels,compile` runs only the named groups; `BENCH_MALICIOUS_RUN=squeezenet` (a zoo
 * name) adds to the malicious group that network executed for real under `malicious` (bench/malicious3.ts).
 * Add a group by writing bench/<name>.ts exporting a `BenchGroup` and listing it here.
 * It prints the CPU's SIMD flags and the load average before and after (figures taken under load are
 * not idle-machine figures), and writes every measurement with those conditions to
 * bench/history/<UTC time>-<groups>.json (`BENCH_HISTORY=0` skips it), to be committed when figures change.
 */
import { cpuFlagsLine, loadLine, machineLine, printMeasurement, type BenchGroup, type Measurement } from './harness.js';
import { writeHistory } from './history.js';
import { compileGroup } from './compile.js';
import { kernelsGroup } from './kernels.js';
import { networksGroup } from './networks.js';
import { otGroup } from './ot.js';
import { cryptflow2Group } from './cryptflow2.js';
import { cryptflow2HeGroup } from './cryptflow2-he.js';
import { malicious3Group } from './malicious3.js';

const all: readonly BenchGroup[] = [
  kernelsGroup,
  compileGroup,
  networksGroup(),
  otGroup,
  cryptflow2Group,
  cryptflow2HeGroup,
  malicious3Group,
];
const only = process.env['BENCH_GROUPS']
  ?.split(',')
  .map((g) => g.trim())
  .filter((g) => g !== '');
const unknown = (only ?? []).filter((g) => !all.some((x) => x.name === g));
if (unknown.length > 0) {
  console.error(`bench: unknown group(s) ${unknown.join(', ')}; the groups are ${all.map((g) => g.name).join(', ')}`);
  process.exit(2);
}
const groups = only === undefined ? all : all.filter((g) => only.includes(g.name));

console.log(machineLine());
console.log(cpuFlagsLine());
const loadBefore = loadLine('before');
console.log(loadBefore);
const started = performance.now();
const measured: Measurement[] = [];
for (const group of groups) {
  const t0 = performance.now();
  await group.run((m) => {
    measured.push(m);
    printMeasurement(m);
  });
  console.log(`${group.name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const loadAfter = loadLine('after');
console.log(loadAfter);
console.log(`bench: total ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (process.env['BENCH_HISTORY'] !== '0') {
  const file = writeHistory({ groups: groups.map((g) => g.name), loadBefore, loadAfter, measurements: measured });
  console.log(`bench: wrote ${file}`);
}
