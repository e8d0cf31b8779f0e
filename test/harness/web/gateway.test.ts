/**
 * The gateway (harness/web/gateway.ts, serve.ts): the page's deployment pins each peer by the SHA-256
 * of its certificate and the certificate's own P-256 key; a parties.json without "wsPort" is refused
 * naming the field; the client's key signs the page's WebSocket authentication and nothing else; the
 * HTTPS server serves the page with a Content-Security-Policy that confines its connections to this
 * origin and the peers, answers /sign and /deployment.json, and serves no other path.
 */
import { createHash, createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platform } from '../../../platform/index.js';
import { loadConfig, resolveConfig } from '../../../harness/network/tcp/config.js';
import { wsSignedMessage } from '../../../harness/network/tcp/ws-auth.js';
import { writeLocalDeployment } from '../../../harness/party/local.js';
import { unhex } from '../../../harness/web/connector.js';
import { clientSigner, pageDeployment } from '../../../harness/web/gateway.js';
import { startGateway } from '../../../harness/web/serve.js';
import { scratchDir, TEST_TIMEOUTS } from '../../network/tcp/support.js';

async function setup(web = true) {
  const dir = scratchDir('gateway');
  const dep = await writeLocalDeployment(dir, TEST_TIMEOUTS, 3, web);
  return { dir, dep, config: loadConfig(dep.config, 0) };
}

function fetchGateway(url: string, ca: Buffer, method = 'GET', body?: Uint8Array) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const req = request(url, { method, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : Buffer.from(body));
  });
}

describe('the gateway', () => {
  it('pins each peer by its certificate’s SHA-256 and P-256 key, and needs wsPort', async () => {
    const { dep, config } = await setup();
    const page = pageDeployment(config);
    for (const id of [1, 2] as const) {
      const pin = page.peers[id === 1 ? '1' : '2'];
      const pem = readFileSync(dep.files.certs[id], 'utf8');
      expect(pin?.url).toBe(`wss://127.0.0.1:${dep.wsPorts?.[id] ?? 0}/`);
      expect(pin?.fingerprint).toBe(createHash('sha256').update(new X509Certificate(pem).raw).digest('hex'));
      const msg = new TextEncoder().encode('check');
      const key = createPrivateKey(readFileSync(dep.files.keys[id], 'utf8'));
      const sig = new Uint8Array(sign('sha256', msg, { key, dsaEncoding: 'ieee-p1363' }));
      expect(platform.p256Verify(unhex(pin?.publicKey ?? ''), msg, sig)).toBe(true);
    }
    const plain = await setup(false);
    expect(() => pageDeployment(plain.config)).toThrow(/at \$\.parties\.P1\.wsPort: required for the page/);
    const json = JSON.parse(readFileSync(plain.dep.config, 'utf8')) as { parties: { P0: Record<string, unknown> } };
    json.parties.P0['wsPort'] = 9000;
    expect(() => resolveConfig(json, 0, 'p.json', plain.dir)).toThrow(/P0\.wsPort: P0 listens on no port/);
  });

  it('signs the page’s WebSocket authentication with the client’s key, and nothing else', async () => {
    const { config } = await setup();
    const s = clientSigner(config);
    const m = wsSignedMessage('client', platform.randomBytes(32));
    const sig = s(m);
    const jwk = new X509Certificate(config.cert).publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([
      Buffer.of(4),
      Buffer.from(jwk.x ?? '', 'base64url'),
      Buffer.from(jwk.y ?? '', 'base64url'),
    ]);
    expect(platform.p256Verify(point, m, sig)).toBe(true);
    expect(() => s(wsSignedMessage('server', platform.randomBytes(32)))).toThrow(/signs only/);
    expect(() => s(wsSignedMessage('client', platform.randomBytes(33)))).toThrow(/signs only/);
    expect(() => s(new TextEncoder().encode('GET / HTTP/1.1'))).toThrow(/signs only/);
  });

  it('serves the page with a CSP confined to the peers, /deployment.json and /sign, and no other path', async () => {
    const { dir, dep, config } = await setup();
    const web = join(dir, 'web');
    mkdirSync(join(web, 'build'), { recursive: true });
    for (const f of ['index.html', 'page.js', 'worker.js', 'build/kernels.wasm']) writeFileSync(join(web, f), `<${f}>`);
    const gw = await startGateway({ config, webDir: web, host: '127.0.0.1', port: 0 });
    const ca = readFileSync(dep.files.ca ?? '');
    try {
      const index = await fetchGateway(gw.url, ca);
      expect(index.status).toBe(200);
      expect(index.body.toString()).toBe('<index.html>');
      const csp = String(index.headers['content-security-policy']);
      expect(csp).toContain(
        `connect-src 'self' wss://127.0.0.1:${dep.wsPorts?.[1] ?? 0} wss://127.0.0.1:${dep.wsPorts?.[2] ?? 0}`,
      );
      expect(csp).toContain("default-src 'self'");
      const d = await fetchGateway(`${gw.url}deployment.json`, ca);
      expect(JSON.parse(d.body.toString())).toEqual(JSON.parse(JSON.stringify(pageDeployment(config))));
      const good = await fetchGateway(`${gw.url}sign`, ca, 'POST', wsSignedMessage('client', new Uint8Array(32)));
      expect([good.status, good.body.length]).toEqual([200, 64]);
      const bad = await fetchGateway(`${gw.url}sign`, ca, 'POST', new Uint8Array(5000));
      expect(bad.status).toBe(400);
      for (const path of ['parties.json', '../parties.json', '%2e%2e/p0.key', 'p0.key'])
        expect((await fetchGateway(`${gw.url}${path}`, ca)).status).toBe(404);
      expect((await fetchGateway(`${gw.url}page.js`, ca)).headers['content-type']).toMatch(/javascript/);
    } finally {
      await gw.close();
    }
  });
});
