/**
 * The view of one corrupted party in a run, as the simulation-based security tests (test/security/)
 * define it: its input, its randomness — its own PRG key and the keys it shares with the other
 * parties — and every message it receives, per sender in arrival order on that link. Runs have three
 * parties (P0, P1, P2) or two (P0, P1: a 2-party backend; the programs' count says which, and the
 * view's P2 entry stays empty).
 *
 * Protocols draw randomness only from PRGs, so fixing the corrupted party's three keys fixes its
 * randomness; the honest parties' own keys and the key the two honest parties share come from a second
 * seed that the tests vary from run to run (`viewKeys`). What the corrupted party drew is recorded as
 * one SHA-256 digest per stream, so a test can confirm that its randomness really was the same in
 * every run (a protocol whose draws depended on the honest parties' data would show up there).
 *
 * Messages are recorded per sender: the order between two links depends on scheduling, the order on
 * one link does not (FIFO), so per-sender sequences are what a view is.
 *
 * `HookedPrg` delegates to another PRG and lets a hook see — and, for the planted leaks of leaks.ts,
 * change — every draw; the recorder and the leaks are both built on it.
 */
import { createHash, type Hash } from 'node:crypto';
import { bug } from '../../spec/errors.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { keysFromSeed, Prg, type PartyKeys } from '../../protocols/common/prg.js';
import { keysAmong, partiesOf, type PartyCount } from '../network/parties.js';
import { runParties, type PartyProgram } from '../network/run.js';

/** Each party's keys, P0 first (three or two). */
export type Keys = readonly [PartyKeys, PartyKeys, PartyKeys] | readonly [PartyKeys, PartyKeys];
/** The party programs of a run: three (P0, P1, P2) or two (P0, P1). */
export type Programs<T> =
  readonly [PartyProgram<T>, PartyProgram<T>, PartyProgram<T>] | readonly [PartyProgram<T>, PartyProgram<T>];

/** The parties other than `id` in a run of `parties` parties (default 3). */
export function othersOf(id: PartyId, parties: PartyCount = 3): readonly PartyId[] {
  return partiesOf(parties).filter((j) => j !== id);
}

/**
 * PRG keys for a run of `parties` parties (default 3) with `corrupted` corrupted: its own key and the
 * keys it shares come from `fixedSeed`; the honest parties' own keys and the keys they share with each
 * other come from `honestSeed`. With two parties the only shared key is the corrupted party's.
 */
export function viewKeys(
  corrupted: PartyId,
  fixedSeed: string,
  honestSeed: string,
  parties?: 3,
): readonly [PartyKeys, PartyKeys, PartyKeys];
export function viewKeys(
  corrupted: PartyId,
  fixedSeed: string,
  honestSeed: string,
  parties: 2,
): readonly [PartyKeys, PartyKeys];
export function viewKeys(corrupted: PartyId, fixedSeed: string, honestSeed: string, parties: PartyCount): Keys;
export function viewKeys(corrupted: PartyId, fixedSeed: string, honestSeed: string, parties: PartyCount = 3): Keys {
  if (corrupted >= parties) bug(`P${corrupted} is not a party of a ${parties}-party run`);
  const fixed = keysFromSeed(fixedSeed);
  const honest = keysFromSeed(honestSeed);
  const keysOf = (i: PartyId): PartyKeys => {
    const shared: Partial<Record<PartyId, Uint8Array>> = {};
    for (const j of othersOf(i, parties))
      shared[j] =
        (i === corrupted || j === corrupted ? fixed : honest)[i].shared[j] ?? bug(`no key between P${i} and P${j}`);
    return keysAmong(parties, i, { own: (i === corrupted ? fixed : honest)[i].own, shared });
  };
  return parties === 3 ? [keysOf(0), keysOf(1), keysOf(2)] : [keysOf(0), keysOf(1)];
}

/** What a PRG was asked for: the method and its parameter (ℓ, the modulus, p; 0 for bytes and bits). */
export type DrawKind = 'bytes' | 'ring' | 'below' | 'field' | 'bits';

/**
 * Sees each draw's result (a fresh array, which the hook may change in place). `param` is ℓ for
 * `ring`, the modulus for `below`, p for `field`, 0 otherwise.
 */
export type DrawHook = (kind: DrawKind, param: bigint, out: Uint8Array | BigUint64Array) => void;

const NO_KEY = new Uint8Array(16);

/**
 * A PRG that draws from `inner` and shows every result to `hook`. It is a `Prg` (so a PartyContext
 * can hand it out); its own AES stream is never used.
 */
export class HookedPrg extends Prg {
  constructor(
    private readonly inner: Prg,
    private readonly hook: DrawHook,
  ) {
    super(NO_KEY);
  }

  override bytes(n: number): Uint8Array {
    const out = this.inner.bytes(n);
    this.hook('bytes', 0n, out);
    return out;
  }

  override ring(ell: number, n: number): BigUint64Array {
    const out = this.inner.ring(ell, n);
    this.hook('ring', BigInt(ell), out);
    return out;
  }

  override below(m: bigint, n: number): BigUint64Array {
    const out = this.inner.below(m, n);
    this.hook('below', m, out);
    return out;
  }

  override field(p: number, n: number, offset = 0): Uint8Array {
    // The hook sees (and may replace) the draw's values in [0, p); the offset is added afterwards.
    const out = this.inner.field(p, n);
    this.hook('field', BigInt(p), out);
    if (offset !== 0) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + offset;
    return out;
  }

  override bits(n: number): Uint8Array {
    const out = this.inner.bits(n);
    this.hook('bits', 0n, out);
    return out;
  }
}

/** A context whose PRGs are `hooked(name, prg)` of the original ones ('own', or 'P<j>' for a shared one). */
export function withPrgs(ctx: PartyContext, hooked: (stream: string, prg: Prg) => Prg): PartyContext {
  const shared = new Map<PartyId, Prg>();
  const own = hooked('own', ctx.own);
  return {
    id: ctx.id,
    ell: ctx.ell,
    own,
    send: (to, bytes) => ctx.send(to, bytes),
    recv: (from) => ctx.recv(from),
    shared: (other) => {
      let prg = shared.get(other);
      if (prg === undefined) {
        prg = hooked(`P${other}`, ctx.shared(other));
        shared.set(other, prg);
      }
      return prg;
    },
    inPhase: (phase, f) => ctx.inPhase(phase, f),
  };
}

export interface View {
  readonly party: PartyId;
  /** Messages received from each other party, in order on that link (copies). */
  readonly received: Readonly<Record<PartyId, readonly Uint8Array[]>>;
  /** SHA-256 of everything drawn from each of the party's PRG streams ('own', 'P<j>'), hex. */
  readonly randomness: Readonly<Record<string, string>>;
}

interface Recorder {
  readonly ctx: PartyContext;
  view(): View;
}

function recorder(ctx: PartyContext): Recorder {
  const received: Record<PartyId, Uint8Array[]> = { 0: [], 1: [], 2: [] };
  const hashes = new Map<string, Hash>();
  const withDraws = withPrgs(ctx, (stream, prg) => {
    const h = createHash('sha256');
    hashes.set(stream, h);
    return new HookedPrg(prg, (kind, param, out) => {
      h.update(`${kind}:${param}:${out.length};`);
      h.update(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
    });
  });
  const recording: PartyContext = {
    ...withDraws,
    recv: async (from) => {
      const bytes = await withDraws.recv(from);
      received[from].push(bytes.slice());
      return bytes;
    },
  };
  return {
    ctx: recording,
    view: () => {
      const randomness: Record<string, string> = {};
      for (const stream of [...hashes.keys()].sort())
        randomness[stream] = (hashes.get(stream) ?? bug('stream')).copy().digest('hex');
      return { party: ctx.id, received, randomness };
    },
  };
}

/**
 * Let the event loop run (timers, I/O). A protocol run over the in-memory network completes in
 * microtasks alone, so thousands of runs in a row would starve everything else in the process — a
 * test runner's heartbeat, for one. The loops of check.ts and exact.ts call this after each run.
 */
export function yieldEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface Observation<T> {
  readonly view: View;
  /** Every party's output, P0 first (three or two). */
  readonly outputs: readonly [T, T, T] | readonly [T, T];
}

/** The programs with `f` applied to each (the same number of parties). */
export function mapPrograms<T, U>(
  ps: Programs<T>,
  f: (p: PartyProgram<T>, id: PartyId) => PartyProgram<U>,
): Programs<U> {
  return ps.length === 3 ? [f(ps[0], 0), f(ps[1], 1), f(ps[2], 2)] : [f(ps[0], 0), f(ps[1], 1)];
}

/**
 * Run the programs (three, or two for a 2-party protocol) over the in-memory network with the given
 * keys and return the corrupted party's view with every party's output. A program may wrap its own
 * context (leaks.ts does); the recorder sits outside, on the network side, so it sees what really
 * arrived.
 */
export async function observe<T>(
  programs: Programs<T>,
  options: { readonly ell: number; readonly corrupted: PartyId; readonly keys: Keys },
): Promise<Observation<T>> {
  if (options.corrupted >= programs.length)
    bug(`P${options.corrupted} is not a party of a ${programs.length}-party run`);
  const held: { rec?: Recorder } = {};
  const wrapped = mapPrograms(programs, (program, i) => {
    if (i !== options.corrupted) return program;
    return (ctx: PartyContext): Promise<T> => {
      const rec = recorder(ctx);
      held.rec = rec;
      return program(rec.ctx);
    };
  });
  const run = { ell: options.ell, keys: options.keys };
  // Two calls for the two arities, so each result keeps its tuple type.
  const { outputs } = wrapped.length === 3 ? await runParties(wrapped, run) : await runParties(wrapped, run);
  return { view: (held.rec ?? bug('the corrupted party never ran')).view(), outputs };
}

/**
 * A context for replaying the corrupted party's local steps inside a simulator (input sharing, for
 * one): its PRGs from its keys, and no network — a step that communicates is a bug.
 */
export function localContext(id: PartyId, ell: number, keys: PartyKeys): PartyContext {
  const own = new Prg(keys.own);
  const shared = new Map<PartyId, Prg>();
  for (const j of othersOf(id)) {
    const k = keys.shared[j];
    if (k !== undefined) shared.set(j, new Prg(k));
  }
  return {
    id,
    ell,
    own,
    send: () => bug(`a simulator replay of P${id} tried to send`),
    recv: () => bug(`a simulator replay of P${id} tried to receive`),
    shared: (other) => shared.get(other) ?? bug(`P${id} has no PRG shared with P${other}`),
    inPhase: (_phase, f) => f(),
  };
}
