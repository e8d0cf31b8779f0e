/**
 * Running the three party programs of one protocol over the in-memory network.
 *
 * Each party gets its own context (its endpoint and its PRG keys) and nothing else. If a party fails,
 * the run is aborted: the other parties' pending receives fail with a 'protocol' error naming the
 * failed party, so nobody hangs, and the caller sees the first failure (its own message, which never
 * carries secret values). The result is every party's output and the meter reading.
 */
import { CryptflowError } from '../../spec/errors.js';
import { partyContext } from '../../protocols/common/context.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { freshKeys, keysFromSeed, type PartyKeys } from '../../protocols/common/prg.js';
import { MemoryNetwork, type MemoryNetworkOptions } from './memory.js';
import type { MeterReading } from './meter.js';

export type PartyProgram<T> = (ctx: PartyContext) => Promise<T>;

export interface RunOptions extends MemoryNetworkOptions {
  readonly ell: number;
  /** Replayable PRG keys from a seed (tests); fresh random keys when absent. */
  readonly seed?: string;
  readonly keys?: readonly [PartyKeys, PartyKeys, PartyKeys];
  /** An existing network (to meter several runs together); a fresh one otherwise. */
  readonly network?: MemoryNetwork;
}

export interface RunResult<T0, T1, T2> {
  readonly outputs: readonly [T0, T1, T2];
  readonly meter: MeterReading;
}

export async function runParties<T0, T1, T2>(programs: readonly [PartyProgram<T0>, PartyProgram<T1>, PartyProgram<T2>], options: RunOptions): Promise<RunResult<T0, T1, T2>> {
  const net = options.network ?? new MemoryNetwork(options);
  const keys = options.keys ?? (options.seed !== undefined ? keysFromSeed(options.seed) : freshKeys());
  let first: unknown = null;
  const start = <T>(id: PartyId, program: PartyProgram<T>): Promise<T> => {
    const ctx = partyContext(id, options.ell, net.endpoint(id), keys[id]);
    return program(ctx).then(
      (v) => {
        net.finished(id);
        return v;
      },
      (e: unknown) => {
        net.finished(id);
        if (first === null) {
          first = e;
          const why = e instanceof Error ? e.message : String(e);
          net.abort(new CryptflowError('protocol', `run aborted: P${id} failed (${why})`));
        }
        throw e;
      },
    );
  };
  const runs = [start(0, programs[0]), start(1, programs[1]), start(2, programs[2])] as const;
  const settled = await Promise.allSettled(runs);
  if (first !== null) throw first;
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  const [a, b, c] = settled as [PromiseFulfilledResult<T0>, PromiseFulfilledResult<T1>, PromiseFulfilledResult<T2>];
  return { outputs: [a.value, b.value, c.value], meter: net.meter.reading() };
}
