/**
 * The malicious backend's simulation tests (malicious3.ts), part one: the cases' shape, and a
 * corrupted party's view as coordinates — every received Z_{2^m} element; per 48-byte check message
 * whether its digest equals the one the party sent (mod 2) and its coin's first four bytes (two
 * coordinates mod 2^16); and every value the party obtains from an opening or a reveal — recorded
 * from the party's own honest code (`Observed`), in real runs (`realM3View`) and in simulated ones
 * (malicious3-sim.ts).
 */
import { bug } from '../../spec/errors.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { runParties } from '../network/run.js';
import { decode, liftSigned } from '../../protocols/malicious3/convert.js';
import { toBigints, type Z128 } from '../../protocols/malicious3/ring.js';
import { m3Params, type Auth, type M3Params } from '../../protocols/malicious3/rss.js';
import { M3_MESSAGES, Session } from '../../protocols/malicious3/session.js';
import { viewKeys } from './view.js';

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

export interface Coordinates {
  readonly values: number[];
  readonly moduli: number[];
  readonly names: string[];
}

/** Records c's view as coordinates: what it receives, and what it obtains from openings and reveals. */
export class ViewRecorder {
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
export class Observed extends Session {
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

export function valuesOf(kase: M3Case, which: M3Which, c: PartyId): bigint[][] {
  return kase.inputs.map((i) => [...(i.owner === c ? i.A : i[which])]);
}

export async function runOn(kase: M3Case, st: Session, values: readonly (readonly bigint[])[]): Promise<void> {
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
