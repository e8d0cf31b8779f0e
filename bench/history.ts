/**
 * One JSON file per `npm run bench` run under bench/history/, so that a regression shows as a
 * difference between committed files: the machine, its SIMD flags, the load average before and after,
 * the groups run, and every measurement as printed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpuFlagsLine, machineLine, type Measurement } from './harness.js';

export interface HistoryRun {
  readonly groups: readonly string[];
  readonly loadBefore: string;
  readonly loadAfter: string;
  readonly measurements: readonly Measurement[];
}

const DIR = fileURLToPath(new URL('./history/', import.meta.url));

/** Writes the run to bench/history/<UTC time>-<groups>.json; returns the path. */
export function writeHistory(run: HistoryRun, now: Date = new Date()): string {
  mkdirSync(DIR, { recursive: true });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const file = `${DIR}${stamp}-${run.groups.join('+')}.json`;
  const body = {
    date: now.toISOString(),
    machine: machineLine(),
    cpuFlags: cpuFlagsLine(),
    node: process.version,
    ...run,
  };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
