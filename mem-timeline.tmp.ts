import { secureRun, setupNetwork } from './bench/networks.js';
const setup = setupNetwork('resnet50', undefined);
const t0 = performance.now();
let node = -1;
let peak = 0;
let peakAt = '';
const iv = setInterval(() => {
  const r = process.memoryUsage().rss;
  if (r > peak) { peak = r; peakAt = `node ${node} t=${((performance.now() - t0) / 1000).toFixed(1)}s`; }
}, 50);
const log = setInterval(() => console.log(`t=${((performance.now() - t0) / 1000).toFixed(0)}s node ${node} rss ${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GiB, peak so far ${(peak / 2 ** 30).toFixed(2)} at ${peakAt}`), 5000);
const run = await secureRun(setup, { threads: true, onProgress: (p) => { node = (p as { index?: number }).index ?? node; } });
console.log(`run ${run.result.seconds.toFixed(1)} s; peak (bench) ${(run.peakRssBytes / 2 ** 30).toFixed(2)} GiB; sampled peak ${(peak / 2 ** 30).toFixed(2)} at ${peakAt}`);
clearInterval(iv); clearInterval(log);
