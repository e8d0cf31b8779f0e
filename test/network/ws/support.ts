/**
 * Helpers of the WebSocket session tests: a deployment whose page connects over wss:// in Node (the
 * `ws` client, the throw-away authority as its only trust anchor), a relay on the page's sockets that
 * records and may rewrite every WebSocket payload (what a holder of an authority the workstation
 * trusts would handle under the browser's TLS), and a tamper seam that only records the frames a
 * party sends (above the seal).
 */
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { loadConfig } from '../../../harness/network/tcp/config.js';
import type { WebSocketLike } from '../../../harness/network/tcp/link.js';
import type { Tamper } from '../../../harness/network/tcp/channel.js';
import type { PartyId } from '../../../protocols/common/party.js';
import { writeLocalDeployment } from '../../../harness/party/local.js';
import { clientSigner, pageDeployment } from '../../../harness/web/gateway.js';
import { scratchDir, TEST_TIMEOUTS } from '../tcp/support.js';

/** What a relay on the page's WebSockets sees and does: the payloads each way, per peer, in order. */
export interface Relay {
  readonly sent: Record<'1' | '2', Buffer[]>;
  readonly received: Record<'1' | '2', Buffer[]>;
  /** Rewrite the n-th message (from 0) to or from a peer: the bytes to pass on instead (an array: several). */
  readonly rewrite?: (peer: '1' | '2', way: 'out' | 'in', n: number, bytes: Buffer) => Buffer[];
}

/** Put `relay` on a `ws` client socket of the page: every payload it sends or receives passes through it. */
export function relayed(ws: WebSocket, peer: '1' | '2', relay: Relay): WebSocketLike {
  const send = ws.send.bind(ws);
  const add = ws.addEventListener.bind(ws);
  const pass = (way: 'out' | 'in', bytes: Buffer): Buffer[] => {
    const log = way === 'out' ? relay.sent[peer] : relay.received[peer];
    const n = log.length;
    log.push(bytes);
    return relay.rewrite?.(peer, way, n, bytes) ?? [bytes];
  };
  const like = ws as unknown as {
    send(data: Uint8Array): void;
    addEventListener(type: string, f: (ev: { readonly data: unknown }) => void): void;
  };
  like.send = (data) => {
    for (const b of pass('out', Buffer.from(data))) send(b);
  };
  like.addEventListener = (type, f) => {
    if (type !== 'message') return add(type as 'open', f as () => void);
    add('message', (ev) => {
      const d = ev.data;
      if (!(d instanceof ArrayBuffer)) return f(ev);
      for (const b of pass('in', Buffer.from(d))) f({ data: new Uint8Array(b).buffer });
    });
  };
  return ws as unknown as WebSocketLike;
}

export const newRelay = (rewrite?: Relay['rewrite']): Relay => ({
  sent: { '1': [], '2': [] },
  received: { '1': [], '2': [] },
  ...(rewrite === undefined ? {} : { rewrite }),
});

/** A tamper seam that only records the frames a party sends to each peer (above the seal). */
export function frameLog(): {
  readonly frames: Map<PartyId, Uint8Array[]>;
  readonly tamper: (peer: PartyId) => Tamper;
} {
  const frames = new Map<PartyId, Uint8Array[]>();
  return {
    frames,
    tamper: (peer) => (_h, bytes) => {
      const log = frames.get(peer) ?? [];
      frames.set(peer, log);
      log.push(bytes.slice());
      return { bytes };
    },
  };
}

/** The offsets (every `step` bytes) of the `width`-byte windows of `needle` found in `hay`. */
export function windowsFound(hay: Buffer, needle: Uint8Array, width: number, step: number): number[] {
  const found: number[] = [];
  for (let at = 0; at + width <= needle.length; at += step)
    if (hay.includes(Buffer.from(needle.subarray(at, at + width)))) found.push(at);
  return found;
}

export async function webDeployment(name: string) {
  const d = scratchDir(`ws-${name}`);
  const dep = await writeLocalDeployment(d, TEST_TIMEOUTS, 3, true);
  const config = loadConfig(dep.config, 0);
  const ca = readFileSync(dep.files.ca ?? '');
  const open = (url: string): WebSocketLike => new WebSocket(url, { ca }) as unknown as WebSocketLike;
  const page = pageDeployment(config);
  const through =
    (relay: Relay) =>
    (url: string): WebSocketLike =>
      relayed(new WebSocket(url, { ca }), url === page.peers['1']?.url ? '1' : '2', relay);
  const signer = clientSigner(config);
  return { dep, config, page, open, through, sign: (m: Uint8Array) => Promise.resolve(signer(m)) };
}
