/**
 * Where `cryptflow run` places the three parties when the user does not say: three worker threads
 * (harness/runner/threads.ts) pay a start-up cost (each thread loads the protocol code and the wasm
 * kernels, a few hundred milliseconds) and win only when there is a core for each busy party and
 * enough work per message; small models run faster interleaved on one thread. So: threads when the
 * backend supports them, the views are not being recorded, there are at least `MIN_CORES` cores, and
 * the model holds at least `MIN_MODEL_BYTES` of float32 values (every declaration and node result,
 * the HLIL liveness total: a cheap proxy for the work per layer). The report says which was used and
 * why; `--threads`, `--one-thread` and `--processes` choose explicitly.
 */
import { availableParallelism } from 'node:os';
import { BACKEND_INFO, type BackendName } from '../runner/inference.js';

export const MIN_CORES = 2;
export const MIN_MODEL_BYTES = 64e6;

export interface RunMode {
  readonly mode: 'one-thread' | 'threads' | 'processes';
  /** How it was chosen, for the report. */
  readonly why: string;
}

export interface ModeInputs {
  readonly backend: BackendName;
  readonly processes: boolean;
  readonly threads: boolean;
  readonly oneThread: boolean;
  readonly checkViews: boolean;
  /** The model's float32 bytes (HLIL liveness total). */
  readonly modelBytes: number;
  /** Cores available (default: the machine's). */
  readonly cores?: number;
}

const mb = (b: number): string => `${(b / 1e6).toFixed(b < 1e7 ? 2 : 0)} MB`;

export function chooseMode(o: ModeInputs): RunMode {
  if (o.processes) return { mode: 'processes', why: '--processes' };
  if (o.threads) return { mode: 'threads', why: '--threads' };
  if (o.oneThread) return { mode: 'one-thread', why: '--one-thread' };
  if (o.checkViews) return { mode: 'one-thread', why: 'auto: --check-views records the views on one thread' };
  if (!BACKEND_INFO[o.backend].threads) return { mode: 'one-thread', why: `auto: ${o.backend} runs on one thread` };
  const cores = o.cores ?? availableParallelism();
  if (cores < MIN_CORES) return { mode: 'one-thread', why: `auto: ${cores} core` };
  if (o.modelBytes < MIN_MODEL_BYTES)
    return {
      mode: 'one-thread',
      why: `auto: a small model (${mb(o.modelBytes)} of values < ${mb(MIN_MODEL_BYTES)}), where starting threads costs more than it saves`,
    };
  return { mode: 'threads', why: `auto: ${cores} cores and a large model (${mb(o.modelBytes)} of values)` };
}
