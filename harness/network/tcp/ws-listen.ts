/**
 * The WebSocket listener of the server and the helper: beside the TCP listener, an HTTPS server with
 * the party's own certificate and key (wss://host:wsPort/) that accepts the client P0 from a browser
 * page. A WebSocket connection can only be P0 (the page's party), and it is authenticated inside the
 * link by the signed transcript of ws-auth.ts, with the same certificate checks as a TCP connection
 * (connect.ts `checkPeer`, `nodeWsAuthenticator`).
 *
 * A plain GET on the port answers one line naming the party, so a user can open it once to inspect
 * (or accept) the certificate. Messages are binary only; the largest WebSocket message is the largest
 * frame plus its header and its seal (ws-seal.ts).
 */
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TcpConfig } from './config.js';
import { HEADER_BYTES } from './frame.js';
import { SEAL_OVERHEAD } from './ws-seal.js';

export interface WsListener {
  close(): void;
}

/**
 * Listen for the page on `port`; `onSocket` gets each upgraded connection (and decides whether to
 * keep it). `onError` gets a failure to listen.
 */
export function listenWebSocket(
  config: TcpConfig,
  bind: string,
  port: number,
  onSocket: (ws: WebSocket, remote: string, tcp: Socket) => void,
  onError: (why: string) => void,
): WsListener {
  const https: Server = createServer({ cert: config.cert, key: config.key, minVersion: 'TLSv1.3' }, (_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
    res.end(`cryptflow P${config.me}: a WebSocket endpoint for the client's page (wss://)\n`);
  });
  const wss = new WebSocketServer({ server: https, maxPayload: config.maxFrameBytes + HEADER_BYTES + SEAL_OVERHEAD });
  const sockets = new Set<Socket>();
  https.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  wss.on('connection', (ws, req) => {
    const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    onSocket(ws, remote, req.socket);
  });
  https.once('error', (e: NodeJS.ErrnoException) =>
    onError(`cannot listen on ${bind}:${port} (${e.code ?? e.message})`),
  );
  wss.on('error', () => undefined);
  https.listen({ host: bind, port });
  return {
    close: () => {
      wss.close();
      https.close();
    },
  };
}
