/**
 * Security tests with stated power (harness/security/bias.ts, power.ts; proofs-notes/security-tests.md
 * §6): the power formula checked by Monte Carlo, and the bias check calibrated on Beaver's product at
 * ℓ = 8 with P0 corrupted — at the N for which a bias of 1/32 in any bit-level event of the view is
 * detected with probability ≥ 0.99 at α = 10⁻⁸, the honest protocol passes and the audit's partial leak
 * (P1's Beaver mask with its top bit 1 with probability 0.4375, on the P1–P2 stream) is caught.
 * CRYPTFLOW_SLOW adds P1 corrupted (the same leak on the P0–P2 stream).
 */
import { describe, expect, it } from 'vitest';
import {
  biasFamilySize,
  checkBias,
  detectableBias,
  hookStream,
  labelPrg,
  normalTailQuantile,
  productCase,
  proportionTest,
  samplesFor,
  simulatedViews,
  tampered,
  topBitBiased,
  VERDICT_ALPHA,
  type BiasVerdict,
} from '../../harness/security/index.js';
import type { PartyId } from '../../protocols/common/party.js';
import { SLOW } from './support.js';

const TARGET = 1 / 32;

/** How many of n draws fall below probability q (32-bit uniform words from a labelled AES-CTR stream). */
function bernoulliCount(label: string, n: number, q: number): number {
  const words = new Uint32Array(
    labelPrg(label)
      .bytes(4 * n)
      .buffer.slice(0),
  );
  const cut = Math.floor(q * 2 ** 32);
  let k = 0;
  for (const w of words) if (w < cut) k++;
  return k;
}

const show = (v: BiasVerdict): string => `${v.case} P${v.party}: ${v.detail}`;

describe('the power of the bias family', () => {
  it('normal quantiles: P(|Z| > 1.96) = 0.05, P(|Z| > 2.326) = 0.02, P(|Z| > 6.109) = 10⁻⁹', () => {
    expect(normalTailQuantile(0.05)).toBeCloseTo(1.959964, 5);
    expect(normalTailQuantile(0.02)).toBeCloseTo(2.326348, 5);
    expect(normalTailQuantile(1e-9)).toBeCloseTo(6.10941, 3);
  });

  it('detectableBias and samplesFor invert each other', () => {
    const n = samplesFor(TARGET, 83, VERDICT_ALPHA, 0.99, 4);
    expect(detectableBias(n, 4 * n, 83, VERDICT_ALPHA)).toBeLessThanOrEqual(TARGET);
    expect(detectableBias(n - 1, 4 * (n - 1), 83, VERDICT_ALPHA)).toBeGreaterThan(TARGET);
  });

  it('Monte Carlo: a bias of detectableBias is found in ≥ 0.97 of 200 trials; no bias, at level 0.05, in 2.5–8 % of 400', () => {
    const [n, m, tests] = [4000, 16000, 83];
    const delta = detectableBias(n, m, tests, VERDICT_ALPHA);
    let found = 0;
    for (let t = 0; t < 200; t++) {
      const a = bernoulliCount(`power|real|${t}`, n, 0.5 - delta);
      const b = bernoulliCount(`power|sim|${t}`, m, 0.5);
      if (proportionTest(a, n, b, m).pValue < VERDICT_ALPHA / tests) found++;
    }
    expect(found).toBeGreaterThanOrEqual(194);
    let alarms = 0;
    for (let t = 0; t < 400; t++) {
      const a = bernoulliCount(`null|real|${t}`, 2000, 0.3);
      const b = bernoulliCount(`null|sim|${t}`, 8000, 0.3);
      if (proportionTest(a, 2000, b, 8000).pValue < 0.05) alarms++;
    }
    expect(alarms).toBeGreaterThanOrEqual(10);
    expect(alarms).toBeLessThanOrEqual(32);
  });
});

describe('the bias check at a stated power of 1/32 (Beaver product, ℓ = 8)', () => {
  const parties: readonly PartyId[] = SLOW ? [0, 1] : [0];
  for (const c of parties) {
    /** The mask of the holder that is not c, on its stream with P2: top bit 1 with probability 0.4375. */
    const victim = c === 0 ? 1 : 0;
    const honest = productCase(8);
    const leaky = tampered(
      honest,
      `${honest.name}, P${victim}'s mask top bit P(1) = 0.4375`,
      hookStream(victim, 2, topBitBiased(4)),
    );

    const n = samplesFor(TARGET, biasFamilySize(honest, c).tests, VERDICT_ALPHA);
    let simulated: Int32Array[] | undefined;
    const sims = (): Int32Array[] => (simulated ??= simulatedViews(honest, c, 4 * n, 'power'));

    it(`P${c} corrupted: the honest protocol passes at N chosen for a bias of 1/32`, async () => {
      const v = await checkBias(honest, c, { targetBias: TARGET, seed: 'power', simulated: sims() });
      expect(v.samples).toBe(n);
      expect(v.detectable).toBeLessThanOrEqual(TARGET);
      expect(v.ok, show(v)).toBe(true);
    });

    it(`P${c} corrupted: the audit's partial leak (a mask's top bit with P(1) = 0.4375) is caught`, async () => {
      const v = await checkBias(leaky, c, { targetBias: TARGET, seed: 'power', simulated: sims() });
      expect(v.ok, show(v)).toBe(false);
      expect(v.worst?.feature).toMatch(/^bit 7 of P\d's message 1/);
    });
  }
});
