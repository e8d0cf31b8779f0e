/**
 * The page's side of a session (runs in the browser, and in Node for tests): WebSockets over TLS to
 * the server and the helper instead of TCP, authenticated inside each link (network/tcp/ws-auth.ts).
 *
 * What the page is given by its gateway (`PageDeployment`, gateway.ts builds it from parties.json):
 * each peer's wss:// address, the SHA-256 fingerprint of its pinned certificate and that
 * certificate's public key; the client's own certificate; the timeouts. The page checks a peer's auth
 * frame against the pin (the certificate bytes must hash to the fingerprint) and the signature with
 * the key; the client's signature comes from the gateway (`sign`), which holds the client's key.
 */
import { CryptflowError } from '../../spec/errors.js';
import type { PartyId } from '../../protocols/common/party.js';
import { platform } from '../../platform/index.js';
import type { Connected, Link } from '../network/tcp/connect.js';
import type { Timeouts } from '../network/tcp/config.js';
import { webSocketLink, type WebSocketLike } from '../network/tcp/link.js';
import type { WsAuthenticator } from '../network/tcp/ws-auth.js';

export interface PagePeer {
  /** wss://host:port/ */
  readonly url: string;
  /** Hex SHA-256 of the pinned certificate (DER). */
  readonly fingerprint: string;
  /** The certificate's P-256 public key, uncompressed (hex). */
  readonly publicKey: string;
}

/** What the gateway tells the page (JSON). */
export interface PageDeployment {
  readonly parties: 2 | 3;
  readonly peers: Readonly<Partial<Record<'1' | '2', PagePeer>>>;
  /** The client's certificate (DER, base64), sent in its auth frames. */
  readonly clientCert: string;
  readonly timeouts: Timeouts;
  readonly maxFrameBytes: number;
  /** Replayable keys (testing only: the gateway was started with --seed). */
  readonly seed?: string;
  /** Class names shown with the result (the hospital's labels file; local to the page). */
  readonly labels?: readonly string[];
}

export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export function unhex(s: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/i.test(s)) throw new CryptflowError('input', 'expected a hex string');
  return Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function base64ToBytes(s: string): Uint8Array {
  const bin = atob(s);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The page's authenticator: its signatures from the gateway, peers checked against the pins. */
export function pageAuthenticator(
  dep: PageDeployment,
  sign: (message: Uint8Array) => Promise<Uint8Array>,
): WsAuthenticator {
  const cert = base64ToBytes(dep.clientCert);
  return {
    sign: async (message) => ({ cert, signature: await sign(message) }),
    check: (peer, auth, message) => {
      const pin = peer === 1 ? dep.peers['1'] : peer === 2 ? dep.peers['2'] : undefined;
      if (pin === undefined) return `no pinned certificate for P${peer}`;
      const got = hex(platform.sha256(auth.cert));
      if (got !== pin.fingerprint.toLowerCase())
        return `its certificate (SHA-256 ${got.slice(0, 16)}…) is not the pinned one (${pin.fingerprint.slice(0, 16)}…)`;
      return platform.p256Verify(unhex(pin.publicKey), message, auth.signature)
        ? null
        : `the signature of P${peer} over the key agreement does not verify with its pinned certificate`;
    },
  };
}

function openOnce(url: string, open: (url: string) => WebSocketLike, ms: number): Promise<WebSocketLike> {
  return new Promise((resolve, reject) => {
    const ws = open(url);
    const timer = setTimeout(() => {
      ws.close();
      reject(new Error(`no connection within ${ms} ms`));
    }, ms);
    (ws as unknown as { addEventListener(t: 'open', f: () => void): void }).addEventListener('open', () => {
      clearTimeout(timer);
      resolve(ws);
    });
    ws.addEventListener('error', () => {
      clearTimeout(timer);
      reject(
        new Error('the WebSocket connection failed (refused, unreachable, or its TLS certificate is not trusted)'),
      );
    });
  });
}

/**
 * Connect to every peer over WebSockets, retrying refused attempts with backoff until `startMs`
 * (the parties may start in any order); on failure every socket opened is closed.
 */
export function pageConnector(
  dep: PageDeployment,
  open: (url: string) => WebSocketLike,
  sign: (message: Uint8Array) => Promise<Uint8Array>,
): () => Promise<Connected> {
  return async () => {
    const peers: PartyId[] = dep.parties === 3 ? [1, 2] : [1];
    const deadline = Date.now() + dep.timeouts.startMs;
    const opened: WebSocketLike[] = [];
    try {
      const links = await Promise.all(
        peers.map(async (peer): Promise<Link> => {
          const at = peer === 1 ? dep.peers['1'] : dep.peers['2'];
          if (at === undefined) throw new CryptflowError('usage', `the page was given no address for P${peer}`);
          let delay = 100;
          for (let attempt = 1; ; attempt++) {
            try {
              const ws = await openOnce(at.url, open, dep.timeouts.connectMs);
              opened.push(ws);
              return { peer, link: webSocketLink(ws, true), exporter: null };
            } catch (e) {
              if (Date.now() + delay > deadline)
                throw new CryptflowError(
                  'protocol',
                  `could not connect to P${peer} at ${at.url}: ${attempt} attempt(s), the last: ${e instanceof Error ? e.message : String(e)}`,
                );
              await new Promise((r) => setTimeout(r, delay));
              delay = Math.min(2000, delay * 2);
            }
          }
        }),
      );
      return { links: new Map(links.map((l) => [l.peer, l])), wsAuth: pageAuthenticator(dep, sign) };
    } catch (e) {
      for (const ws of opened) ws.close();
      throw e;
    }
  };
}
