/**
 * Forming the three connections: TCP, then TLS 1.3 with a certificate on both sides, then our own
 * check of who the peer is — before a single application byte is exchanged.
 *
 * - Topology: each party dials the higher-numbered ones (P0 → P1, P0 → P2, P1 → P2); P1 and P2 listen
 *   until every lower-numbered party has connected, then close their listener.
 * - Dialling: each attempt has `connectMs`; refused, unreachable or timed-out attempts are retried with
 *   backoff until `startMs` has passed since the start. A TLS-level refusal is not retried.
 * - Authentication (`checkPeer`): the peer's certificate must name the expected party (subject
 *   CN=cryptflow-P<i>), be within its validity period, be issued by the configured authority when
 *   there is one, and equal the pinned certificate when the configuration pins one. TLS itself proves
 *   the peer holds the certificate's private key. A listener logs and drops any connection that fails
 *   the check (an unknown certificate, a party that should not dial it, a second connection from the
 *   same party) and keeps waiting for the right one.
 * - Failure: everything opened is closed — sockets destroyed, the listener closed — so nothing is left
 *   listening.
 */
import { createPrivateKey, sign, verify, X509Certificate } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { CryptflowError } from '../../../spec/errors.js';
import type { PartyId } from '../../../protocols/common/party.js';
import { commonNameOf, partyOfCertificate } from './certs.js';
import type { Address, TcpConfig } from './config.js';
import { partiesOf } from '../parties.js';
import { tlsLink, webSocketLink, type ByteLink } from './link.js';
import type { WsAuthenticator } from './ws-auth.js';
import { listenWebSocket, type WsListener } from './ws-listen.js';

/**
 * A connection before any frame: authenticated by TLS (`exporter` binds keys to it), or a WebSocket
 * from the page (`exporter` null), which the session authenticates inside the link (ws-auth.ts).
 */
export interface Link {
  readonly peer: PartyId;
  readonly link: ByteLink;
  readonly exporter: ((length: number, label: string, context: Uint8Array) => Uint8Array) | null;
}

function tlsPeerLink(peer: PartyId, tls: TLSSocket, raw: Socket): Link {
  return {
    peer,
    link: tlsLink(tls, raw),
    exporter: (length, label, context) => new Uint8Array(tls.exportKeyingMaterial(length, label, Buffer.from(context))),
  };
}

export type PeerCheck =
  { readonly ok: true; readonly party: PartyId } | { readonly ok: false; readonly reason: string };

const printable = (s: string): string => s.replace(/[^\x20-\x7e]/g, '?').slice(0, 120);

/** Is `cert` an acceptable certificate for one of the parties in `allowed`? */
export function checkPeer(
  cert: X509Certificate | undefined,
  config: Pick<TcpConfig, 'ca' | 'pinned'>,
  allowed: readonly PartyId[],
  now: number = Date.now(),
): PeerCheck {
  if (cert === undefined) return { ok: false, reason: 'no certificate presented' };
  const party = partyOfCertificate(cert);
  if (party === null)
    return {
      ok: false,
      reason: `unknown certificate (subject CN=${printable(commonNameOf(cert) ?? '?')} names no cryptflow party)`,
    };
  if (!allowed.includes(party))
    return {
      ok: false,
      reason: `a certificate of P${party}, where ${allowed.map((p) => `P${p}`).join(' or ')} was expected`,
    };
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  if (!(now >= from && now <= to))
    return {
      ok: false,
      reason: `the certificate of P${party} is not valid now (valid ${cert.validFrom} to ${cert.validTo})`,
    };
  if (config.ca !== null && !(cert.checkIssued(config.ca) && cert.verify(config.ca.publicKey)))
    return { ok: false, reason: `unknown certificate claiming P${party}: not issued by the configured authority` };
  const pin = config.pinned[party];
  if (pin !== undefined && pin.fingerprint256 !== cert.fingerprint256)
    return {
      ok: false,
      reason: `unknown certificate claiming P${party}: it is not the pinned certificate (SHA-256 ${cert.fingerprint256})`,
    };
  if (config.ca === null && pin === undefined)
    return { ok: false, reason: `no authority and no pinned certificate to check P${party} against` };
  return { ok: true, party };
}

function context(config: TcpConfig): SecureContext {
  return createSecureContext({ cert: config.cert, key: config.key, minVersion: 'TLSv1.3' });
}

const RETRYABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  'ENOTFOUND',
]);

class Attempt extends Error {
  constructor(
    readonly retry: boolean,
    message: string,
  ) {
    super(message);
  }
}

/** Open sockets and listeners of one party's start, closed together on failure. */
class Opened {
  readonly sockets = new Set<Socket>();
  readonly pages = new Set<ByteLink>();
  server: Server | null = null;
  wsServer: WsListener | null = null;

  closeAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    for (const p of this.pages) p.destroy();
    this.pages.clear();
    this.closeServer();
  }

  closeServer(): void {
    this.server?.close();
    this.server = null;
    this.wsServer?.close();
    this.wsServer = null;
  }
}

function dialOnce(peer: PartyId, at: Address, config: TcpConfig, ctx: SecureContext, opened: Opened): Promise<Link> {
  return new Promise<Link>((resolve, reject) => {
    const raw = createConnection({ host: at.host, port: at.port });
    opened.sockets.add(raw);
    let tls: TLSSocket | null = null;
    let settled = false;
    const done = (e: Attempt | null, link?: Link): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e !== null) {
        tls?.destroy();
        raw.destroy();
        opened.sockets.delete(raw);
        reject(e);
      } else if (link !== undefined) resolve(link);
    };
    const timer = setTimeout(
      () => done(new Attempt(true, `no connection within ${config.timeouts.connectMs} ms`)),
      config.timeouts.connectMs,
    );
    // Errors of the TCP socket after the handshake reach the TLS socket too (as a close): only the
    // first, during the attempt, decides anything.
    raw.on('error', (e: NodeJS.ErrnoException) =>
      done(new Attempt(tls === null && RETRYABLE.has(e.code ?? ''), e.code ?? e.message)),
    );
    raw.once('connect', () => {
      raw.setNoDelay(true);
      const s = tlsConnect({
        socket: raw,
        secureContext: ctx,
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
        minVersion: 'TLSv1.3',
      });
      tls = s;
      const onError = (e: NodeJS.ErrnoException): void =>
        done(new Attempt(false, `TLS handshake with P${peer} failed (${e.code ?? e.message})`));
      const onClose = (): void => done(new Attempt(false, `P${peer} closed the connection during the TLS handshake`));
      s.on('error', onError);
      s.once('close', onClose);
      s.once('secureConnect', () => {
        const check = checkPeer(s.getPeerX509Certificate(), config, [peer]);
        if (!check.ok) {
          done(
            new Attempt(
              false,
              `refused the certificate presented at ${at.host}:${at.port} for P${peer}: ${check.reason}`,
            ),
          );
          return;
        }
        s.removeListener('close', onClose);
        s.removeListener('error', onError);
        // Errors from here on surface to the channel as a closed connection.
        s.on('error', () => undefined);
        done(null, tlsPeerLink(peer, s, raw));
      });
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function dial(
  peer: PartyId,
  config: TcpConfig,
  ctx: SecureContext,
  opened: Opened,
  deadline: number,
  log: (line: string) => void,
  cancelled: () => boolean,
): Promise<Link> {
  const at = config.addresses[peer];
  if (at === undefined) throw new CryptflowError('usage', `${config.source}: no address for P${peer}`);
  let attempts = 0;
  let delay = 100;
  for (;;) {
    attempts++;
    try {
      if (cancelled()) throw new Attempt(false, 'the session start was abandoned');
      return await dialOnce(peer, at, config, ctx, opened);
    } catch (e) {
      const a = e instanceof Attempt ? e : new Attempt(false, String(e));
      if (!a.retry) {
        log(a.message);
        throw new CryptflowError('protocol', a.message);
      }
      if (cancelled() || Date.now() + delay > deadline) {
        throw new CryptflowError(
          'protocol',
          `could not connect to P${peer} at ${at.host}:${at.port}: ${attempts} attempt(s) in ${((config.timeouts.startMs - (deadline - Date.now())) / 1000).toFixed(1)} s, the last failed with ${a.message} (is P${peer} running, and is the address right?)`,
        );
      }
      await sleep(delay);
      delay = Math.min(2000, delay * 2);
    }
  }
}

/** Listen for the lower-numbered parties; resolves with one link per expected party. */
function accept(
  me: PartyId,
  expected: readonly PartyId[],
  config: TcpConfig,
  ctx: SecureContext,
  opened: Opened,
  log: (line: string) => void,
): {
  readonly links: Promise<Map<PartyId, Link>>;
  readonly refusals: () => string[];
  readonly missing: () => PartyId[];
} {
  const at = config.addresses[me];
  const links = new Map<PartyId, Link>();
  const refusals: string[] = [];
  const promise = new Promise<Map<PartyId, Link>>((resolve, reject) => {
    if (at === undefined) {
      reject(new CryptflowError('usage', `${config.source}: no address for P${me} to listen on`));
      return;
    }
    const server = createServer((raw) => {
      opened.sockets.add(raw);
      raw.setNoDelay(true);
      const remote = `${raw.remoteAddress ?? '?'}:${raw.remotePort ?? '?'}`;
      const refuse = (why: string): void => {
        refusals.push(why);
        log(`refused a connection from ${remote}: ${why}`);
        raw.destroy();
        opened.sockets.delete(raw);
      };
      raw.on('error', () => undefined);
      const tls = new TLSSocket(raw, {
        isServer: true,
        secureContext: ctx,
        requestCert: true,
        rejectUnauthorized: false,
      });
      const timer = setTimeout(
        () => refuse(`no TLS handshake within ${config.timeouts.connectMs} ms`),
        config.timeouts.connectMs,
      );
      const onError = (e: NodeJS.ErrnoException): void => {
        clearTimeout(timer);
        refuse(`TLS handshake failed (${e.code ?? e.message})`);
      };
      tls.on('error', onError);
      tls.once('close', () => clearTimeout(timer));
      tls.once('secure', () => {
        clearTimeout(timer);
        const waiting = expected.filter((p) => !links.has(p));
        const check = checkPeer(tls.getPeerX509Certificate(), config, waiting);
        if (!check.ok) {
          tls.destroy();
          refuse(check.reason);
          return;
        }
        tls.removeListener('error', onError);
        tls.on('error', () => undefined);
        links.set(check.party, tlsPeerLink(check.party, tls, raw));
        if (links.size === expected.length) {
          opened.closeServer();
          resolve(links);
        }
      });
    });
    if (at.wsPort !== undefined && expected.includes(0)) {
      opened.wsServer = listenWebSocket(
        config,
        at.bind,
        at.wsPort,
        (ws, remote) => {
          if (links.has(0)) {
            refusals.push('a second connection for P0');
            log(`refused a WebSocket connection from ${remote}: P0 is already connected`);
            ws.close(1008, 'P0 is already connected');
            return;
          }
          // The page's party: authenticated by the session (ws-auth.ts) before any key is used.
          const link = webSocketLink(ws, false);
          opened.pages.add(link);
          links.set(0, { peer: 0, link, exporter: null });
          if (links.size === expected.length) {
            opened.closeServer();
            resolve(links);
          }
        },
        (why) => {
          opened.closeServer();
          reject(new CryptflowError('protocol', why));
        },
      );
    }
    opened.server = server;
    server.once('error', (e: NodeJS.ErrnoException) => {
      opened.closeServer();
      reject(new CryptflowError('protocol', `cannot listen on ${at.bind}:${at.port} (${e.code ?? e.message})`));
    });
    server.listen({ host: at.bind, port: at.port });
  });
  return { links: promise, refusals: () => refusals, missing: () => expected.filter((p) => !links.has(p)) };
}

export interface Connected {
  readonly links: ReadonlyMap<PartyId, Link>;
  /** How WebSocket links are authenticated (ws-auth.ts); required when any link has no exporter. */
  readonly wsAuth?: WsAuthenticator;
}

/** The Node side of ws-auth.ts: sign with this party's key; check the peer as a TCP listener does. */
export function nodeWsAuthenticator(config: TcpConfig): WsAuthenticator {
  const key = createPrivateKey(config.key);
  const cert = new Uint8Array(new X509Certificate(config.cert).raw);
  return {
    sign: (message) =>
      Promise.resolve({ cert, signature: new Uint8Array(sign('sha256', message, { key, dsaEncoding: 'ieee-p1363' })) }),
    check: (peer, auth, message) => {
      let x: X509Certificate;
      try {
        x = new X509Certificate(auth.cert);
      } catch {
        return `P${peer} presented something that is not a certificate`;
      }
      const c = checkPeer(x, config, [peer]);
      if (!c.ok) return c.reason;
      const ok = verify('sha256', message, { key: x.publicKey, dsaEncoding: 'ieee-p1363' }, auth.signature);
      return ok ? null : `the signature of P${peer} over the key agreement does not verify with its certificate`;
    },
  };
}

/** Connect party `config.me` to the other two within `startMs`; on failure nothing stays open. */
export async function connectParties(config: TcpConfig, log: (line: string) => void): Promise<Connected> {
  const me = config.me;
  const ctx = context(config);
  const opened = new Opened();
  const deadline = Date.now() + config.timeouts.startMs;
  const lower = partiesOf(config.parties).filter((p) => p < me);
  const higher = partiesOf(config.parties).filter((p) => p > me);
  let cancelled = false;
  let deadlineTimer: NodeJS.Timeout | null = null;
  try {
    const inbound = lower.length > 0 ? accept(me, lower, config, ctx, opened, log) : null;
    const outbound = new Set<PartyId>(higher);
    const timeout = new Promise<never>((_, reject) => {
      deadlineTimer = setTimeout(() => {
        const names = (ps: readonly PartyId[]): string => ps.map((p) => `P${p}`).join(' and ');
        const missing = inbound?.missing() ?? [];
        const waits = [
          ...(missing.length > 0 ? [`for ${names(missing)} to connect`] : []),
          ...(outbound.size > 0 ? [`to connect to ${names([...outbound])}`] : []),
        ];
        const refused = inbound?.refusals() ?? [];
        const note =
          refused.length > 0
            ? `; refused ${refused.length} connection(s), the last: ${refused[refused.length - 1] ?? ''}`
            : '';
        reject(
          new CryptflowError(
            'protocol',
            `the session did not form within ${(config.timeouts.startMs / 1000).toFixed(1)} s: still waiting ${waits.join(' and ') || 'for the peers'}${note}`,
          ),
        );
      }, config.timeouts.startMs);
    });
    const dialled = higher.map((p) =>
      dial(p, config, ctx, opened, deadline, log, () => cancelled).then((l) => {
        outbound.delete(p);
        return l;
      }),
    );
    const all = Promise.all([inbound?.links ?? Promise.resolve(new Map<PartyId, Link>()), ...dialled]);
    const [fromLower, ...toHigher] = await Promise.race([all, timeout]);
    const links = new Map<PartyId, Link>(fromLower);
    for (const l of toHigher) links.set(l.peer, l);
    return { links, wsAuth: nodeWsAuthenticator(config) };
  } catch (e) {
    cancelled = true;
    opened.closeAll();
    throw e;
  } finally {
    if (deadlineTimer !== null) clearTimeout(deadlineTimer);
  }
}
