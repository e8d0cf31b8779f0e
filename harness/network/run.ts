/**
 * Running the party programs of one protocol over the in-memory network: three programs (P0, P1, P2)
 * for a 3-party protocol, two (P0, P1) for a 2-party one — the number of programs is the number of
 * parties, and the network joins only those (parties.ts).
 *
 * Each party gets its own context (its endpoint and its PRG keys, without keys for absent parties) and
 * nothing else. If a party fails, the run is aborted: the other parties' pending receives fail with a
 * 'protocol' error naming the failed party, so nobody hangs, and the caller sees the first failure
 * (its own message, which never carries secret values). The result is every party's output and the
 * meter reading.
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import { partyContext } from '../../protocols/common/context.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { freshKeys, keysFromSeed, type PartyKeys } from '../../protocols/common/prg.js';
import { MemoryNetwork, type MemoryNetworkOptions } from './memory.js';
import type { MeterReading } from './meter.js';
import { keysAmong, type PartyCount } from './parties.js';

export type PartyProgram<T> = (ctx: PartyContext) => Promise<T>;

export interface RunOptions extends Omit<MemoryNetworkOptions, 'parties'> {
  readonly ell: number;
  /** Replayable PRG keys from a seed (tests); fresh random keys when absent. */
  readonly seed?: string;
  /** Each party's keys, P0 first (at least as many as there are programs). */
  readonly keys?: readonly PartyKeys[];
  /** An existing network (to meter several runs together); a fresh one otherwise. */
  readonly network?: MemoryNetwork;
}

export interface RunResult<Outputs extends readonly unknown[]> {
  readonly outputs: Outputs;
  readonly meter: MeterReading;
}

type Programs3<T0, T1, T2> = readonly [PartyProgram<T0>, PartyProgram<T1>, PartyProgram<T2>];
type Programs2<T0, T1> = readonly [PartyProgram<T0>, PartyProgram<T1>];

export function runParties<T0, T1, T2>(
  programs: Programs3<T0, T1, T2>,
  options: RunOptions,
): Promise<RunResult<readonly [T0, T1, T2]>>;
export function runParties<T0, T1>(
  programs: Programs2<T0, T1>,
  options: RunOptions,
): Promise<RunResult<readonly [T0, T1]>>;
export function runParties<T>(
  programs: readonly PartyProgram<T>[],
  options: RunOptions,
): Promise<RunResult<readonly T[]>>;
export async function runParties(
  programs: readonly PartyProgram<unknown>[],
  options: RunOptions,
): Promise<RunResult<readonly unknown[]>> {
  const n = programs.length;
  if (n !== 2 && n !== 3) bug(`a run has 2 or 3 parties, not ${n}`);
  const parties: PartyCount = n;
  const net = options.network ?? new MemoryNetwork({ ...options, parties });
  if (net.parties !== parties) bug(`${parties} programs on a ${net.parties}-party network`);
  const keys = options.keys ?? (options.seed !== undefined ? keysFromSeed(options.seed) : freshKeys());
  let first: unknown = null;
  const start = (id: PartyId, program: PartyProgram<unknown>): Promise<unknown> => {
    const ctx = partyContext(
      id,
      options.ell,
      net.endpoint(id),
      keysAmong(parties, id, keys[id] ?? bug(`no keys for P${id}`)),
    );
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
  const settled = await Promise.allSettled(programs.map((p, i) => start(i as PartyId, p)));
  if (first !== null) throw first;
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return {
    outputs: settled.map((s) => (s.status === 'fulfilled' ? s.value : bug('settled'))),
    meter: net.meter.reading(),
  };
}
