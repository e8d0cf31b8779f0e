/**
 * The in-memory network: the endpoints of a run's parties joined by FIFO links in one process, metered.
 * Three parties (P0, P1, P2) have six directed links; two parties (P0, P1: a 2-party backend such as
 * CrypTFlow2) have two, and a message to or from P2 is a 'protocol' error naming the party that sent it
 * (parties.ts).
 *
 * - Each directed link is a FIFO queue (like a TCP stream); a receive takes the oldest message on the
 *   link from the named sender, or waits for one.
 * - Metering (meter.ts): bytes per link and phase, message counts, and logical rounds (a message carries
 *   the sender's round; a receive advances the receiver to max(own, sender + 1)).
 * - Reordering: an optional `deliver` hook wraps every delivery; tests pass fast-check's scheduler
 *   (`s.schedule`) so deliveries on different links resolve in adversarial orders. Per-link FIFO order
 *   is kept, as TCP keeps it.
 * - Faults: `abort(reason)` fails every pending and later receive with that reason (a failed party
 *   aborts the run; the others stop instead of hanging). A deadlock — every running party waiting on a
 *   link with nothing in flight — aborts with a message naming who waits on whom.
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import type { Endpoint, PartyId, Phase } from '../../protocols/common/party.js';
import { Meter } from './meter.js';
import { hasParty, partiesOf, partyList, type PartyCount } from './parties.js';

interface Message {
  readonly bytes: Uint8Array;
  readonly round: number;
}

interface Waiter {
  resolve(m: Message): void;
  reject(e: Error): void;
}

export interface MemoryNetworkOptions {
  /** Wraps each delivery (e.g. fast-check's `scheduler().schedule`) to reorder across links. */
  readonly deliver?: <T>(p: Promise<T>, label: string) => Promise<T>;
  /** How many parties the network joins (default 3). */
  readonly parties?: PartyCount;
}

export class MemoryNetwork {
  readonly meter = new Meter();
  private readonly queues = new Map<string, Message[]>();
  /** Pending receives per link `from>to`, oldest first. */
  private readonly waiting = new Map<string, Waiter[]>();
  readonly parties: PartyCount;
  private readonly running: Set<PartyId>;
  private failure: Error | null = null;
  private checkScheduled = false;

  constructor(private readonly options: MemoryNetworkOptions = {}) {
    this.parties = options.parties ?? 3;
    this.running = new Set(partiesOf(this.parties));
  }

  /** A link to or from a party the run does not have: a clear error, not a message that waits forever. */
  private checkLink(from: PartyId, to: PartyId): void {
    if (hasParty(this.parties, from) && hasParty(this.parties, to)) return;
    throw new CryptflowError(
      'protocol',
      `no link from P${from} to P${to}: this run has ${this.parties} parties (${partyList(this.parties)})`,
    );
  }

  private queue(from: PartyId, to: PartyId): Message[] {
    const key = `${from}>${to}`;
    let q = this.queues.get(key);
    if (q === undefined) {
      q = [];
      this.queues.set(key, q);
    }
    return q;
  }

  endpoint(id: PartyId): Endpoint {
    if (!hasParty(this.parties, id)) bug(`no endpoint for P${id} in a ${this.parties}-party network`);
    return {
      send: (to, bytes, phase) => this.send(id, to, bytes, phase),
      recv: (from) => this.recv(id, from),
    };
  }

  /** The party has returned (or failed): it will not send or receive again. */
  finished(id: PartyId): void {
    this.running.delete(id);
    this.scheduleDeadlockCheck();
  }

  abort(reason: Error): void {
    if (this.failure !== null) return;
    this.failure = reason;
    for (const ws of this.waiting.values()) for (const w of ws) w.reject(reason);
    this.waiting.clear();
  }

  get aborted(): Error | null {
    return this.failure;
  }

  private send(from: PartyId, to: PartyId, bytes: Uint8Array, phase: Phase): void {
    if (this.failure !== null) throw this.failure;
    this.checkLink(from, to);
    this.meter.record(from, to, bytes.length, phase);
    const m: Message = { bytes: bytes.slice(), round: this.meter.roundOf[from] };
    const w = this.waiting.get(`${from}>${to}`)?.shift();
    if (w !== undefined) {
      w.resolve(m);
    } else {
      this.queue(from, to).push(m);
    }
  }

  private async recv(to: PartyId, from: PartyId): Promise<Uint8Array> {
    if (this.failure !== null) throw this.failure;
    this.checkLink(from, to);
    const q = this.queue(from, to);
    const queued = q.shift();
    const arrival =
      queued !== undefined
        ? Promise.resolve(queued)
        : new Promise<Message>((resolve, reject) => {
            const key = `${from}>${to}`;
            const ws = this.waiting.get(key) ?? [];
            ws.push({ resolve, reject });
            this.waiting.set(key, ws);
            this.scheduleDeadlockCheck();
          });
    const deliver = this.options.deliver;
    // The hook only reorders messages that have arrived: it sees a settled promise, so a scheduler
    // never waits on a message its own ordering keeps from being sent.
    const m = await (deliver === undefined
      ? arrival
      : arrival.then((msg) => deliver(Promise.resolve(msg), `P${from}->P${to}`)));
    if (this.failure !== null) throw this.failure;
    const r = this.meter.roundOf;
    r[to] = Math.max(r[to], m.round + 1);
    return m.bytes;
  }

  private scheduleDeadlockCheck(): void {
    if (this.checkScheduled || this.failure !== null) return;
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      if (this.failure !== null) return;
      const blocked = [...this.waiting.entries()]
        .filter(([, ws]) => ws.length > 0)
        .map(([k]) => k.split('>').map(Number) as [number, number]);
      if (blocked.length === 0) return;
      const stuck = [...this.running].every((p) => blocked.some(([, to]) => to === p));
      if (!stuck) return;
      const who = blocked.map(([from, to]) => `P${to} waits for P${from}`).join(', ');
      const gone = partiesOf(this.parties)
        .filter((p) => !this.running.has(p))
        .map((p) => `P${p}`);
      const after = gone.length > 0 ? ` (${gone.join(', ')} already finished)` : '';
      this.abort(new CryptflowError('protocol', `protocol deadlock: ${who}${after}`));
    });
  }
}
