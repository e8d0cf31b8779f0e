/**
 * What a run's communication is: bytes per directed link (the six links among P0, P1, P2), split by
 * phase, and logical rounds. These are the facts tests compare with the closed-form costs in
 * spec/cost/ — exactly. Only the 'compute' phase is what the published numbers count (COMM-SPEC.md).
 */
import type { PartyId, Phase } from '../../protocols/common/party.js';
import { bug } from '../../spec/errors.js';
import { LINKS, totalBytes, zeroLinks, type LinkBytes, type LinkName } from '../../spec/cost/types.js';

export { LINKS, totalBytes, zeroLinks, type LinkBytes, type LinkName } from '../../spec/cost/types.js';

export function linkName(from: PartyId, to: PartyId): LinkName {
  return `P${from}->P${to}` as LinkName;
}

export interface MeterReading {
  /** Bytes per directed link sent in the 'compute' phase. */
  readonly links: LinkBytes;
  /** Bytes per directed link sent in the 'io' phase (input sharing, reveal). */
  readonly io: LinkBytes;
  /**
   * Bytes per directed link sent in the 'setup' phase (the two-party backend's base OTs, once per
   * session); present only when some setup traffic was sent (`withSetup`), so three-party readings
   * are unchanged.
   */
  readonly setup?: LinkBytes;
  /**
   * With `setup`: how many of `rounds` the setup phase took — the distinct rounds its messages were
   * sent in (the base OTs run as one chain, inserted before the first OT a node needs). A node's own
   * rounds are `rounds − setupRounds` when the setup happened inside it (harness/conformance).
   */
  readonly setupRounds?: number;
  /** Messages per directed link, both phases. */
  readonly messages: LinkBytes;
  /** Logical rounds: the largest round counter over the parties. */
  readonly rounds: number;
}

/** The `setup` member of a reading: present only when some setup bytes were sent. */
export function withSetup(setup: LinkBytes | undefined): { readonly setup?: LinkBytes } {
  return setup !== undefined && totalBytes(setup) > 0 ? { setup } : {};
}

export class Meter {
  private readonly compute = zeroLinks();
  private readonly ioBytes = zeroLinks();
  private readonly setupBytes = zeroLinks();
  private readonly count = zeroLinks();
  private readonly setupStampSet = new Set<number>();
  readonly roundOf: [number, number, number] = [0, 0, 0];

  record(from: PartyId, to: PartyId, bytes: number, phase: Phase): void {
    const l = linkName(from, to);
    (phase === 'compute' ? this.compute : phase === 'io' ? this.ioBytes : this.setupBytes)[l] += bytes;
    if (phase === 'setup') this.setupStampSet.add(this.roundOf[from]);
    this.count[l] += 1;
  }

  /** The rounds in which setup messages were sent (the sender's counter at each send). */
  get setupStamps(): readonly number[] {
    return [...this.setupStampSet];
  }

  /** Forget the setup rounds (a TCP session's next request restarts its round clock). */
  clearSetupStamps(): void {
    this.setupStampSet.clear();
  }

  reading(): MeterReading {
    const setup = withSetup({ ...this.setupBytes });
    return {
      links: { ...this.compute },
      io: { ...this.ioBytes },
      ...setup,
      ...(setup.setup === undefined ? {} : { setupRounds: this.setupStampSet.size }),
      messages: { ...this.count },
      rounds: Math.max(...this.roundOf),
    };
  }
}

/**
 * The computation phase's rounds of a run, from each party's logical round counter when it began its
 * first node and when it finished its last: max(end) − max(start), less the rounds in that window in
 * which setup messages were sent (a backend's one-time key setup, e.g. base OTs, that happens inside
 * its first node). The input sharing before the first node and the reveals after the last are not
 * counted, as the cost walk does not count them. Sound as a comparison with the walk: had every party
 * begun at the latest start S, the nodes would end by S + (the walk's rounds) + (the setup's); beginning
 * earlier only lowers a counter (each receive sets it to max(own, sender + 1)).
 */
export function computeRounds(
  starts: readonly number[],
  ends: readonly number[],
  setupStamps: Iterable<number> = [],
): number {
  if (starts.length === 0 || starts.length !== ends.length) bug('computeRounds: one start and one end per party');
  const from = Math.max(...starts);
  const to = Math.max(...ends);
  const setup = new Set([...setupStamps].filter((r) => r >= from && r < to)).size;
  return Math.max(0, to - from - setup);
}

/** Bytes sent by each party. */
export function sentBy(links: LinkBytes, p: PartyId): number {
  return LINKS.filter((l) => l.startsWith(`P${p}->`)).reduce((s, l) => s + links[l], 0);
}

/** Bytes received by each party. */
export function receivedBy(links: LinkBytes, p: PartyId): number {
  return LINKS.filter((l) => l.endsWith(`->P${p}`)).reduce((s, l) => s + links[l], 0);
}

/** Reading b − a, link by link (rounds too). */
export function difference(b: MeterReading, a: MeterReading): MeterReading {
  const sub = (x: LinkBytes, y: LinkBytes): LinkBytes => {
    const out = zeroLinks();
    for (const l of LINKS) out[l] = x[l] - y[l];
    return out;
  };
  return {
    links: sub(b.links, a.links),
    io: sub(b.io, a.io),
    ...withSetup(sub(b.setup ?? zeroLinks(), a.setup ?? zeroLinks())),
    messages: sub(b.messages, a.messages),
    rounds: b.rounds - a.rounds,
  };
}
