/**
 * The three parties over real TLS connections on loopback, in this process: the same outputs, bytes
 * per link and phase, messages, rounds and per-node bytes as the in-memory run with the same keys;
 * many requests over one session with keys agreed once; the key agreement itself (pairwise keys agree,
 * are fresh per session, and parties in different key modes stop); what the client and the helper
 * receive about the model (the public program, never a weight); and an orderly close that leaves
 * nothing open.
 */
import { describe, expect, it } from 'vitest';
import { LINKS } from '../../../spec/cost/types.js';
import { loadConfig } from '../../../harness/network/tcp/config.js';
import { runClient } from '../../../harness/party/client.js';
import { runHelper, runServer } from '../../../harness/party/server.js';
import { Session } from '../../../harness/party/session.js';
import { secureInference } from '../../../harness/runner/inference.js';
import type { PartyId } from '../../../protocols/common/party.js';
import {
  deployment,
  handlesSettle,
  MARKER_WEIGHTS,
  portsFree,
  requests,
  runThree,
  scratchDir,
  tcpHandles,
  tinyInput,
  tinyModel,
} from './support.js';

const dir = scratchDir('tcp-session');
const tiny = tinyModel(dir);

describe('three parties over TLS on loopback', () => {
  it('produce the in-memory run exactly (outputs, bytes per link and phase, messages, rounds, per node) with the same keys', async () => {
    const dep = await deployment('same');
    const baseline = tcpHandles();
    const r = await runThree({
      dep,
      model: tiny.model,
      requests: requests(1),
      keys: { kind: 'seeded', seed: 'tcp-agree' },
    });
    if (!r.client.ok) throw r.client.error;
    expect([r.server.ok, r.helper.ok]).toEqual([true, true]);
    const mem = await secureInference(tiny.model, tinyInput(0), {
      backend: 'porthos',
      ell: 64,
      scale: 12,
      seed: 'tcp-agree',
    });
    const got = r.client.value.results[0];
    expect(got).toBeDefined();
    if (got === undefined) return;
    expect(got.outputs.map((o) => Array.from(o.secure))).toEqual(mem.outputs.map((o) => Array.from(o.secure)));
    expect(got.meter).toEqual(mem.meter);
    expect(got.rounds).toBe(mem.rounds);
    expect(got.perNode).toEqual(mem.perNode);
    expect(await handlesSettle(baseline)).toBeLessThanOrEqual(baseline);
    expect(await portsFree([dep.ports[1], dep.ports[2]])).toBe(true);
  });

  it('serve many requests over one session with agreed keys: bytes as in memory, fresh masks per request, summaries add up', async () => {
    const dep = await deployment('many');
    const sent: Uint8Array[] = [];
    const tap = (
      peer: PartyId,
    ): ((h: { readonly type: string }, bytes: Uint8Array) => { bytes: Uint8Array }) | undefined =>
      peer !== 1
        ? undefined
        : (h, bytes) => {
            if (h.type === 'data') sent.push(bytes.slice(16));
            return { bytes };
          };
    const same = [...requests(3), { label: 'input-1 again', read: () => tinyInput(0) }];
    const r = await runThree({ dep, model: tiny.model, requests: same, party: { 0: { tamper: tap } } });
    if (!r.client.ok) throw r.client.error;
    if (!r.server.ok || !r.helper.ok) throw new Error('server or helper failed');
    const mem = await secureInference(tiny.model, tinyInput(0), { backend: 'porthos', ell: 64, scale: 12 });
    const results = r.client.value.results;
    expect(results.map((x) => x.request)).toEqual([1, 2, 3, 4]);
    // The same input twice in one session: the PRG streams run on, so P0's messages are masked afresh.
    const perRequest0 = mem.meter.messages['P0->P1'];
    expect(sent).toHaveLength(4 * perRequest0);
    const hex = (xs: Uint8Array[]): string[] => xs.map((b) => Buffer.from(b).toString('hex'));
    const first = hex(sent.slice(0, perRequest0));
    const again = hex(sent.slice(3 * perRequest0));
    expect(first.filter((m, k) => m === again[k] && m.length > 0)).toEqual([]);
    for (const [i, x] of results.entries()) {
      expect(x.meter.links).toEqual(mem.meter.links);
      expect(x.meter.io).toEqual(mem.meter.io);
      expect(x.rounds).toBe(mem.rounds);
      const plain = await secureInference(tiny.model, tinyInput(i % 3), { backend: 'plaintext', ell: 64, scale: 12 });
      const want = plain.outputs[0]?.fixed ?? new Float64Array();
      // Local truncation is off by at most one ulp per ScaleDown: within a few ulps at the output.
      (x.outputs[0]?.secure ?? []).forEach((v, k) => expect(Math.abs(v - (want[k] ?? NaN))).toBeLessThan(8 / 4096));
    }
    expect([r.server.value.requests, r.helper.value.requests, r.client.value.summary.requests]).toEqual([4, 4, 4]);
    // Each party's payload over the session is its links' bytes of all requests, both phases.
    const perRequest = (l: (typeof LINKS)[number]): number => mem.meter.links[l] + mem.meter.io[l];
    for (const s of [r.client.value.summary, r.server.value, r.helper.value]) {
      for (const [l, w] of Object.entries(s.links)) {
        expect(w.payload).toBe(4 * perRequest(l as (typeof LINKS)[number]));
        expect(w.framing).toBeGreaterThan(0);
        expect(w.tls).toBeGreaterThan(0);
        expect(w.wire).toBe(w.payload + w.framing + w.tls);
      }
    }
  });

  it('send the client and the helper the public program only: no weight value in any setup frame', async () => {
    const dep = await deployment('setup');
    const seen: string[] = [];
    const tap = (): ((h: { readonly type: string }, bytes: Uint8Array) => { bytes: Uint8Array }) => (h, bytes) => {
      if (h.type === 'setup') seen.push(new TextDecoder().decode(bytes.subarray(16)));
      return { bytes };
    };
    const r = await runThree({ dep, model: tiny.model, requests: requests(1), party: { 1: { tamper: tap } } });
    expect(r.client.ok && r.server.ok && r.helper.ok).toBe(true);
    expect(seen).toHaveLength(2);
    const weights = [...tiny.model.weights.values()].flatMap((w) => Array.from(w));
    for (const text of seen) {
      const setup = JSON.parse(text) as { hlil: { decls: { kind: string; owner?: string; values?: unknown }[] } };
      expect(setup.hlil.decls.filter((d) => d.owner === 'server').every((d) => d.values === undefined)).toBe(true);
      for (const w of [...MARKER_WEIGHTS.map(Math.fround), ...weights.slice(0, 8)])
        expect(text).not.toContain(String(w).slice(0, 7));
    }
  });
});

describe('starting a session', () => {
  it('retries until peers that start later are listening', async () => {
    const dep = await deployment('late');
    const model = tiny.model;
    const client = runClient({
      config: loadConfig(dep.config, 0),
      keys: { kind: 'agreed' },
      requests: requests(1),
      closeMs: 300,
    });
    await new Promise((r) => setTimeout(r, 700));
    const [c, s, h] = await Promise.all([
      client,
      runServer({
        config: loadConfig(dep.config, 1),
        keys: { kind: 'agreed' },
        model,
        name: 'tiny.onnx',
        backend: 'porthos',
        ell: 64,
        scale: 12,
        placement: 'eager',
        layout: 'nchw',
        closeMs: 300,
      }),
      runHelper({ config: loadConfig(dep.config, 2), keys: { kind: 'agreed' }, closeMs: 300 }),
    ]);
    expect([c.results.length, s.requests, h.requests]).toEqual([1, 1, 1]);
  });
});

describe('key agreement', () => {
  async function openThree(
    modes: readonly [string | null, string | null, string | null],
  ): Promise<PromiseSettledResult<Session>[]> {
    const dep = await deployment('keys');
    const open = (id: PartyId): Promise<Session> => {
      const seed = modes[id];
      return Session.open({
        config: loadConfig(dep.config, id),
        keys: seed === null ? { kind: 'agreed' } : { kind: 'seeded', seed },
        closeMs: 300,
      });
    };
    return Promise.allSettled([open(0), open(1), open(2)]);
  }

  it('gives each pair one common 16-byte key, distinct pairs distinct keys, and fresh keys per session', async () => {
    const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array()).toString('hex');
    const keysOf = async (): Promise<string[]> => {
      const s = await openThree([null, null, null]);
      const sessions = s.map((x) => (x.status === 'fulfilled' ? x.value : null));
      const [a, b, c] = sessions;
      if (a === null || b === null || c === null || a === undefined || b === undefined || c === undefined)
        throw new Error('a session failed to open');
      expect(hex(a.keys.shared[1])).toBe(hex(b.keys.shared[0]));
      expect(hex(a.keys.shared[2])).toBe(hex(c.keys.shared[0]));
      expect(hex(b.keys.shared[2])).toBe(hex(c.keys.shared[1]));
      const all = [
        hex(a.keys.shared[1]),
        hex(a.keys.shared[2]),
        hex(b.keys.shared[2]),
        hex(a.keys.own),
        hex(b.keys.own),
        hex(c.keys.own),
      ];
      expect(new Set(all).size).toBe(6);
      all.forEach((k) => expect(k).toHaveLength(32));
      await Promise.all([a.finish(), b.finish(), c.finish()]);
      return all;
    };
    const first = await keysOf();
    const second = await keysOf();
    expect(first.filter((k) => second.includes(k))).toEqual([]);
  });

  it('stops when the parties disagree on the key mode or on the replay seed', async () => {
    const mixed = await openThree(['s', null, null]);
    const reasons = mixed.map((x) => (x.status === 'rejected' ? String(x.reason) : 'opened'));
    expect(reasons.every((m) => m !== 'opened')).toBe(true);
    expect(reasons.join('\n')).toMatch(
      /uses (replayable keys from --seed|keys from the key agreement) but this party uses/,
    );
    const seeds = await openThree(['a', 'a', 'b']);
    const why = seeds.map((x) => (x.status === 'rejected' ? String(x.reason) : 'opened')).join('\n');
    expect(why).toContain('replays a different --seed than this party');
  });
});
