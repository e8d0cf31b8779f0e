/**
 * Simulation-based checks of the OT layer's semi-honest security at small message widths, with each
 * party corrupted in turn (harness/security/stats.ts's two-sample family at α = 10⁻⁶, fixed seeds):
 *   - receiver corrupted: its view of a chosen 1-out-of-2 OT, a correlated OT and a 1-out-of-4 OT
 *     (the masked messages, beside its output) is distributed as the simulator's, which sees only the
 *     choice and the chosen message, and does not change with the sender's other messages;
 *   - sender corrupted: its view (the extension matrix rows it receives) does not change with the
 *     choices and matches uniform rows;
 * and the same checks catch planted leaks: a pad reused for both messages, a correlated-OT mask that
 * is not random, and a receiver that reuses one seed for both columns of its matrix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Prg } from '../../../protocols/common/prg.js';
import { baseOts } from '../../../protocols/ot/base.js';
import { halves, packBits, unpackBits } from '../../../protocols/ot/bits.js';
import { ExtensionReceiver, ExtensionSender } from '../../../protocols/ot/extension.js';
import { LAMBDA, maskChosen, receiverPads, senderPads } from '../../../protocols/ot/iknp.js';
import { compareSamples, describeFinding, rejects } from '../../../harness/security/stats.js';
import { both, openSession, twoParties, type Pair, type Session } from './support.js';

const ALPHA = 1e-6;
const K = 3000;
const sim = new Prg(new Uint8Array(16).fill(3));

let s: Session;
beforeAll(async () => {
  s = await openSession('ot-security');
});

const filled = (n: number, v: bigint): BigUint64Array => new BigUint64Array(n).fill(v);
const lastReceived = (p: Pair, id: 0 | 1): Uint8Array => p.views[id].at(-1)?.bytes ?? new Uint8Array(0);

/** Per instance, the packed ℓ-bit values it received (`per` of them), then its output. */
function receiverSamples(y: Uint8Array, per: number, ell: number, out: BigUint64Array): Int32Array[] {
  const w = unpackBits(y, out.length * per, ell);
  return Array.from(out, (o, i) =>
    Int32Array.from([...Array.from({ length: per }, (_, v) => w[2 * (i * per + v)] as number), Number(o)]),
  );
}

/** The first four bytes of every matrix row the sender received (rows of `width` bits). */
function senderSamples(u: Uint8Array, width: number): Int32Array[] {
  const row = width / 8;
  return Array.from({ length: u.length / row }, (_, i) => Int32Array.from(u.subarray(i * row, i * row + 4)));
}

function expectSame(x: Int32Array[], y: Int32Array[], moduli: readonly number[]): void {
  const c = compareSamples(x, y, moduli);
  expect(rejects(c, ALPHA), describeFinding(c.worst)).toBe(false);
}

function expectCaught(x: Int32Array[], y: Int32Array[], moduli: readonly number[]): void {
  expect(rejects(compareSamples(x, y, moduli), ALPHA)).toBe(true);
}

describe('receiver corrupted', () => {
  const ell = 2;
  /** The ideal world: the simulator knows c and m_c only; the other masked messages are uniform. */
  const simulated = (per: number, choices: Uint8Array, chosen: BigUint64Array): Int32Array[] =>
    Array.from(choices, (c, i) => {
      const ys = Array.from(sim.ring(ell, per), Number);
      const pad = Number(sim.ring(ell, 1)[0]);
      ys[c] = Number(chosen[i]) ^ pad;
      return Int32Array.from([...ys, Number(chosen[i])]);
    });

  it('chosen 1-out-of-2 OT: the view matches the simulator and ignores the other message', async () => {
    const c = new Uint8Array(K);
    const views: Int32Array[][] = [];
    for (const other of [0n, 3n]) {
      const r = await both(
        s,
        () => s.ch[1].send2(filled(K, 1n), filled(K, other), ell),
        () => s.ch[0].recv2(c, ell),
      );
      views.push(receiverSamples(lastReceived(s, 0), 2, ell, r.out[1]));
    }
    const [a, b] = views as [Int32Array[], Int32Array[]];
    expectSame(a, b, [4, 4, 4]);
    expectSame(a, simulated(2, c, filled(K, 1n)), [4, 4, 4]);
  });

  it('correlated OT: the view matches the simulator and ignores Δ', async () => {
    const c = new Uint8Array(K);
    const views: Int32Array[][] = [];
    for (const delta of [0n, 3n]) {
      const r = await both(
        s,
        () => s.ch[1].sendCorrelated(filled(K, delta), ell),
        () => s.ch[0].recvCorrelated(c, ell),
      );
      views.push(receiverSamples(lastReceived(s, 0), 1, ell, r.out[1]));
    }
    const [a, b] = views as [Int32Array[], Int32Array[]];
    expectSame(a, b, [4, 4]);
    expectSame(
      a,
      Array.from({ length: K }, () => Int32Array.from(sim.ring(ell, 2), Number)),
      [4, 4],
    );
  });

  it('1-out-of-4 OT: the view matches the simulator and ignores the other three messages', async () => {
    const n = 4;
    const c = sim.field(n, K);
    const views: Int32Array[][] = [];
    for (const other of [0n, 3n]) {
      const msgs = new BigUint64Array(K * n).map((_, k) => (k % n === (c[Math.floor(k / n)] as number) ? 2n : other));
      const r = await both(
        s,
        () => s.ch[0].sendN(n, msgs, ell),
        () => s.ch[1].recvN(n, c, ell),
      );
      views.push(receiverSamples(lastReceived(s, 1), n, ell, r.out[1]));
    }
    const [a, b] = views as [Int32Array[], Int32Array[]];
    expectSame(a, b, [4, 4, 4, 4, 4]);
    expectSame(a, simulated(n, c, filled(K, 2n)), [4, 4, 4, 4, 4]);
  });
});

describe('sender corrupted', () => {
  const uniformRows = (): Int32Array[] => Array.from({ length: K }, () => Int32Array.from(sim.bytes(4)));

  it.each([
    [
      'chosen 1-out-of-2 OT',
      128,
      (c: Uint8Array) =>
        both(
          s,
          () => s.ch[0].send2(filled(K, 0n), filled(K, 1n), 1),
          () => s.ch[1].recv2(c, 1),
        ),
    ],
    [
      '1-out-of-16 OT',
      256,
      (c: Uint8Array) =>
        both(
          s,
          () => s.ch[0].sendN(16, filled(16 * K, 0n), 1),
          () =>
            s.ch[1].recvN(
              16,
              c.map((b) => 15 * b),
              1,
            ),
        ),
    ],
  ] as const)('%s: the matrix rows do not depend on the choices', async (_, width, call) => {
    const views: Int32Array[][] = [];
    for (const choice of [0, 1]) {
      const from = s.views[0].length;
      await call(new Uint8Array(K).fill(choice));
      const matrix = s.views[0].slice(from).find((m) => m.what === 'OT extension matrix');
      views.push(senderSamples(matrix?.bytes ?? new Uint8Array(0), width));
    }
    const [a, b] = views as [Int32Array[], Int32Array[]];
    expect(a.length).toBe(K);
    expectSame(a, b, [256, 256, 256, 256]);
    expectSame(a, uniformRows(), [256, 256, 256, 256]);
  });
});

describe('planted leaks are caught', () => {
  /** Extension states of one direction (P0 sends) on base OTs, built as openOtChannel builds them. */
  interface Direction {
    readonly p: Pair;
    readonly S: ExtensionSender;
    readonly R: ExtensionReceiver;
    readonly pairs: readonly (readonly [Uint8Array, Uint8Array])[];
  }
  let d: Direction;
  beforeAll(async () => {
    const p = twoParties('ot-leaks');
    const [b0, b1] = await Promise.all([baseOts(p.ctx[0], 1, LAMBDA), baseOts(p.ctx[1], 0, LAMBDA)]);
    d = {
      p,
      S: new ExtensionSender(LAMBDA, b0.choices, b0.chosen),
      R: new ExtensionReceiver(LAMBDA, b1.pairs),
      pairs: b1.pairs,
    };
  });

  it('a pad reused for both messages (receiver corrupted)', async () => {
    const { p, S, R } = d;
    const ell = 2;
    const c = new Uint8Array(K);
    const sent = async (): Promise<void> => {
      const [h0] = await senderPads(S, p.ctx[0], 1, K, ell);
      p.ctx[0].send(1, maskChosen(halves(filled(K, 1n)), halves(filled(K, 3n)), [h0, h0], ell));
    };
    const got = async (): Promise<Int32Array[]> => {
      const pad = receiverPads(R, p.ctx[1], 0, c, ell);
      const y = await p.ctx[1].recv(0, 'OT masked messages');
      return receiverSamples(
        y,
        2,
        ell,
        new BigUint64Array(K).map((_, i) => BigInt((pad[2 * i] as number) ^ 1)),
      );
    };
    const [, leaky] = await Promise.all([sent(), got()]);
    expectCaught(
      leaky,
      Array.from({ length: K }, () => Int32Array.from([...sim.ring(ell, 2), 1n], Number)),
      [4, 4, 4],
    );
  });

  it('a correlated-OT mask that is not random (receiver corrupted)', async () => {
    const { p, S, R } = d;
    const ell = 2;
    const c = new Uint8Array(K);
    const sent = async (): Promise<void> => {
      const [h0] = await senderPads(S, p.ctx[0], 1, K, ell);
      p.ctx[0].send(
        1,
        packBits(
          h0.map((v, k) => (k % 2 === 0 ? (v + 3) & 3 : 0)),
          ell,
        ),
      );
    };
    const got = async (): Promise<Int32Array[]> => {
      const pad = receiverPads(R, p.ctx[1], 0, c, ell);
      const y = await p.ctx[1].recv(0, 'OT masked messages');
      return receiverSamples(
        y,
        1,
        ell,
        new BigUint64Array(K).map((_, i) => BigInt(pad[2 * i] as number)),
      );
    };
    const [, leaky] = await Promise.all([sent(), got()]);
    expectCaught(
      leaky,
      Array.from({ length: K }, () => Int32Array.from(sim.ring(ell, 2), Number)),
      [4, 4],
    );
  });

  it('a receiver that reuses one seed for both columns (sender corrupted)', async () => {
    const { p, S, pairs } = d;
    const leakyR = new ExtensionReceiver(
      LAMBDA,
      pairs.map(([k0]) => [k0, k0] as const),
    );
    const views: Int32Array[][] = [];
    for (const choice of [0, 1]) {
      const c = new Uint8Array(K).fill(choice);
      await Promise.all([
        S.extend(p.ctx[0], 1, K),
        Promise.resolve(leakyR.extend(p.ctx[1], 0, K, new Uint32Array(4 * K).fill(choice === 1 ? 0xffffffff : 0))),
      ]);
      expect(c.length).toBe(K);
      views.push(senderSamples(lastReceived(p, 0), 128));
    }
    const [a, b] = views as [Int32Array[], Int32Array[]];
    expectCaught(a, b, [256, 256, 256, 256]);
  });
});
