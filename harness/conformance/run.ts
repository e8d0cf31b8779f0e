/**
 * Running one conformance case on a backend: share the inputs at zero cost (secret operands by their
 * owner with `shareInput`, public operands held in the clear by every party), call `backend.run` for
 * the node on every party the backend has (`claims.parties`: P0, P1 and P2, or P0 and P1 alone) over
 * the metered in-memory network, and reconstruct from P0's and P1's shares.
 *
 * Nothing else is metered: input sharing sends no message (a backend with its own sharing meters it
 * in the 'io' phase, and the node's rounds are counted after an inputs-only run's), and the output is
 * reconstructed from the returned shares, not revealed over the network, so the meter reading is the backend's own
 * communication for the node. The outputs' structure is checked here (every party returns the same
 * kind and the node's shape; a helper P2 holds no share; shares are reduced mod 2^ℓ; public outputs
 * agree on all parties); what is wrong is reported in `problems`, never with values. A backend with its
 * own `sharing` (cryptflow2-he over Z_p, malicious) shares, checks and reconstructs through it.
 */
import { numel, shapeEquals, showShape } from '../../spec/geometry.js';
import { bug, CryptflowError } from '../../spec/errors.js';
import { Ring } from '../../spec/ring.js';
import { operandsOf } from '../../ir/traverse.js';
import type { Backend, Held } from '../../protocols/common/backend.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { shareInput } from '../../protocols/common/sharing.js';
import { addMod } from '../../semantics/kernels/words.js';
import type { MeterReading } from '../network/meter.js';
import { partiesOf } from '../network/parties.js';
import { runParties } from '../network/run.js';
import type { Case } from './cases.js';

export interface Observation {
  readonly kind: 'secret' | 'public';
  /** The reconstructed output (share sum, or the public value P0 holds). */
  readonly value: BigUint64Array;
  /** P0's and P1's output shares (null for a public output). */
  readonly shares: readonly [BigUint64Array, BigUint64Array] | null;
  readonly meter: MeterReading;
  /** Structural faults of the outputs; empty when well formed. */
  readonly problems: readonly string[];
}

export type Outcome =
  | { readonly status: 'ok'; readonly observation: Observation }
  | { readonly status: 'unsupported'; readonly message: string }
  | { readonly status: 'error'; readonly message: string };

export interface RunCaseOptions {
  /** PRG keys of the run (keysFromSeed). */
  readonly seed: string;
  readonly deliver?: <T>(p: Promise<T>, label: string) => Promise<T>;
}

function program(backend: Backend, c: Case) {
  return async (ctx: PartyContext): Promise<Held> => {
    const held = await shareOperands(backend, c, ctx);
    return backend.run(
      ctx,
      c.node,
      operandsOf(c.node).map((n) => held.get(n) ?? bug(`conformance: no operand '${n}'`)),
    );
  };
}

/** Every party's view of the case's operands (secret ones shared by their owner). */
async function shareOperands(backend: Backend, c: Case, ctx: PartyContext): Promise<Map<string, Held>> {
  const held = new Map<string, Held>();
  for (const o of c.operands) {
    const { shape, data } = o.value;
    if (o.secret && backend.sharing !== undefined) {
      held.set(o.name, await backend.sharing.share(ctx, o.owner, shape, ctx.id === o.owner ? data : undefined));
    } else if (o.secret) {
      const s = shareInput(ctx, o.owner, shape, ctx.id === o.owner ? data : undefined);
      held.set(o.name, { kind: 'secret', shape, share: s.share });
    } else {
      held.set(o.name, { kind: 'public', shape, data: data.slice() });
    }
  }
  return held;
}

function inspect(backend: Backend, c: Case, outs: readonly Held[], meter: MeterReading): Observation {
  const problems: string[] = [];
  const shape = c.node.type.shape;
  const n = numel(shape);
  const ring = Ring(c.ell);
  const kinds = outs.map((h) => h.kind);
  outs.forEach((h, p) => {
    if (!shapeEquals(h.shape, shape))
      problems.push(`P${p} returned shape ${showShape(h.shape)}, the node's is ${showShape(shape)}`);
  });
  if (kinds.some((k) => k !== kinds[0])) {
    problems.push(`parties disagree on the output's kind (${kinds.join(', ')})`);
    return { kind: 'secret', value: new BigUint64Array(n), shares: null, meter, problems };
  }
  const [h0, h1, ...helpers] = outs;
  if (h0 === undefined || h1 === undefined) return bug('a conformance run has P0 and P1');
  if (outs.every((h) => h.kind === 'public')) {
    const data = (h: Held): BigUint64Array => (h.kind === 'public' ? h.data : bug('public'));
    const d0 = data(h0);
    if (d0.length !== n) problems.push(`public output has ${d0.length} entries, the shape needs ${n}`);
    if (outs.slice(1).some((h) => data(h).length !== d0.length || data(h).some((v, i) => v !== d0[i])))
      problems.push('the parties hold different public outputs');
    if (d0.some((v) => !ring.isElement(v))) problems.push(`public output has entries not reduced mod 2^${c.ell}`);
    return { kind: 'public', value: d0, shares: null, meter, problems };
  }
  if (h0.kind !== 'secret' || h1.kind !== 'secret')
    return { kind: 'secret', value: new BigUint64Array(n), shares: null, meter, problems };
  if (backend.sharing !== undefined) {
    // its own sharing: every party holds a view; the backend says what they stand for
    if (outs.some((h) => h.kind !== 'secret')) problems.push('a party holds no share of a secret output');
    if (problems.length > 0) return { kind: 'secret', value: new BigUint64Array(n), shares: null, meter, problems };
    const { value, shares, problems: own } = backend.sharing.reconstruct(c.ell, outs);
    if (own.length > 0)
      return { kind: 'secret', value: new BigUint64Array(n), shares: null, meter, problems: [...own] };
    return { kind: 'secret', value, shares, meter, problems };
  }
  for (const h of helpers)
    if (h.kind === 'secret' && h.share.length !== 0)
      problems.push(`the helper P2 holds a share of ${h.share.length} entries (it must hold none)`);
  for (const [p, h] of [
    [0, h0],
    [1, h1],
  ] as const) {
    if (h.share.length !== n) problems.push(`P${p} holds a share of ${h.share.length} entries, the shape needs ${n}`);
    if (h.share.some((v) => !ring.isElement(v))) problems.push(`P${p}'s share has entries not reduced mod 2^${c.ell}`);
  }
  if (problems.length > 0) return { kind: 'secret', value: new BigUint64Array(n), shares: null, meter, problems };
  return {
    kind: 'secret',
    value: addMod(Ring(c.ell), h0.share, h1.share),
    shares: [h0.share, h1.share],
    meter,
    problems,
  };
}

/** Run one case; a CryptflowError('unsupported') from any party is reported as such, not as a failure. */
export async function runCase(backend: Backend, c: Case, options: RunCaseOptions): Promise<Outcome> {
  const prog = program(backend, c);
  try {
    const { outputs, meter } = await runParties(
      partiesOf(backend.claims.parties).map(() => prog),
      { ell: c.ell, seed: options.seed, ...(options.deliver === undefined ? {} : { deliver: options.deliver }) },
    );
    if (backend.sharing === undefined) return { status: 'ok', observation: inspect(backend, c, outputs, meter) };
    // A backend whose input sharing talks: the node's rounds are those after an inputs-only run's.
    const base = await runParties(
      partiesOf(backend.claims.parties).map(() => async (ctx: PartyContext) => shareOperands(backend, c, ctx)),
      { ell: c.ell, seed: options.seed },
    );
    const own = { ...meter, rounds: meter.rounds - base.meter.rounds };
    return { status: 'ok', observation: inspect(backend, c, outputs, own) };
  } catch (e) {
    if (e instanceof CryptflowError && e.code === 'unsupported') return { status: 'unsupported', message: e.message };
    return { status: 'error', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}
