/**
 * The client (P0, the data owner) as a party of one session: it receives the public program from the
 * server, compiles it and checks it (setup.ts), then runs one request per input — read and encode its
 * own input (it never sees the weights), announce the request to the server and the helper, walk the
 * program (walk.ts), decode the outputs revealed to it, and collect the other parties' counts so that
 * each result carries the run's whole communication, link by link, as the in-memory runner meters it.
 *
 * A result is reported only once its request is complete (outputs decoded and every party's counts
 * in); a failure anywhere stops the session and no partial result is reported for that request.
 *
 * The client decides what it takes part in: it refuses a backend not in `accept` (default: the secure
 * backends, harness/runner/backends.ts) before it sends anything but its hello, and it fits and
 * encodes every input against the program before request 1, so a bad second file fails before the
 * first request starts. Its errors stay here: the other parties learn the step and the error class
 * only (network/tcp/abort.ts), and no step names a file.
 */
import { CryptflowError } from '../../spec/errors.js';
import type { Classified } from '../network/tcp/abort.js';
import { LINKS, totalBytes, zeroLinks, type LinkBytes } from '../../spec/cost/types.js';
import type { Shape } from '../../spec/geometry.js';
import type { HProgram } from '../../ir/hlil.js';
import type { Owner } from '../../ir/common.js';
import type { LNode } from '../../ir/llil.js';
import { decodeOutputs, valueType } from '../../semantics/decode.js';
import { encodeInputs } from '../../passes/float-to-fixed/program.js';
import { computeRounds, type MeterReading } from '../network/meter.js';
import { BACKEND_INFO, partiesOfBackend, SECURE_BACKENDS, type BackendName } from '../runner/backends.js';
import type { Progress } from '../runner/inference.js';
import { Session, type SessionOptions } from './session.js';
import { checkClientOutputs, receiveSetup, type CompiledProgram } from './setup.js';
import { decodeStats, type RequestStats } from './stats.js';
import { addRows, encodeRequest, summarize, walkRequest, type PartyHooks, type PartySummary } from './walk.js';

export interface ClientRequest {
  /** What the input is called in reports (its file name). */
  readonly label: string;
  /** Read the client's inputs once the public program is known (its input shapes). */
  readonly read: (hlil: HProgram) => ReadonlyMap<string, Float32Array>;
}

export interface ClientOutput {
  readonly name: string;
  readonly to: Owner;
  readonly shape: Shape;
  readonly post?: string;
  readonly secure: Float64Array;
}

export interface ClientResult {
  readonly request: number;
  readonly input: string;
  readonly outputs: readonly ClientOutput[];
  /** The revealed outputs as ring elements. */
  readonly revealed: ReadonlyMap<string, BigUint64Array>;
  /** The whole run's meter: every party's sent bytes per link and phase, messages, rounds. */
  readonly meter: MeterReading;
  /** Rounds when the last party finished the last node (as `cryptflow run` reports them). */
  readonly rounds: number;
  readonly perNode: readonly LinkBytes[];
  readonly seconds: number;
}

export interface ClientOptions extends SessionOptions {
  readonly requests: readonly ClientRequest[];
  /** The backends this client takes part in (default: the secure ones). */
  readonly accept?: readonly BackendName[];
  readonly hooks?: PartyHooks;
  readonly onProgram?: (p: CompiledProgram) => void;
  readonly onResult?: (r: ClientResult) => void;
  readonly onProgress?: (p: Progress) => void;
}

export interface ClientOutcome {
  readonly program: CompiledProgram;
  readonly results: readonly ClientResult[];
  readonly summary: PartySummary;
}

/** The client refuses the server's backend. */
export class RefusedBackend extends CryptflowError implements Classified {
  readonly abortClass = 'backend-refused';
}

/** Refuse a backend the client did not accept, naming it. */
export function checkAccepted(backend: BackendName, accept: readonly BackendName[]): void {
  if (accept.includes(backend)) return;
  const what = BACKEND_INFO[backend].secure ? 'a secure backend' : 'NOT SECURE: a trusted party sees the data';
  throw new RefusedBackend(
    'protocol',
    `the server runs the backend '${backend}' (${what}), which this client does not accept (it accepts ${accept.join(', ')}); nothing of the input was sent. To take part anyway, add it to --accept`,
  );
}

/** Fit and encode one input, its errors naming the input file (they stay on this machine). */
function fitRequest(req: ClientRequest, prog: CompiledProgram): Map<string, BigUint64Array> {
  try {
    return encodeInputs(prog.plan, req.read(prog.hlil), 'client');
  } catch (e) {
    if (e instanceof CryptflowError && !e.message.startsWith(req.label))
      throw new CryptflowError(e.code, `${req.label}: ${e.message}`);
    throw e;
  }
}

function combine(parts: readonly RequestStats[]): { meter: MeterReading; rounds: number; perNode: LinkBytes[] } {
  const sum = (pick: (m: MeterReading) => LinkBytes): LinkBytes => {
    const out = zeroLinks();
    for (const p of parts) for (const l of LINKS) out[l] += pick(p.meter)[l];
    return out;
  };
  const meter: MeterReading = {
    links: sum((m) => m.links),
    io: sum((m) => m.io),
    messages: sum((m) => m.messages),
    rounds: Math.max(...parts.map((p) => p.meter.rounds)),
  };
  const perNode = parts.slice(1).reduce((acc, p) => addRows(acc, p.perNode), [...(parts[0]?.perNode ?? [])]);
  return {
    meter,
    rounds: computeRounds(
      parts.map((p) => p.roundsAtStart),
      parts.map((p) => p.roundsAtEnd),
      parts.flatMap((p) => p.setupStamps),
    ),
    perNode,
  };
}

function progressOf(
  session: Session,
  total: number,
  t0: number,
  f: (p: Progress) => void,
): (p: { index: number; node: LNode }) => void {
  return ({ index, node }) =>
    f({
      index,
      total,
      node,
      bytes: totalBytes(session.endpoint.sent.reading().links),
      elapsed: (performance.now() - t0) / 1000,
    });
}

export async function runClient(o: ClientOptions): Promise<ClientOutcome> {
  const t0 = performance.now();
  const session = await Session.open(o);
  return session.guard(async () => {
    const prog = await receiveSetup(session);
    session.step = "checking the server's backend against the client's --accept";
    checkAccepted(prog.backend, o.accept ?? SECURE_BACKENDS);
    session.checkParties(prog.backend, partiesOfBackend(prog.backend));
    checkClientOutputs(prog.plan.program);
    o.onProgram?.(prog);
    const p = prog.plan.program;
    session.step = "checking the client's inputs against the program";
    const encoded = o.requests.map((req) => fitRequest(req, prog));
    const results: ClientResult[] = [];
    for (const [i, req] of o.requests.entries()) {
      const n = i + 1;
      const client = encoded[i] ?? new Map<string, BigUint64Array>();
      const t1 = performance.now();
      for (const peer of session.peers()) session.channel(peer).write('request', encodeRequest(n));
      const progress = o.onProgress === undefined ? undefined : progressOf(session, p.nodes.length, t1, o.onProgress);
      const mine = await walkRequest(session, prog, n, { client }, o.hooks, progress);
      session.step = `request ${n}, waiting for the statistics`;
      const theirs = await Promise.all(
        session
          .peers()
          .map(async (peer) =>
            decodeStats(
              (await session.channel(peer).next(['stats'], `the statistics of P${peer}`)).payload,
              peer,
              n,
              p.nodes.length,
            ),
          ),
      );
      const secure = decodeOutputs(p, mine.revealed);
      const outputs = p.outputs.map((out): ClientOutput => {
        const values = secure.get(out.name);
        if (values === undefined)
          throw new CryptflowError('protocol', `output '${out.name}' was not revealed to the client`);
        return {
          name: out.name,
          to: out.to,
          shape: valueType(p, out.name).shape,
          ...(out.post === undefined ? {} : { post: out.post.op }),
          secure: values,
        };
      });
      const all = combine([mine.stats, ...theirs]);
      const result: ClientResult = {
        request: n,
        input: req.label,
        outputs,
        revealed: mine.revealed,
        ...all,
        seconds: (performance.now() - t1) / 1000,
      };
      results.push(result);
      o.onResult?.(result);
    }
    const counts = await session.finish();
    return {
      program: prog,
      results,
      summary: summarize(session, counts, results.length, (performance.now() - t0) / 1000),
    };
  });
}
