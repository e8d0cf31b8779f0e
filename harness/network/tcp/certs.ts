/**
 * X.509 certificates for the parties (RFC 5280), written by our own DER encoder (der.ts) and signed
 * with node:crypto: ECDSA P-256 with SHA-256, which every TLS stack accepts.
 *
 * - A party's identity is its certificate's subject common name, `cryptflow-P0`, `cryptflow-P1` or
 *   `cryptflow-P2` (`partyOfCertificate`); the subject alternative names carry the host names and IP
 *   addresses the party is reached at (informational: peers are authenticated by certificate, not by
 *   host name).
 * - Two ways to set up trust: a throw-away authority (`createAuthority`) that signs the three party
 *   certificates (`issuePartyCertificate`), or one self-signed certificate per party
 *   (`selfSignedPartyCertificate`), created on the party's own machine, whose certificate (never its
 *   key) the other two pin.
 * - Keys are fresh P-256 key pairs from the OS CSPRNG; private keys leave this module only as PKCS#8
 *   PEM for the caller to write with owner-only permissions.
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { isIP } from 'node:net';
import { CryptflowError } from '../../../spec/errors.js';
import type { PartyId } from '../../../protocols/common/party.js';
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
  type Der,
} from './der.js';

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** A certificate and its private key, both PEM. */
export interface CertifiedKey {
  readonly cert: string;
  readonly key: string;
}

export function partyCommonName(id: PartyId): string {
  return `cryptflow-P${id}`;
}

/** The common name in a certificate's subject, if it has exactly one. */
export function commonNameOf(cert: X509Certificate): string | null {
  const cns = cert.subject.split('\n').filter((l) => l.startsWith('CN='));
  return cns.length === 1 ? (cns[0] as string).slice(3) : null;
}

/** Which party a certificate names, or null when its subject is not one of ours. */
export function partyOfCertificate(cert: X509Certificate): PartyId | null {
  const m = /^cryptflow-P([012])$/.exec(commonNameOf(cert) ?? '');
  return m === null ? null : (Number(m[1]) as PartyId);
}

function name(cn: string): Der {
  return sequence(
    set(sequence(oid(OID.organization), utf8String('cryptflow'))),
    set(sequence(oid(OID.commonName), utf8String(cn))),
  );
}

function extension(id: string, critical: boolean, value: Der): Der {
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

function ipBytes(host: string): Uint8Array {
  if (isIP(host) === 4) return Uint8Array.from(host.split('.').map(Number));
  const [head = '', tail = ''] = host.split('::');
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const h = groups(head);
  const t = groups(tail);
  const all = host.includes('::') ? [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t] : h;
  return Uint8Array.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}

function subjectAltNames(hosts: readonly string[]): Der {
  return sequence(
    ...hosts.map((h) => {
      if (isIP(h) === 4 || (isIP(h) === 6 && !h.includes('.'))) return implicitPrimitive(7, ipBytes(h));
      if (!/^[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(h))
        throw new CryptflowError('usage', `'${h}' is neither a host name nor an IP address`);
      return implicitPrimitive(2, new TextEncoder().encode(h));
    }),
  );
}

/** The key identifier of RFC 5280 §4.2.1.2 (1): SHA-1 of the subjectPublicKey bits. */
function keyId(publicKey: KeyObject): Uint8Array {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // An EC P-256 SPKI ends with the 65-byte uncompressed point inside the BIT STRING.
  return new Uint8Array(
    createHash('sha1')
      .update(spki.subarray(spki.length - 65))
      .digest(),
  );
}

interface CertificateSpec {
  readonly subject: string;
  readonly issuer: string;
  readonly publicKey: KeyObject;
  readonly signingKey: KeyObject;
  readonly issuerKey: KeyObject;
  readonly authority: boolean;
  readonly hosts: readonly string[];
  readonly days: number;
}

function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function certificate(s: CertificateSpec): string {
  if (!Number.isInteger(s.days) || s.days < 1 || s.days > 3650)
    throw new CryptflowError('usage', `a certificate is valid for 1 to 3650 days, got ${s.days}`);
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const serial = randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f;
  const now = Date.now();
  const notBefore = new Date(Math.floor((now - 3600_000) / 1000) * 1000);
  const notAfter = new Date(Math.floor((now + s.days * 86_400_000) / 1000) * 1000);
  const spki = new Uint8Array(s.publicKey.export({ type: 'spki', format: 'der' }));
  // keyUsage bits (MSB first): digitalSignature 0, keyCertSign 5, cRLSign 6.
  const usage = s.authority
    ? bitString(Uint8Array.of(0x06), 1)
    : s.issuer === s.subject
      ? bitString(Uint8Array.of(0x84), 2)
      : bitString(Uint8Array.of(0x80), 7);
  const extensions = [
    extension(OID.basicConstraints, true, s.authority ? sequence(boolean(true), smallInteger(0)) : sequence()),
    extension(OID.keyUsage, true, usage),
    ...(s.authority ? [] : [extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth), oid(OID.clientAuth)))]),
    ...(s.hosts.length === 0 ? [] : [extension(OID.subjectAltName, false, subjectAltNames(s.hosts))]),
    extension(OID.subjectKeyId, false, octetString(keyId(s.publicKey))),
    extension(OID.authorityKeyId, false, sequence(implicitPrimitive(0, keyId(s.issuerKey)))),
  ];
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    algorithm,
    name(s.issuer),
    sequence(time(notBefore), time(notAfter)),
    name(s.subject),
    spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = new Uint8Array(sign('sha256', tbs, s.signingKey));
  return toPem('CERTIFICATE', sequence(tbs, algorithm, bitString(signature)));
}

function keyPair(): { readonly publicKey: KeyObject; readonly privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

const keyPem = (k: KeyObject): string => k.export({ type: 'pkcs8', format: 'pem' }).toString();

/** A throw-away certificate authority that signs the three party certificates. */
export function createAuthority(days = 365, label = 'cryptflow throw-away CA'): CertifiedKey {
  const { publicKey, privateKey } = keyPair();
  return {
    cert: certificate({
      subject: label,
      issuer: label,
      publicKey,
      signingKey: privateKey,
      issuerKey: publicKey,
      authority: true,
      hosts: [],
      days,
    }),
    key: keyPem(privateKey),
  };
}

/** Party `id`'s certificate signed by the authority, for the given host names and addresses. */
export function issuePartyCertificate(
  ca: CertifiedKey,
  id: PartyId,
  hosts: readonly string[],
  days = 365,
): CertifiedKey {
  const caCert = new X509Certificate(ca.cert);
  if (!caCert.ca) throw new CryptflowError('usage', 'the issuing certificate is not a certificate authority');
  const issuer = commonNameOf(caCert) ?? 'cryptflow throw-away CA';
  const { publicKey, privateKey } = keyPair();
  const cert = certificate({
    subject: partyCommonName(id),
    issuer,
    publicKey,
    signingKey: createPrivate(ca.key),
    issuerKey: caCert.publicKey,
    authority: false,
    hosts,
    days,
  });
  return { cert, key: keyPem(privateKey) };
}

/** A self-signed certificate for party `id`: the other parties pin it. */
export function selfSignedPartyCertificate(id: PartyId, hosts: readonly string[], days = 365): CertifiedKey {
  const { publicKey, privateKey } = keyPair();
  const cn = partyCommonName(id);
  return {
    cert: certificate({
      subject: cn,
      issuer: cn,
      publicKey,
      signingKey: privateKey,
      issuerKey: publicKey,
      authority: false,
      hosts,
      days,
    }),
    key: keyPem(privateKey),
  };
}

function createPrivate(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new CryptflowError('usage', 'the authority key is not a PEM private key');
  }
}
