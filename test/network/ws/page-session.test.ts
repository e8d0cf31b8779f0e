/**
 * The page's client over WebSockets (harness/web/connector.ts), run here in Node with the `ws` client
 * and real TLS (the throw-away authority as the only trust anchor), against the real server and helper
 * listening on wss:// beside TCP: the same outputs and metered bytes as the all-TCP session with the
 * same keys; fresh agreed keys work; and each authentication or framing fault stops every party with
 * an error naming it — a wrong pin, a client signature from the wrong key, a malformed frame, a frame
 * cut off by a closed connection. A relay that reads the WebSocket payloads (what a holder of a rogue
 * authority trusted by the workstation would see under the browser's TLS) sees the hellos and nothing
 * of the frames after them (ws-seal.ts); a record it modifies, replays or drops stops every party.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, sign } from 'node:crypto';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../harness/network/tcp/config.js';
import { wsHeaderBytes, type WebSocketLike } from '../../../harness/network/tcp/link.js';
import { HEADER_BYTES } from '../../../harness/network/tcp/frame.js';
import type { Tamper } from '../../../harness/network/tcp/channel.js';
import { SEAL_OVERHEAD } from '../../../harness/network/tcp/ws-seal.js';
import type { PartyId } from '../../../protocols/common/party.js';
import { writeLocalDeployment } from '../../../harness/party/local.js';
import { runClient } from '../../../harness/party/client.js';
import { runServer } from '../../../harness/party/server.js';
import { pageConnector, type PageDeployment } from '../../../harness/web/connector.js';
import { clientSigner, pageDeployment } from '../../../harness/web/gateway.js';
import { requests, runThree, scratchDir, TEST_TIMEOUTS, tinyModel } from '../tcp/support.js';

const dir = scratchDir('ws-page');
const tiny = tinyModel(dir);

/** What a relay on the page's WebSockets sees and does: the payloads each way, per peer, in order. */
interface Relay {
  readonly sent: Record<'1' | '2', Buffer[]>;
  readonly received: Record<'1' | '2', Buffer[]>;
  /** Rewrite the n-th message (from 0) to or from a peer: the bytes to pass on instead (an array: several). */
  readonly rewrite?: (peer: '1' | '2', way: 'out' | 'in', n: number, bytes: Buffer) => Buffer[];
}

/** Put `relay` on a `ws` client socket of the page: every payload it sends or receives passes through it. */
function relayed(ws: WebSocket, peer: '1' | '2', relay: Relay): WebSocketLike {
  const send = ws.send.bind(ws);
  const add = ws.addEventListener.bind(ws);
  const pass = (way: 'out' | 'in', bytes: Buffer): Buffer[] => {
    const log = way === 'out' ? relay.sent[peer] : relay.received[peer];
    const n = log.length;
    log.push(bytes);
    return relay.rewrite?.(peer, way, n, bytes) ?? [bytes];
  };
  const like = ws as unknown as {
    send(data: Uint8Array): void;
    addEventListener(type: string, f: (ev: { readonly data: unknown }) => void): void;
  };
  like.send = (data) => {
    for (const b of pass('out', Buffer.from(data))) send(b);
  };
  like.addEventListener = (type, f) => {
    if (type !== 'message') return add(type as 'open', f as () => void);
    add('message', (ev) => {
      const d = ev.data;
      if (!(d instanceof ArrayBuffer)) return f(ev);
      for (const b of pass('in', Buffer.from(d))) f({ data: new Uint8Array(b).buffer });
    });
  };
  return ws as unknown as WebSocketLike;
}

const newRelay = (rewrite?: Relay['rewrite']): Relay => ({
  sent: { '1': [], '2': [] },
  received: { '1': [], '2': [] },
  ...(rewrite === undefined ? {} : { rewrite }),
});

/** A tamper seam that only records the frames a party sends to each peer (above the seal). */
function frameLog(): { readonly frames: Map<PartyId, Uint8Array[]>; readonly tamper: (peer: PartyId) => Tamper } {
  const frames = new Map<PartyId, Uint8Array[]>();
  return {
    frames,
    tamper: (peer) => (_h, bytes) => {
      const log = frames.get(peer) ?? [];
      frames.set(peer, log);
      log.push(bytes.slice());
      return { bytes };
    },
  };
}

/** The offsets (every `step` bytes) of the `width`-byte windows of `needle` found in `hay`. */
function windowsFound(hay: Buffer, needle: Uint8Array, width: number, step: number): number[] {
  const found: number[] = [];
  for (let at = 0; at + width <= needle.length; at += step)
    if (hay.includes(Buffer.from(needle.subarray(at, at + width)))) found.push(at);
  return found;
}

async function webDeployment(name: string) {
  const d = scratchDir(`ws-${name}`);
  const dep = await writeLocalDeployment(d, TEST_TIMEOUTS, 3, true);
  const config = loadConfig(dep.config, 0);
  const ca = readFileSync(dep.files.ca ?? '');
  const open = (url: string): WebSocketLike => new WebSocket(url, { ca }) as unknown as WebSocketLike;
  const page = pageDeployment(config);
  const through =
    (relay: Relay) =>
    (url: string): WebSocketLike =>
      relayed(new WebSocket(url, { ca }), url === page.peers['1']?.url ? '1' : '2', relay);
  const signer = clientSigner(config);
  return { dep, config, page, open, through, sign: (m: Uint8Array) => Promise.resolve(signer(m)) };
}

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

  it('a relay reading the WebSocket payloads sees the hellos and none of the shares; the seal’s 24 bytes a frame count as TLS', async () => {
    const w = await webDeployment('relay');
    const relay = newRelay();
    const logs = [frameLog(), frameLog(), frameLog()] as const;
    const r = await runThree({
      dep: w.dep,
      model: tiny.model,
      requests: requests(2),
      keys: { kind: 'seeded', seed: 'ws-relay' },
      party: {
        0: { connect: pageConnector(w.page, w.through(relay), w.sign), tamper: logs[0].tamper },
        1: { tamper: logs[1].tamper },
        2: { tamper: logs[2].tamper },
      },
    });
    if (!r.client.ok) throw r.client.error;
    expect([r.server.ok, r.helper.ok]).toEqual([true, true]);
    const seen = Buffer.concat([
      ...relay.sent['1'],
      ...relay.sent['2'],
      ...relay.received['1'],
      ...relay.received['2'],
    ]);
    // Above the seal: every frame the client sent to P1 and P2 and received from them, in the clear.
    const clear = {
      out: { '1': logs[0].frames.get(1) ?? [], '2': logs[0].frames.get(2) ?? [] },
      in: { '1': logs[1].frames.get(0) ?? [], '2': logs[2].frames.get(0) ?? [] },
    };
    const shares = [...clear.out['1'], ...clear.out['2'], ...clear.in['1'], ...clear.in['2']]
      .filter((f) => f[3] === 4 && f.length >= HEADER_BYTES + 16)
      .map((f) => f.subarray(HEADER_BYTES));
    expect(shares.length).toBeGreaterThan(4);
    // The search finds what is there (so the checks below can fail).
    const planted = shares[0] ?? new Uint8Array(0);
    expect(windowsFound(Buffer.concat([seen, planted]), planted, 16, 8)).not.toEqual([]);
    for (const share of shares) expect(windowsFound(seen, share, 16, 8)).toEqual([]);
    for (const peer of ['1', '2'] as const) {
      for (const [raw, frames] of [
        [relay.sent[peer], clear.out[peer]],
        [relay.received[peer], clear.in[peer]],
      ] as const) {
        expect(raw.length).toBe(frames.length);
        expect(Buffer.compare(raw[0] ?? Buffer.alloc(0), frames[0] ?? Buffer.alloc(1))).toBe(0);
        expect(raw.slice(1).map((m, i) => m.length - (frames[i + 1]?.length ?? 0))).toEqual(
          raw.slice(1).map(() => SEAL_OVERHEAD),
        );
        expect(raw.slice(1).filter((m) => m[0] === 0x43 && m[1] === 0x46)).toEqual([]);
      }
      // The meter: payload and framing are the frames (as over TCP); the wire is what the relay saw.
      const link = r.client.value.summary.links[`P0->P${peer}`];
      const sum = (bs: readonly Uint8Array[]): number => bs.reduce((t, b) => t + b.length, 0);
      expect((link?.payload ?? 0) + (link?.framing ?? 0)).toBe(sum(clear.out[peer]));
      expect(link?.wire).toBe(relay.sent[peer].reduce((t, m) => t + m.length + wsHeaderBytes(m.length, true), 0));
      expect(sum(relay.sent[peer]) - sum(clear.out[peer])).toBe(SEAL_OVERHEAD * (clear.out[peer].length - 1));
    }
  });

  it('a record modified, replayed or injected on the wire, either way, stops every party with an error naming the link', async () => {
    const faults = {
      modify: {
        rewrite: (peer: '1' | '2', way: 'out' | 'in', n: number, b: Buffer): Buffer[] =>
          peer === '1' && way === 'out' && n === 2 ? [Buffer.from(b.map((x, i) => (i === 10 ? x ^ 1 : x)))] : [b],
        who: 'server',
        error: /the WebSocket link from P0 to P1: record 1 failed its integrity check/,
      },
      replay: {
        rewrite: (peer: '1' | '2', way: 'out' | 'in', n: number, b: Buffer): Buffer[] =>
          peer === '1' && way === 'out' && n === 2 ? [b, b] : [b],
        who: 'server',
        error: /the WebSocket link from P0 to P1: record 2 is numbered 1 \(replayed\)/,
      },
      inject: {
        rewrite: (peer: '1' | '2', way: 'out' | 'in', n: number, b: Buffer): Buffer[] =>
          peer === '2' && way === 'in' && n === 1 ? [Buffer.alloc(b.length, 0x5a), b] : [b],
        who: 'client',
        error: /the WebSocket link from P2 to P0: record 0 failed its integrity check/,
      },
    } as const;
    for (const [name, fault] of Object.entries(faults)) {
      const w = await webDeployment(`seal-${name}`);
      const t0 = performance.now();
      const r = await runThree({
        dep: w.dep,
        model: tiny.model,
        requests: requests(1),
        party: { 0: { connect: pageConnector(w.page, w.through(newRelay(fault.rewrite)), w.sign) } },
      });
      expect([r.client.ok, r.server.ok, r.helper.ok]).toEqual([false, false, false]);
      const failed = fault.who === 'server' ? r.server : r.client;
      if (!failed.ok) expect(failed.error.message).toMatch(fault.error);
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
