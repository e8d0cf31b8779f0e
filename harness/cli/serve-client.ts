/**
 * `cryptflow serve-client --config parties.json`: the hospital's gateway serving the client's page
 * (harness/web/serve.ts). The config is the client's parties.json (P0's certificate and key; P1's and
 * P2's host, "wsPort" and pinned certificate). Runs until interrupted; prints the page's URL and the
 * SHA-256 of the public keys the browser must trust (docs/deployment.md, "The client in a browser").
 */
import { createHash, X509Certificate } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CryptflowError } from '../../spec/errors.js';
import { loadConfig, type TcpConfig } from '../network/tcp/config.js';
import { startGateway, type Gateway } from '../web/serve.js';
import { getInteger, getString, type FlagSpec, type ParsedArgs } from './args.js';
import { readLabels } from './run.js';

export const SERVE_CLIENT_FLAGS: Readonly<Record<string, FlagSpec>> = {
  config: { kind: 'string', help: "the client's parties.json (P0's key; the peers' wsPort and pinned certificates)" },
  host: { kind: 'string', help: 'the address to listen on (default 127.0.0.1)' },
  port: { kind: 'integer', help: 'the HTTPS port of the page (default 8443; 0: any free port)', min: 0, max: 65535 },
  web: { kind: 'string', help: 'the built page (default build/web, from `npm run build:web`)' },
  labels: { kind: 'string', help: 'class names shown with the result (a JSON array, or one name per line)' },
  seed: { kind: 'string', help: 'replayable PRG keys, as for `cryptflow party --seed`: for testing only, NOT secure' },
};

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Base64 SHA-256 of a certificate's public key (SPKI): what Chromium's --ignore-certificate-errors-spki-list takes. */
export function spkiHash(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** The SPKI hashes of the gateway's and the peers' certificates (the browser must trust all three). */
export function trustedSpkis(config: TcpConfig): string[] {
  return [
    config.cert,
    ...[1, 2].flatMap((id) => {
      const x = config.pinned[id as 1 | 2];
      return x === undefined ? [] : [x.toString()];
    }),
  ].map(spkiHash);
}

export async function serveClientCommand(args: ParsedArgs, out: (line: string) => void): Promise<Gateway> {
  const path = getString(args, 'config');
  if (path === undefined) throw new CryptflowError('usage', 'serve-client needs --config parties.json (the client’s)');
  const config = loadConfig(path, 0);
  const labelsPath = getString(args, 'labels');
  const seed = getString(args, 'seed');
  const gw = await startGateway({
    config,
    webDir: resolve(getString(args, 'web') ?? join(ROOT, 'build', 'web')),
    host: getString(args, 'host') ?? '127.0.0.1',
    port: getInteger(args, 'port') ?? 8443,
    ...(labelsPath === undefined ? {} : { labels: readLabels(labelsPath) }),
    ...(seed === undefined ? {} : { seed }),
    log: (l) => out(`serve-client: ${l}`),
  });
  out(`serve-client: the client's page is at ${gw.url}`);
  out(`serve-client: the browser must trust these certificates (SPKI SHA-256): ${trustedSpkis(config).join(', ')}`);
  return gw;
}
