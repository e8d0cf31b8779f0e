/**
 * The OT layer computes F_OT: the receiver gets exactly the chosen message (1-out-of-2 and
 * 1-out-of-N), correlated OT's outputs satisfy y = x + c·Δ mod 2^ℓ, random OT's outputs agree, at
 * ℓ ∈ {1, 2, 8, 16, 32, 64}, N ∈ {2, 4, 8, 16, 256} and batch sizes 0, 1, 7, 128, 1000, in both
 * directions on one session (the extension streams and instance counters carry across calls).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Prg } from '../../../protocols/common/prg.js';
import { CHUNK } from '../../../protocols/ot/channel.js';
import { openSession, both, type Session } from './support.js';

const ELLS = [1, 2, 8, 16, 32, 64];
const SIZES = [0, 1, 7, 128, 1000];
const NS = [2, 4, 8, 16, 256];
const data = new Prg(new Uint8Array(16).fill(7));

const mask = (ell: number): bigint => (1n << BigInt(ell)) - 1n;
const ring = (ell: number, n: number): BigUint64Array => data.ring(64, n).map((v) => v & mask(ell));

let s: Session;
beforeAll(async () => {
  s = await openSession('ot-correctness');
});

describe.each([0, 1] as const)('sender P%i', (sender) => {
  const receiver = sender === 0 ? 1 : 0;
  it.each(ELLS)('chosen 1-out-of-2 OT at ℓ = %i', async (ell) => {
    for (const m of SIZES) {
      const m0 = ring(ell, m);
      const m1 = ring(ell, m);
      const c = data.bits(m);
      const r = await both(
        s,
        () => s.ch[sender].send2(m0, m1, ell),
        () => s.ch[receiver].recv2(c, ell),
      );
      expect(r.out[1]).toEqual(m0.map((v, i) => (c[i] === 1 ? (m1[i] as bigint) : v)));
    }
  });

  it.each(ELLS)('correlated OT at ℓ = %i', async (ell) => {
    for (const m of SIZES) {
      const delta = ring(ell, m);
      const c = data.bits(m);
      const r = await both(
        s,
        () => s.ch[sender].sendCorrelated(delta, ell),
        () => s.ch[receiver].recvCorrelated(c, ell),
      );
      const [x, y] = r.out;
      expect(x.length).toBe(m);
      expect(y).toEqual(x.map((v, i) => (v + BigInt(c[i] as number) * (delta[i] as bigint)) & mask(ell)));
      expect(x.every((v) => v <= mask(ell))).toBe(true);
    }
  });

  it.each(ELLS)('random OT at ℓ = %i', async (ell) => {
    for (const m of SIZES) {
      const c = data.bits(m);
      const r = await both(
        s,
        () => s.ch[sender].sendRandom(m, ell),
        () => s.ch[receiver].recvRandom(c, ell),
      );
      const [[r0, r1], y] = r.out;
      expect(y).toEqual(r0.map((v, i) => (c[i] === 1 ? (r1[i] as bigint) : v)));
      expect([...r0, ...r1].every((v) => v <= mask(ell))).toBe(true);
    }
  });

  it.each(NS)('chosen 1-out-of-N OT at N = %i', async (n) => {
    for (const ell of n === 256 ? [1, 8, 64] : ELLS) {
      for (const m of n === 256 ? [0, 1, 7, 128] : SIZES) {
        const msgs = ring(ell, m * n);
        const c = data.field(n, m);
        const r = await both(
          s,
          () => s.ch[sender].sendN(n, msgs, ell),
          () => s.ch[receiver].recvN(n, c, ell),
        );
        expect(r.out[1]).toEqual(BigUint64Array.from(c, (ci, i) => msgs[i * n + ci] as bigint));
      }
    }
  });
});

describe('a call larger than one chunk', () => {
  it('runs as several extensions with the same outputs', async () => {
    const ell = 3;
    const m = CHUNK + 7;
    const m0 = ring(ell, m);
    const m1 = ring(ell, m);
    const c = data.bits(m);
    const chosen = await both(
      s,
      () => s.ch[1].send2(m0, m1, ell),
      () => s.ch[0].recv2(c, ell),
    );
    expect(chosen.out[1]).toEqual(m0.map((v, i) => (c[i] === 1 ? (m1[i] as bigint) : v)));
    expect(chosen.meter.messages['P0->P1']).toBe(2);
    const delta = ring(ell, m);
    const [x, y] = (
      await both(
        s,
        () => s.ch[0].sendCorrelated(delta, ell),
        () => s.ch[1].recvCorrelated(c, ell),
      )
    ).out;
    expect(y).toEqual(x.map((v, i) => (v + BigInt(c[i] as number) * (delta[i] as bigint)) & mask(ell)));
    const [[r0, r1], r] = (
      await both(
        s,
        () => s.ch[0].sendRandom(m, ell),
        () => s.ch[1].recvRandom(c, ell),
      )
    ).out;
    expect(r).toEqual(r0.map((v, i) => (c[i] === 1 ? (r1[i] as bigint) : v)));
    const msgs = ring(ell, 4 * m);
    const cn = data.field(4, m);
    const got = (
      await both(
        s,
        () => s.ch[1].sendN(4, msgs, ell),
        () => s.ch[0].recvN(4, cn, ell),
      )
    ).out[1];
    expect(got).toEqual(BigUint64Array.from(cn, (ci, i) => msgs[i * 4 + ci] as bigint));
  });
});
