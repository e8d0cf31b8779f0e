/**
 * Benchmark plumbing shared by every group: deterministic inputs, median timing, and one printed line
 * per measurement. A group is a named function returning its measurements; bench/main.ts runs groups.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

export interface Measurement {
  readonly group: string;
  readonly name: string;
  /** Work items per second (e.g. multiply-accumulates). */
  readonly rate: number;
  readonly unit: string;
  readonly detail: string;
}

export interface BenchGroup {
  readonly name: string;
  run(report: (m: Measurement) => void): void | Promise<void>;
}

export function machineLine(): string {
  const cpu = cpus();
  const model = cpu[0]?.model.trim() ?? 'unknown CPU';
  return `machine: ${cpu.length} cores, ${model}, node ${process.version}, ${process.platform}/${process.arch}`;
}

/** The SIMD extensions the kernels' native baseline can use, from /proc/cpuinfo (Linux), or why not. */
export function cpuFlagsLine(): string {
  let info: string;
  try {
    info = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return 'cpu flags: unknown (no /proc/cpuinfo)';
  }
  const line = info.split('\n').find((l) => l.startsWith('flags'));
  if (line === undefined) return 'cpu flags: unknown (no flags line)';
  const flags = new Set(
    line
      .slice(line.indexOf(':') + 1)
      .trim()
      .split(/\s+/),
  );
  const named = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512dq', 'avx512bw', 'avx512vl', 'avx512ifma'];
  const has = named.filter((f) => flags.has(f));
  return `cpu flags: ${has.length === 0 ? 'none of ' + named.join(', ') : has.join(' ')}`;
}

/** The 1, 5 and 15-minute load averages, with the core count they compare to. */
export function loadLine(when: string): string {
  const [a, b, c] = loadavg();
  const f = (x: number | undefined): string => (x ?? 0).toFixed(2);
  return `load average ${when}: ${f(a)} ${f(b)} ${f(c)} on ${cpus().length} cores`;
}

/** min / median / max of a sample, as the bench prints its spreads. */
export function spread(xs: readonly number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { min: s[0] ?? NaN, median, max: s[s.length - 1] ?? NaN };
}

/** Median wall time in seconds of `runs` calls after `warmup` untimed calls. */
export function medianSeconds(f: () => unknown, runs: number, warmup = 1): number {
  for (let i = 0; i < warmup; i++) f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  return times.length % 2 === 1 ? (times[mid] as number) : ((times[mid - 1] as number) + (times[mid] as number)) / 2;
}

/** Deterministic 64-bit words (SplitMix64 from a seed): benchmark data needs no randomness source. */
export function words64(n: number, seed: bigint): BigUint64Array {
  const out = new BigUint64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = BigInt.asUintN(64, s + 0x9e3779b97f4a7c15n);
    let z = s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    out[i] = z ^ (z >> 31n);
  }
  return out;
}

/** Rates in engineering-style exponent notation; ratios (unit '×') and seconds ('s') as plain numbers. */
export function formatRate(rate: number, unit: string): string {
  if (unit === '×') return `${rate < 10 ? rate.toFixed(2) : rate.toFixed(1)}×`;
  if (unit === 's') return rate < 1 ? rate.toPrecision(3) : rate < 10 ? rate.toFixed(3) : rate.toFixed(1);
  if (unit === '%') return `${(100 * rate).toFixed(1)}%`;
  return rate.toExponential(2);
}

export function printMeasurement(m: Measurement): void {
  console.log(
    `${m.group.padEnd(8)} ${m.name.padEnd(34)} ${formatRate(m.rate, m.unit).padStart(9)} ${m.unit === '×' || m.unit === '%' ? '     ' : m.unit.padEnd(5)}  ${m.detail}`,
  );
}
