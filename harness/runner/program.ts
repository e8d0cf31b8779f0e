/**
 * Running a whole LLIL program on a backend: every party walks the nodes in order with its own view.
 *
 * - Parties: as many as the backend claims (`claims.parties`): P0, P1 and the helper P2 for the
 *   SecureNN family and the 3-party reference backends; P0 and P1 alone for a 2-party backend, where
 *   no P2 is started and the network has no link to it (harness/network/parties.ts).
 * - Declarations: the client's inputs are shared by P0, the server's by P1 (zero communication,
 *   protocols/common/sharing.ts); constants are public to every party.
 * - Nodes: `backend.run` on each party; every value is dropped after its last use (so memory follows
 *   the widest layer, not the model).
 * - Outputs: revealed to the party they are declared for ('client' → P0, 'server' → P1) in the 'io'
 *   phase, which the published numbers do not count.
 * - Metering: the network meters links and rounds; in addition each party attributes the bytes it
 *   sends to the node it is running, so the per-node breakdown sums exactly to the total.
 *
 * A party only ever receives its own owner's inputs: `inputs.client` reaches P0's program, and
 * `inputs.server` P1's, nothing else. With `observe`, each party runs on an observing context
 * (harness/runner/views.ts records every message and opening and fails the run on one the secrecy
 * analysis and the backend do not allow); without it nothing is wrapped.
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import { LINKS, zeroLinks, type LinkBytes } from '../../spec/cost/types.js';
import type { LNode, LProgram } from '../../ir/llil.js';
import { lastUses, operandsOf } from '../../ir/traverse.js';
import type { Backend, Held } from '../../protocols/common/backend.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { reveal, shareInput } from '../../protocols/common/sharing.js';
import { linkName, type MeterReading } from '../network/meter.js';
import { partiesOf } from '../network/parties.js';
import { runParties, type RunOptions } from '../network/run.js';

export interface ProgramInputs {
  /** The client's LLIL inputs (ring-encoded), seen only by P0. */
  readonly client: ReadonlyMap<string, BigUint64Array>;
  /** The server's LLIL inputs (ring-encoded weights), seen only by P1. */
  readonly server: ReadonlyMap<string, BigUint64Array>;
}

/** P0 has finished node `index` (for progress reports). */
export interface NodeProgress {
  readonly index: number;
  readonly node: LNode;
}

export interface RunProgramOptions extends Omit<RunOptions, 'ell'>, PartyProgramOptions {}

export interface ProgramRun {
  /** Revealed outputs, by name, as the receiving party holds them. */
  readonly outputs: ReadonlyMap<string, BigUint64Array>;
  readonly meter: MeterReading;
  /** Bytes per directed link attributed to each node (computation phase). */
  readonly perNode: readonly LinkBytes[];
}

/** What one party's walk of the program ends with. */
export interface PartyResult {
  /** The outputs revealed to this party. */
  readonly revealed: Map<string, BigUint64Array>;
  /** Bytes this party sent, per node and link (computation phase). */
  readonly perNode: LinkBytes[];
}

/** What one party's program is given: its own inputs only (P0 the client's, P1 the server's, P2 none). */
export interface PartyInputs {
  readonly client?: ReadonlyMap<string, BigUint64Array>;
  readonly server?: ReadonlyMap<string, BigUint64Array>;
}

export interface PartyProgramOptions {
  readonly backend: Backend;
  /** Called by P0 after each node (progress reports). */
  readonly onNode?: (p: NodeProgress) => void;
  /** Record (and check) each party's view (harness/runner/views.ts); off by default, at no cost. */
  readonly observe?: ViewObserver;
  /**
   * The returned party runs once: it lets go of its inputs once they are shared, so that the owner's
   * plaintext (the server's weights) is not held beside its shares for the rest of the run.
   */
  readonly once?: boolean;
}

/** One party's observed run: the context it runs on, and a wrapper around each final reveal. */
export interface PartyObserver {
  readonly ctx: PartyContext;
  revealing<T>(output: string, to: PartyId, f: () => Promise<T>): Promise<T>;
}

/** Wraps party `ctx`; `node()` is the node it is running (null during input sharing and the final reveals). */
export type ViewObserver = (ctx: PartyContext, node: () => NodeProgress | null) => PartyObserver;

/** Wrap a context so that what it sends is attributed to the node it is running. */
function counting(ctx: PartyContext, perNode: LinkBytes[], current: () => number): PartyContext {
  return {
    ...ctx,
    send: (to, bytes) => {
      const row = perNode[current()];
      if (row !== undefined) row[linkName(ctx.id, to)] += bytes.length;
      ctx.send(to, bytes);
    },
  };
}

/**
 * One party's walk of the whole program, on whatever network its context speaks over (in memory here,
 * TCP in a deployment). A party is handed only its own inputs; the owner of an input missing it is an
 * 'input' error.
 */
export function programParty(
  p: LProgram,
  inputs: PartyInputs,
  options: PartyProgramOptions,
): (base: PartyContext) => Promise<PartyResult> {
  const last = lastUses(p.nodes);
  for (const o of p.outputs) last.set(o.name, p.nodes.length);
  let given: PartyInputs | undefined = inputs;
  return async (base: PartyContext): Promise<PartyResult> => {
    let source = given ?? bug('a party that runs once was run again');
    if (options.once === true) given = undefined;
    const perNode = p.nodes.map(() => zeroLinks());
    let current = -1;
    const counted = counting(base, perNode, () => current);
    const observed = options.observe?.(counted, () =>
      current < 0 ? null : { index: current, node: p.nodes[current] ?? bug(`no node ${current}`) },
    );
    const ctx = observed?.ctx ?? counted;
    const env = new Map<string, Held>();
    for (const d of p.decls) {
      if (d.kind === 'const') {
        env.set(d.name, { kind: 'public', shape: d.shape, data: d.values });
        continue;
      }
      const owner = d.owner === 'client' ? 0 : 1;
      const mine = ctx.id === owner ? (owner === 0 ? source.client : source.server)?.get(d.name) : undefined;
      if (ctx.id === owner && mine === undefined)
        throw new CryptflowError('input', `the ${d.owner} has no value for input '${d.name}'`);
      if (mine !== undefined && mine.length !== numel(d.shape))
        throw new CryptflowError(
          'input',
          `input '${d.name}' has ${mine.length} entries, its shape [${d.shape.join(', ')}] needs ${numel(d.shape)}`,
        );
      const own = options.backend.sharing;
      env.set(
        d.name,
        own === undefined
          ? (options.backend.input?.(ctx, owner, d.shape, mine) ?? {
              kind: 'secret',
              ...shareInput(ctx, owner, d.shape, mine),
            })
          : await own.share(ctx, owner, d.shape, mine),
      );
    }
    // Nothing below reads the inputs: the shares hold what the run needs.
    source = {};
    for (const [i, node] of p.nodes.entries()) {
      current = i;
      const operands = operandsOf(node).map(
        (n) => env.get(n) ?? bug(`'${n}' is not defined before node '${node.out}'`),
      );
      env.set(node.out, await options.backend.run(ctx, node, operands));
      for (const n of operandsOf(node)) if (last.get(n) === i) env.delete(n);
      if (ctx.id === 0) options.onNode?.({ index: i, node });
    }
    current = -1;
    const revealed = new Map<string, BigUint64Array>();
    for (const o of p.outputs) {
      const v = env.get(o.name) ?? bug(`output '${o.name}' is not defined`);
      const to: PartyId = o.to === 'client' ? 0 : 1;
      if (v.kind === 'public') {
        await observed?.revealing(o.name, to, () => Promise.resolve(null));
        if (ctx.id === to) revealed.set(o.name, v.data);
        continue;
      }
      const own = options.backend.sharing;
      const open = (): Promise<BigUint64Array | null> =>
        own === undefined ? reveal(ctx, v, to) : own.reveal(ctx, v, to);
      const value = observed === undefined ? await open() : await observed.revealing(o.name, to, open);
      if (value !== null) revealed.set(o.name, value);
    }
    return { revealed, perNode };
  };
}

export async function runProgram(p: LProgram, inputs: ProgramInputs, options: RunProgramOptions): Promise<ProgramRun> {
  const party = (id: PartyId): ((ctx: PartyContext) => Promise<PartyResult>) =>
    programParty(p, id === 0 ? { client: inputs.client } : id === 1 ? { server: inputs.server } : {}, options);
  const { outputs, meter } = await runParties(partiesOf(options.backend.claims.parties).map(party), {
    ...options,
    ell: p.ell,
  });
  const perNode = p.nodes.map((_, i) => {
    const row = zeroLinks();
    for (const r of outputs) for (const l of LINKS) row[l] += (r.perNode[i] ?? zeroLinks())[l];
    return row;
  });
  const revealed = new Map<string, BigUint64Array>();
  for (const r of outputs) for (const [k, v] of r.revealed) revealed.set(k, v);
  return { outputs: revealed, meter, perNode };
}
