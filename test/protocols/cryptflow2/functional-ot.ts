/**
 * TEST DOUBLE — INSECURE. A functional OtChannel (protocols/ot/types.ts) over the in-memory network for
 * testing the CrypTFlow2 protocols before the real OT layer (protocols/ot/, IKNP/KKOT) is merged: the
 * sender simply sends EVERY message of every instance in the clear and the receiver keeps the chosen
 * one. Outputs are exactly those of F_OT (ideal/cryptflow2.ts), so protocol correctness can be tested
 * against it; it offers no privacy to the sender and its traffic is NOT the OT layer's (its closed form
 * is `functionalOtCosts` below, for composing exact costs in tests). Never exported from protocols/.
 *
 * Wire form: a batch of `count` instances of ℓ-bit messages travels as one message of
 * N·count·⌈ℓ/8⌉ bytes (N = 2 for 1-out-of-2 and correlated/random OT), sender to receiver, in the
 * 'compute' phase. The sender's randomness (random and correlated OT) comes from its own PRG.
 */
import { CryptflowError } from '../../../spec/errors.js';
import type { OtChannel } from '../../../protocols/ot/types.js';
import type { PartyContext } from '../../../protocols/common/party.js';
import { encodeRing, ringBytes } from '../../../protocols/common/codec.js';
import { step } from '../../../spec/cost/nonlinear.js';
import type { OtCostModel } from '../../../spec/cost/cryptflow2.js';

function pick(all: BigUint64Array, n: number, choices: Uint8Array): BigUint64Array {
  return BigUint64Array.from(choices, (c, i) => all[i * n + c] as bigint);
}

export function functionalOt(ctx: PartyContext, peer: 0 | 1): OtChannel {
  const sendAll = (rows: BigUint64Array, ell: number): void => ctx.send(peer, encodeRing(ell, rows));
  const recvAll = async (n: number, count: number, ell: number): Promise<BigUint64Array> => {
    const bytes = await ctx.recv(peer, 'functional OT (test double)');
    const w = ringBytes(ell);
    if (bytes.length !== w * n * count)
      throw new CryptflowError('decode', `functional OT: expected ${w * n * count} bytes, got ${bytes.length}`);
    const out = new BigUint64Array(n * count);
    for (let i = 0; i < out.length; i++) {
      let v = 0n;
      for (let b = w - 1; b >= 0; b--) v = (v << 8n) | BigInt(bytes[i * w + b] as number);
      if (v >> BigInt(ell) !== 0n) throw new CryptflowError('decode', 'functional OT: element out of range');
      out[i] = v;
    }
    return out;
  };
  const draw = (n: number, ell: number): BigUint64Array => ctx.own.ring(64, n).map((v) => BigInt.asUintN(ell, v));
  const interleave = (m0: BigUint64Array, m1: BigUint64Array): BigUint64Array => {
    const rows = new BigUint64Array(2 * m0.length);
    for (let i = 0; i < m0.length; i++) {
      rows[2 * i] = m0[i] as bigint;
      rows[2 * i + 1] = m1[i] as bigint;
    }
    return rows;
  };
  return {
    send2: async (m0, m1, ell) => sendAll(interleave(m0, m1), ell),
    recv2: async (choices, ell) => pick(await recvAll(2, choices.length, ell), 2, choices),
    sendCorrelated: async (delta, ell) => {
      const x = draw(delta.length, ell);
      sendAll(
        interleave(
          x,
          x.map((v, i) => BigInt.asUintN(ell, v + (delta[i] as bigint))),
        ),
        ell,
      );
      return x;
    },
    recvCorrelated: async (choices, ell) => pick(await recvAll(2, choices.length, ell), 2, choices),
    sendRandom: async (count, ell) => {
      const r0 = draw(count, ell);
      const r1 = draw(count, ell);
      sendAll(interleave(r0, r1), ell);
      return [r0, r1] as const;
    },
    recvRandom: async (choices, ell) => pick(await recvAll(2, choices.length, ell), 2, choices),
    sendN: async (_n, messages, ell) =>
      sendAll(
        messages.map((v) => BigInt.asUintN(ell, v)),
        ell,
      ),
    recvN: async (n, choices, ell) => pick(await recvAll(n, choices.length, ell), n, choices),
  };
}

/** The test double's traffic in closed form: one message of N·count·⌈ℓ/8⌉ bytes, sender to receiver. */
export const functionalOtCosts: OtCostModel = {
  chosen: (sender, count, ell) => step([sender, sender === 0 ? 1 : 0, 2 * count * ringBytes(ell)]),
  correlated: (sender, count, ell) => step([sender, sender === 0 ? 1 : 0, 2 * count * ringBytes(ell)]),
  oneOfN: (sender, n, count, ell) => step([sender, sender === 0 ? 1 : 0, n * count * ringBytes(ell)]),
  random: (sender, count) => step([sender, sender === 0 ? 1 : 0, 2 * count * 8]),
};
