/**
 * One party of a threaded run (harness/runner/threads.ts), as the body of a worker thread: it is
 * given its id, the public program, its own inputs and PRG keys, the backend's name and a message
 * port to each other party — nothing else — and walks the program with `programParty`, exactly the
 * walk of the in-memory and TCP runs.
 *
 * The endpoint over the ports keeps what the in-memory network keeps (meter.ts): bytes per directed
 * link and phase counted by the sender, message counts, and logical rounds (each message carries the
 * sender's round; a receive advances the receiver to max(own, sender + 1)). A message is a fresh
 * copy whose buffer is transferred, or, when its sender handed it over (protocols/common/handover.ts),
 * the sender's own array, moved; either way no party shares memory with another.
 *
 * To the parent it posts: 'node' after each node (with the bytes it has sent so far), 'wait' and
 * 'go' when a receive from a peer blocks and resumes (the parent's deadlock check; receives from both
 * peers may be pending at once), and finally 'done' with its
 * revealed outputs, per-node bytes and meter, or 'error' with the failure's code and message.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { CryptflowError, type ErrorCode } from '../../spec/errors.js';
import { LINKS, zeroLinks, type LinkBytes } from '../../spec/cost/types.js';
import type { LProgram } from '../../ir/llil.js';
import { partyContext } from '../../protocols/common/context.js';
import type { Backend } from '../../protocols/common/backend.js';
import type { Endpoint, PartyId, Phase } from '../../protocols/common/party.js';
import { isHandedOver } from '../../protocols/common/handover.js';
import type { PartyKeys } from '../../protocols/common/prg.js';
import type { ConvPolicy } from '../../protocols/securenn-family/three-party.js';
import { linkName } from '../network/meter.js';
import { backendOf, type BackendName } from './backends.js';
import { programParty, type PartyInputs } from './program.js';

/** What the parent hands one party. */
export interface PartyThreadData {
  readonly id: PartyId;
  readonly program: LProgram;
  readonly inputs: PartyInputs;
  readonly keys: PartyKeys;
  readonly backend: BackendName;
  readonly convPolicy?: ConvPolicy;
  /** A port to each other party. */
  readonly ports: Readonly<Partial<Record<PartyId, MessagePort>>>;
  /** Fault injection for tests: this party silently drops every message after its first `after`. */
  readonly dropSendsAfter?: number;
}

export interface ThreadMeter {
  readonly compute: LinkBytes;
  readonly io: LinkBytes;
  readonly setup: LinkBytes;
  readonly messages: LinkBytes;
  /** This party's round counter when it began its first node, after its last node, and at the very end. */
  readonly roundAtFirstNode: number;
  /** The rounds in which this party sent setup messages. */
  readonly setupStamps: readonly number[];
  readonly roundAtLastNode: number;
  readonly round: number;
}

export type PartyThreadMessage =
  | { readonly kind: 'node'; readonly index: number; readonly sent: number }
  | { readonly kind: 'wait'; readonly from: PartyId }
  | { readonly kind: 'go'; readonly from: PartyId }
  | {
      readonly kind: 'done';
      readonly revealed: Map<string, BigUint64Array>;
      readonly perNode: LinkBytes[];
      readonly meter: ThreadMeter;
    }
  | { readonly kind: 'error'; readonly code: ErrorCode | 'bug'; readonly message: string };

interface Wire {
  readonly r: number;
  readonly b: Uint8Array;
}

class PortEndpoint implements Endpoint {
  readonly compute = zeroLinks();
  readonly io = zeroLinks();
  readonly setup = zeroLinks();
  readonly setupStamps = new Set<number>();
  readonly messages = zeroLinks();
  round = 0;
  private readonly queues = new Map<PartyId, Wire[]>();
  private readonly waiting = new Map<PartyId, (w: Wire) => void>();

  private sends = 0;

  constructor(
    private readonly id: PartyId,
    private readonly ports: Readonly<Partial<Record<PartyId, MessagePort>>>,
    private readonly post: (m: PartyThreadMessage) => void,
    private readonly dropAfter: number = Infinity,
  ) {
    for (const [from, port] of Object.entries(ports)) {
      const peer = Number(from) as PartyId;
      port?.on('message', (w: Wire) => {
        const waiter = this.waiting.get(peer);
        if (waiter !== undefined) {
          this.waiting.delete(peer);
          waiter(w);
        } else {
          const q = this.queues.get(peer) ?? [];
          q.push(w);
          this.queues.set(peer, q);
        }
      });
    }
  }

  private port(peer: PartyId): MessagePort {
    const p = this.ports[peer];
    if (p === undefined) throw new CryptflowError('protocol', `P${this.id} has no link to P${peer}`);
    return p;
  }

  send(to: PartyId, bytes: Uint8Array, phase: Phase): void {
    const l = linkName(this.id, to);
    (phase === 'compute' ? this.compute : phase === 'io' ? this.io : this.setup)[l] += bytes.length;
    if (phase === 'setup') this.setupStamps.add(this.round);
    this.messages[l] += 1;
    if (++this.sends > this.dropAfter) return;
    // A handed-over message (protocols/common/handover.ts) moves with its buffer; any other is copied.
    const moved = isHandedOver(bytes) ? bytes : bytes.slice();
    this.port(to).postMessage({ r: this.round, b: moved } satisfies Wire, [moved.buffer]);
  }

  async recv(from: PartyId): Promise<Uint8Array> {
    this.port(from);
    const queued = this.queues.get(from)?.shift();
    let w: Wire;
    if (queued !== undefined) {
      w = queued;
    } else {
      this.post({ kind: 'wait', from });
      w = await new Promise<Wire>((resolve) => this.waiting.set(from, resolve));
      this.post({ kind: 'go', from });
    }
    this.round = Math.max(this.round, w.r + 1);
    return w.b;
  }

  sent(): number {
    return LINKS.reduce((s, l) => s + this.compute[l], 0);
  }

  close(): void {
    for (const p of Object.values(this.ports)) p?.close();
  }
}

async function main(port: MessagePort, data: PartyThreadData): Promise<void> {
  const post = (m: PartyThreadMessage): void => port.postMessage(m);
  const endpoint = new PortEndpoint(data.id, data.ports, post, data.dropSendsAfter);
  try {
    const inner = backendOf(data.backend, data.convPolicy);
    let done = 0;
    let roundAtFirstNode = 0;
    let roundAtLastNode = 0;
    const backend: Backend = {
      ...inner,
      run: async (ctx, node, operands) => {
        if (done === 0) roundAtFirstNode = endpoint.round;
        const held = await inner.run(ctx, node, operands);
        if (++done === data.program.nodes.length) roundAtLastNode = endpoint.round;
        post({ kind: 'node', index: done - 1, sent: endpoint.sent() });
        return held;
      },
    };
    // The inputs leave workerData, so that once shared they are held by nothing (`once`).
    const inputs = data.inputs;
    (data as { inputs?: PartyInputs | undefined }).inputs = undefined;
    const party = programParty(data.program, inputs, { backend, once: true });
    const ctx = partyContext(data.id, data.program.ell, endpoint, data.keys);
    const result = await party(ctx);
    if (data.program.nodes.length === 0) roundAtFirstNode = roundAtLastNode = endpoint.round;
    const meter: ThreadMeter = {
      compute: endpoint.compute,
      io: endpoint.io,
      setup: endpoint.setup,
      messages: endpoint.messages,
      roundAtFirstNode,
      setupStamps: [...endpoint.setupStamps],
      roundAtLastNode,
      round: endpoint.round,
    };
    post({ kind: 'done', revealed: result.revealed, perNode: result.perNode, meter });
  } catch (e) {
    post({
      kind: 'error',
      code: e instanceof CryptflowError ? e.code : 'bug',
      message: e instanceof Error ? e.message : String(e),
    });
  } finally {
    endpoint.close();
  }
}

if (parentPort !== null) void main(parentPort, workerData as PartyThreadData);
