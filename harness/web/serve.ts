/**
 * `cryptflow serve-client`: the hospital's gateway. An HTTPS server with the client's own certificate
 * and key (P0 in parties.json) that serves the page (build/web, `npm run build:web`), tells it the
 * deployment (GET /deployment.json: the peers' wss:// addresses and pins, gateway.ts) and signs its
 * WebSocket authentication (POST /sign, the only thing it signs). It never receives the image: the
 * page computes on it locally and sends only protocol messages, to the server and the helper directly.
 *
 * Every response carries a Content-Security-Policy that lets the page load only from this origin and
 * connect only to this origin and the peers' wss:// addresses: nothing else can receive data from it.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { CryptflowError } from '../../spec/errors.js';
import type { TcpConfig } from '../network/tcp/config.js';
import { clientSigner, pageDeployment } from './gateway.js';

const TYPES: Readonly<Record<string, string>> = {
  '/': 'text/html; charset=utf-8',
  '/index.html': 'text/html; charset=utf-8',
  '/page.js': 'text/javascript; charset=utf-8',
  '/worker.js': 'text/javascript; charset=utf-8',
  '/page.js.map': 'application/json',
  '/worker.js.map': 'application/json',
  '/build/kernels.wasm': 'application/wasm',
};

export interface GatewayOptions {
  readonly config: TcpConfig;
  readonly webDir: string;
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  readonly labels?: readonly string[];
  /** Replayable keys (testing only). */
  readonly seed?: string;
  readonly log?: (line: string) => void;
}

export interface Gateway {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

export function startGateway(o: GatewayOptions): Promise<Gateway> {
  const dep = pageDeployment(o.config, o.seed, o.labels);
  const sign = clientSigner(o.config);
  const files = new Map<string, Buffer>();
  for (const path of Object.keys(TYPES)) {
    const file = path === '/' ? '/index.html' : path;
    try {
      files.set(path, readFileSync(join(o.webDir, file)));
    } catch {
      if (!path.endsWith('.map'))
        throw new CryptflowError('usage', `${join(o.webDir, file)} is missing: run \`npm run build:web\` first`);
    }
  }
  const peers = Object.values(dep.peers).map((p) => p.url.replace(/\/$/, ''));
  const csp = [
    "default-src 'self'",
    `connect-src 'self' ${peers.join(' ')}`,
    "worker-src 'self'",
    "img-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self' 'wasm-unsafe-eval'",
  ].join('; ');
  const server = createServer({ cert: o.config.cert, key: o.config.key, minVersion: 'TLSv1.2' }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const headers = {
      'content-security-policy': csp,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    };
    if (req.method === 'GET' && path === '/deployment.json') {
      res.writeHead(200, { ...headers, 'content-type': 'application/json' });
      res.end(JSON.stringify(dep));
      return;
    }
    if (req.method === 'POST' && path === '/sign') {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 1024) chunks.push(c);
      });
      req.on('end', () => {
        try {
          if (size > 1024) throw new CryptflowError('input', 'too large');
          const sig = sign(new Uint8Array(Buffer.concat(chunks)));
          res.writeHead(200, { ...headers, 'content-type': 'application/octet-stream' });
          res.end(Buffer.from(sig));
        } catch {
          o.log?.(`refused to sign a malformed request from ${req.socket.remoteAddress ?? '?'}`);
          res.writeHead(400, headers);
          res.end('the gateway signs only the page’s WebSocket authentication\n');
        }
      });
      return;
    }
    const body = files.get(path);
    const type = TYPES[path];
    if (req.method !== 'GET' || body === undefined || type === undefined) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': type });
    res.end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new CryptflowError('usage', `cannot listen on ${o.host}:${o.port} (${e.code ?? e.message})`)),
    );
    server.listen({ host: o.host, port: o.port }, () => {
      const a = server.address();
      const port = typeof a === 'object' && a !== null ? a.port : o.port;
      const host = o.host.includes(':') ? `[${o.host}]` : o.host;
      resolve({
        url: `https://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`,
        server,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
