/**
 * Simulation-based security tests of the malicious backend's semi-honest part (protocols/malicious3/,
 * proofs-notes/malicious3.md "Privacy"): for a corrupted party c that follows the protocol, its view
 * in real runs is compared with the view a simulator produces from c's input, c's keys and what the
 * functionality gives c — on two input sets A and B that differ in the honest parties' inputs only.
 *
 * The simulator runs c's own code (a `Session` on c's keys, c's input) against simulated peers, one
 * rule per message kind (the labels of session.ts `M3_MESSAGES`), written from the notes' sketch:
 *   - product share (from c + 1, after c sent its own to c − 1): uniform in Z_{2^m} (masked by the
 *     zero-sharing component of the two honest parties' PRG);
 *   - opening (from c − 1, after c sent its component to c + 1): uniform (the opened values are
 *     masked by a random r, its s high bits by 2^k·r′);
 *   - input component (from the owner): uniform (masked by the honest pair's PRG component);
 *   - check digest and coin (from both peers, after c sent its own): c's own digest, and one uniform
 *     16-byte coin component, the same from both;
 *   - check opening (from both): −(what c sent), since z·t = 0 in an honest run;
 *   - output component (from both, when c is the receiver): y − (c's two components) mod 2^k, the
 *     functionality's y, with uniform s high bits (the reveal masks them), the same from both.
 * No rule sees an honest party's input or keys.
 *
 * A view is a vector of coordinates: each received Z_{2^m} element; for each 48-byte check message,
 * whether its digest equals the one c sent (mod 2) and its coin's first four bytes (two coordinates
 * mod 2^16 — the rest of the digest and coin are not examined); and, derived from those, every value
 * c obtains from an opening or a reveal (what c computes from its view and keys; a leak that spreads
 * over several uniform components shows there). Samples are compared by the chi-square family of
 * stats.ts (per coordinate, per pair: joint high quarters, difference and sum), Bonferroni at α:
 * input independence (A vs B) and simulation (A vs simulated, B vs simulated).
 */
import { bug } from '../../spec/errors.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { keysFromSeed, Prg, type PartyKeys } from '../../protocols/common/prg.js';
import { runParties } from '../network/run.js';
import { decode, encode, liftSigned } from '../../protocols/malicious3/convert.js';
import { add, fromBigints, neg, sub, toBigints, type Z128 } from '../../protocols/malicious3/ring.js';
import { drawZ, m3Params, next, prev, type Auth, type M3Params } from '../../protocols/malicious3/rss.js';
import { M3_MESSAGES, Session } from '../../protocols/malicious3/session.js';
import { compareSamples, describeFinding, rejects } from './stats.js';
import { labelPrg } from './check.js';
import { localContext, viewKeys, yieldEventLoop } from './view.js';
import { checkSecurityRing } from './typed.js';

export type M3Which = 'A' | 'B';

export interface M3Input {
  readonly owner: PartyId;
  /** Values in Z_{2^k} on input sets A and B (an input the corrupted party owns uses A's in both). */
  readonly A: readonly bigint[];
  readonly B: readonly bigint[];
}

/** The honest parties' sessions (a planted leak swaps in a broken one). */
export type SessionFactory = (ctx: PartyContext, params: M3Params, corrupted: PartyId) => Session;

export interface M3Case {
  readonly name: string;
  readonly k: number;
  readonly s: number;
  readonly inputs: readonly M3Input[];
  /** The protocol on the shared inputs; reveals go through `st.revealTo`. */
  body(st: Session, xs: readonly Auth[]): Promise<void>;
  /** What each reveal gives its receiver (mod 2^k), in order, as a function of the input values. */
  readonly reveals?: readonly { readonly to: PartyId; value(v: readonly (readonly bigint[])[]): bigint[] }[];
  readonly honestSession?: SessionFactory;
}

export interface M3Verdict {
  readonly claim: 'structure' | 'input-independence' | 'simulation';
  readonly ok: boolean;
  readonly detail: string;
}

interface Coordinates {
  readonly values: number[];
  readonly moduli: number[];
  readonly names: string[];
}

/** Records c's view as coordinates: what it receives, and what it obtains from openings and reveals. */
class ViewRecorder {
  private readonly perSender: Record<PartyId, Coordinates> = { 0: blank(), 1: blank(), 2: blank() };
  private readonly derived: Coordinates = blank();
  private readonly lastSent = new Map<PartyId, Uint8Array>();
  private readonly counts = new Map<string, number>();

  constructor(readonly m: number) {}

  sent(to: PartyId, bytes: Uint8Array): void {
    this.lastSent.set(to, bytes.slice());
  }

  lastTo(to: PartyId): Uint8Array {
    return this.lastSent.get(to) ?? bug(`a reply before anything was sent to P${to}`);
  }

  received(from: PartyId, what: string, bytes: Uint8Array): void {
    const t = this.perSender[from];
    const key = `${from}|${what}`;
    const idx = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, idx);
    const name = `P${from}'s ${what} ${idx}`;
    if (what === M3_MESSAGES.digest) {
      const own = this.lastTo(from);
      const same = bytes.length === 48 && own.length === 48 && bytes.subarray(0, 32).every((b, i) => b === own[i]);
      push(t, same ? 1 : 0, 2, `${name}: digest = own`);
      push(t, (bytes[32] ?? 0) | ((bytes[33] ?? 0) << 8), 65536, `${name}: coin bytes 1-2`);
      push(t, (bytes[34] ?? 0) | ((bytes[35] ?? 0) << 8), 65536, `${name}: coin bytes 3-4`);
      return;
    }
    const v = toBigints(decode(this.m, bytes, bytes.length / Math.ceil(this.m / 8), what));
    v.forEach((e, i) => push(t, Number(e), 2 ** this.m, `${name}, element ${i + 1}`));
  }

  obtained(what: string, v: Z128): void {
    toBigints(v).forEach((e, i) => push(this.derived, Number(e), 2 ** this.m, `${what}, element ${i + 1}`));
  }

  coordinates(): Coordinates {
    const out = blank();
    for (const c of [this.perSender[0], this.perSender[1], this.perSender[2], this.derived]) {
      out.values.push(...c.values);
      out.moduli.push(...c.moduli);
      out.names.push(...c.names);
    }
    return out;
  }
}

function blank(): Coordinates {
  return { values: [], moduli: [], names: [] };
}

function push(c: Coordinates, v: number, modulus: number, name: string): void {
  c.values.push(v);
  c.moduli.push(modulus);
  c.names.push(name);
}

/** c's session: the honest code, with every opened and revealed value noted (`beforeReveal` for the simulator). */
class Observed extends Session {
  constructor(
    ctx: PartyContext,
    params: M3Params,
    private readonly rec: ViewRecorder,
    private readonly beforeReveal?: (x: Auth) => void,
  ) {
    super(ctx, params);
  }

  override async openChecked(xs: readonly Auth[]): Promise<Z128[]> {
    const ys = await super.openChecked(xs);
    ys.forEach((y) => this.rec.obtained('opened value', y));
    return ys;
  }

  override async revealTo(x: Auth, to: PartyId): Promise<Z128 | null> {
    if (to === this.id) this.beforeReveal?.(x);
    const y = await super.revealTo(x, to);
    if (y !== null) this.rec.obtained('revealed value', y);
    return y;
  }
}

function valuesOf(kase: M3Case, which: M3Which, c: PartyId): bigint[][] {
  return kase.inputs.map((i) => [...(i.owner === c ? i.A : i[which])]);
}

async function runOn(kase: M3Case, st: Session, values: readonly (readonly bigint[])[]): Promise<void> {
  const xs: Auth[] = [];
  for (const [j, inp] of kase.inputs.entries()) {
    const v = values[j] ?? bug('input');
    const mine = st.id === inp.owner ? liftSigned(kase.k, st.m, BigUint64Array.from(v)) : undefined;
    xs.push(await st.input(inp.owner, v.length, mine));
  }
  await kase.body(st, xs);
  await st.verify();
}

/** One real view of c on input set `which` (c's keys from `fixedSeed`, the honest keys from `honestSeed`). */
export async function realM3View(
  kase: M3Case,
  c: PartyId,
  which: M3Which,
  fixedSeed: string,
  honestSeed: string,
): Promise<Coordinates> {
  const params = m3Params(kase.k, kase.s);
  const rec = new ViewRecorder(params.m);
  const values = valuesOf(kase, which, c);
  const program = async (ctx: PartyContext): Promise<void> => {
    if (ctx.id !== c) return runOn(kase, (kase.honestSession ?? ((x, p) => new Session(x, p)))(ctx, params, c), values);
    const watched: PartyContext = {
      id: ctx.id,
      ell: ctx.ell,
      own: ctx.own,
      shared: (other) => ctx.shared(other),
      inPhase: (phase, f) => ctx.inPhase(phase, f),
      send: (to, bytes) => {
        rec.sent(to, bytes);
        ctx.send(to, bytes);
      },
      recv: async (from, what) => {
        const bytes = await ctx.recv(from, what);
        rec.received(from, what ?? '?', bytes);
        return bytes;
      },
    };
    return runOn(kase, new Observed(watched, params, rec), values);
  };
  await runParties([program, program, program], { ell: kase.k, keys: viewKeys(c, fixedSeed, honestSeed) });
  return rec.coordinates();
}

/** One simulated view of c: c's code on its keys and input, every message from the rules above. */
export async function simulateM3View(
  kase: M3Case,
  c: PartyId,
  keys: PartyKeys,
  rng: Prg,
  change?: SimulatorChange,
): Promise<Coordinates> {
  const params = m3Params(kase.k, kase.s);
  const { k, m } = params;
  const E = Math.ceil(m / 8);
  const rec = new ViewRecorder(m);
  const values = valuesOf(kase, 'A', c);
  const inputSizes = kase.inputs.filter((i) => i.owner !== c).map((i) => i.A.length);
  // what the functionality tells c: the values revealed to it (the same on A and B, checked by the caller)
  const outputs = (kase.reveals ?? []).filter((r) => r.to === c).map((r) => r.value(values));
  let outputLow: Z128 | null = null;
  let coin: Uint8Array | null = null;
  let reply: Uint8Array | null = null;
  const uniform = (n: number): Uint8Array => encode(m, drawZ(rng, m, n));
  const answer = (from: PartyId, what: string): Uint8Array => {
    switch (what) {
      case M3_MESSAGES.product:
        return uniform(rec.lastTo(prev(c)).length / E);
      case M3_MESSAGES.opening:
        return uniform(rec.lastTo(next(c)).length / E);
      case M3_MESSAGES.input:
        return uniform(inputSizes.shift() ?? bug('an unexpected input'));
      case M3_MESSAGES.digest: {
        const msg = new Uint8Array(48);
        msg.set(rec.lastTo(from).subarray(0, 32));
        if (coin === null) {
          coin = rng.bytes(16);
          msg.set(coin, 32);
        } else {
          msg.set(coin, 32);
          coin = null;
        }
        return msg;
      }
      case M3_MESSAGES.check: {
        const a = decode(m, rec.lastTo(next(c)), 1, what);
        const b = decode(m, rec.lastTo(prev(c)), 1, what);
        return encode(m, neg(m, add(m, a, b)));
      }
      case M3_MESSAGES.output: {
        if (reply === null) {
          const low = outputLow ?? bug('an output without a reveal');
          const high = toBigints(drawZ(rng, m - k, low.n));
          reply = encode(
            m,
            fromBigints(
              m,
              toBigints(low).map((v, i) => v + ((high[i] ?? 0n) << BigInt(k))),
            ),
          );
          return reply;
        }
        const r = reply;
        reply = null;
        outputLow = null;
        return r;
      }
      default:
        return bug(`the simulator has no rule for '${what}'`);
    }
  };
  const base = localContext(c, k, keys);
  const ctx: PartyContext = {
    id: c,
    ell: k,
    own: base.own,
    shared: (other) => base.shared(other),
    inPhase: (_phase, f) => f(),
    send: (to, bytes) => rec.sent(to, bytes),
    recv: (from, what) => {
      const plain = answer(from, what ?? '?');
      const bytes = change === undefined ? plain : change(what ?? '?', plain, rng);
      rec.received(from, what ?? '?', bytes);
      return Promise.resolve(bytes);
    },
  };
  const beforeReveal = (x: Auth): void => {
    const y = outputs.shift() ?? bug('a reveal the case does not declare');
    // y − (c's two components) mod 2^k; the high bits come from the rule above
    const low = toBigints(sub(m, fromBigints(m, y), add(m, x.x.a, x.x.b)));
    outputLow = fromBigints(
      m,
      low.map((v) => v & ((1n << BigInt(k)) - 1n)),
    );
  };
  await runOn(kase, new Observed(ctx, params, rec, beforeReveal), values);
  return rec.coordinates();
}

/**
 * A change to the simulator's answers (tests that wrong simulators are rejected): sees each simulated
 * message, its kind and a PRG, and returns the message to use.
 */
export type SimulatorChange = (what: string, msg: Uint8Array, rng: Prg) => Uint8Array;

export interface M3CheckOptions {
  readonly samples: number;
  readonly alpha?: number;
  readonly seed?: string;
  /** Replace the simulator's answers (a wrong simulator, in tests); absent, the simulator above. */
  readonly simulatorChange?: SimulatorChange;
}

/** Input independence and simulation of c's view in `kase`. */
export async function checkM3Party(kase: M3Case, c: PartyId, options: M3CheckOptions): Promise<M3Verdict[]> {
  checkSecurityRing(kase.k + kase.s); // coordinates are exact numbers of Z_{2^m}, m ≤ 24
  const n = options.samples;
  const alpha = options.alpha ?? 1e-8;
  const seed = `${options.seed ?? 'security'}|malicious3|${kase.name}|P${c}`;
  const fixedSeed = `${seed}|fixed`;
  const keys = keysFromSeed(fixedSeed)[c];
  for (const r of kase.reveals ?? [])
    if (r.to === c && String(r.value(valuesOf(kase, 'A', c))) !== String(r.value(valuesOf(kase, 'B', c))))
      bug(`${kase.name}: what P${c} is told differs between A and B`);
  const sim: number[][] = [];
  const real: Record<M3Which, number[][]> = { A: [], B: [] };
  const held: { layout?: Coordinates } = {};
  const structure: string[] = [];
  const take = (what: string, v: Coordinates): number[] => {
    const first = (held.layout ??= v);
    if (v.names.length !== first.names.length || v.names.some((x, i) => x !== first.names[i]))
      structure.push(`${what}: ${v.names.length} coordinates, the first view ${first.names.length}`);
    return v.values;
  };
  // c's own code rejecting a simulated view (an abort, which an honest run never has) fails the simulation
  let simAbort: string | null = null;
  for (let i = 0; i < n; i++) {
    if (simAbort === null)
      try {
        const rng = labelPrg(`${seed}|sim|${i}`);
        sim.push(take('simulated', await simulateM3View(kase, c, keys, rng, options.simulatorChange)));
      } catch (e) {
        simAbort = e instanceof Error ? e.message : String(e);
      }
    for (const which of ['A', 'B'] as const)
      real[which].push(take(`real ${which}`, await realM3View(kase, c, which, fixedSeed, `${seed}|${which}|${i}`)));
    if (i % 16 === 15) await yieldEventLoop();
  }
  const lay = held.layout ?? bug('no samples');
  if (structure.length > 0) return [{ claim: 'structure', ok: false, detail: structure.slice(0, 3).join('; ') }];
  const moduli = lay.moduli;
  const describe = (j: number): string => lay.names[j] ?? `coordinate ${j}`;
  const asRows = (rows: number[][]): Int32Array[] => rows.map((r) => Int32Array.from(r));
  const judge = (pairs: [string, number[][], number[][]][]): { ok: boolean; detail: string } => {
    const cs = pairs.map(([w, x, y]) => [w, compareSamples(asRows(x), asRows(y), moduli, describe)] as const);
    const tests = cs.reduce((a, [, r]) => a + r.tests, 0);
    const bad = cs.find(([, r]) => rejects({ tests, worst: r.worst }, alpha));
    const worst = cs.reduce((a, b) => ((b[1].worst?.pValue ?? 1) < (a[1].worst?.pValue ?? 1) ? b : a));
    return {
      ok: bad === undefined,
      detail: `${moduli.length} coordinates, ${tests} tests at α = ${alpha}; worst (${worst[0]}): ${describeFinding(worst[1].worst)}`,
    };
  };
  return [
    { claim: 'input-independence', ...judge([['A vs B', real.A, real.B]]) },
    {
      claim: 'simulation',
      ...(simAbort !== null
        ? { ok: false, detail: `P${c}'s own code aborted on a simulated view: ${simAbort}` }
        : judge([
            ['A vs simulated', real.A, sim],
            ['B vs simulated', real.B, sim],
          ])),
    },
  ];
}
