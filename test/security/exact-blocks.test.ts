/**
 * Exact view distributions of the SecureNN-family building blocks at ℓ = 2 (p = 5), n = 1: every
 * draw on a stream the corrupted party does not hold is enumerated (harness/security/enumerate.ts),
 * and so is every draw of its simulator, and the two exact distributions are compared for equality —
 * on both input sets, with no statistics and no false alarms. Where the honest randomness of a block
 * at ℓ = 2 takes more than a few thousand runs (the blocks built on ComputeMSB with the dealer's
 * triples, ReLU, MaxPool, P2's view of anything with PrivateCompare), and at ℓ = 3, 4, the exact
 * distributions are computed by peeling one-time pads instead (exact-peeled.test.ts).
 * Two planted leaks make the exact distributions differ from the simulator's: SecureNN's helper
 * forwarding P0's masked share to P1 (P1's view), and SelectShare's Beaver masks on the P1–P2 stream
 * forced to zero (P0's view, which then also differs between A and B).
 */
import { describe, expect, it } from 'vitest';
import type { PartyId } from '../../protocols/common/party.js';
import { PORTHOS, SECURENN, type Variant } from '../../protocols/securenn-family/nonlinear/variant.js';
import { keysFromSeed } from '../../protocols/common/prg.js';
import {
  helperForwards,
  hookStream,
  tampered,
  smallVariant,
  viewKeys,
  zeroRing,
  type SecurityCase,
} from '../../harness/security/index.js';
import { blockCase, type BlockName } from '../../harness/security/blocks.js';
import { exactReal, exactSimulated, permutationBytes, proportionsDiffer } from '../../harness/security/enumerate.js';

const ell = 2;
/** The blocks on one element at ℓ = 2 (harness/security/blocks.ts, shared with exact-peeled.test.ts). */
const block = (v: Variant, name: BlockName): SecurityCase => blockCase(smallVariant(v, ell), ell, name);

const MAX_RUNS = 5000;

/** The exact distributions of P_c's simulated view and of its real view on A and on B. */
async function exact(kase: SecurityCase, c: PartyId) {
  const setup = kase.setup(c, keysFromSeed('exact-blocks|fixed')[c]);
  const sim = exactSimulated(setup, MAX_RUNS);
  const keys = viewKeys(c, 'exact-blocks|fixed', 'exact-blocks|honest');
  const o = { ell, corrupted: c, keys, byteRadices: permutationBytes(ell, 1), maxRuns: MAX_RUNS };
  return { sim, A: await exactReal(setup, 'A', sim.layout, o), B: await exactReal(setup, 'B', sim.layout, o) };
}

const checked: readonly { variant: Variant; block: BlockName; party: PartyId; runs: number }[] = [
  { variant: PORTHOS, block: 'shareConvert', party: 0, runs: 225 },
  { variant: PORTHOS, block: 'shareConvert', party: 1, runs: 3 },
  { variant: SECURENN, block: 'shareConvert', party: 0, runs: 225 },
  { variant: SECURENN, block: 'shareConvert', party: 1, runs: 225 },
  { variant: PORTHOS, block: 'computeMsb', party: 1, runs: 192 },
  { variant: PORTHOS, block: 'drelu', party: 1, runs: 576 },
  { variant: PORTHOS, block: 'selectShare', party: 0, runs: 16 },
  { variant: PORTHOS, block: 'selectShare', party: 1, runs: 64 },
  { variant: PORTHOS, block: 'selectShare', party: 2, runs: 1 },
];

describe('exact view distributions of the building blocks at ℓ = 2, n = 1 (every honest draw enumerated)', () => {
  for (const t of checked) {
    const kase = block(t.variant, t.block);
    it(`${kase.name}, P${t.party} corrupted: the real view on A and on B equals the simulator's exactly (${t.runs} runs each)`, async () => {
      const e = await exact(kase, t.party);
      expect([e.A.runs, e.B.runs]).toEqual([t.runs, t.runs]);
      expect(proportionsDiffer(e.A, e.sim)).toBeNull();
      expect(proportionsDiffer(e.B, e.sim)).toBeNull();
    });
  }

  it("SecureNN ShareConvert with the helper forwarding P0's masked share to P1: P1's exact view differs from the simulator's", async () => {
    const honest = block(SECURENN, 'shareConvert');
    const e = await exact(tampered(honest, 'helper forwards ã_0', helperForwards(1)), 1);
    expect(proportionsDiffer(e.A, e.sim)).not.toBeNull();
  });

  it("SelectShare with P1's Beaver masks zero (the P1–P2 stream's ring draws, leaks.ts): P0's exact view differs from the simulator's", async () => {
    const honest = block(PORTHOS, 'selectShare');
    const e = await exact(tampered(honest, 'Beaver masks zero', hookStream(1, 2, zeroRing)), 0);
    expect(proportionsDiffer(e.A, e.sim)).not.toBeNull();
    expect(proportionsDiffer(e.A, e.B)).not.toBeNull();
  });
});
