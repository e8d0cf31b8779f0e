/**
 * The byte pipe under a channel (channel.ts), whatever carries it: a TLS socket over TCP (this file's
 * `tlsLink`), or a WebSocket over TLS (`webSocketLink`, the page's connections and the listeners that
 * accept them). A channel sees ordered bytes, an end, and errors; framing is the channel's, so both
 * carry exactly the same frames (frame.ts). Each link counts the bytes it put on the wire and took
 * off it, as far as its host can see: all of TCP under TLS for a socket, the WebSocket frames for a
 * page (a browser does not expose its TLS records).
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface LinkEvents {
  data(chunk: Uint8Array): void;
  /** The peer ended the stream (or it closed). */
  end(): void;
  /** A transport error, by code when there is one. */
  error(code: string): void;
  /** The link's own protection rejected what came in (ws-seal.ts); `why` names the link, never the bytes. */
  broken(why: string): void;
}

export interface ByteLink {
  /** What carries it, for messages: 'TLS', 'WebSocket'. */
  readonly kind: 'tls' | 'websocket';
  write(bytes: Uint8Array): void;
  /** Close gracefully; `onClosed` once it is closed. */
  end(onClosed: () => void): void;
  destroy(): void;
  readonly closed: boolean;
  readonly writable: boolean;
  listen(events: LinkEvents): void;
  /** Bytes this host saw go out and come in for this link. */
  wire(): { readonly out: number; readonly in: number };
}

/** A TLS socket and the TCP socket under it. */
export function tlsLink(tls: TLSSocket, raw: Socket): ByteLink {
  return {
    kind: 'tls',
    write: (b) => void tls.write(b),
    end: (onClosed) => {
      tls.once('close', onClosed);
      tls.end();
    },
    destroy: () => tls.destroy(),
    get closed() {
      return tls.destroyed;
    },
    get writable() {
      return !tls.destroyed && tls.writable;
    },
    listen: (e) => {
      tls.on('data', (chunk: Buffer) => e.data(chunk));
      tls.on('end', () => e.end());
      tls.on('close', () => e.end());
      tls.on('error', (err: NodeJS.ErrnoException) => e.error(err.code ?? 'TLS error'));
    },
    wire: () => ({ out: raw.bytesWritten, in: raw.bytesRead }),
  };
}

/**
 * The WebSocket API both the page's `WebSocket` and the `ws` package implement (the part used here).
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', f: (ev: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close', f: () => void): void;
  addEventListener(type: 'error', f: () => void): void;
}

const OPEN = 1;
const CLOSED = 3;

/** The size of a WebSocket frame header carrying n bytes (RFC 6455 §5.2), masked when the page sends. */
export function wsHeaderBytes(n: number, masked: boolean): number {
  return 2 + (n < 126 ? 0 : n < 65536 ? 2 : 8) + (masked ? 4 : 0);
}

/**
 * A WebSocket as a link: one frame of ours (or part of one: the channel reassembles) per binary
 * message. `wire` counts the WebSocket frames exactly, payload and headers (`masked`: this end is the
 * page, whose frames carry a 4-byte mask); the TLS under them is not visible to a page, so not counted.
 */
export function webSocketLink(ws: WebSocketLike, masked: boolean): ByteLink {
  let out = 0;
  let inn = 0;
  ws.binaryType = 'arraybuffer';
  const closers: Array<() => void> = [];
  // Events are taken from the start and held until the channel listens: a peer may speak first (its
  // hello can arrive before the channel exists), and a WebSocket does not replay events.
  let sink: LinkEvents | null = null;
  const held: Array<(e: LinkEvents) => void> = [];
  const emit = (f: (e: LinkEvents) => void): void => {
    if (sink === null) held.push(f);
    else f(sink);
  };
  ws.addEventListener('message', (ev) => {
    const d = ev.data;
    if (!(d instanceof ArrayBuffer)) {
      emit((e) => e.error('a text message where binary frames were expected'));
      return;
    }
    inn += d.byteLength + wsHeaderBytes(d.byteLength, !masked);
    const bytes = new Uint8Array(d);
    emit((e) => e.data(bytes));
  });
  ws.addEventListener('close', () => {
    closers.splice(0).forEach((f) => f());
    emit((e) => e.end());
  });
  ws.addEventListener('error', () => emit((e) => e.error('WebSocket error')));
  return {
    kind: 'websocket',
    write: (b) => {
      out += b.length + wsHeaderBytes(b.length, masked);
      ws.send(b);
    },
    end: (onClosed) => {
      if (ws.readyState === CLOSED) {
        onClosed();
        return;
      }
      closers.push(onClosed);
      ws.close(1000, 'bye');
    },
    destroy: () => {
      const terminate = (ws as { terminate?: () => void }).terminate;
      if (typeof terminate === 'function') terminate.call(ws);
      else ws.close(4000, 'closed');
    },
    get closed() {
      return ws.readyState === CLOSED;
    },
    get writable() {
      return ws.readyState === OPEN;
    },
    listen: (e) => {
      sink = e;
      for (const f of held.splice(0)) f(e);
    },
    wire: () => ({ out, in: inn }),
  };
}
