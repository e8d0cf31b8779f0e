/**
 * The page's WebSocket links seen by a relay that reads and rewrites their payloads — what whoever
 * holds an authority the workstation trusts could do under the browser's TLS (simulated here on the
 * `ws` client's payloads): it sees the two hellos in the clear and no window of any share after them
 * (ws-seal.ts); the seal costs exactly 24 bytes a frame, counted with the wire bytes; and a record it
 * modifies, replays or injects, either way, stops every party with an error naming the link.
 */
import { describe, expect, it } from 'vitest';
import { HEADER_BYTES } from '../../../harness/network/tcp/frame.js';
import { wsHeaderBytes } from '../../../harness/network/tcp/link.js';
import { SEAL_OVERHEAD } from '../../../harness/network/tcp/ws-seal.js';
import { pageConnector } from '../../../harness/web/connector.js';
import { requests, runThree, scratchDir, tinyModel } from '../tcp/support.js';
import { frameLog, newRelay, webDeployment, windowsFound } from './support.js';

const tiny = tinyModel(scratchDir('ws-relay'));

describe('a relay on the page’s WebSockets', () => {
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
});
