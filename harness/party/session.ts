/**
 * A party's session: the three authenticated connections, the pairwise keys agreed over them, and one
 * rule for failure — the first failure anywhere stops the session everywhere.
 *
 *   open:   connect (harness/network/tcp/connect.ts) → one hello each way per peer (X25519 key
 *           agreement, harness/network/tcp/keys.ts) → PRG keys, set up once for the whole session.
 *           A WebSocket link is sealed right after its hellos and then authenticated (binding.ts).
 *   use:    `context()` is the party program's PartyContext, built once so that the PRG streams run on
 *           across requests (a fresh context per request would replay the same masks).
 *   finish: every party sends a bye on each connection and waits for its peers' byes before closing,
 *           so a connection that closes before its bye is always a failure.
 *   fail:   the first error (a peer gone, a stall, a malformed or out-of-order frame, a local error)
 *           is recorded with where this party was (`step`: request, node, operator); an abort frame
 *           with the step and the error's class (never its message, which may describe this
 *           party's local data: network/tcp/abort.ts) goes to every peer still connected and every
 *           connection is closed. Steps are public: they never name a file or a value.
 *           Every later error is a consequence and is dropped in favour of the first.
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import { partyContext } from '../../protocols/common/context.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import type { PartyKeys } from '../../protocols/common/prg.js';
import { abortClassOf, PeerAborted } from '../network/tcp/abort.js';
import { Channel, type ChannelCounts, type Tamper } from '../network/tcp/channel.js';
import type { TcpConfig } from '../network/tcp/config.js';
import { connectParties, type Connected } from '../network/tcp/connect.js';
import { sealedLink, type SealedLink } from '../network/tcp/ws-seal.js';
import { bindingOf, protectLink } from './binding.js';
import { keysAmong } from '../network/parties.js';
import { TcpEndpoint } from '../network/tcp/endpoint.js';
import {
  checkModes,
  decodeHello,
  encodeHello,
  ephemeral,
  pairKey,
  partyKeys,
  type KeyMode,
} from '../network/tcp/keys.js';

export const ROLES = ['client', 'server', 'helper'] as const;
export type Role = (typeof ROLES)[number];

export function roleOf(id: PartyId): Role {
  return ROLES[id];
}

export function partyLabel(id: PartyId): string {
  return `P${id} (${roleOf(id)})`;
}

/** Options of a party that connects from a whole parties.json (every Node party). */
export type TcpSessionOptions = SessionOptions & { readonly config: TcpConfig };

/** The part of parties.json a session uses once connected (a page has no certificate files). */
export type SessionConfig = Pick<TcpConfig, 'me' | 'parties' | 'timeouts' | 'maxFrameBytes'>;

export interface SessionOptions {
  readonly config: SessionConfig;
  /**
   * How the connections are made: over TCP and TLS from a full parties.json (the default, which
   * needs `config` to be a whole TcpConfig), or the page's WebSockets (harness/web/).
   */
  readonly connect?: (log: (line: string) => void) => Promise<Connected>;
  readonly keys: KeyMode;
  /** Where refused connections and other notes go (standard error in the CLI). */
  readonly log?: (line: string) => void;
  /** How long a closing connection may take before it is destroyed. */
  readonly closeMs?: number;
  /** Fault injection (tests): rewrite the frames sent to a peer. */
  readonly tamper?: (peer: PartyId) => Tamper | undefined;
}

export class Session {
  /** Where this party is, for error messages: 'connecting', 'request 2, node 5/40 'r3' (Relu)', … */
  step = 'connecting';
  /** The session's backend once the public program is known (named when the client refuses it). */
  backend: string | null = null;
  readonly endpoint: TcpEndpoint;
  private failure: Error | null = null;
  private ctx: PartyContext | null = null;
  private readonly closeMs: number;

  private constructor(
    readonly me: PartyId,
    private readonly channels: ReadonlyMap<PartyId, Channel>,
    closeMs: number,
  ) {
    this.endpoint = new TcpEndpoint(me, channels);
    this.closeMs = closeMs;
  }

  private keysValue: PartyKeys | null = null;

  /** The other parties of this deployment (P1 and P2 for the client; P1 alone in a 2-party one). */
  peers(): readonly PartyId[] {
    return [...this.channels.keys()].sort((a, b) => a - b);
  }

  /** A 2-party backend needs a 2-party deployment and a 3-party one a helper: a clear error otherwise. */
  checkParties(backend: string, parties: 2 | 3): void {
    const have = this.channels.size + 1;
    if (have === parties) return;
    throw new CryptflowError(
      'usage',
      `the ${backend} backend runs ${parties} parties, but this deployment has ${have}: ${parties === 2 ? 'list only P0 and P1 in parties.json (no helper)' : 'add the helper P2 to parties.json'}`,
    );
  }

  /** Connect to both peers and agree on keys, within the configured start timeout. */
  static async open(o: SessionOptions): Promise<Session> {
    const me = o.config.me;
    const log = o.log ?? (() => undefined);
    let connected;
    try {
      connected = await (o.connect ?? ((l) => connectParties(o.config as TcpConfig, l)))(log);
    } catch (e) {
      throw new CryptflowError(
        'protocol',
        `${partyLabel(me)}, connecting: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const channels = new Map<PartyId, Channel>();
    const sealed = new Map<PartyId, SealedLink>();
    let session: Session | null = null;
    const early: CryptflowError[] = [];
    for (const [peer, link] of connected.links) {
      const tamper = o.tamper?.(peer);
      const pipe = link.exporter === null ? sealedLink(link.link, me, peer) : null;
      if (pipe !== null) sealed.set(peer, pipe);
      channels.set(
        peer,
        new Channel({
          me,
          peer,
          link: pipe ?? link.link,
          maxFrameBytes: o.config.maxFrameBytes,
          stallMs: o.config.timeouts.stallMs,
          onFailure: (e) => (session === null ? early.push(e) : session.fail(e)),
          ...(tamper === undefined ? {} : { tamper }),
        }),
      );
    }
    const s = new Session(me, channels, o.closeMs ?? 1000);
    session = s;
    for (const e of early) s.fail(e);
    s.step = 'key agreement (a peer that refused this party’s certificate closes its connection here)';
    try {
      const shared = new Map<PartyId, Uint8Array>();
      const mine = new Map([...channels.keys()].map((p) => [p, ephemeral()] as const));
      const sent = new Map<PartyId, Uint8Array>();
      for (const [peer, ch] of channels) {
        const hello = encodeHello(o.keys, mine.get(peer) ?? bug(`no key share for P${peer}`));
        sent.set(peer, hello);
        ch.write('hello', hello);
      }
      await Promise.all(
        [...channels].map(async ([peer, ch]) => {
          const f = await ch.next(['hello'], `the hello of P${peer}`, o.config.timeouts.connectMs);
          const hello = decodeHello(f.payload, peer);
          const link = connected.links.get(peer);
          const eph = mine.get(peer);
          if (link === undefined || eph === undefined) return bug(`no connection or key share for P${peer}`);
          const ownHello = sent.get(peer) ?? bug('no hello');
          const transcript = protectLink(me, peer, sealed.get(peer), eph, ownHello, { ...hello, bytes: f.payload });
          checkModes(o.keys, hello, peer);
          const binding = await bindingOf(me, peer, ch, link, connected, transcript);
          shared.set(peer, pairKey(me, peer, eph, hello.publicKey, binding));
        }),
      );
      s.keysValue = keysAmong(o.config.parties, me, partyKeys(me, o.keys, shared));
    } catch (e) {
      throw s.fail(e);
    }
    s.step = 'session open';
    return s;
  }

  get keys(): PartyKeys {
    if (this.keysValue === null)
      throw new CryptflowError('protocol', `${partyLabel(this.me)}: the session has no keys yet`);
    return this.keysValue;
  }

  channel(peer: PartyId): Channel {
    const c = this.channels.get(peer);
    if (c === undefined) throw new CryptflowError('protocol', `${partyLabel(this.me)} has no connection to P${peer}`);
    return c;
  }

  /** The one PartyContext of this session (ring width fixed by the first call). */
  context(ell: number): PartyContext {
    this.ctx ??= partyContext(this.me, ell, this.endpoint, this.keys);
    if (this.ctx.ell !== ell)
      throw new CryptflowError(
        'protocol',
        `${partyLabel(this.me)}: the session runs at ℓ = ${this.ctx.ell}, not ${ell}`,
      );
    return this.ctx;
  }

  get failed(): Error | null {
    return this.failure;
  }

  /**
   * Stop the session because of `e` (first failure wins) and return the error to throw: this party's
   * label and step, then the cause. Peers get an abort frame with the step and the error's class.
   */
  fail(e: unknown): Error {
    if (this.failure !== null) return this.failure;
    const refused =
      e instanceof PeerAborted && e.peerClass === 'backend-refused' && this.backend !== null
        ? ` (this session's backend is '${this.backend}')`
        : '';
    const cause = `${e instanceof Error ? e.message : String(e)}${refused}`;
    const error =
      e instanceof CryptflowError || !(e instanceof Error)
        ? new CryptflowError(
            e instanceof CryptflowError ? e.code : 'protocol',
            `${partyLabel(this.me)}, ${this.step}: ${cause}`,
          )
        : e;
    this.failure = error;
    const cls = e instanceof CryptflowError || !(e instanceof Error) ? abortClassOf(e) : 'internal';
    for (const ch of this.channels.values()) void ch.abort(error.message, this.step, cls, this.closeMs);
    return error;
  }

  /** Run `f`; any failure stops the session and is rethrown as the session's first failure. */
  async guard<T>(f: () => Promise<T>): Promise<T> {
    try {
      const v = await f();
      if (this.failure !== null) throw this.failure;
      return v;
    } catch (e) {
      throw this.fail(e);
    }
  }

  /**
   * End the session: a bye to every peer, then a bye from every peer not in `received` (their bye was
   * already taken by the caller), then close. Returns each outgoing link's counts after the byes.
   */
  async finish(received: readonly PartyId[] = []): Promise<ReadonlyMap<PartyId, ChannelCounts>> {
    return this.guard(async () => {
      this.step = 'closing the session';
      for (const ch of this.channels.values()) ch.write('bye', new Uint8Array(0));
      await Promise.all(
        [...this.channels]
          .filter(([p]) => !received.includes(p))
          .map(([p, ch]) => ch.next(['bye'], `the bye of P${p}`)),
      );
      for (const [p, ch] of this.channels) {
        if (ch.pending > 0) throw new CryptflowError('protocol', `P${p} sent ${ch.pending} frame(s) after its bye`);
      }
      const counts = new Map([...this.channels].map(([p, ch]) => [p, ch.counts()] as const));
      await Promise.all([...this.channels.values()].map((ch) => ch.close(this.closeMs)));
      this.step = 'closed';
      return counts;
    });
  }
}
