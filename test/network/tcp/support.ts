/**
 * Shared by the TCP suites: a throw-away deployment in a scratch directory, a tiny CNN written as an
 * ONNX file, the three parties run in this process over loopback TLS (each outcome settled, with its
 * time), and the checks that nothing is left behind — the listening ports can be bound again and no
 * TCP handle of ours is still open.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { loadModel } from '../../../harness/io/model.js';
import type { Timeouts } from '../../../harness/network/tcp/config.js';
import type { KeyMode } from '../../../harness/network/tcp/keys.js';
import { runClient, type ClientOutcome, type ClientRequest } from '../../../harness/party/client.js';
import { writeLocalDeployment, type LocalDeployment } from '../../../harness/party/local.js';
import { runHelper, runServer } from '../../../harness/party/server.js';
import type { TcpSessionOptions } from '../../../harness/party/session.js';
import type { PartyHooks, PartySummary } from '../../../harness/party/walk.js';
import { loadConfig } from '../../../harness/network/tcp/config.js';
import type { BackendName, ServerModel } from '../../../harness/runner/inference.js';
import { onnxGraph } from '../../../passes/frontend/onnx/writer.js';
import { optimizeHlil, paperConfig } from '../../../passes/hlil/pipeline.js';
import type { PartyId } from '../../../protocols/common/party.js';

const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temporary directory, removed after the suite (also when made inside a test). */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cryptflow-tcp-${prefix}-`));
  scratch.push(dir);
  return dir;
}

/** Short timeouts for the tests: a failure must end every party within a few seconds. */
export const TEST_TIMEOUTS: Timeouts = { connectMs: 2000, startMs: 4000, stallMs: 2000 };

export async function deployment(
  prefix: string,
  timeouts: Partial<Timeouts> = TEST_TIMEOUTS,
): Promise<LocalDeployment & { readonly dir: string }> {
  const dir = scratchDir(prefix);
  return { dir, ...(await writeLocalDeployment(dir, timeouts)) };
}

const wave = (n: number, k: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.5));

/** Distinctive weight values, so a test can look for them in what the other parties receive. */
export const MARKER_WEIGHTS = [0.7123456, -0.6234567, 0.5345678];

/** Conv 3×3 → Relu → MaxPool 2×2 → Flatten → Gemm to 3 logits, at batch 1; written to `dir`. */
export function tinyModel(dir: string): { readonly path: string; readonly model: ServerModel; readonly input: string } {
  const g = onnxGraph({ opset: 13 });
  const x = g.input('x', [1, 1, 4, 4]);
  const c = g.node('Conv', [x, g.weight('w', [2, 1, 3, 3], wave(18, 0.7)), g.weight('cb', [2], [0.1, -0.1])], {
    pads: [1, 1, 1, 1],
  });
  const p = g.node('MaxPool', [g.node('Relu', [c])], { kernel_shape: [2, 2], strides: [2, 2] });
  const y = g.node(
    'Gemm',
    [g.node('Flatten', [p]), g.weight('W', [3, 8], wave(24, 1.3)), g.weight('b', [3], MARKER_WEIGHTS)],
    { transB: 1 },
  );
  g.output(y, [1, 3]);
  const path = join(dir, 'tiny.onnx');
  writeFileSync(path, g.bytes());
  const { model } = optimizeHlil(loadModel(path), paperConfig);
  return { path, model, input: 'x' };
}

export function tinyInput(k: number): Map<string, Float32Array> {
  return new Map([['x', Float32Array.from(wave(16, 0.3 + k), (v) => v * 0.9)]]);
}

export function requests(n: number): ClientRequest[] {
  return Array.from({ length: n }, (_, i) => ({ label: `input-${i + 1}`, read: () => tinyInput(i) }));
}

export type Settled<T> =
  | { readonly ok: true; readonly value: T; readonly ms: number }
  | { readonly ok: false; readonly error: Error; readonly ms: number };

async function settle<T>(p: Promise<T>, t0: number): Promise<Settled<T>> {
  try {
    const value = await p;
    return { ok: true, value, ms: performance.now() - t0 };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e : new Error(String(e)), ms: performance.now() - t0 };
  }
}

export interface ThreeOptions {
  readonly dep: LocalDeployment;
  readonly model: ServerModel;
  readonly requests: readonly ClientRequest[];
  readonly keys?: KeyMode;
  readonly backend?: 'porthos' | 'securenn' | 'ideal' | 'plaintext';
  /** The client's --accept (default: the secure backends). */
  readonly accept?: readonly BackendName[];
  /** Per-party session options (tamper, hooks, a replaced config) for fault injection. */
  readonly party?: Partial<Record<PartyId, Partial<TcpSessionOptions> & { readonly hooks?: PartyHooks }>>;
  readonly logs?: string[];
}

export interface ThreeOutcome {
  readonly client: Settled<ClientOutcome>;
  readonly server: Settled<PartySummary>;
  readonly helper: Settled<PartySummary>;
}

/** The three parties in this process, over loopback TLS; every outcome settled. */
export async function runThree(o: ThreeOptions): Promise<ThreeOutcome> {
  const keys = o.keys ?? { kind: 'agreed' };
  const base = (id: PartyId): TcpSessionOptions & { hooks?: PartyHooks } => ({
    config: loadConfig(o.dep.config, id),
    keys,
    closeMs: 500,
    log: (line) => o.logs?.push(`P${id}: ${line}`),
    ...(o.party?.[id] ?? {}),
  });
  const t0 = performance.now();
  const [client, server, helper] = await Promise.all([
    settle(
      runClient({ ...base(0), requests: o.requests, ...(o.accept === undefined ? {} : { accept: o.accept }) }),
      t0,
    ),
    settle(
      runServer({
        ...base(1),
        model: o.model,
        name: 'tiny.onnx',
        backend: o.backend ?? 'porthos',
        ell: 64,
        scale: 12,
        placement: 'eager',
        layout: 'nchw',
      }),
      t0,
    ),
    settle(runHelper(base(2)), t0),
  ]);
  return { client, server, helper };
}

/** Can every port be bound again on loopback (nothing of ours still listening)? */
export async function portsFree(ports: readonly number[]): Promise<boolean> {
  for (const port of ports) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen({ host: '127.0.0.1', port }, () => s.close(() => resolve(true)));
    });
    if (!ok) return false;
  }
  return true;
}

/** Open TCP sockets and servers of this process. */
export function tcpHandles(): number {
  return process
    .getActiveResourcesInfo()
    .filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap' || r === 'TLSWrap').length;
}

/** Wait until the TCP handles are back to `baseline` (closing takes a moment), up to `ms`. */
export async function handlesSettle(baseline: number, ms = 3000): Promise<number> {
  const until = performance.now() + ms;
  while (tcpHandles() > baseline && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
  return tcpHandles();
}
