/**
 * `npm run bench`: prints the machine, then runs each benchmark group in turn, one line per
 * measurement. Add a group by writing bench/<name>.ts exporting a `BenchGroup` and listing it here.
 */
import { machineLine, printMeasurement, type BenchGroup } from './harness.js';
import { kernelsGroup } from './kernels.js';

const groups: readonly BenchGroup[] = [kernelsGroup];

console.log(machineLine());
const started = performance.now();
for (const group of groups) {
  const t0 = performance.now();
  group.run(printMeasurement);
  console.log(`${group.name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
console.log(`bench: total ${((performance.now() - started) / 1000).toFixed(1)} s`);
