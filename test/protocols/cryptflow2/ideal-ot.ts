/**
 * TEST DOUBLE — an ideal OT functionality (F_OT, ideal/cryptflow2.ts) for the OT-hybrid security
 * tests: a pair of OtChannels joined by in-process mailboxes, one per direction, so no OT traffic
 * crosses the network and the receiver learns exactly F_OT's output (the chosen message) and nothing
 * else. The sender's random outputs (correlated and random OT) come from its own PRG. Calls are
 * matched in order per direction, as on the real channel. Never exported from protocols/.
 */
import type { OtChannel } from '../../../protocols/ot/types.js';
import type { PartyContext } from '../../../protocols/common/party.js';
import { fOt } from '../../../ideal/cryptflow2.js';

interface Offer {
  readonly n: number;
  readonly rows: BigUint64Array;
}

class Mailbox {
  private readonly offers: Offer[] = [];
  private readonly waiting: ((o: Offer) => void)[] = [];
  put(o: Offer): void {
    const w = this.waiting.shift();
    if (w !== undefined) w(o);
    else this.offers.push(o);
  }
  take(): Promise<Offer> {
    const o = this.offers.shift();
    return o !== undefined ? Promise.resolve(o) : new Promise((resolve) => this.waiting.push(resolve));
  }
}

const mask = (ell: number, v: bigint): bigint => BigInt.asUintN(ell, v);

function pairs(m0: BigUint64Array, m1: BigUint64Array): BigUint64Array {
  const rows = new BigUint64Array(2 * m0.length);
  m0.forEach((v, i) => {
    rows[2 * i] = v;
    rows[2 * i + 1] = m1[i] as bigint;
  });
  return rows;
}

/** Optional tampering of the sender's correlated-OT pad (the planted leaks). */
export interface IdealOtOptions {
  readonly correlatedPad?: (ctx: PartyContext, count: number, ell: number) => BigUint64Array;
}

/** One OtChannel per party, joined by mailboxes (P0→P1 and P1→P0). */
export function idealOtPair(options: IdealOtOptions = {}): (ctx: PartyContext) => OtChannel {
  const boxes = [new Mailbox(), new Mailbox()] as const;
  return (ctx) => {
    const out = boxes[ctx.id === 0 ? 0 : 1];
    const inbox = boxes[ctx.id === 0 ? 1 : 0];
    const draw = (n: number, ell: number): BigUint64Array => ctx.own.ring(64, n).map((v) => mask(ell, v));
    const take = async (choices: Uint8Array): Promise<BigUint64Array> => {
      const o = await inbox.take();
      return fOt(o.n, o.rows, choices);
    };
    return {
      send2: async (m0, m1) => out.put({ n: 2, rows: pairs(m0, m1) }),
      recv2: (choices) => take(choices),
      sendCorrelated: async (delta, ell) => {
        const x = options.correlatedPad?.(ctx, delta.length, ell) ?? draw(delta.length, ell);
        out.put({
          n: 2,
          rows: pairs(
            x,
            x.map((v, i) => mask(ell, v + (delta[i] as bigint))),
          ),
        });
        return x;
      },
      recvCorrelated: (choices) => take(choices),
      sendRandom: async (count, ell) => {
        const [r0, r1] = [draw(count, ell), draw(count, ell)];
        out.put({ n: 2, rows: pairs(r0, r1) });
        return [r0, r1] as const;
      },
      recvRandom: (choices) => take(choices),
      sendN: async (n, messages) => out.put({ n, rows: messages }),
      recvN: (_n, choices) => take(choices),
    };
  };
}
