/**
 * A throw-away deployment on one machine: a fresh authority and three party certificates for
 * localhost, written to a directory (keys owner-only), and a parties.json over loopback with two free
 * ports. Used by `cryptflow run --processes` and the tests; `cryptflow certs` writes the same files
 * for a real deployment.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PARTIES, type PartyId } from '../../protocols/common/party.js';
import { createAuthority, issuePartyCertificate, selfSignedPartyCertificate } from '../network/tcp/certs.js';
import type { Timeouts } from '../network/tcp/config.js';

export interface CertFiles {
  /** The authority's certificate, when there is one (its key is written as ca.key). */
  readonly ca?: string;
  readonly certs: Readonly<Record<PartyId, string>>;
  readonly keys: Readonly<Record<PartyId, string>>;
}

function writeKey(path: string, pem: string): void {
  writeFileSync(path, pem, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * Write an authority and the party certificates (for `hosts[i]`) into `dir`: the three parties, or
 * the ones `ids` lists (P0 and P1 for a 2-party deployment; `certs` and `keys` then name those only).
 */
export function writeAuthorityCerts(
  dir: string,
  hosts: readonly (readonly string[])[],
  days = 365,
  ids: readonly PartyId[] = PARTIES,
): CertFiles {
  const ca = createAuthority(days);
  writeFileSync(join(dir, 'ca.pem'), ca.cert);
  writeKey(join(dir, 'ca.key'), ca.key);
  const certs: Partial<Record<PartyId, string>> = {};
  const keys: Partial<Record<PartyId, string>> = {};
  for (const id of ids) {
    const c = issuePartyCertificate(ca, id, hosts[id] ?? ['localhost'], days);
    certs[id] = join(dir, `p${id}.pem`);
    keys[id] = join(dir, `p${id}.key`);
    writeFileSync(certs[id], c.cert);
    writeKey(keys[id], c.key);
  }
  return { ca: join(dir, 'ca.pem'), certs: certs as Record<PartyId, string>, keys: keys as Record<PartyId, string> };
}

/** Write one party's self-signed certificate and key into `dir` (p<i>.pem, p<i>.key). */
export function writeSelfSigned(
  dir: string,
  id: PartyId,
  hosts: readonly string[],
  days = 365,
): { readonly cert: string; readonly key: string } {
  const c = selfSignedPartyCertificate(id, hosts, days);
  const cert = join(dir, `p${id}.pem`);
  const key = join(dir, `p${id}.key`);
  writeFileSync(cert, c.cert);
  writeKey(key, c.key);
  return { cert, key };
}

/** A TCP port that was free a moment ago on `host` (the kernel's pick for port 0). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ host, port: 0 }, () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface LocalDeployment {
  readonly config: string;
  readonly files: CertFiles;
  readonly ports: Readonly<Record<1 | 2, number>>;
  /** The WebSocket ports of P1 and P2 (with `web`: the page's client connects there). */
  readonly wsPorts?: Readonly<Record<1 | 2, number>>;
}

async function distinctPorts(n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    const p = await freePort();
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/**
 * Certificates and a loopback parties.json in `dir`, every key listed (one machine runs every party);
 * with `parties` = 2 the config lists P0 and P1 only (a 2-party deployment: no helper).
 */
export async function writeLocalDeployment(
  dir: string,
  timeouts: Partial<Timeouts> = {},
  parties: 2 | 3 = 3,
  web = false,
): Promise<LocalDeployment> {
  const files = writeAuthorityCerts(
    dir,
    [
      ['localhost', '127.0.0.1'],
      ['localhost', '127.0.0.1'],
      ['localhost', '127.0.0.1'],
    ],
    2,
  );
  const [p1 = 0, p2 = 0, w1 = 0, w2 = 0] = await distinctPorts(web ? 4 : 2);
  const ports = { 1: p1, 2: p2 } as const;
  const wsPorts = web ? ({ 1: w1, 2: w2 } as const) : undefined;
  const entry = (id: PartyId): Record<string, unknown> => ({
    ...(id === 0 ? {} : { host: '127.0.0.1', port: ports[id] }),
    ...(id === 0 || wsPorts === undefined ? {} : { wsPort: wsPorts[id] }),
    cert: files.certs[id],
    key: files.keys[id],
  });
  const json = {
    parties: { P0: entry(0), P1: entry(1), ...(parties === 3 ? { P2: entry(2) } : {}) },
    ca: files.ca,
    timeouts,
  };
  const config = join(dir, 'parties.json');
  writeFileSync(config, `${JSON.stringify(json, null, 2)}\n`);
  return { config, files, ports, ...(wsPorts === undefined ? {} : { wsPorts }) };
}
