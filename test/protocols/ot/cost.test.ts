/**
 * Metered traffic of the OT layer equals spec/cost/ot.ts exactly: bytes per directed link and the
 * parties' round counters, call by call, over random sequences of calls in both directions (the
 * schedules advance the clocks as the network does), plus the setup under its own phase and the
 * amortised bits per OT of COMM-SPEC "2PC".
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Prg } from '../../../protocols/common/prg.js';
import { CHUNK } from '../../../protocols/ot/channel.js';
import {
  amortisedBits,
  cotCost,
  cotSchedule,
  ot2Cost,
  ot2Schedule,
  otNCost,
  otNSchedule,
  otSetupCost,
  rotCost,
  rotSchedule,
} from '../../../spec/cost/ot.js';
import type { Schedule } from '../../../spec/cost/nonlinear.js';
import { totalBytes, zeroLinks } from '../../../spec/cost/types.js';
import { openSession, both, type Session } from './support.js';

const data = new Prg(new Uint8Array(16).fill(9));
const ring = (ell: number, n: number): BigUint64Array => data.ring(64, n).map((v) => v & ((1n << BigInt(ell)) - 1n));

type Kind = 'chosen' | 'correlated' | 'random' | 'n';
interface Call {
  readonly kind: Kind;
  readonly sender: 0 | 1;
  readonly m: number;
  readonly ell: number;
  readonly n: number;
}

let s: Session;
beforeAll(async () => {
  s = await openSession('ot-cost');
});

/** Run one call on the session; returns its schedule. */
async function run(c: Call): Promise<{ readonly links: Record<string, number>; readonly schedule: Schedule }> {
  const S = s.ch[c.sender];
  const R = s.ch[c.sender === 0 ? 1 : 0];
  const choices = c.kind === 'n' ? data.field(c.n, c.m) : data.bits(c.m);
  const steps: Record<Kind, () => readonly [() => Promise<unknown>, () => Promise<unknown>, Schedule]> = {
    chosen: () => [
      () => S.send2(ring(c.ell, c.m), ring(c.ell, c.m), c.ell),
      () => R.recv2(choices, c.ell),
      ot2Schedule(c.sender, c.m, c.ell),
    ],
    correlated: () => [
      () => S.sendCorrelated(ring(c.ell, c.m), c.ell),
      () => R.recvCorrelated(choices, c.ell),
      cotSchedule(c.sender, c.m, c.ell),
    ],
    random: () => [() => S.sendRandom(c.m, c.ell), () => R.recvRandom(choices, c.ell), rotSchedule(c.sender, c.m)],
    n: () => [
      () => S.sendN(c.n, ring(c.ell, c.m * c.n), c.ell),
      () => R.recvN(c.n, choices, c.ell),
      otNSchedule(c.sender, c.m, c.n, c.ell),
    ],
  };
  const [f, g, schedule] = steps[c.kind]();
  const r = await both(s, f, g);
  expect(totalBytes(r.meter.io)).toBe(0);
  return { links: r.meter.links, schedule };
}

describe('OT costs', () => {
  it('the setup is metered under its own phase and equals otSetupCost', () => {
    const want = otSetupCost();
    expect(s.setup.setup).toEqual(want.links);
    expect(s.setup.links).toEqual(zeroLinks());
    expect(s.setup.io).toEqual(zeroLinks());
    expect(s.setup.rounds).toBe(want.rounds);
    expect(want.links['P0->P1']).toBe(8224);
  });

  it('every call meters its closed form exactly, link by link and round by round', async () => {
    const call = fc.record({
      kind: fc.constantFrom<Kind>('chosen', 'correlated', 'random', 'n'),
      sender: fc.constantFrom<0 | 1>(0, 1),
      m: fc.oneof(fc.constantFrom(0, 1, 7, 128, 1000), fc.integer({ min: 0, max: 300 })),
      ell: fc.oneof(fc.constantFrom(1, 2, 8, 16, 32, 64), fc.integer({ min: 1, max: 64 })),
      n: fc.constantFrom(2, 3, 4, 8, 16, 256),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 4 }), async (calls) => {
        for (const c of calls) {
          const before = [...s.net.meter.roundOf] as const;
          const { links, schedule } = await run(c);
          expect(links).toEqual(schedule.links);
          expect(s.net.meter.roundOf).toEqual(schedule.advance([before[0], before[1], before[2]]));
        }
      }),
      { numRuns: process.env['CRYPTFLOW_SLOW'] === '1' ? 200 : 15 },
    );
  });

  it('calls larger than one chunk meter the same closed forms (chunk bytes are whole)', async () => {
    for (const kind of ['chosen', 'correlated', 'random', 'n'] as const) {
      const c: Call = { kind, sender: 1, m: CHUNK + 13, ell: 3, n: 3 };
      const before = [...s.net.meter.roundOf] as const;
      const { links, schedule } = await run(c);
      expect(links).toEqual(schedule.links);
      expect(s.net.meter.roundOf).toEqual(schedule.advance([before[0], before[1], before[2]]));
    }
  });

  it('closed forms from a fresh start: bytes per link and rounds', () => {
    expect(ot2Cost(1000, 32, 0).links).toMatchObject({ 'P1->P0': 16_000, 'P0->P1': 8_000 });
    expect(ot2Cost(1000, 32, 0).rounds).toBe(2);
    expect(cotCost(7, 3, 1).links).toMatchObject({ 'P0->P1': 112, 'P1->P0': 3 });
    expect(rotCost(5, 64, 1).links).toMatchObject({ 'P0->P1': 80, 'P1->P0': 0 });
    expect(rotCost(5, 64, 1).rounds).toBe(1);
    expect(otNCost(3, 16, 5, 0).links).toMatchObject({ 'P1->P0': 96, 'P0->P1': 30 });
    expect(otNCost(0, 16, 5, 0).rounds).toBe(0);
    expect(totalBytes(otNCost(0, 16, 5, 0).links)).toBe(0);
  });

  it.each([1, 8, 32, 64])('amortised bits per OT match COMM-SPEC at ℓ = %i', (ell) => {
    const m = 1 << 16;
    const bits = (c: { readonly links: Parameters<typeof totalBytes>[0] }): number => (8 * totalBytes(c.links)) / m;
    expect(Math.abs(bits(ot2Cost(m, ell, 0)) - amortisedBits.ot2(ell))).toBeLessThan(8 / m);
    expect(Math.abs(bits(cotCost(m, ell, 0)) - amortisedBits.cot(ell))).toBeLessThan(8 / m);
    expect(bits(rotCost(m, ell, 0))).toBe(amortisedBits.rot());
    for (const n of [2, 4, 16, 256])
      expect(Math.abs(bits(otNCost(m, n, ell, 1)) - amortisedBits.otN(n, ell))).toBeLessThan(8 / m);
    expect(amortisedBits.ot2(ell)).toBe(128 + 2 * ell);
    expect(amortisedBits.cot(ell)).toBe(128 + ell);
    expect(amortisedBits.otN(16, ell)).toBe(256 + 16 * ell);
  });
});
