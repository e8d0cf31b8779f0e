/**
 * The page's whole deployment on one machine (`npm run demo:web` and the browser test): a throw-away
 * deployment with WebSocket ports (party/local.ts), the server and the helper as real `cryptflow party`
 * processes — started again after each session, since a party serves one session — and the gateway
 * in this process, serving the built page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type TcpConfig, type Timeouts } from '../network/tcp/config.js';
import { CRYPTFLOW_BIN } from '../party/launch.js';
import { writeLocalDeployment, type LocalDeployment } from '../party/local.js';
import { startGateway, type Gateway } from './serve.js';

export interface LocalWebOptions {
  /** The server's model and how it compiles it (as `cryptflow party --role server`). */
  readonly serverArgs: readonly string[];
  readonly webDir: string;
  readonly labels?: readonly string[];
  /** Replayable keys on every party (tests only). */
  readonly seed?: string;
  readonly timeouts?: Partial<Timeouts>;
  /** Lines the server and the helper print on standard error. */
  readonly log?: (line: string) => void;
  readonly port?: number;
}

export interface LocalWeb {
  readonly gateway: Gateway;
  readonly dir: string;
  readonly deployment: LocalDeployment;
  readonly config: TcpConfig;
  /** How many sessions the server and the helper have finished (each exit, either way). */
  readonly sessions: () => number;
  stop(): Promise<void>;
}

export async function startLocalWeb(o: LocalWebOptions): Promise<LocalWeb> {
  const dir = mkdtempSync(join(tmpdir(), 'cryptflow-web-'));
  const timeouts = { connectMs: 5_000, startMs: 86_400_000, stallMs: 120_000, ...o.timeouts };
  const dep = await writeLocalDeployment(dir, timeouts, 3, true);
  const seed = o.seed === undefined ? [] : ['--seed', o.seed];
  const children = new Set<ChildProcess>();
  let stopping = false;
  let finished = 0;
  const party = (role: 'server' | 'helper', extra: readonly string[]): void => {
    if (stopping) return;
    const child = spawn(
      process.execPath,
      [CRYPTFLOW_BIN, 'party', '--role', role, '--config', dep.config, '--quiet', ...seed, ...extra],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    children.add(child);
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      for (const l of s.split('\n')) if (l.trim() !== '') o.log?.(`${role}: ${l}`);
    });
    child.once('close', () => {
      children.delete(child);
      finished++;
      if (!stopping) setTimeout(() => party(role, extra), 200);
    });
  };
  party('helper', []);
  party('server', o.serverArgs);
  const config = loadConfig(dep.config, 0);
  const gateway = await startGateway({
    config,
    webDir: o.webDir,
    host: '127.0.0.1',
    port: o.port ?? 0,
    ...(o.labels === undefined ? {} : { labels: o.labels }),
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.log === undefined ? {} : { log: o.log }),
  });
  return {
    gateway,
    dir,
    deployment: dep,
    config,
    sessions: () => finished,
    stop: async () => {
      stopping = true;
      await gateway.close();
      await Promise.all(
        [...children].map(
          (c) =>
            new Promise<void>((r) => {
              c.once('close', () => r());
              c.kill('SIGTERM');
            }),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
