/**
 * The tests can fail: every planted leak (harness/security/leaks.ts) — a mask reused within one
 * opening and across two products, a share sent unmasked (Beaver, ShareConvert), a biased PRG (Beaver,
 * ShareConvert), the helper forwarding one party's masked share to the other, PrivateCompare without
 * its z mask — is rejected by both the input-independence and the simulation claim for the party
 * that sees it, while the same case without the leak passes. Wrong simulators are rejected too.
 */
import { describe, expect, it } from 'vitest';
import {
  checkParty,
  homogeneity,
  hookStream,
  leaks,
  observe,
  shareConvertCase,
  tampered,
  viewKeys,
  yieldEventLoop,
  zeroField,
  privateCompareCase,
  productCase,
  sharingCase,
  SimBuilder,
  simBeaver,
  simPrivateCompare,
  segment,
  smallVariant,
  withSimulator,
} from '../../harness/security/index.js';
import { PORTHOS, SECURENN } from '../../protocols/securenn-family/nonlinear/variant.js';
import { keysFromSeed } from '../../protocols/common/prg.js';
import { chiSquareSurvival } from '../../harness/conformance/stats.js';
import { report, SAMPLES, SEED } from './support.js';

describe('planted leaks are caught', () => {
  for (const leak of leaks(8)) {
    it(`${leak.name} (P${leak.party} corrupted)`, async () => {
      const honest = await checkParty(leak.honest, leak.party, { samples: SAMPLES, seed: SEED });
      expect(
        honest.every((v) => v.ok),
        report(honest),
      ).toBe(true);
      const broken = await checkParty(leak.broken, leak.party, { samples: SAMPLES, seed: SEED });
      const failed = (claim: string): boolean => broken.some((v) => v.claim === claim && !v.ok);
      expect(failed('input-independence'), report(broken)).toBe(true);
      expect(failed('simulation'), report(broken)).toBe(true);
    });
  }
});

describe('wrong simulators are rejected', () => {
  const v = smallVariant(PORTHOS, 8);

  it("a PrivateCompare simulator that gives P2 the wrong bit (statistical: where P2's zero appears)", async () => {
    const wrong = withSimulator(
      privateCompareCase(v, 8),
      'PrivateCompare, β′ flipped in the simulator',
      (c) => (rng) => {
        const b = new SimBuilder(c, 8, rng);
        simPrivateCompare(b, v, 3, [1, 0, 0]);
        return b.view();
      },
    );
    const vs = await checkParty(wrong, 2, { samples: SAMPLES, seed: SEED });
    expect(vs.find((x) => x.claim === 'input-independence')?.ok, report(vs)).toBe(true);
    expect(vs.find((x) => x.claim === 'simulation')?.ok, report(vs)).toBe(false);
  });

  it("a Beaver simulator for P1 that forgets P2's message C1 (structural)", async () => {
    const wrong = withSimulator(productCase(8), 'product without C1', (c) => (rng) => {
      const b = new SimBuilder(c, 8, rng);
      if (c === 1) b.receive(0, b.uniform('ring', 6));
      else simBeaver(b, { x: 3, y: 3, z: 3 });
      return b.view();
    });
    const vs = await checkParty(wrong, 1, { samples: 8 });
    expect(
      vs.every((x) => !x.ok),
      report(vs),
    ).toBe(true);
    expect(vs[0]?.detail).toMatch(/P2 sent 1 messages, the simulator 0/);
  });

  it('a reveal simulator off by one (exact: the view to P0 is deterministic)', async () => {
    const wrong = withSimulator(sharingCase(8), 'reveal, off by one', (c, honest) => (rng) => {
      const b = new SimBuilder(c, 8, rng);
      const right = honest(rng)[1][0]?.[0]?.values ?? [];
      b.receive(
        1,
        segment(
          8,
          'ring',
          right.map((x) => (x + 1) % 256),
        ),
      );
      return b.view();
    });
    const vs = await checkParty(wrong, 0, { samples: 8 });
    const sim = vs.find((x) => x.claim === 'simulation');
    expect(sim?.method).toBe('exact');
    expect(sim?.ok, report(vs)).toBe(false);
    expect(vs.find((x) => x.claim === 'input-independence')?.ok, report(vs)).toBe(true);
  });
});

/**
 * The generic family compares one or two coordinates at a time. PrivateCompare without its z mask,
 * run inside ShareConvert, leaks to P2 only through three: x = ã_0 + ã_1 (two coordinates P2 adds)
 * together with how many of P0's d^0 entries are zero (which depends on the mask r = x − a, given the
 * bit shares P2 dealt). The family does not see it at 400 samples; this targeted statistic does —
 * per element, the joint table of x's top three bits and the zero count, homogeneity on A vs B, with
 * 1000 runs per input set (how strongly depends on the shares P2's key deals: over 14 keys tried, the
 * smaller p-value of the two elements was at most 6e-15).
 */
describe('PrivateCompare without z inside ShareConvert (a leak through three coordinates)', () => {
  const RUNS = 1000;
  const zeroCountTest = async (variant: typeof PORTHOS, leaky: boolean): Promise<number> => {
    const v = smallVariant(variant, 8);
    const honest = shareConvertCase(v, 8);
    const kase = leaky ? tampered(honest, 'no z', hookStream(0, 1, zeroField(v.field.p))) : honest;
    const fixed = `${SEED}|zero-count|${v.name}`;
    const setup = kase.setup(2, keysFromSeed(fixed)[2]);
    const tables = [0, 1].map(() => ({ A: new Int32Array(8 * 9), B: new Int32Array(8 * 9) }));
    for (const which of ['A', 'B'] as const) {
      for (let i = 0; i < RUNS; i++) {
        const { view } = await observe(setup.programs(which), {
          ell: 8,
          corrupted: 2,
          keys: viewKeys(2, fixed, `${fixed}|${which}|${i}`),
        });
        await yieldEventLoop();
        const [a0, d0] = view.received[0];
        const [a1] = view.received[1];
        if (a0 === undefined || a1 === undefined || d0 === undefined) throw new Error('ShareConvert view of P2');
        tables.forEach((t, e) => {
          const x = ((a0[e] as number) + (a1[e] as number)) % 256;
          const zeros = d0.subarray(e * 8, e * 8 + 8).filter((d) => d === 0).length;
          t[which][(x >> 5) * 9 + zeros] = (t[which][(x >> 5) * 9 + zeros] as number) + 1;
        });
      }
    }
    return Math.min(
      ...tables.map((t) => {
        const h = homogeneity(t.A, t.B, RUNS, RUNS);
        return chiSquareSurvival(h.statistic, h.df);
      }),
    );
  };
  for (const variant of [PORTHOS, SECURENN]) {
    it(`${variant.name}: rejected at α = 1e-6 (two tests) with the leak, not without`, async () => {
      expect(await zeroCountTest(variant, true)).toBeLessThan(1e-6 / 2);
      expect(await zeroCountTest(variant, false)).toBeGreaterThan(1e-6 / 2);
    });
  }
});
