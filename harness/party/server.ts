/**
 * The server (P1, the model owner) and the helper (P2) as long-lived parties of one session.
 *
 * Server: compiles the model and encodes its weights ONCE, before connecting; opens the session; sends
 * the public program (setup.ts) to the client and the helper; then serves requests until the client's
 * bye — each request the same party walk (walk.ts) on its encoded weights, followed by its counts for
 * the client (stats.ts). The weights never leave this party except as shares.
 *
 * Helper: receives the public program from the server, compiles it and checks the digest, then walks
 * each request with no inputs at all.
 */
import { CryptflowError } from '../../spec/errors.js';
import type { PartyId } from '../../protocols/common/party.js';
import { encodeInputs } from '../../passes/float-to-fixed/program.js';
import { backendOf, type ServerModel } from '../runner/inference.js';
import type { PartyInputs } from '../runner/program.js';
import { Session, type SessionOptions } from './session.js';
import type { TcpConfig } from '../network/tcp/config.js';
import { compileProgram, encodeSetup, receiveSetup, type CompiledProgram, type PublicProgram } from './setup.js';
import { encodeStats } from './stats.js';
import { checkRequest, summarize, walkRequest, type PartyHooks, type PartySummary } from './walk.js';

export interface ServeOptions extends SessionOptions {
  /** The server and the helper run from a whole parties.json (they listen; the page only dials). */
  readonly config: TcpConfig;
  readonly hooks?: PartyHooks;
  /** Called after each request this party served (its number and seconds). */
  readonly onRequest?: (request: number, seconds: number) => void;
}

/** The server's options: the public program's parameters (PublicProgram), the model itself and its name. */
export interface ServerOptions extends ServeOptions, Omit<PublicProgram, 'model' | 'hlil'> {
  readonly model: ServerModel;
  /** The model's name as shown to the client (a file name, not a path). */
  readonly name: string;
}

/** Serve requests from P0 until its bye; the party's own inputs are `inputs`. */
async function serve(session: Session, prog: CompiledProgram, inputs: PartyInputs, o: ServeOptions): Promise<number> {
  let served = 0;
  for (;;) {
    session.step = `waiting for request ${served + 1} from P0`;
    const f = await session.channel(0).next(['request', 'bye'], 'a request or the bye of P0');
    if (f.type === 'bye') return served;
    checkRequest(f.payload, served + 1);
    const t0 = performance.now();
    const { stats } = await walkRequest(session, prog, served + 1, inputs, o.hooks);
    served++;
    session.step = `request ${served}, sending the statistics`;
    session.channel(0).write('stats', encodeStats(stats));
    o.onRequest?.(served, (performance.now() - t0) / 1000);
  }
}

export async function runServer(o: ServerOptions): Promise<PartySummary> {
  const parties = backendOf(o.backend, o.convPolicy).claims.parties;
  if (parties !== o.config.parties)
    throw new CryptflowError(
      'usage',
      `the ${o.backend} backend runs ${parties} parties, but ${o.config.source} lists ${o.config.parties}: ${parties === 2 ? 'list only P0 and P1 (no helper)' : 'add the helper P2'}`,
    );
  const prog = compileProgram({
    model: o.name,
    backend: o.backend,
    ...(o.convPolicy === undefined ? {} : { convPolicy: o.convPolicy }),
    ell: o.ell,
    scale: o.scale,
    placement: o.placement,
    layout: o.layout,
    hlil: o.model.program,
  });
  const weights = encodeInputs(prog.plan, o.model.weights, 'server');
  const t0 = performance.now();
  const session = await Session.open(o);
  session.backend = o.backend;
  return session.guard(async () => {
    session.step = 'sending the public program';
    const setup = encodeSetup(prog);
    for (const p of session.peers()) session.channel(p).write('setup', setup);
    const served = await serve(session, prog, { server: weights }, o);
    const counts = await session.finish([0]);
    return summarize(session, counts, served, (performance.now() - t0) / 1000);
  });
}

export async function runHelper(o: ServeOptions): Promise<PartySummary> {
  const t0 = performance.now();
  const session = await Session.open(o);
  return session.guard(async () => {
    const prog = await receiveSetup(session);
    session.backend = prog.backend;
    const served = await serve(session, prog, {}, o);
    const counts = await session.finish([0 as PartyId]);
    return summarize(session, counts, served, (performance.now() - t0) / 1000);
  });
}
