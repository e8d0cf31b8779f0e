/**
 * Running a program's parties in worker threads, one each, so that they compute in parallel on a
 * multi-core machine (the in-memory run, harness/runner/program.ts, interleaves them on one thread).
 * As many threads as the backend has parties (`claims.parties`): P0, P1, P2 for a 3-party backend,
 * P0 and P1 joined by one channel for a 2-party one.
 *
 * Each worker (harness/runner/party-thread.ts) is given only its own view: the public program, its
 * owner's inputs (P0 the client's, P1 the server's, P2 none), its own PRG keys and a message port to
 * each peer. Workers talk to each other directly; the parent only collects their reports:
 *   - bytes per link and phase, message counts and rounds, as each sender metered them — the same
 *     facts, by the same rules, as the in-memory network's meter, so the totals are comparable and
 *     the cost walk must still equal them exactly;
 *   - progress after every node (P0's node index, the bytes sent by all parties so far);
 *   - failures: the first party to fail stops the run, the other workers are terminated, and the
 *     error names the party ("P1: …") with the original code;
 *   - deadlock: when every running party has been blocked on a receive for `stallSeconds` (default 60)
 *     with nothing arriving, the run fails with a 'protocol' error naming who waits on whom.
 *
 * The workers load TypeScript through tsx's loader, registered in each worker, so this works under
 * `tsx`, the `cryptflow` command and vitest alike.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, MessageChannel, type MessagePort } from 'node:worker_threads';
import { bug, CryptflowError } from '../../spec/errors.js';
import { LINKS, zeroLinks, type LinkBytes } from '../../spec/cost/types.js';
import type { LNode, LProgram } from '../../ir/llil.js';
import type { PartyId } from '../../protocols/common/party.js';
import { freshKeys, keysFromSeed, type PartyKeys } from '../../protocols/common/prg.js';
import { keysAmong, partiesOf } from '../network/parties.js';
import type { ConvPolicy } from '../../protocols/securenn-family/three-party.js';
import { computeRounds, withSetup, type MeterReading } from '../network/meter.js';
import { backendOf, type BackendName } from './backends.js';
import type { PartyThreadData, PartyThreadMessage, ThreadMeter } from './party-thread.js';
import type { ProgramInputs, ProgramRun } from './program.js';

export interface ThreadRunOptions {
  readonly backend: BackendName;
  readonly convPolicy?: ConvPolicy;
  /** Replayable PRG keys from a seed (tests); fresh random keys when absent. */
  readonly seed?: string;
  readonly keys?: readonly PartyKeys[];
  /** After each node P0 finishes, with the compute bytes all parties have sent so far. */
  readonly onNode?: (p: { readonly index: number; readonly node: LNode; readonly bytes: number }) => void;
  /** How long every party may stay blocked before the run counts as deadlocked (seconds). */
  readonly stallSeconds?: number;
  /**
   * Move the inputs' buffers to the parties' threads instead of copying them (the caller's arrays are
   * left empty): halves the memory the weights take during the run.
   */
  readonly transferInputs?: boolean;
  /** Fault injection for tests: `party` silently drops every message after its first `after`. */
  readonly dropSends?: { readonly party: PartyId; readonly after: number };
}

export interface ThreadedRun extends ProgramRun {
  /** The computation phase's rounds: from the parties' first nodes to their last (network/meter.ts `computeRounds`). */
  readonly rounds: number;
}

const requireHere = createRequire(import.meta.url);
const ENTRY = new URL('./party-thread.ts', import.meta.url).href;

/** tsx's ESM loader API as a file URL, from the package's own export map. */
function tsxApi(): string {
  const manifest = requireHere.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports?: Record<string, { import?: { default?: string } }>;
  };
  const entry = pkg.exports?.['./esm/api']?.import?.default;
  if (entry === undefined)
    throw new CryptflowError(
      'usage',
      `the installed tsx (${manifest}) has no ESM loader API; reinstall with \`npm ci\``,
    );
  return pathToFileURL(join(dirname(manifest), entry)).href;
}

function bootstrap(): string {
  const fail = (what: string): string =>
    `(e) => parentPort.postMessage({ kind: 'error', code: 'usage', message: '${what}: ' + (e && e.message) })`;
  return [
    `const { parentPort } = require('node:worker_threads');`,
    `import(${JSON.stringify(tsxApi())}).then((api) => { api.register(); return import(${JSON.stringify(ENTRY)}).catch(${fail('cannot load the party thread')}); }, ${fail('cannot register the TypeScript loader')});`,
  ].join('\n');
}

function sumLinks(rows: readonly LinkBytes[]): LinkBytes {
  const out = zeroLinks();
  for (const r of rows) for (const l of LINKS) out[l] += r[l];
  return out;
}

export async function runProgramThreads(p: LProgram, inputs: ProgramInputs, o: ThreadRunOptions): Promise<ThreadedRun> {
  const count = backendOf(o.backend, o.convPolicy).claims.parties;
  const PARTIES = partiesOf(count);
  const keys = o.keys ?? (o.seed !== undefined ? keysFromSeed(o.seed) : freshKeys());
  // One channel per pair of parties; P_i holds port1 of (i, j) for i < j, P_j its port2.
  const ports: Partial<Record<PartyId, MessagePort>>[] = PARTIES.map(() => ({}));
  for (const i of PARTIES) {
    for (const j of PARTIES) {
      if (j <= i) continue;
      const c = new MessageChannel();
      (ports[i] ?? bug('ports'))[j] = c.port1;
      (ports[j] ?? bug('ports'))[i] = c.port2;
    }
  }
  const portsOf = (id: PartyId): Partial<Record<PartyId, MessagePort>> => ports[id] ?? bug(`no ports for P${id}`);
  const stallMs = (o.stallSeconds ?? 60) * 1000;
  const code = bootstrap();

  return new Promise<ThreadedRun>((resolve, reject) => {
    const workers: Worker[] = [];
    const results: (Extract<PartyThreadMessage, { kind: 'done' }> | undefined)[] = PARTIES.map(() => undefined);
    const sent: [number, number, number] = [0, 0, 0];
    // Pending receives of each party, by sender: a party is blocked while it has any.
    const pending: [number, number, number][] = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const blockedOn = (i: PartyId): PartyId[] => PARTIES.filter((j) => (pending[i]?.[j] ?? 0) > 0);
    let settled = false;
    let stallTimer: NodeJS.Timeout | undefined;

    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      if (stallTimer !== undefined) clearTimeout(stallTimer);
      // Settle only once every worker has stopped, so that their memory is gone before the caller
      // goes on (e.g. to the plaintext comparison).
      void Promise.allSettled(workers.map((w) => w.terminate())).then(() =>
        error === null ? succeed() : reject(error),
      );
    };

    const succeed = (): void => {
      const done = results.filter((r): r is Extract<PartyThreadMessage, { kind: 'done' }> => r !== undefined);
      const meters: ThreadMeter[] = done.map((r) => r.meter);
      const meter: MeterReading = {
        links: sumLinks(meters.map((m) => m.compute)),
        io: sumLinks(meters.map((m) => m.io)),
        ...withSetup(sumLinks(meters.map((m) => m.setup))),
        messages: sumLinks(meters.map((m) => m.messages)),
        rounds: Math.max(...meters.map((m) => m.round)),
      };
      const perNode = p.nodes.map((_, i) => sumLinks(done.map((r) => r.perNode[i] ?? zeroLinks())));
      const outputs = new Map<string, BigUint64Array>();
      for (const r of done) for (const [k, v] of r.revealed) outputs.set(k, v);
      resolve({
        outputs,
        meter,
        perNode,
        rounds: computeRounds(
          meters.map((m) => m.roundAtFirstNode),
          meters.map((m) => m.roundAtLastNode),
          meters.flatMap((m) => m.setupStamps),
        ),
      });
    };

    const checkStall = (): void => {
      if (stallTimer !== undefined) clearTimeout(stallTimer);
      stallTimer = undefined;
      const running = PARTIES.filter((i) => results[i] === undefined);
      if (running.length === 0 || !running.every((i) => blockedOn(i).length > 0)) return;
      stallTimer = setTimeout(() => {
        const who = running
          .map(
            (i) =>
              `P${i} waits for ${blockedOn(i)
                .map((j) => `P${j}`)
                .join(' and ')}`,
          )
          .join(', ');
        finish(new CryptflowError('protocol', `protocol deadlock: ${who} (no message for ${stallMs / 1000} s)`));
      }, stallMs);
    };

    for (const id of PARTIES) {
      const ports = portsOf(id);
      const data: PartyThreadData = {
        id,
        program: p,
        inputs: id === 0 ? { client: inputs.client } : id === 1 ? { server: inputs.server } : {},
        keys: keysAmong(count, id, keys[id] ?? bug(`no keys for P${id}`)),
        backend: o.backend,
        ...(o.convPolicy === undefined ? {} : { convPolicy: o.convPolicy }),
        ports,
        ...(o.dropSends?.party === id ? { dropSendsAfter: o.dropSends.after } : {}),
      };
      const owned =
        o.transferInputs === true
          ? [
              ...new Set(
                [...(data.inputs.client?.values() ?? []), ...(data.inputs.server?.values() ?? [])].map((a) => a.buffer),
              ),
            ].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)
          : [];
      const worker = new Worker(code, {
        eval: true,
        workerData: data,
        transferList: [...Object.values(ports), ...owned],
      });
      workers.push(worker);
      worker.on('message', (m: PartyThreadMessage) => {
        switch (m.kind) {
          case 'node': {
            sent[id] = m.sent;
            const node = p.nodes[m.index];
            if (id === 0 && node !== undefined)
              o.onNode?.({ index: m.index, node, bytes: sent[0] + sent[1] + sent[2] });
            return;
          }
          case 'wait':
          case 'go': {
            const row = pending[id] ?? bug(`no party ${id}`);
            row[m.from] += m.kind === 'wait' ? 1 : -1;
            checkStall();
            return;
          }
          case 'done':
            results[id] = m;
            checkStall();
            if (results.every((r) => r !== undefined)) finish(null);
            return;
          case 'error':
            finish(
              m.code === 'bug' ? new Error(`P${id}: ${m.message}`) : new CryptflowError(m.code, `P${id}: ${m.message}`),
            );
            return;
        }
      });
      worker.on('error', (e) =>
        finish(new CryptflowError('protocol', `P${id}: the party's thread failed: ${e.message}`)),
      );
      worker.on('exit', (c) => {
        if (results[id] === undefined)
          finish(new CryptflowError('protocol', `P${id}: the party's thread exited (code ${c}) before finishing`));
      });
    }
  });
}
