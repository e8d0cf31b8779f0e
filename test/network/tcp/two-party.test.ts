/**
 * Two-party deployments over TCP with mutual TLS (a 2-party backend: CrypTFlow2, and plaintext2 as
 * the deterministic reference): a parties.json that lists P0 and P1 only, no helper anywhere.
 *
 * - Client and server in this process over loopback TLS, two requests in one session: the revealed
 *   outputs equal the in-memory plaintext2 run bit for bit, the bytes of each request equal the cost
 *   walk on the two links that exist, and the client's report names no P2.
 * - Configuration: the helper has no place in a 2-party parties.json; a 3-party backend on a 2-party
 *   deployment, and a 2-party backend on a 3-party one, are refused before anything connects.
 * - Faults: the server failing at a layer ends the client with an error naming P1, within the
 *   timeouts, and nothing is left listening.
 * - `run --processes --backend cryptflow2` (two OS processes) gives the in-memory run's outputs and
 *   bytes, and its wire report lists P0 and P1 only.
 * - `cryptflow certs --parties 2` writes P0's and P1's certificates and configs only, and a
 *   cryptflow2 client and server run over them; bad combinations are refused, leaving nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import { encodeInputs, floatToFixed } from '../../../passes/float-to-fixed/program.js';
import type { RunJson } from '../../../harness/cli/run-report.js';
import type { ProcessesWire } from '../../../harness/cli/processes.js';
import { loadConfig } from '../../../harness/network/tcp/config.js';
import { runClient } from '../../../harness/party/client.js';
import { freePort, writeLocalDeployment } from '../../../harness/party/local.js';
import { runServer } from '../../../harness/party/server.js';
import type { PartyHooks } from '../../../harness/party/walk.js';
import { clientJson } from '../../../harness/party/report.js';
import { backendOf, type BackendName } from '../../../harness/runner/inference.js';
import { runProgram } from '../../../harness/runner/program.js';
import { MemoryNetwork } from '../../../harness/network/memory.js';
import { allLinks, nodeCosts } from '../../../harness/cost/walk.js';
import { sequence } from '../../../spec/cost/types.js';
import { run } from '../../e2e/support.js';
import { portsFree, requests, scratchDir, TEST_TIMEOUTS, tinyInput, tinyModel } from './support.js';

async function twoParties(backend: BackendName, o: { readonly hooks?: PartyHooks; readonly n?: number } = {}) {
  const dir = scratchDir('two');
  const dep = await writeLocalDeployment(dir, TEST_TIMEOUTS, 2);
  const tiny = tinyModel(dir);
  const base = (id: 0 | 1) => ({ config: loadConfig(dep.config, id), keys: { kind: 'agreed' } as const, closeMs: 500 });
  const settle = <T>(p: Promise<T>) =>
    p.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error: error as Error }),
    );
  const [client, server] = await Promise.all([
    settle(runClient({ ...base(0), requests: requests(o.n ?? 2), accept: [backend] })),
    settle(
      runServer({
        ...base(1),
        ...(o.hooks === undefined ? {} : { hooks: o.hooks }),
        model: tiny.model,
        name: 'tiny.onnx',
        backend,
        ell: 32,
        scale: 8,
        placement: 'eager',
        layout: 'nchw',
      }),
    ),
  ]);
  return { dep, tiny, client, server };
}

describe('two-party deployments over TCP', () => {
  it('plaintext2, cryptflow2 and cryptflow2-he, client and server alone: outputs bit-equal to in memory, bytes = the cost walk on P0<->P1', async () => {
    for (const backend of ['plaintext2', 'cryptflow2', 'cryptflow2-he'] as const) {
      const { dep, tiny, client, server } = await twoParties(backend);
      if (!client.ok) throw client.error;
      if (!server.ok) throw server.error;
      const plan = floatToFixed(tiny.model.program, { ell: 32, scale: 8, placement: 'eager' });
      const want = sequence(...nodeCosts(plan.program, backendOf(backend, undefined)));
      for (const [i, r] of client.value.results.entries()) {
        const mem = await runProgram(
          plan.program,
          {
            client: encodeInputs(plan, tinyInput(i), 'client'),
            server: encodeInputs(plan, tiny.model.weights, 'server'),
          },
          { backend: backendOf('plaintext2', undefined), network: new MemoryNetwork({ parties: 2 }) },
        );
        for (const [k, v] of mem.outputs) expect(r.revealed.get(k), `${backend} request ${i + 1}: ${k}`).toEqual(v);
        expect(r.meter.links, backend).toEqual(want.links);
        for (const l of ['P0->P2', 'P1->P2', 'P2->P0', 'P2->P1'] as const)
          expect(r.meter.messages[l] + r.meter.io[l]).toBe(0);
      }
      const j = clientJson(client.value);
      expect(Object.keys(j.requests[0]?.bytes.links ?? {})).toEqual(['P0->P1', 'P1->P0']);
      expect(server.value.requests).toBe(2);
      expect(await portsFree([dep.ports[1]])).toBe(true);
    }
  }, 60_000);

  it('the helper has no place in a 2-party parties.json; backends and deployments of different sizes are refused', async () => {
    const dir = scratchDir('sizes');
    const two = await writeLocalDeployment(dir, TEST_TIMEOUTS, 2);
    expect(() => loadConfig(two.config, 2)).toThrow(
      /at \$\.parties\.P2: required field missing .*a 2-party deployment lists P0 and P1 only, and has no helper/,
    );
    expect(loadConfig(two.config, 0).parties).toBe(2);
    const tiny = tinyModel(dir);
    const server = (config: string, backend: BackendName) =>
      runServer({
        config: loadConfig(config, 1),
        keys: { kind: 'agreed' },
        model: tiny.model,
        name: 'tiny.onnx',
        backend,
        ell: 32,
        scale: 8,
        placement: 'eager',
        layout: 'nchw',
      });
    await expect(server(two.config, 'porthos')).rejects.toThrow(
      /the porthos backend runs 3 parties, but .* lists 2: add the helper P2/,
    );
    const three = await writeLocalDeployment(scratchDir('three'), TEST_TIMEOUTS);
    await expect(server(three.config, 'cryptflow2')).rejects.toThrow(CryptflowError);
    await expect(server(three.config, 'cryptflow2')).rejects.toThrow(
      /the cryptflow2 backend runs 2 parties, but .* lists 3: list only P0 and P1 \(no helper\)/,
    );
  }, 30_000);

  it('the server failing at a layer ends the client with an error naming P1, and nothing stays listening', async () => {
    const hooks: PartyHooks = {
      onNode: (_r, i) => {
        if (i === 2) throw new CryptflowError('input', 'injected failure');
      },
    };
    const { dep, client, server } = await twoParties('cryptflow2', { hooks, n: 1 });
    expect(server.ok).toBe(false);
    expect(client.ok).toBe(false);
    if (client.ok) return;
    expect(client.error.message).toMatch(/P1/);
    expect(await portsFree([dep.ports[1]])).toBe(true);
  }, 30_000);

  it('run --processes --backend cryptflow2: two processes, the in-memory outputs and bytes, a wire report of P0 and P1', async () => {
    const dir = scratchDir('procs2');
    const tiny = tinyModel(dir);
    const input = `${dir}/x.json`;
    await import('node:fs').then((fs) =>
      fs.writeFileSync(input, JSON.stringify({ x: Array.from(tinyInput(0).get('x') ?? []) })),
    );
    const flags = ['--backend', 'cryptflow2', '--bitlen', '32', '--scale', '8', '--seed', 'p2', '--json', '--quiet'];
    const [procs, mem] = await Promise.all([
      run('run', tiny.path, '--input', input, ...flags, '--processes'),
      run('run', tiny.path, '--input', input, ...flags),
    ]);
    expect([procs.code, procs.err]).toEqual([0, '']);
    const a = JSON.parse(procs.out) as RunJson & { wire: ProcessesWire };
    const b = JSON.parse(mem.out) as RunJson;
    expect(a.outputs.map((o) => o.secure)).toEqual(b.outputs.map((o) => o.secure));
    expect(a.bytes).toEqual(b.bytes);
    expect(Object.keys(a.wire.parties)).toEqual(['P0', 'P1']);
    expect(allLinks(a.bytes.links)['P0->P2']).toBe(0);
  }, 90_000);

  it('cryptflow certs --parties 2 writes P0 and P1 only, and those files run cryptflow2 over TLS', async () => {
    const dir = join(scratchDir('certs2'), 'dep');
    const port = await freePort();
    const hosts = 'localhost+127.0.0.1,localhost+127.0.0.1';
    const made = await run('certs', '--out', dir, '--parties', '2', '--hosts', hosts, '--ports', String(port));
    expect([made.code, made.err]).toEqual([0, '']);
    expect(made.out).toMatch(/certificates of P0, P1 .*two parties, no helper/);
    expect(readdirSync(dir).sort()).toEqual([
      'ca.key',
      'ca.pem',
      'p0.key',
      'p0.pem',
      'p1.key',
      'p1.pem',
      'parties.P0.json',
      'parties.P1.json',
    ]);
    const json = JSON.parse(readFileSync(join(dir, 'parties.P0.json'), 'utf8')) as {
      parties: Record<string, { key?: string; port?: number }>;
    };
    expect(Object.keys(json.parties)).toEqual(['P0', 'P1']);
    expect([json.parties['P0']?.key, json.parties['P1']?.key, json.parties['P1']?.port]).toEqual([
      'p0.key',
      undefined,
      port,
    ]);
    const config = (id: 0 | 1) => loadConfig(join(dir, `parties.P${id}.json`), id);
    expect(config(0).parties).toBe(2);
    const tiny = tinyModel(dir);
    const [client] = await Promise.all([
      runClient({
        config: config(0),
        keys: { kind: 'agreed' },
        closeMs: 500,
        requests: requests(1),
        accept: ['cryptflow2'],
      }),
      runServer({
        config: config(1),
        keys: { kind: 'agreed' },
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
    const plan = floatToFixed(tiny.model.program, { ell: 32, scale: 8, placement: 'eager' });
    expect(client.results[0]?.meter.links).toEqual(
      sequence(...nodeCosts(plan.program, backendOf('cryptflow2', undefined))).links,
    );
    expect(await portsFree([port])).toBe(true);
    const other = join(scratchDir('certs2-bad'), 'dep');
    for (const bad of [
      ['--parties', '2', '--hosts', 'a,b,c'],
      ['--parties', '2', '--ports', '7001,7002'],
      ['--parties', '2', '--party', 'client'],
      ['--parties', '4'],
    ]) {
      const r = await run('certs', '--out', other, ...bad);
      expect(r.code, bad.join(' ')).not.toBe(0);
      expect(r.err).toMatch(
        /--hosts needs two entries P0,P1|--ports needs one TCP port, for P1|--parties is for|parties/,
      );
    }
    expect(existsSync(other)).toBe(false);
  }, 60_000);
});
