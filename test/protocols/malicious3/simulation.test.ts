/**
 * Simulation-based security of the malicious backend's semi-honest part (harness/security/malicious3.ts,
 * proofs-notes/malicious3.md "Privacy"): per corrupted party P0, P1, P2 and per protocol — an input per
 * party, a product, an opening of a masked value, the MAC check, a reveal to each party, ReLU — at
 * k = 4, s = 4, the real views on input sets A and B against each other and against the simulator's
 * (which sees only the corrupted party's input, keys and what the functionality tells it), with the
 * chi-square family over single coordinates and pairs. Each planted leak is caught for the parties
 * that see it; the honest protocol passes; two wrong simulators are rejected (one by the corrupted
 * party's own code aborting on its view, one by the statistics). Samples per set: 80, 1000 under CRYPTFLOW_SLOW=1.
 */
import { describe, expect, it } from 'vitest';
import type { PartyId } from '../../../protocols/common/party.js';
import {
  checkM3Party,
  type M3Case,
  type M3Verdict,
  type SimulatorChange,
} from '../../../harness/security/malicious3.js';
import { M3_MESSAGES } from '../../../protocols/malicious3/session.js';
import { malicious3Cases, malicious3Leaks, malicious3MoreCases } from '../../../harness/security/malicious3-cases.js';
import { timeout } from '../../setup/timeouts.js';

const SLOW = process.env['CRYPTFLOW_SLOW'] === '1';
const SAMPLES = SLOW ? 1000 : 80;
const SEED = process.env['CRYPTFLOW_SECURITY_SEED'] ?? 'security';

const report = (vs: readonly M3Verdict[]): string =>
  vs.map((v) => `${v.ok ? 'ok' : 'FAILED'} ${v.claim}: ${v.detail}`).join('\n');

describe('malicious3: real views = simulated views (k = 4, s = 4)', () => {
  for (const kase of malicious3Cases())
    for (const c of [0, 1, 2] as PartyId[])
      it(
        `${kase.name}, P${c} corrupted`,
        async () => {
          const vs = await checkM3Party(kase, c, { samples: SAMPLES, seed: SEED });
          expect(vs.map((v) => v.claim)).toEqual(['input-independence', 'simulation']);
          expect(
            vs.every((v) => v.ok),
            report(vs),
          ).toBe(true);
        },
        timeout(60_000),
      );
});

describe('malicious3: real views = simulated views, further cases', () => {
  for (const kase of malicious3MoreCases())
    for (const c of SLOW ? ([0, 1, 2] as PartyId[]) : ([1] as PartyId[]))
      it(
        `${kase.name}, P${c} corrupted`,
        async () => {
          const vs = await checkM3Party(kase, c, { samples: SAMPLES, seed: SEED });
          expect(
            vs.every((v) => v.ok),
            report(vs),
          ).toBe(true);
        },
        timeout(60_000),
      );
});

describe('malicious3: wrong simulators are rejected', () => {
  const [, product, , , reveal] = malicious3Cases() as [M3Case, M3Case, M3Case, M3Case, M3Case, M3Case];
  const wrong: readonly { name: string; kase: M3Case; c: PartyId; change: SimulatorChange }[] = [
    {
      // each peer's copy of the coin component drawn apart (in the protocol both send the same one)
      name: 'coin components drawn per peer',
      kase: product,
      c: 1,
      change: (what, msg, rng) => {
        if (what !== M3_MESSAGES.digest) return msg;
        const out = msg.slice();
        out.set(rng.bytes(16), 32);
        return out;
      },
    },
    {
      // the output component without its uniform high bits (what the unmasked reveal sent)
      name: 'revealed value with zero high bits',
      kase: reveal,
      c: 2,
      change: (what, msg) => (what === M3_MESSAGES.output ? msg.map((b) => b & 0x0f) : msg),
    },
  ];
  for (const w of wrong)
    it(
      `${w.name} (${w.kase.name}, P${w.c})`,
      async () => {
        const vs = await checkM3Party(w.kase, w.c, { samples: SAMPLES, seed: SEED, simulatorChange: w.change });
        expect(vs.find((v) => v.claim === 'simulation')?.ok, report(vs)).toBe(false);
        expect(vs.find((v) => v.claim === 'input-independence')?.ok, report(vs)).toBe(true);
      },
      timeout(60_000),
    );
});

describe('malicious3: planted leaks are caught', () => {
  for (const leak of malicious3Leaks)
    for (const c of [0, 1, 2] as PartyId[])
      it(
        `${leak.name}, P${c} corrupted`,
        async () => {
          const vs = await checkM3Party(leak.case, c, { samples: SAMPLES, seed: SEED });
          expect(
            vs.some((v) => v.claim === 'simulation' && !v.ok),
            report(vs),
          ).toBe(true);
        },
        timeout(60_000),
      );
});
