/**
 * Runtime instrumentation of a program run: every party's view — each message it sends and receives
 * (peer, bytes, phase, the node it is running) and each opening (what it learns: the receive label
 * the protocol gives, and for the final reveals the output's name) — is recorded, and checked as it
 * happens against an allowance (proofs-notes/secrecy.md, "run time"):
 *
 *   - final reveals ('io' phase): only outputs the secrecy analysis allowed (passes/secrecy/llil.ts:
 *     declared, declassified, or public), each only to its declared party, and a 'reveal' message
 *     only inside such a reveal, to that party;
 *   - the computation ('compute' phase): only messages the backend declares, by label, sender and
 *     receiver, each with what it means to the receiver — 'masked' (an opening of a value
 *     one-time-padded by randomness the receiver lacks: Beaver's E, F, ShareConvert's masked shares,
 *     PrivateCompare's masked digits, ComputeMSB's c), 'dealt' (a fresh share from the dealer P2),
 *     'trusted' (the reference backends' trusted party — P2, or P1 in the 2-party `ideal2` and
 *     `plaintext2` — sees the operands: not secure, declared);
 *   - a message without a label, or a 'reveal' during a node, fails.
 * A violation fails the run with a 'security' CryptflowError naming the party, the label, the peer
 * and the node (never a value); the first failure aborts the other parties (harness/network/run.ts).
 * Off by default: `runProgram` wraps nothing unless `observe` is given (harness/runner/program.ts).
 */
import { CryptflowError } from '../../spec/errors.js';
import type { Owner } from '../../ir/common.js';
import type { LProgram } from '../../ir/llil.js';
import type { LlilSecrecy } from '../../passes/secrecy/llil.js';
import type { PartyContext, PartyId, Phase } from '../../protocols/common/party.js';
import { BASE_OT_MESSAGES } from '../../protocols/ot/base.js';
import { EXTENSION_MESSAGES } from '../../protocols/ot/extension.js';
import { M3_MESSAGES } from '../../protocols/malicious3/session.js';
import { partiesOf, type PartyCount } from '../network/parties.js';
import {
  runProgram,
  type NodeProgress,
  type PartyObserver,
  type ProgramInputs,
  type ProgramRun,
  type RunProgramOptions,
  type ViewObserver,
} from './program.js';

/** What a message tells its receiver. */
export type Meaning = 'masked' | 'dealt' | 'trusted';

/** A message a backend may send during the computation. */
export interface MessageKind {
  /** The receive label; `{op}` stands for an LLIL operator's name. */
  readonly what: string;
  readonly from: readonly PartyId[];
  readonly to: readonly PartyId[];
  readonly meaning: Meaning;
  /**
   * Also allowed in the 'io' phase (a backend whose input sharing and checked reveal talk: the
   * malicious 3PC); 'output' marks the message that carries the revealed output to its party.
   */
  readonly io?: 'allowed' | 'output';
}

const HOLDERS: readonly PartyId[] = [0, 1];
const HELPER: readonly PartyId[] = [2];

/** Porthos and SecureNN (protocols/common: beaver.ts, nonlinear/*). */
export const SECURENN_FAMILY_MESSAGES: readonly MessageKind[] = [
  { what: 'Beaver opening of E, F', from: HOLDERS, to: HOLDERS, meaning: 'masked' },
  { what: 'Beaver triple share C1', from: HELPER, to: [1], meaning: 'dealt' },
  { what: 'ShareConvert masked share', from: HOLDERS, to: HELPER, meaning: 'masked' },
  { what: 'ShareConvert bit and δ shares', from: HELPER, to: HOLDERS, meaning: 'dealt' },
  { what: 'ShareConvert η′ shares', from: HELPER, to: HOLDERS, meaning: 'dealt' },
  { what: 'PrivateCompare', from: HOLDERS, to: HELPER, meaning: 'masked' },
  { what: 'ComputeMSB opening of c', from: HOLDERS, to: HOLDERS, meaning: 'masked' },
  { what: 'ComputeMSB bit and LSB shares', from: HELPER, to: HOLDERS, meaning: 'dealt' },
  { what: 'ComputeMSB mask, bit and LSB shares', from: HELPER, to: HOLDERS, meaning: 'dealt' },
  { what: 'ComputeMSB β′ shares', from: HELPER, to: HOLDERS, meaning: 'dealt' },
];

/** The trusted-party reference backends `ideal` and `plaintext` (harness/backends/trusted.ts). */
export const TRUSTED_PARTY_MESSAGES: readonly MessageKind[] = [
  { what: '{op} operand shares for the trusted party', from: HOLDERS, to: HELPER, meaning: 'trusted' },
  { what: '{op} output share from the trusted party', from: HELPER, to: HOLDERS, meaning: 'dealt' },
];

/** Their 2-party flavours `ideal2` and `plaintext2`: P1 is the trusted party, P0 sends it its shares. */
export const TRUSTED_PARTY_2_MESSAGES: readonly MessageKind[] = [
  { what: '{op} operand shares for the trusted party', from: [0], to: [1], meaning: 'trusted' },
  { what: '{op} output share from the trusted party', from: [1], to: [0], meaning: 'dealt' },
];

const PAIR: readonly PartyId[] = [0, 1];

/**
 * CrypTFlow2 (protocols/cryptflow2/, protocols/ot/): between P0 and P1 only, every message masked —
 * the base OTs' group elements (setup phase), the IKNP/KKRT extension matrix (its rows padded by PRG
 * outputs of the base-OT seeds), the OT messages (padded by hashes the receiver lacks for the other
 * choices), the AND gates' openings of e, f (bits masked by a triple) and the vector correlated OT's
 * corrections (masked by PRG-stretched random-OT seeds).
 */
export const CRYPTFLOW2_MESSAGES: readonly MessageKind[] = [
  { what: BASE_OT_MESSAGES.sender, from: PAIR, to: PAIR, meaning: 'masked' },
  { what: BASE_OT_MESSAGES.receiver, from: PAIR, to: PAIR, meaning: 'masked' },
  { what: EXTENSION_MESSAGES.matrix, from: PAIR, to: PAIR, meaning: 'masked' },
  { what: EXTENSION_MESSAGES.masked, from: PAIR, to: PAIR, meaning: 'masked' },
  { what: 'AND opening of e, f', from: PAIR, to: PAIR, meaning: 'masked' },
  { what: 'vector COT corrections', from: PAIR, to: PAIR, meaning: 'masked' },
];

/**
 * CrypTFlow2's HE variant (protocols/cryptflow2-he/): CrypTFlow2's OT messages, and the HE layer's —
 * the client's public key (setup; the server's one-byte acknowledgement carries no data) and its query
 * ciphertexts, semantically secure under RLWE; the
 * server's responses, whose plaintexts are masked by uniform Z_p polynomials; the reveal of an output
 * sends a field share (the 'reveal' kind every backend has).
 */
export const CRYPTFLOW2_HE_MESSAGES: readonly MessageKind[] = [
  ...CRYPTFLOW2_MESSAGES,
  { what: 'HE public key', from: [0], to: [1], meaning: 'masked' },
  { what: 'HE key acknowledgement', from: [1], to: [0], meaning: 'masked' },
  { what: 'HE query ciphertexts', from: [0], to: [1], meaning: 'masked' },
  { what: 'HE response ciphertexts', from: [1], to: [0], meaning: 'masked' },
];

const ALL: readonly PartyId[] = [0, 1, 2];

/**
 * The malicious 3PC (protocols/malicious3/session.ts): replicated product shares (masked by a fresh
 * zero-sharing), openings of masked values (x + r, r uniform), an input's third component (the value
 * minus two PRG components), the check's digest and coin, and the masked check value z·t.
 */
export const MALICIOUS3_MESSAGES: readonly MessageKind[] = [
  ...[M3_MESSAGES.product, M3_MESSAGES.opening, M3_MESSAGES.input, M3_MESSAGES.digest, M3_MESSAGES.check].map(
    (what): MessageKind => ({ what, from: ALL, to: ALL, meaning: 'masked', io: 'allowed' }),
  ),
  { what: M3_MESSAGES.output, from: ALL, to: ALL, meaning: 'masked', io: 'output' },
];

/** Each backend's declared messages, by name (a variant such as `porthos(im2col)` is its family's). */
export const BACKEND_MESSAGES: Readonly<Record<string, readonly MessageKind[]>> = {
  porthos: SECURENN_FAMILY_MESSAGES,
  securenn: SECURENN_FAMILY_MESSAGES,
  ideal: TRUSTED_PARTY_MESSAGES,
  plaintext: TRUSTED_PARTY_MESSAGES,
  ideal2: TRUSTED_PARTY_2_MESSAGES,
  plaintext2: TRUSTED_PARTY_2_MESSAGES,
  cryptflow2: CRYPTFLOW2_MESSAGES,
  'cryptflow2-he': CRYPTFLOW2_HE_MESSAGES,
  malicious: MALICIOUS3_MESSAGES,
};

export function backendMessages(name: string): readonly MessageKind[] {
  const m = BACKEND_MESSAGES[name.replace(/\(.*\)$/, '')];
  if (m === undefined)
    throw new CryptflowError(
      'usage',
      `backend '${name}' declares no messages for the view check (known: ${Object.keys(BACKEND_MESSAGES).join(', ')}); pass them in the allowance`,
    );
  return m;
}

export interface Allowance {
  /** The final reveals allowed: output name → the party it goes to. */
  readonly reveals: readonly { readonly output: string; readonly to: Owner }[];
  /** The messages allowed during the computation. */
  readonly messages: readonly MessageKind[];
}

/** What an accepted analysis allows a run of `backend` to open. A rejected analysis allows nothing. */
export function allowanceOf(analysis: LlilSecrecy, backend: string): Allowance {
  if (analysis.findings.length > 0)
    throw new CryptflowError(
      'security',
      `the program was rejected by the secrecy analysis (${analysis.findings.length} finding(s)); it is not run`,
    );
  return {
    reveals: analysis.outputs.filter((o) => o.status !== 'undeclared').map((o) => ({ output: o.name, to: o.to })),
    messages: backendMessages(backend),
  };
}

export interface ViewEvent {
  readonly dir: 'sent' | 'received';
  readonly peer: PartyId;
  readonly bytes: number;
  readonly phase: Phase;
  /** The node being run (index, name, operator), or null (input sharing, final reveals). */
  readonly node: { readonly index: number; readonly out: string; readonly op: string } | null;
  /** Received messages: the protocol's label. */
  readonly what: string | null;
  /** Received messages: what the receiver learns ('output' for a final reveal). */
  readonly meaning: Meaning | 'output' | null;
  /** Final reveals: the output's name. */
  readonly output: string | null;
}

export interface PartyView {
  readonly party: PartyId;
  readonly events: readonly ViewEvent[];
}

const OWNER_PARTY: Readonly<Record<Owner, PartyId>> = { client: 0, server: 1 };

function matches(k: MessageKind, what: string): boolean {
  if (!k.what.includes('{op}')) return k.what === what;
  const [pre, post] = k.what.split('{op}') as [string, string];
  return (
    what.startsWith(pre) && what.endsWith(post) && /^[A-Za-z]+$/.test(what.slice(pre.length, what.length - post.length))
  );
}

function where(n: ViewEvent['node']): string {
  return n === null ? 'outside any node' : `during node '${n.out}' (${n.op})`;
}

/** Records and checks the views of one run; `observer` goes into runProgram's `observe` option. */
export class ViewRecorder {
  private readonly events: [ViewEvent[], ViewEvent[], ViewEvent[]] = [[], [], []];
  private readonly failures: string[] = [];

  /** `parties`: how many parties the run has (their views are the ones returned). */
  constructor(
    readonly allowance: Allowance,
    readonly parties: PartyCount = 3,
  ) {}

  readonly observer: ViewObserver = (base, nodeOf) => this.party(base, nodeOf);

  views(): readonly PartyView[] {
    return partiesOf(this.parties).map((party) => ({ party, events: this.events[party] }));
  }

  /** Every violation seen (the first one also failed the run). */
  violations(): readonly string[] {
    return this.failures;
  }

  private fail(message: string): never {
    this.failures.push(message);
    throw new CryptflowError('security', message);
  }

  private party(base: PartyContext, nodeOf: () => NodeProgress | null): PartyObserver {
    const me = base.id;
    const log = this.events[me];
    let phase: Phase = 'compute';
    let revealing: { readonly output: string; readonly to: PartyId } | null = null;
    const node = (): ViewEvent['node'] => {
      const n = nodeOf();
      return n === null ? null : { index: n.index, out: n.node.out, op: n.node.op };
    };
    const classify = (
      from: PartyId,
      what: string | undefined,
      at: ViewEvent['node'],
    ): { readonly meaning: ViewEvent['meaning']; readonly output: string | null } => {
      const who = `P${me} received ${what === undefined ? 'an unlabelled message' : `'${what}'`} from P${from} ${where(at)}`;
      if (what === undefined) return this.fail(`${who}: every message must name its protocol step`);
      if (phase === 'io') {
        const io = this.allowance.messages.find((m) => m.io !== undefined && matches(m, what) && m.from.includes(from));
        const output = what === 'reveal' || io?.io === 'output';
        if (output && revealing !== null && revealing.to === me && from !== me)
          return { meaning: 'output', output: revealing.output };
        if (io?.io === 'allowed' && io.to.includes(me)) return { meaning: io.meaning, output: null };
        return this.fail(
          `${who} in the 'io' phase${revealing === null ? '' : ` while output '${revealing.output}' is revealed to P${revealing.to}`}: only declared outputs are revealed, each to its party`,
        );
      }
      const k = this.allowance.messages.find((m) => matches(m, what) && m.from.includes(from) && m.to.includes(me));
      if (k === undefined)
        return this.fail(
          `${who}: the backend declares no such message${what === 'reveal' ? ' (an intermediate value opened)' : ''}`,
        );
      return { meaning: k.meaning, output: null };
    };
    const ctx: PartyContext = {
      ...base,
      send: (to, bytes) => {
        log.push({
          dir: 'sent',
          peer: to,
          bytes: bytes.length,
          phase,
          node: node(),
          what: null,
          meaning: null,
          output: null,
        });
        base.send(to, bytes);
      },
      recv: async (from, what) => {
        const bytes = await base.recv(from, what);
        const at = node();
        const c = classify(from, what, at);
        log.push({
          dir: 'received',
          peer: from,
          bytes: bytes.length,
          phase,
          node: at,
          what: what ?? null,
          meaning: c.meaning,
          output: c.output,
        });
        return bytes;
      },
      inPhase: (p, f) =>
        base.inPhase(p, async () => {
          const before = phase;
          phase = p;
          try {
            return await f();
          } finally {
            phase = before;
          }
        }),
    };
    const revealingOf = async <T>(output: string, to: PartyId, f: () => Promise<T>): Promise<T> => {
      const ok = this.allowance.reveals.some((r) => r.output === output && OWNER_PARTY[r.to] === to);
      if (!ok) this.fail(`P${me}: output '${output}' is revealed to P${to}, which the secrecy analysis did not allow`);
      revealing = { output, to };
      try {
        return await f();
      } finally {
        revealing = null;
      }
    };
    return { ctx, revealing: revealingOf };
  }
}

/** Per party: how many messages and bytes it received, by label (and 'output' reveals by output). */
export function viewSummary(
  v: PartyView,
): ReadonlyMap<string, { readonly messages: number; readonly bytes: number; readonly meaning: ViewEvent['meaning'] }> {
  const out = new Map<string, { messages: number; bytes: number; meaning: ViewEvent['meaning'] }>();
  for (const e of v.events) {
    if (e.dir !== 'received') continue;
    const key =
      e.output !== null
        ? `reveal of ${e.output}`
        : (e.what ?? '(unlabelled)').replace(/^[A-Za-z]+ (operand shares for|output share from) /, '{op} $1 ');
    const row = out.get(key) ?? { messages: 0, bytes: 0, meaning: e.meaning };
    row.messages++;
    row.bytes += e.bytes;
    out.set(key, row);
  }
  return out;
}

export interface ObservedRun {
  readonly run: ProgramRun;
  readonly views: readonly PartyView[];
}

/** `runProgram` with every party's view recorded and checked against `allowance`. */
export async function runObserved(
  p: LProgram,
  inputs: ProgramInputs,
  options: RunProgramOptions,
  allowance: Allowance,
): Promise<ObservedRun> {
  const recorder = new ViewRecorder(allowance, options.backend.claims.parties);
  const run = await runProgram(p, inputs, { ...options, observe: recorder.observer });
  return { run, views: recorder.views() };
}
