/**
 * Shared by the security suites: sample sizes (scaled by CRYPTFLOW_SLOW), and one vitest test per
 * (case, corrupted party) that runs every claim of check.ts and fails with the verdicts' details.
 */
import { expect, it } from 'vitest';
import { checkParty, type SecurityCase, type Verdict } from '../../harness/security/index.js';
import type { PartyId } from '../../protocols/common/party.js';

export const SLOW = process.env['CRYPTFLOW_SLOW'] === '1';
/** Runs per input set and simulated views per check. */
export const SAMPLES = SLOW ? 2000 : 400;
/** The seed every key and input derives from: fixed, so a run replays; set it to draw other samples. */
export const SEED = process.env['CRYPTFLOW_SECURITY_SEED'] ?? 'security';

export function report(vs: readonly Verdict[]): string {
  return [
    `seed ${SEED} (CRYPTFLOW_SECURITY_SEED)`,
    ...vs.map(
      (v) => `${v.ok ? 'ok' : 'FAILED'} P${v.party} ${v.claim} [${v.method}, ${v.samples} samples]: ${v.detail}`,
    ),
  ].join('\n');
}

/** One test per corrupted party: input independence, simulation and (where P_c has one) the output. */
export function securityTests(kase: SecurityCase, parties: readonly PartyId[] = [0, 1, 2]): void {
  for (const c of parties) {
    it(`${kase.name}, P${c} corrupted`, async () => {
      const vs = await checkParty(kase, c, { samples: SAMPLES, seed: SEED });
      const claims = vs.map((v) => v.claim);
      expect(claims).toContain('input-independence');
      expect(claims).toContain('simulation');
      expect(
        vs.every((v) => v.ok),
        report(vs),
      ).toBe(true);
    });
  }
}
