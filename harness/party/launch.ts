/**
 * The real path on one machine: the `cryptflow party` processes — three, or two (client and server)
 * for a 2-party backend — over loopback, with mutual TLS and throw-away certificates (local.ts) in a
 * private temporary directory that is removed afterwards.
 *
 * The parent only starts the parties and reads their JSON results: the server process alone loads the
 * model and its weights, the client process alone reads the input, the helper gets neither. If a party
 * fails, the others stop on their own within the configured timeouts (session.ts); the parent waits
 * for that, kills any process still running after a grace period, and reports every party's error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CryptflowError } from '../../spec/errors.js';
import type { PartyId } from '../../protocols/common/party.js';
import type { Timeouts } from '../network/tcp/config.js';
import { writeLocalDeployment } from './local.js';
import { parseClientJson, parseSummaryJson, type ClientJson } from './report.js';
import { partyLabel, roleOf } from './session.js';
import type { PartySummary } from './walk.js';

export const CRYPTFLOW_BIN = fileURLToPath(new URL('../../bin/cryptflow.js', import.meta.url));

export interface LocalRunOptions {
  /** Extra arguments of the server process (the model and how to compile it). */
  readonly serverArgs: readonly string[];
  /** Extra arguments of the client process (its input files and how to read them). */
  readonly clientArgs: readonly string[];
  /** Replayable keys (testing only), passed to all three. */
  readonly seed?: string;
  readonly timeouts?: Partial<Timeouts>;
  /** Lines the client prints on standard error (progress), or null for --quiet. */
  readonly progress: ((line: string) => void) | null;
  /** Extra environment for one party (fault injection in tests). */
  readonly env?: Readonly<Partial<Record<PartyId, Readonly<Record<string, string>>>>>;
  /** How many parties to start: 3 (default) or 2 (a 2-party backend: no helper). */
  readonly parties?: 2 | 3;
}

export interface LocalRun {
  readonly client: ClientJson;
  readonly server: PartySummary;
  /** The helper's summary (absent in a 2-party run). */
  readonly helper?: PartySummary;
  readonly seconds: number;
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function start(
  id: PartyId,
  config: string,
  o: LocalRunOptions,
  onLine: ((line: string) => void) | null,
): { readonly child: ChildProcess; readonly exit: Promise<Exit> } {
  const args = [
    CRYPTFLOW_BIN,
    'party',
    '--role',
    roleOf(id),
    '--config',
    config,
    '--json',
    ...(o.seed === undefined ? [] : ['--seed', o.seed]),
  ];
  const extra =
    id === 0
      ? [...o.clientArgs, ...(onLine === null ? ['--quiet'] : [])]
      : id === 1
        ? [...o.serverArgs, '--quiet']
        : ['--quiet'];
  const child = spawn(process.execPath, [...args, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(o.env?.[id] ?? {}) },
  });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
    if (onLine === null) return;
    const lines = (partial + s).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) if (!l.startsWith('cryptflow: ')) onLine(l);
  });
  const exit = new Promise<Exit>((resolve) => {
    child.once('error', (e) =>
      resolve({
        code: 127,
        signal: null,
        stdout,
        stderr: `${stderr}cryptflow: cannot start the party process (${e.message})\n`,
      }),
    );
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exit };
}

function lastError(e: Exit): string {
  const lines = e.stderr.split('\n').filter((l) => l.startsWith('cryptflow: '));
  const last = lines[lines.length - 1];
  if (last !== undefined) return last.replace(/^cryptflow: (error: )?/, '');
  if (e.signal !== null) return `killed by ${e.signal}`;
  return `exited with code ${e.code ?? '?'}`;
}

/** Run the three parties as processes on loopback and return their results. */
export async function runLocalProcesses(o: LocalRunOptions): Promise<LocalRun> {
  const dir = mkdtempSync(join(tmpdir(), 'cryptflow-parties-'));
  const children: ChildProcess[] = [];
  try {
    const timeouts = { connectMs: 5_000, startMs: 30_000, stallMs: 120_000, ...o.timeouts };
    const parties = o.parties ?? 3;
    const dep = await writeLocalDeployment(dir, timeouts, parties);
    const t0 = performance.now();
    const ids: readonly PartyId[] = parties === 3 ? [2, 1, 0] : [1, 0];
    const runs = ids.map((id) => ({ id, ...start(id, dep.config, o, id === 0 ? o.progress : null) }));
    for (const r of runs) children.push(r.child);
    // Once one party fails the others stop by themselves (an abort frame, a closed connection or the
    // stall timeout); past that bound a process still running is killed.
    const grace = timeouts.stallMs + timeouts.startMs + 5_000;
    let killer: NodeJS.Timeout | null = null;
    const exits = await Promise.all(
      runs.map(async (r) => {
        const e = await r.exit;
        if (e.code !== 0 && killer === null)
          killer = setTimeout(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')), grace);
        return [r.id, e] as const;
      }),
    );
    if (killer !== null) clearTimeout(killer);
    const byId = new Map(exits);
    const failed = exits.filter(([, e]) => e.code !== 0);
    if (failed.length > 0) {
      const lines = [...ids].reverse().map((id) => {
        const e = byId.get(id);
        return `  ${partyLabel(id)}: ${e === undefined ? '?' : e.code === 0 ? 'finished' : lastError(e)}`;
      });
      throw new CryptflowError('protocol', `the party processes failed:\n${lines.join('\n')}`);
    }
    const out = (id: PartyId): string => byId.get(id)?.stdout ?? '';
    const helper = parties === 3 ? { helper: parseSummaryJson(out(2), 'the helper') } : {};
    return {
      client: parseClientJson(out(0)),
      server: parseSummaryJson(out(1), 'the server'),
      ...helper,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
