/**
 * Certificates from our own DER writer: the encoder's primitives against X.690 by hand; authority,
 * party and self-signed certificates that node:crypto parses and verifies, with the identity, host
 * names and extensions asked for; the peer check (right party, authority, pin, validity); and the
 * `cryptflow certs` command.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  commonNameOf,
  createAuthority,
  issuePartyCertificate,
  partyOfCertificate,
  selfSignedPartyCertificate,
} from '../../../harness/network/tcp/certs.js';
import { checkPeer } from '../../../harness/network/tcp/connect.js';
import { derLength, oid, smallInteger, time, unsignedInteger } from '../../../harness/network/tcp/der.js';
import { loadConfig } from '../../../harness/network/tcp/config.js';
import { run } from '../../e2e/support.js';
import { scratchDir } from './support.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('DER', () => {
  it('encodes lengths, integers, object identifiers and times as X.690 says', () => {
    expect([0, 127, 128, 255, 256, 65_536].map((n) => hex(derLength(n)))).toEqual([
      '00',
      '7f',
      '8180',
      '81ff',
      '820100',
      '83010000',
    ]);
    expect(hex(smallInteger(0))).toBe('020100');
    expect(hex(smallInteger(127))).toBe('02017f');
    expect(hex(smallInteger(128))).toBe('02020080');
    expect(hex(unsignedInteger(Uint8Array.of(0, 0, 0x12)))).toBe('020112');
    expect(hex(oid('2.5.4.3'))).toBe('0603550403');
    expect(hex(oid('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(Buffer.from(time(new Date(Date.UTC(2031, 0, 2, 3, 4, 5)))).toString('latin1')).toBe(
      '\u0017\u000d310102030405Z',
    );
    expect(Buffer.from(time(new Date(Date.UTC(2051, 11, 31, 23, 59, 59)))).toString('latin1')).toBe(
      '\u0018\u000f20511231235959Z',
    );
  });

  it('writes minimal positive integers for any magnitude', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (m) => {
        const d = unsignedInteger(m);
        const content = d.subarray(2);
        const value = BigInt(`0x${hex(m) || '0'}`);
        expect(BigInt(`0x${hex(content)}`)).toBe(value);
        expect((content[0] ?? 0) & 0x80).toBe(0);
        if (content.length > 1) expect(content[0] === 0 && ((content[1] ?? 0) & 0x80) === 0).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

describe('certificates', () => {
  const ca = createAuthority(30);
  const caCert = new X509Certificate(ca.cert);

  it('an authority, and party certificates it signs with the asked identity and names', () => {
    expect(caCert.ca).toBe(true);
    expect(caCert.verify(caCert.publicKey)).toBe(true);
    for (const id of [0, 1, 2] as const) {
      const leaf = new X509Certificate(issuePartyCertificate(ca, id, ['node-a.example', '10.1.2.3', '::1'], 30).cert);
      expect(leaf.ca).toBe(false);
      expect(leaf.checkIssued(caCert)).toBe(true);
      expect(leaf.verify(caCert.publicKey)).toBe(true);
      expect(commonNameOf(leaf)).toBe(`cryptflow-P${id}`);
      expect(partyOfCertificate(leaf)).toBe(id);
      expect(leaf.subjectAltName).toBe('DNS:node-a.example, IP Address:10.1.2.3, IP Address:0:0:0:0:0:0:0:1');
      expect(leaf.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
      const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000;
      expect(days).toBeGreaterThan(30);
      expect(days).toBeLessThan(30.1);
    }
    expect(() => issuePartyCertificate(ca, 0, ['bad host!'])).toThrow(
      "'bad host!' is neither a host name nor an IP address",
    );
  });

  it('self-signed party certificates', () => {
    const s = new X509Certificate(selfSignedPartyCertificate(2, ['localhost']).cert);
    expect(s.verify(s.publicKey)).toBe(true);
    expect(s.checkIssued(s)).toBe(true);
    expect(partyOfCertificate(s)).toBe(2);
    expect(partyOfCertificate(caCert)).toBeNull();
  });

  it('the peer check: the right party, issued by the authority, pinned, valid now', () => {
    const p1 = new X509Certificate(issuePartyCertificate(ca, 1, ['localhost']).cert);
    const other = new X509Certificate(issuePartyCertificate(createAuthority(30), 1, ['localhost']).cert);
    const trust = { ca: caCert, pinned: {} };
    expect(checkPeer(p1, trust, [1])).toEqual({ ok: true, party: 1 });
    expect(checkPeer(p1, trust, [0, 2])).toEqual({
      ok: false,
      reason: 'a certificate of P1, where P0 or P2 was expected',
    });
    expect(checkPeer(other, trust, [1])).toEqual({
      ok: false,
      reason: 'unknown certificate claiming P1: not issued by the configured authority',
    });
    expect(checkPeer(caCert, trust, [1])).toEqual({
      ok: false,
      reason: 'unknown certificate (subject CN=cryptflow throw-away CA names no cryptflow party)',
    });
    expect(checkPeer(undefined, trust, [1])).toEqual({ ok: false, reason: 'no certificate presented' });
    expect(checkPeer(p1, trust, [1], Date.parse(p1.validTo) + 1000)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('is not valid now'),
    });
    expect(checkPeer(p1, trust, [1], Date.parse(p1.validFrom) - 1000)).toMatchObject({ ok: false });
    const p1again = new X509Certificate(issuePartyCertificate(ca, 1, ['localhost']).cert);
    expect(checkPeer(p1again, { ca: caCert, pinned: { 1: p1 } }, [1])).toMatchObject({
      ok: false,
      reason: expect.stringContaining('it is not the pinned certificate'),
    });
    expect(checkPeer(p1, { ca: null, pinned: { 1: p1 } }, [1])).toEqual({ ok: true, party: 1 });
    expect(checkPeer(p1, { ca: null, pinned: {} }, [1])).toMatchObject({ ok: false });
  });
});

describe('cryptflow certs', () => {
  it('writes an authority, three party certificates and a working parties.P<i>.json per party; never overwrites', async () => {
    const dir = scratchDir('certs-cli');
    const r = await run(
      'certs',
      '--out',
      dir,
      '--hosts',
      'alpha.example,10.0.0.2+beta.example,10.0.0.3',
      '--ports',
      '7101,7102',
      '--days',
      '10',
    );
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toContain('keep it offline');
    for (const f of [
      'ca.pem',
      'ca.key',
      'p0.pem',
      'p0.key',
      'p1.pem',
      'p1.key',
      'p2.pem',
      'p2.key',
      'parties.P0.json',
      'parties.P1.json',
      'parties.P2.json',
    ])
      expect(existsSync(join(dir, f))).toBe(true);
    expect(statSync(join(dir, 'p1.key')).mode & 0o777).toBe(0o600);
    const p1 = new X509Certificate(readFileSync(join(dir, 'p1.pem')));
    expect(p1.subjectAltName).toBe('IP Address:10.0.0.2, DNS:beta.example');
    for (const id of [0, 1, 2] as const) {
      const c = loadConfig(join(dir, `parties.P${id}.json`), id);
      expect(c.addresses[1]).toEqual({ host: '10.0.0.2', port: 7101, bind: '10.0.0.2' });
      expect(c.addresses[2]?.port).toBe(7102);
      const json = JSON.parse(readFileSync(join(dir, `parties.P${id}.json`), 'utf8')) as {
        parties: Record<string, { key?: string }>;
      };
      expect(
        Object.entries(json.parties)
          .filter(([, e]) => e.key !== undefined)
          .map(([k]) => k),
      ).toEqual([`P${id}`]);
    }
    const again = await run('certs', '--out', dir);
    expect(again.code).toBe(2);
    expect(again.err).toContain('refusing to overwrite');
  });

  it('writes one self-signed party certificate and prints its fingerprint', async () => {
    const dir = scratchDir('certs-self');
    const r = await run('certs', '--out', dir, '--party', 'helper', '--hosts', 'helper.example+192.168.1.9');
    expect(r.code).toBe(0);
    const cert = new X509Certificate(readFileSync(join(dir, 'p2.pem')));
    expect(r.out).toContain(`SHA-256 fingerprint: ${cert.fingerprint256}`);
    expect(cert.subjectAltName).toBe('DNS:helper.example, IP Address:192.168.1.9');
    expect(existsSync(join(dir, 'p0.pem'))).toBe(false);
    const bad = await run('certs', '--out', dir, '--hosts', 'a,b');
    expect([bad.code, bad.err]).toEqual([
      2,
      'cryptflow: error: --hosts needs three entries P0,P1,P2 (use + for several names of one party), got 2',
    ]);
    expect((await run('certs')).err).toContain('certs needs --out DIR');
  });

  it('a failed run leaves no directory behind', async () => {
    const parent = scratchDir('certs-fail');
    for (const args of [
      ['--hosts', 'a,b'],
      ['--ports', '7001'],
      ['--party', 'helper', '--ports', '7001,7002'],
      ['--party', 'nobody'],
    ]) {
      const out = join(parent, 'new', 'certs');
      const r = await run('certs', '--out', out, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(existsSync(join(parent, 'new')), args.join(' ')).toBe(false);
    }
    const blocked = join(parent, 'file');
    writeFileSync(blocked, 'x');
    const r = await run('certs', '--out', join(blocked, 'certs'));
    expect([r.code, r.err]).toEqual([1, expect.stringMatching(/cannot create .*file\/certs: (ENOTDIR|EEXIST)/)]);
  });
});
