/**
 * parties.json: a generated deployment resolves for each party; every bad field is reported at once
 * with its path (types, ranges, unknown and missing fields, what each party needs, unreadable or
 * wrong certificates, a key that does not match) — the checks after decoding run on the valid fields
 * even when others are bad — as an 'input' error naming the file (exit status 1 in the CLI).
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import { main } from '../../../harness/cli/main.js';
import { DEFAULT_TIMEOUTS, loadConfig, resolveConfig } from '../../../harness/network/tcp/config.js';
import { writeAuthorityCerts, writeSelfSigned } from '../../../harness/party/local.js';
import type { PartyId } from '../../../protocols/common/party.js';
import { deployment, scratchDir } from './support.js';

const dir = scratchDir('tcp-config');
writeAuthorityCerts(dir, [['localhost'], ['localhost'], ['localhost']]);

function errorOf(json: unknown, me: PartyId = 1): string {
  try {
    resolveConfig(json, me, 'parties.json', dir);
  } catch (e) {
    expect(e).toBeInstanceOf(CryptflowError);
    expect((e as CryptflowError).code).toBe('input');
    return (e as Error).message;
  }
  throw new Error('expected a configuration error');
}

const valid = (): { parties: Record<string, Record<string, unknown>>; ca?: string; [k: string]: unknown } => ({
  parties: {
    P0: { cert: 'p0.pem', key: 'p0.key' },
    P1: { host: '127.0.0.1', port: 7001, cert: 'p1.pem', key: 'p1.key' },
    P2: { host: '127.0.0.1', port: 7002, cert: 'p2.pem', key: 'p2.key' },
  },
  ca: 'ca.pem',
});

describe('parties.json', () => {
  it('resolves for each party, with defaults and the addresses of the listeners', async () => {
    const dep = await deployment('config');
    for (const id of [0, 1, 2] as const) {
      const c = loadConfig(dep.config, id);
      expect(c.me).toBe(id);
      expect(c.addresses[1]?.port).toBe(dep.ports[1]);
      expect(c.addresses[2]?.port).toBe(dep.ports[2]);
      expect(c.addresses[0]).toBeUndefined();
      expect(c.ca?.ca).toBe(true);
      expect(Object.keys(c.pinned).sort()).toEqual(['0', '1', '2']);
    }
    const c = resolveConfig(valid(), 2, 'parties.json', dir);
    expect(c.timeouts).toEqual(DEFAULT_TIMEOUTS);
    expect(c.maxFrameBytes).toBe(256 << 20);
    expect(c.addresses[2]).toEqual({ host: '127.0.0.1', port: 7002, bind: '127.0.0.1' });
  });

  it('reports every bad field at once, with its path', () => {
    const j = valid();
    j.parties['P1'] = { host: '', port: '7001', cert: 'p1.pem', key: 'p1.key', colour: 'blue' };
    j.parties['P2'] = { host: 'h', port: 70000, cert: 'p2.pem' };
    j['timeouts'] = { stallMs: 5, connectMS: 100 };
    j['maxFrameBytes'] = 10;
    const m = errorOf(j);
    expect(m.split('\n')[0]).toMatch(/^parties\.json: bad parties configuration \(\d+ problem\(s\)\):$/);
    for (const line of [
      'at $.parties.P1.colour: unknown field (a party has host, port, wsPort, bind, cert, key), got a string',
      'at $.parties.P1.host: expected a host name or IP address, got a string',
      'at $.parties.P1.port: expected a TCP port, an integer in [1, 65535], got a string',
      'at $.parties.P2.port: expected a TCP port, an integer in [1, 65535], got a number',
      'at $.timeouts.connectMS: unknown field (timeouts has connectMs, startMs, stallMs), got a number',
      'at $.timeouts.stallMs: expected milliseconds a peer may stay silent, an integer in [100, 86400000], got a number',
      'at $.maxFrameBytes: expected the largest frame in bytes, an integer in [1040, 4294967295], got a number',
    ]) {
      expect(m).toContain(line);
    }
  });

  it('says what each party needs', () => {
    const noHost = valid();
    noHost.parties['P2'] = { cert: 'p2.pem' };
    noHost.parties['P0'] = { port: 7000, bind: '0.0.0.0', cert: 'p0.pem', key: 'p0.key' };
    const m = errorOf(noHost);
    expect(m).toContain('at $.parties.P2.host: required field missing (P0 and P1 connect to P2 there)');
    expect(m).toContain('at $.parties.P2.port: required field missing (P0 and P1 connect to P2 there)');
    expect(m).toContain(
      'at $.parties.P0.port: P0 listens on no port (each party dials the higher-numbered ones); remove it',
    );
    expect(m).toContain('at $.parties.P0.bind: P0 listens on no port; remove it');

    const noKey = valid();
    delete noKey.parties['P1']?.['key'];
    expect(errorOf(noKey)).toContain(
      'at $.parties.P1.key: required field missing (this machine runs P1 and needs its private key)',
    );

    const noTrust = valid();
    delete noTrust.ca;
    delete noTrust.parties['P2']?.['cert'];
    expect(errorOf(noTrust)).toContain(
      'at $.parties.P2.cert: required field missing (without "ca", P2 is authenticated by pinning its certificate)',
    );

    // Without P2 the deployment has two parties (a 2-party backend): P2 cannot run in it, the others are checked as usual.
    expect(errorOf({ parties: { P0: {}, P1: {} } }, 2)).toContain(
      'at $.parties.P2: required field missing (this machine runs P2; a 2-party deployment lists P0 and P1 only, and has no helper)',
    );
    expect(errorOf({ parties: { P0: {}, P1: {} } })).toContain(
      'at $.parties.P1.host: required field missing (P0 connects to P1 there)',
    );
    expect(errorOf({ parties: { P0: {}, P1: {}, P2: 7 } })).toContain('at $.parties.P2');
    expect(errorOf([])).toContain('at $: expected the parties configuration (an object), got an array');
  });

  it('reads and checks the certificates and the key', () => {
    const other = scratchDir('tcp-config-other');
    writeAuthorityCerts(other, [['localhost'], ['localhost'], ['localhost']]);
    copyFileSync(join(other, 'p1.key'), join(dir, 'other-p1.key'));
    copyFileSync(join(other, 'p2.pem'), join(dir, 'other-p2.pem'));
    writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
    const j = valid();
    j.parties['P0'] = { cert: 'missing.pem' };
    j.parties['P1'] = { host: 'h', port: 1, cert: 'p2.pem', key: 'other-p1.key' };
    j.parties['P2'] = { host: 'h', port: 2, cert: 'other-p2.pem' };
    const m = errorOf(j);
    expect(m).toContain('at $.parties.P0.cert: cannot read missing.pem (ENOENT)');
    expect(m).toContain('at $.parties.P1.cert: p2.pem names P2 (its subject must be CN=cryptflow-P1)');
    expect(m).toContain('at $.parties.P2.cert: other-p2.pem is not issued by the authority in "ca"');

    const wrongKey = valid();
    wrongKey.parties['P1'] = { host: 'h', port: 1, cert: 'p1.pem', key: 'other-p1.key' };
    expect(errorOf(wrongKey)).toContain('at $.parties.P1.key: other-p1.key is not the private key of p1.pem');

    const junk = valid();
    junk.ca = 'junk.pem';
    expect(errorOf(junk)).toContain('at $.ca: junk.pem is not a PEM certificate');
    const leafCa = valid();
    leafCa.ca = 'p0.pem';
    expect(errorOf(leafCa)).toContain('at $.ca: p0.pem is not a certificate authority (basicConstraints CA:FALSE)');
  });

  it('reports type errors, missing fields and unreadable files together, each once', () => {
    const j = valid();
    j.parties['P0'] = { cert: 'missing-p0.pem' };
    j.parties['P1'] = { host: 'h', port: 'seven', cert: 'p1.pem', key: 'p1.key' };
    j.parties['P2'] = { port: 7002, cert: 'missing-p2.pem' };
    j['maxFrameBytes'] = 10;
    const m = errorOf(j);
    const lines = m
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        'at $.parties.P1.port: expected a TCP port, an integer in [1, 65535], got a string',
        'at $.maxFrameBytes: expected the largest frame in bytes, an integer in [1040, 4294967295], got a number',
        'at $.parties.P2.host: required field missing (P0 and P1 connect to P2 there)',
        'at $.parties.P0.cert: cannot read missing-p0.pem (ENOENT)',
        'at $.parties.P2.cert: cannot read missing-p2.pem (ENOENT)',
      ]),
    );
    expect(m.split('\n')[0]).toBe(`parties.json: bad parties configuration (${lines.length} problem(s)):`);
    expect(lines.filter((l) => l.startsWith('at $.parties.P1.port'))).toHaveLength(1);
  });

  it('exits 1 from the CLI, listing every problem', async () => {
    const bad = join(dir, 'several.json');
    writeFileSync(
      bad,
      JSON.stringify({
        parties: {
          P0: { cert: 'p0.pem', key: 'p0.key' },
          P1: { host: '', port: 0, cert: 'p1.pem' },
          P2: { host: 'h', cert: 'nope.pem' },
        },
        ca: 'ca.pem',
      }),
    );
    const err: string[] = [];
    const code = await main(
      ['party', '--role', 'client', '--config', bad, '--input', 'examples/default/sample-clear.pgm'],
      { out: () => undefined, err: (s) => err.push(s) },
    );
    expect(code).toBe(1);
    const text = err.join('\n');
    for (const at of ['$.parties.P1.host', '$.parties.P1.port', '$.parties.P2.port', '$.parties.P2.cert'])
      expect(text).toContain(`at ${at}: `);
  });

  it('pins self-signed certificates when there is no authority', () => {
    const self = scratchDir('tcp-config-self');
    for (const id of [0, 1, 2] as const) writeSelfSigned(self, id, ['localhost']);
    const j = valid();
    delete j.ca;
    const c = resolveConfig(j, 0, 'parties.json', self);
    expect(c.ca).toBeNull();
    expect(c.pinned[2]?.subject).toContain('CN=cryptflow-P2');
  });

  it('names the file when it cannot be read or is not JSON', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "parties": ');
    expect(() => loadConfig(bad, 0)).toThrow(`${bad}: the parties configuration is not valid JSON`);
    expect(() => loadConfig(join(dir, 'nope.json'), 0)).toThrow(
      /cannot read the parties configuration .*nope\.json \(ENOENT\)/,
    );
  });
});
