/**
 * The malicious backend's simulation tests (malicious3.ts), part two: the simulator. It runs the
 * corrupted party c's own code on c's keys and input and answers each message by its kind (the
 * rules are listed in malicious3.ts); it sees no honest party's input or keys, only what the
 * functionality tells c (the values revealed to it).
 */
import { bug } from '../../spec/errors.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import type { Prg, PartyKeys } from '../../protocols/common/prg.js';
import { decode, encode } from '../../protocols/malicious3/convert.js';
import { add, fromBigints, neg, sub, toBigints, type Z128 } from '../../protocols/malicious3/ring.js';
import { drawZ, m3Params, next, prev, type Auth } from '../../protocols/malicious3/rss.js';
import { M3_MESSAGES } from '../../protocols/malicious3/session.js';
import { localContext } from './view.js';
import { Observed, runOn, valuesOf, ViewRecorder, type Coordinates, type M3Case } from './malicious3-view.js';

/**
 * A change to the simulator's answers (tests that wrong simulators are rejected): sees each simulated
 * message, its kind and a PRG, and returns the message to use.
 */
export type SimulatorChange = (what: string, msg: Uint8Array, rng: Prg) => Uint8Array;

/** One simulated view of c: c's code on its keys and input, every message from the rules above. */
export async function simulateM3View(
  kase: M3Case,
  c: PartyId,
  keys: PartyKeys,
  rng: Prg,
  change?: SimulatorChange,
): Promise<Coordinates> {
  const params = m3Params(kase.k, kase.s);
  const { k, m } = params;
  const E = Math.ceil(m / 8);
  const rec = new ViewRecorder(m);
  const values = valuesOf(kase, 'A', c);
  const inputSizes = kase.inputs.filter((i) => i.owner !== c).map((i) => i.A.length);
  // what the functionality tells c: the values revealed to it (the same on A and B, checked by the caller)
  const outputs = (kase.reveals ?? []).filter((r) => r.to === c).map((r) => r.value(values));
  let outputLow: Z128 | null = null;
  let coin: Uint8Array | null = null;
  let reply: Uint8Array | null = null;
  const uniform = (n: number): Uint8Array => encode(m, drawZ(rng, m, n));
  const answer = (from: PartyId, what: string): Uint8Array => {
    switch (what) {
      case M3_MESSAGES.product:
        return uniform(rec.lastTo(prev(c)).length / E);
      case M3_MESSAGES.opening:
        return uniform(rec.lastTo(next(c)).length / E);
      case M3_MESSAGES.input:
        return uniform(inputSizes.shift() ?? bug('an unexpected input'));
      case M3_MESSAGES.digest: {
        const msg = new Uint8Array(48);
        msg.set(rec.lastTo(from).subarray(0, 32));
        if (coin === null) {
          coin = rng.bytes(16);
          msg.set(coin, 32);
        } else {
          msg.set(coin, 32);
          coin = null;
        }
        return msg;
      }
      case M3_MESSAGES.check: {
        const a = decode(m, rec.lastTo(next(c)), 1, what);
        const b = decode(m, rec.lastTo(prev(c)), 1, what);
        return encode(m, neg(m, add(m, a, b)));
      }
      case M3_MESSAGES.output: {
        if (reply === null) {
          const low = outputLow ?? bug('an output without a reveal');
          const high = toBigints(drawZ(rng, m - k, low.n));
          reply = encode(
            m,
            fromBigints(
              m,
              toBigints(low).map((v, i) => v + ((high[i] ?? 0n) << BigInt(k))),
            ),
          );
          return reply;
        }
        const r = reply;
        reply = null;
        outputLow = null;
        return r;
      }
      default:
        return bug(`the simulator has no rule for '${what}'`);
    }
  };
  const base = localContext(c, k, keys);
  const ctx: PartyContext = {
    id: c,
    ell: k,
    own: base.own,
    shared: (other) => base.shared(other),
    inPhase: (_phase, f) => f(),
    send: (to, bytes) => rec.sent(to, bytes),
    recv: (from, what) => {
      const plain = answer(from, what ?? '?');
      const bytes = change === undefined ? plain : change(what ?? '?', plain, rng);
      rec.received(from, what ?? '?', bytes);
      return Promise.resolve(bytes);
    },
  };
  const beforeReveal = (x: Auth): void => {
    const y = outputs.shift() ?? bug('a reveal the case does not declare');
    // y − (c's two components) mod 2^k; the high bits come from the rule above
    const low = toBigints(sub(m, fromBigints(m, y), add(m, x.x.a, x.x.b)));
    outputLow = fromBigints(
      m,
      low.map((v) => v & ((1n << BigInt(k)) - 1n)),
    );
  };
  await runOn(kase, new Observed(ctx, params, rec, beforeReveal), values);
  return rec.coordinates();
}
