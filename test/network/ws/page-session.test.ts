/**
 * The page's client over WebSockets (harness/web/connector.ts), run here in Node with the `ws` client
 * and real TLS (the throw-away authority as the only trust anchor), against the real server and helper
 * listening on wss:// beside TCP: the same outputs and metered bytes as the all-TCP session with the
 * same keys; fresh agreed keys work; and each authentication or framing fault stops every party with
 * an error naming it — a wrong pin, a client signature from the wrong key, a malformed frame, a frame
 * cut off by a closed connection. (What a relay on the page's sockets sees: seal-relay.test.ts.)
 */
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/network/tcp/config.js';
import type { WebSocketLike } from '../../../harness/network/tcp/link.js';
import { writeLocalDeployment } from '../../../harness/party/local.js';
import { runClient } from '../../../harness/party/client.js';
import { runServer } from '../../../harness/party/server.js';
import { pageConnector, type PageDeployment } from '../../../harness/web/connector.js';
import { clientSigner, pageDeployment } from '../../../harness/web/gateway.js';
import { requests, runThree, scratchDir, tinyModel, TEST_TIMEOUTS } from '../tcp/support.js';
import { webDeployment } from './support.js';

const dir = scratchDir('ws-page');
const tiny = tinyModel(dir);

describe('the page client over wss:// (in Node)', () => {
  it('gives the TCP session’s outputs and metered bytes exactly with the same keys; agreed keys work too', async () => {
    const w = await webDeployment('same');
    const keys = { kind: 'seeded', seed: 'ws-agree' } as const;
    const web = await runThree({
      dep: w.dep,
      model: tiny.model,
      requests: requests(2),
      keys,
      party: { 0: { connect: pageConnector(w.page, w.open, w.sign) } },
    });
    if (!web.client.ok) throw web.client.error;
    expect([web.server.ok, web.helper.ok]).toEqual([true, true]);
    const tcp = await runThree({ dep: w.dep, model: tiny.model, requests: requests(2), keys });
    if (!tcp.client.ok) throw tcp.client.error;
    const viaTcp = tcp.client.value.results;
    expect(viaTcp.length).toBe(2);
    for (const [a, b] of web.client.value.results.map((r, i) => [r, viaTcp[i]] as const)) {
      expect(a.outputs.map((o) => Array.from(o.secure))).toEqual(b?.outputs.map((o) => Array.from(o.secure)));
      expect(a.meter).toEqual(b?.meter);
      expect(a.perNode).toEqual(b?.perNode);
    }
    const agreed = await runThree({
      dep: w.dep,
      model: tiny.model,
      requests: requests(1),
      party: { 0: { connect: pageConnector(w.page, w.open, w.sign) } },
    });
    if (!agreed.client.ok) throw agreed.client.error;
    expect(agreed.client.value.results[0]?.outputs[0]?.secure.length).toBe(3);
    const wire = agreed.client.value.summary;
    expect(JSON.stringify(wire)).toContain('P1');
  });

  it('a peer whose certificate is not the pinned one is refused by the page, and every party stops', async () => {
    const w = await webDeployment('pin');
    const p1 = w.page.peers['1'];
    if (p1 === undefined) throw new Error('no P1');
    const wrong: PageDeployment = {
      ...w.page,
      peers: { ...w.page.peers, '1': { ...p1, fingerprint: '00'.repeat(32) } },
    };
    const r = await runThree({
      dep: w.dep,
      model: tiny.model,
      requests: requests(1),
      party: { 0: { connect: pageConnector(wrong, w.open, w.sign) } },
    });
    expect(r.client.ok).toBe(false);
    if (!r.client.ok)
      expect(r.client.error.message).toMatch(
        /P1 failed WebSocket authentication: its certificate .* is not the pinned one/,
      );
    expect([r.server.ok, r.helper.ok]).toEqual([false, false]);
  });

  it('a client signature made with another key is refused by the server and the helper', async () => {
    const w = await webDeployment('sig');
    const wrongKey = createPrivateKey(readFileSync(w.dep.files.keys[1], 'utf8'));
    const forged = (m: Uint8Array): Promise<Uint8Array> =>
      Promise.resolve(new Uint8Array(sign('sha256', m, { key: wrongKey, dsaEncoding: 'ieee-p1363' })));
    const r = await runThree({
      dep: w.dep,
      model: tiny.model,
      requests: requests(1),
      party: { 0: { connect: pageConnector(w.page, w.open, forged) } },
    });
    expect([r.client.ok, r.server.ok, r.helper.ok]).toEqual([false, false, false]);
    if (!r.server.ok) expect(r.server.error.message).toMatch(/P0 failed WebSocket authentication: the signature of P0/);
  });

  it('a malformed frame, a frame cut off, and the page going away between frames are clear errors; nothing hangs', async () => {
    for (const fault of ['magic', 'cut', 'gone'] as const) {
      const w = await webDeployment(fault);
      const t0 = performance.now();
      const r = await runThree({
        dep: w.dep,
        model: tiny.model,
        requests: requests(1),
        party: {
          0: {
            connect: pageConnector(w.page, w.open, w.sign),
            tamper: (peer) =>
              peer !== 1
                ? undefined
                : (h, bytes) => {
                    if (h.type !== 'data') return { bytes };
                    if (fault === 'magic') return { bytes: Uint8Array.from(bytes, (b, i) => (i === 0 ? 0x58 : b)) };
                    if (fault === 'gone') return { bytes, thenEnd: true };
                    return { bytes: bytes.subarray(0, Math.max(17, bytes.length - 3)), thenEnd: true };
                  },
          },
        },
      });
      expect([r.client.ok, r.server.ok, r.helper.ok]).toEqual([false, false, false]);
      if (!r.server.ok)
        expect(r.server.error.message).toMatch(
          {
            magic: /P0 sent a malformed frame: not a cryptflow frame/,
            cut: /ended inside a frame \(truncated/,
            gone: /P0 closed the connection (unexpectedly|while this party waited)/,
          }[fault],
        );
      expect(performance.now() - t0).toBeLessThan(15_000);
    }
  });

  it('cryptflow2 (client and server alone) over wss://: the TCP session’s outputs and bytes exactly', async () => {
    const d = scratchDir('ws-two');
    const dep = await writeLocalDeployment(d, TEST_TIMEOUTS, 2, true);
    const config = loadConfig(dep.config, 0);
    const ca = readFileSync(dep.files.ca ?? '');
    const signer = clientSigner(config);
    const connect = pageConnector(
      pageDeployment(config),
      (url) => new WebSocket(url, { ca }) as unknown as WebSocketLike,
      (m) => Promise.resolve(signer(m)),
    );
    const keys = { kind: 'seeded', seed: 'ws-two' } as const;
    const two = async (viaPage: boolean) => {
      const [client] = await Promise.all([
        runClient({
          config,
          keys,
          closeMs: 500,
          requests: requests(1),
          accept: ['cryptflow2'],
          ...(viaPage ? { connect } : {}),
        }),
        runServer({
          config: loadConfig(dep.config, 1),
          keys,
          closeMs: 500,
          model: tiny.model,
          name: 'tiny.onnx',
          backend: 'cryptflow2',
          ell: 32,
          scale: 8,
          placement: 'eager',
          layout: 'nchw',
        }),
      ]);
      return client.results[0];
    };
    const web = await two(true);
    const tcp = await two(false);
    expect(web?.outputs.map((o) => Array.from(o.secure))).toEqual(tcp?.outputs.map((o) => Array.from(o.secure)));
    expect(web?.meter).toEqual(tcp?.meter);
    expect(web?.meter.links['P0->P2']).toBe(0);
  });

  it.todo('cryptflow2 in Chromium (the wss:// run above is in Node; the browser test runs porthos only)');
  it.todo(
    'a WebSocket connection that fails authentication is dropped and the listener keeps waiting (today it stops the session)',
  );
  it.todo(
    "the gateway authenticates the clinician before it signs (today anyone who reaches it may use the client's identity)",
  );
});
