/**
 * The TCP endpoint of one party: the `Endpoint` the party program speaks through (protocols/common/
 * party.ts), over the channels to its two peers.
 *
 * Metering is the in-memory network's (meter.ts), from this party's side: every payload it sends is
 * recorded on its directed link under its current phase, a data frame carries its round, and taking a
 * message advances this party's round to max(own, sender's + 1). Summing the three parties' `sent`
 * meters gives, link by link and phase by phase, exactly what the in-memory meter reads for the same
 * run; `received` is the mirror image (each link's receiver sees what its sender sent).
 */
import type { Endpoint, PartyId, Phase } from '../../../protocols/common/party.js';
import { bug } from '../../../spec/errors.js';
import { Meter } from '../meter.js';
import type { Channel } from './channel.js';

export class TcpEndpoint implements Endpoint {
  /** What this party sent (its two outgoing links) and its round counter. */
  readonly sent = new Meter();
  /** What this party received (its two incoming links). */
  readonly received = new Meter();

  constructor(
    private readonly me: PartyId,
    private readonly channels: ReadonlyMap<PartyId, Channel>,
  ) {}

  private channel(peer: PartyId): Channel {
    return this.channels.get(peer) ?? bug(`P${this.me} has no channel to P${peer}`);
  }

  get round(): number {
    return this.sent.roundOf[this.me];
  }

  /** Start a new request's clock (rounds count per request, as a fresh in-memory run does). */
  resetRound(): void {
    this.sent.roundOf[this.me] = 0;
    this.sent.clearSetupStamps();
  }

  send(to: PartyId, bytes: Uint8Array, phase: Phase): void {
    this.sent.record(this.me, to, bytes.length, phase);
    this.channel(to).write('data', bytes, phase, this.round);
  }

  async recv(from: PartyId): Promise<Uint8Array> {
    const f = await this.channel(from).next(['data'], `a protocol message from P${from}`);
    this.received.record(from, this.me, f.length, f.phase);
    const r = this.sent.roundOf;
    r[this.me] = Math.max(r[this.me], f.round + 1);
    return f.payload;
  }
}
