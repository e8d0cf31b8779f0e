/**
 * `cryptflow certs --out DIR …`: certificates for a deployment, made by our own X.509 writer
 * (harness/network/tcp/certs.ts) — no system tool needed.
 *
 * - Without --party: a throw-away authority and the three party certificates it signs (ca.pem, ca.key,
 *   p0.pem … p2.key) and one parties.P<i>.json per party, each naming the addresses (--hosts, --ports),
 *   the authority, every party's certificate and that party's own key only. Convenient, but whoever
 *   runs it holds every key: hand each machine its own key and keep ca.key offline or delete it.
 *   With --parties 2 (a 2-party backend such as cryptflow2): P0 and P1 only — --hosts P0,P1, --ports
 *   names P1's port alone, and no helper appears in any file.
 * - With --party ROLE: one self-signed certificate and key for that party alone, made on its own
 *   machine; the other parties pin the certificate (its SHA-256 fingerprint is printed), and the key
 *   never leaves the machine. docs/deployment.md walks through both.
 *
 * Existing files are never overwritten. Arguments are checked before anything is written, and a
 * directory this command created is removed again if it fails, so a failed run leaves nothing.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CryptflowError } from '../../spec/errors.js';
import { PARTIES, type PartyId } from '../../protocols/common/party.js';
import { writeAuthorityCerts, writeSelfSigned } from '../party/local.js';
import { ROLES } from '../party/session.js';
import { getChoice, getInteger, getString, type FlagSpec, type ParsedArgs } from './args.js';

export const CERTS_FLAGS: Readonly<Record<string, FlagSpec>> = {
  out: {
    kind: 'string',
    help: 'directory to write into (created if missing; existing files are not overwritten)',
    alias: 'o',
  },
  party: {
    kind: 'string',
    help: "make one self-signed certificate for this party only: 'client', 'server' or 'helper' (P0, P1, P2)",
  },
  hosts: {
    kind: 'string',
    help: 'host names or IP addresses: P0,P1,P2 (default localhost for each); with --party, that party’s names (several separated by +)',
  },
  ports: { kind: 'string', help: 'ports P1 and P2 listen on, for the generated parties.P<i>.json (default 7001,7002)' },
  days: { kind: 'integer', help: 'validity in days (default 365)', min: 1, max: 3650 },
  parties: {
    kind: 'integer',
    help: 'without --party: 3 (P0, P1 and the helper P2; default) or 2 (P0 and P1 alone, for a 2-party backend such as cryptflow2)',
    min: 2,
    max: 3,
  },
};

function hostList(spec: string): string[] {
  return spec
    .split('+')
    .map((h) => h.trim())
    .filter((h) => h !== '');
}

function refuseExisting(paths: readonly string[]): void {
  const there = paths.filter((p) => existsSync(p));
  if (there.length > 0) throw new CryptflowError('usage', `refusing to overwrite ${there.join(', ')}`);
}

/** Make `dir` if missing, run `f`, and remove the directory again if `f` fails and this made it. */
function inDirectory<T>(dir: string, f: () => T): T {
  const existed = existsSync(dir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CryptflowError('input', `cannot create ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`);
  }
  try {
    return f();
  } catch (e) {
    if (!existed) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** The authority, the party certificates and one parties.P<i>.json per party (`ids`: the parties). */
function writeDeployment(
  out: string,
  hosts: readonly (readonly string[])[],
  ports: readonly number[],
  days: number,
  configs: readonly string[],
  ids: readonly PartyId[],
): void {
  writeAuthorityCerts(out, hosts, days, ids);
  for (const id of ids) {
    const entry = (p: PartyId): Record<string, unknown> => ({
      ...(p === 0 ? {} : { host: hosts[p]?.[0] ?? 'localhost', port: ports[p - 1] }),
      cert: `p${p}.pem`,
      ...(p === id ? { key: `p${p}.key` } : {}),
    });
    const json = {
      parties: { P0: entry(0), P1: entry(1), ...(ids.length === 3 ? { P2: entry(2) } : {}) },
      ca: 'ca.pem',
      timeouts: { connectMs: 5000, startMs: 60000, stallMs: 300000 },
    };
    writeFileSync(configs[id] as string, `${JSON.stringify(json, null, 2)}\n`);
  }
}

export function certsCommand(args: ParsedArgs): string {
  const out = getString(args, 'out');
  if (out === undefined) throw new CryptflowError('usage', 'certs needs --out DIR');
  const days = getInteger(args, 'days') ?? 365;
  const role = getChoice(args, 'party', ROLES);
  const n = getInteger(args, 'parties') ?? 3;
  if (role !== undefined) {
    if (getString(args, 'ports') !== undefined)
      throw new CryptflowError('usage', '--ports is for the parties.json files made without --party');
    if (getInteger(args, 'parties') !== undefined)
      throw new CryptflowError('usage', '--parties is for the parties.json files made without --party');
    const id = ROLES.indexOf(role) as PartyId;
    const hosts = hostList(getString(args, 'hosts') ?? 'localhost');
    refuseExisting([join(out, `p${id}.pem`), join(out, `p${id}.key`)]);
    const files = inDirectory(out, () => writeSelfSigned(out, id, hosts, days));
    const fp = new X509Certificate(readFileSync(files.cert)).fingerprint256;
    return [
      `wrote ${files.cert} (self-signed certificate of P${id}, the ${role}, for ${hosts.join(', ')}; valid ${days} days)`,
      `wrote ${files.key} (its private key: keep it on this machine only)`,
      `SHA-256 fingerprint: ${fp}`,
      `give ${files.cert} (never the key) to the other two parties; each names it as "cert" of P${id} in its parties.json`,
    ].join('\n');
  }
  const ids = PARTIES.slice(0, n);
  const names = ids.map((id) => `P${id}`).join(',');
  const hostSpec = (getString(args, 'hosts') ?? ids.map(() => 'localhost').join(',')).split(',');
  if (hostSpec.length !== n)
    throw new CryptflowError(
      'usage',
      `--hosts needs ${n === 3 ? 'three' : 'two'} entries ${names} (use + for several names of one party), got ${hostSpec.length}`,
    );
  const hosts = hostSpec.map(hostList);
  const portSpec = (getString(args, 'ports') ?? (n === 3 ? '7001,7002' : '7001'))
    .split(',')
    .map((p) => Number(p.trim()));
  if (portSpec.length !== n - 1 || portSpec.some((p) => !Number.isInteger(p) || p < 1 || p > 65535))
    throw new CryptflowError(
      'usage',
      n === 3
        ? '--ports needs two TCP ports, for P1 and P2, e.g. 7001,7002'
        : '--ports needs one TCP port, for P1 (a 2-party deployment has no helper), e.g. 7001',
    );
  const configs = ids.map((id) => join(out, `parties.P${id}.json`));
  refuseExisting([
    join(out, 'ca.pem'),
    join(out, 'ca.key'),
    ...ids.flatMap((id) => [join(out, `p${id}.pem`), join(out, `p${id}.key`)]),
    ...configs,
  ]);
  inDirectory(out, () => writeDeployment(out, hosts, portSpec, days, configs, ids));
  const certs = ids.map((id) => `p${id}.pem`).join(', ');
  return [
    `wrote a throw-away authority (ca.pem, ca.key) and the certificates of ${ids.map((id) => `P${id}`).join(', ')} (p0.pem … p${n - 1}.key) to ${out}, valid ${days} days${n === 2 ? ' (two parties, no helper)' : ''}`,
    `wrote ${configs.join(', ')}: machine i needs ca.pem, ${certs}, its own p<i>.key and parties.P<i>.json`,
    `ca.key signs certificates: keep it offline, or delete it once the ${n === 3 ? 'three' : 'two'} certificates exist`,
  ].join('\n');
}
