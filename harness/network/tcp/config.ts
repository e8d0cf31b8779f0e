/**
 * `parties.json`: where each party is reached, which certificates authenticate it, and the timeouts —
 * decoded with io-ts, every bad field reported at once with its path (`at $.parties.P1.port: …`),
 * never silently ignored (an unknown field is an error: a typo must not fall back to a default). The
 * checks after decoding (hosts where needed, certificates and the key readable and matching) run on
 * the fields that are valid even when others are not, so one run lists every problem. A bad file is
 * an 'input' error (exit status 1).
 *
 *   {
 *     "parties": {
 *       "P0": { "cert": "p0.pem", "key": "p0.key" },
 *       "P1": { "host": "vendor.example", "port": 7001, "cert": "p1.pem" },
 *       "P2": { "host": "helper.example", "port": 7002, "bind": "0.0.0.0", "cert": "p2.pem" }
 *     },
 *     "ca": "ca.pem",
 *     "timeouts": { "connectMs": 5000, "startMs": 60000, "stallMs": 300000 },
 *     "maxFrameBytes": 268435456
 *   }
 *
 * Connections: each party dials the higher-numbered ones (P0 → P1, P0 → P2, P1 → P2), so P1 and P2
 * need a host and port and P0 none. A 2-party deployment (CrypTFlow2: client and server, no helper)
 * lists P0 and P1 only; then P0 dials P1 and nothing else exists (`parties` = 2). Trust: with "ca", a peer's certificate must be issued by that
 * authority; a party's "cert" pins that exact certificate (required for every party when there is no
 * "ca"). Paths are relative to the config file. Only the running party's key is read.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { CryptflowError } from '../../../spec/errors.js';
import type { PartyId } from '../../../protocols/common/party.js';
import { partiesOf, type PartyCount } from '../parties.js';
import { reportErrors } from '../../../ir/json/combinators.js';
import { partyCommonName, partyOfCertificate } from './certs.js';
import { DEFAULT_MAX_FRAME_BYTES, HEADER_BYTES } from './frame.js';

function integerIn(lo: number, hi: number, what: string): t.Type<number, number, unknown> {
  return new t.Type<number, number, unknown>(
    what,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= lo && u <= hi,
    (u, c) =>
      typeof u === 'number' && Number.isInteger(u) && u >= lo && u <= hi
        ? t.success(u)
        : t.failure(u, c, `expected ${what}, an integer in [${lo}, ${hi}]`),
    (a) => a,
  );
}

function nonEmpty(what: string, pattern: RegExp = /^\S+$/): t.Type<string, string, unknown> {
  return new t.Type<string, string, unknown>(
    what,
    (u): u is string => typeof u === 'string' && u !== '' && pattern.test(u),
    (u, c) =>
      typeof u === 'string' && u !== '' && pattern.test(u) ? t.success(u) : t.failure(u, c, `expected ${what}`),
    (a) => a,
  );
}

type Required<P extends t.Props> = { readonly [K in keyof P]: t.TypeOf<P[K]> };
type Optional<P extends t.Props> = { readonly [K in keyof P]?: t.TypeOf<P[K]> };

/** An object with required and optional fields and no others; each problem is its own error. */
function strictObject<R extends t.Props, O extends t.Props>(
  name: string,
  required: R,
  optional: O,
): t.Type<Required<R> & Optional<O>, unknown, unknown> {
  type A = Required<R> & Optional<O>;
  const known = [...Object.keys(required), ...Object.keys(optional)];
  const validate = (u: unknown, c: t.Context): t.Validation<A> => {
    if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, `expected ${name} (an object)`);
    const o = u as Record<string, unknown>;
    const errors: t.ValidationError[] = [];
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) {
      if (!known.includes(k))
        errors.push({
          value: o[k],
          context: t.appendContext(c, k, t.unknown, o[k]),
          message: `unknown field (${name} has ${known.join(', ')})`,
        });
    }
    const field = (k: string, codec: t.Mixed, isRequired: boolean): void => {
      if (!Object.hasOwn(o, k)) {
        if (isRequired)
          errors.push({
            value: undefined,
            context: t.appendContext(c, k, codec, undefined),
            message: `required field missing (${codec.name})`,
          });
        return;
      }
      const r = codec.validate(o[k], t.appendContext(c, k, codec, o[k]));
      if (E.isLeft(r)) errors.push(...r.left);
      else out[k] = r.right;
    };
    for (const [k, codec] of Object.entries(required)) field(k, codec, true);
    for (const [k, codec] of Object.entries(optional)) field(k, codec, false);
    return errors.length > 0 ? t.failures(errors) : t.success(out as A);
  };
  return new t.Type<A, unknown, unknown>(
    name,
    (u): u is A => E.isRight(validate(u, [])),
    validate,
    (a) => a,
  );
}

const Host = nonEmpty('a host name or IP address');
const Path = nonEmpty('a file path', /^.+$/);
const Port = integerIn(1, 65535, 'a TCP port');

const PartyC = strictObject('a party', {}, { host: Host, port: Port, wsPort: Port, bind: Host, cert: Path, key: Path });
const TimeoutsC = strictObject(
  'timeouts',
  {},
  {
    connectMs: integerIn(100, 600_000, 'milliseconds per connection attempt'),
    startMs: integerIn(100, 86_400_000, 'milliseconds to form the session'),
    stallMs: integerIn(100, 86_400_000, 'milliseconds a peer may stay silent'),
  },
);

const MaxFrameC = integerIn(HEADER_BYTES + 1024, 0xffff_ffff, 'the largest frame in bytes');

export const PartiesJsonC = strictObject(
  'the parties configuration',
  { parties: strictObject('parties', { P0: PartyC, P1: PartyC }, { P2: PartyC }) },
  { ca: Path, timeouts: TimeoutsC, maxFrameBytes: MaxFrameC },
);

export type PartiesJson = t.TypeOf<typeof PartiesJsonC>;

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * The fields of a configuration that failed to decode which are valid on their own, so that the
 * checks after decoding (required hosts, readable certificates, the key) still run on them and every
 * bad field is reported at once.
 */
function validFields(json: unknown): PartiesJson {
  const o = isRecord(json) ? json : {};
  const ps = isRecord(o['parties']) ? o['parties'] : {};
  const fields: ReadonlyArray<readonly [string, t.Mixed]> = [
    ['host', Host],
    ['port', Port],
    ['wsPort', Port],
    ['bind', Host],
    ['cert', Path],
    ['key', Path],
  ];
  const party = (v: unknown): t.TypeOf<typeof PartyC> => {
    const r = isRecord(v) ? v : {};
    return Object.fromEntries(fields.filter(([k, codec]) => codec.is(r[k])).map(([k]) => [k, r[k]])) as t.TypeOf<
      typeof PartyC
    >;
  };
  return {
    parties: { P0: party(ps['P0']), P1: party(ps['P1']), ...(ps['P2'] === undefined ? {} : { P2: party(ps['P2']) }) },
    ...(Path.is(o['ca']) ? { ca: o['ca'] } : {}),
    ...(TimeoutsC.is(o['timeouts']) ? { timeouts: o['timeouts'] } : {}),
    ...(MaxFrameC.is(o['maxFrameBytes']) ? { maxFrameBytes: o['maxFrameBytes'] } : {}),
  };
}

export interface Timeouts {
  /** One TCP + TLS connection attempt. */
  readonly connectMs: number;
  /** Forming the whole session: every connection, with retries, and the key agreement. */
  readonly startMs: number;
  /** How long a peer may send nothing while this party waits for it. */
  readonly stallMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5_000, startMs: 60_000, stallMs: 300_000 };

export interface Address {
  readonly host: string;
  readonly port: number;
  /** The local address a listener binds (default: `host`). */
  readonly bind: string;
  /**
   * Where this party also accepts the client from a browser page: WebSockets over TLS (wss://) on
   * this port, beside the TCP listener (docs/deployment.md, "The client in a browser").
   */
  readonly wsPort?: number;
}

/** What the running party needs from parties.json, files read and checked. */
export interface TcpConfig {
  readonly source: string;
  readonly me: PartyId;
  /** 3 when parties.json lists P2, else 2 (P0 and P1 alone). */
  readonly parties: PartyCount;
  /** Addresses of the listening parties (P1, P2). */
  readonly addresses: Readonly<Partial<Record<PartyId, Address>>>;
  readonly cert: string;
  readonly key: string;
  readonly ca: X509Certificate | null;
  readonly pinned: Readonly<Partial<Record<PartyId, X509Certificate>>>;
  readonly timeouts: Timeouts;
  readonly maxFrameBytes: number;
}

const P = (id: PartyId): 'P0' | 'P1' | 'P2' => `P${id}` as const;

/** Decode, check and load the parties configuration for party `me` (`json` already parsed). */
export function resolveConfig(json: unknown, me: PartyId, source: string, baseDir: string): TcpConfig {
  const decoded = PartiesJsonC.decode(json);
  const errors: string[] = E.isLeft(decoded) ? reportErrors(decoded.left) : [];
  // A field already reported (present but invalid) is not reported again as missing or unreadable.
  const decodeErrors = errors.length;
  const reported = new Set(errors.map((l) => l.split(':')[0]));
  const fail = (lines: readonly string[]): never => {
    const once = lines.filter((l, i) => i < decodeErrors || !reported.has(l.split(':')[0]));
    throw new CryptflowError(
      'input',
      `${source}: bad parties configuration (${once.length} problem(s)):\n  ${once.join('\n  ')}`,
    );
  };
  const c = E.isLeft(decoded) ? validFields(json) : decoded.right;
  const parties: PartyCount = c.parties.P2 === undefined ? 2 : 3;
  if (me >= parties)
    fail([
      ...errors,
      `at $.parties.${P(me)}: required field missing (this machine runs ${P(me)}; a 2-party deployment lists P0 and P1 only, and has no helper)`,
    ]);
  const entry = (id: PartyId): t.TypeOf<typeof PartyC> => c.parties[P(id)] ?? {};
  for (const id of partiesOf(parties)) {
    const e = entry(id);
    const at = `at $.parties.${P(id)}`;
    if (id === 0) {
      if (e.port !== undefined)
        errors.push(`${at}.port: P0 listens on no port (each party dials the higher-numbered ones); remove it`);
      if (e.bind !== undefined) errors.push(`${at}.bind: P0 listens on no port; remove it`);
      if (e.wsPort !== undefined) errors.push(`${at}.wsPort: P0 listens on no port; remove it`);
    } else {
      const dialers = id === 1 ? 'P0 connects' : 'P0 and P1 connect';
      if (e.host === undefined) errors.push(`${at}.host: required field missing (${dialers} to ${P(id)} there)`);
      if (e.port === undefined) errors.push(`${at}.port: required field missing (${dialers} to ${P(id)} there)`);
    }
    if (c.ca === undefined && e.cert === undefined)
      errors.push(
        `${at}.cert: required field missing (without "ca", ${P(id)} is authenticated by pinning its certificate)`,
      );
  }
  const own = entry(me);
  if (own.cert === undefined && c.ca !== undefined)
    errors.push(`at $.parties.${P(me)}.cert: required field missing (this machine runs ${P(me)})`);
  if (own.key === undefined)
    errors.push(
      `at $.parties.${P(me)}.key: required field missing (this machine runs ${P(me)} and needs its private key)`,
    );

  const read = (path: string, at: string): string | null => {
    try {
      return readFileSync(resolve(baseDir, path), 'utf8');
    } catch (e) {
      errors.push(`${at}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'I/O error'})`);
      return null;
    }
  };
  const certificate = (path: string, at: string): X509Certificate | null => {
    const pem = read(path, at);
    if (pem === null) return null;
    try {
      return new X509Certificate(pem);
    } catch {
      errors.push(`${at}: ${path} is not a PEM certificate`);
      return null;
    }
  };
  let ca: X509Certificate | null = null;
  if (c.ca !== undefined) {
    ca = certificate(c.ca, 'at $.ca');
    if (ca !== null && !ca.ca)
      errors.push(`at $.ca: ${c.ca} is not a certificate authority (basicConstraints CA:FALSE)`);
  }
  const pinned: Partial<Record<PartyId, X509Certificate>> = {};
  for (const id of partiesOf(parties)) {
    const path = entry(id).cert;
    if (path === undefined) continue;
    const at = `at $.parties.${P(id)}.cert`;
    const x = certificate(path, at);
    if (x === null) continue;
    const named = partyOfCertificate(x);
    if (named !== id)
      errors.push(
        `${at}: ${path} names ${named === null ? 'no party' : P(named)} (its subject must be CN=${partyCommonName(id)})`,
      );
    else if (ca !== null && !(x.checkIssued(ca) && x.verify(ca.publicKey)))
      errors.push(`${at}: ${path} is not issued by the authority in "ca"`);
    else pinned[id] = x;
  }
  const keyPath = own.key;
  const keyPem = keyPath === undefined ? null : read(keyPath, `at $.parties.${P(me)}.key`);
  const ownCert = pinned[me];
  if (keyPem !== null && ownCert !== undefined) {
    try {
      if (!ownCert.checkPrivateKey(createPrivateKey(keyPem)))
        errors.push(`at $.parties.${P(me)}.key: ${keyPath ?? ''} is not the private key of ${own.cert ?? ''}`);
    } catch {
      errors.push(`at $.parties.${P(me)}.key: ${keyPath ?? ''} is not a PEM private key`);
    }
  }
  if (errors.length > 0 || keyPem === null || ownCert === undefined) return fail(errors);

  const addresses: Partial<Record<PartyId, Address>> = {};
  for (const id of partiesOf(parties).filter((p) => p > 0)) {
    const e = entry(id);
    if (e.host !== undefined && e.port !== undefined)
      addresses[id] = {
        host: e.host,
        port: e.port,
        bind: e.bind ?? e.host,
        ...(e.wsPort === undefined ? {} : { wsPort: e.wsPort }),
      };
  }
  return {
    source,
    me,
    parties,
    addresses,
    cert: ownCert.toString(),
    key: keyPem,
    ca,
    pinned,
    timeouts: { ...DEFAULT_TIMEOUTS, ...(c.timeouts ?? {}) },
    maxFrameBytes: c.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
  };
}

/** Read parties.json from `path` and resolve it for party `me`. */
export function loadConfig(path: string, me: PartyId): TcpConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CryptflowError(
      'input',
      `cannot read the parties configuration ${path} (${(e as NodeJS.ErrnoException).code ?? 'I/O error'})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CryptflowError('input', `${path}: the parties configuration is not valid JSON`);
  }
  return resolveConfig(json, me, path, dirname(resolve(path)));
}
