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
import { bug } from '../../spec/errors.js';
import type { RingShare } from '../../protocols/common/sharing.js';
import type { PartyId } from '../../protocols/common/party.js';
import { shareConvertHelper, shareConvertHolder } from '../../protocols/securenn-family/nonlinear/share-convert.js';
import { computeMsbHelper, computeMsbHolder } from '../../protocols/securenn-family/nonlinear/compute-msb.js';
import { dreluHelper, dreluHolder } from '../../protocols/securenn-family/nonlinear/drelu.js';
import { selectShareHelper, selectShareHolder } from '../../protocols/securenn-family/nonlinear/select-share.js';
import { PORTHOS, SECURENN, type Variant } from '../../protocols/securenn-family/nonlinear/variant.js';
import { keysFromSeed } from '../../protocols/common/prg.js';
import {
  helperForwards,
  hookStream,
  segment,
  tampered,
  sharedCase,
  simComputeMsb,
  simDrelu,
  simSelectShare,
  simShareConvert,
  smallVariant,
  viewKeys,
  zeroRing,
  type SecurityCase,
} from '../../harness/security/index.js';
import { exactReal, exactSimulated, permutationBytes, proportionsDiffer } from '../../harness/security/enumerate.js';

const ell = 2;
const arg = (s: readonly RingShare[], i: number): RingShare => s[i] ?? bug(`operand ${i}`);

/** The blocks on one element: ShareConvert, ComputeMSB, ReLU′ and SelectShare (variant-free). */
function blocks(v: Variant): Record<string, SecurityCase> {
  const ring = (x: BigUint64Array) => [segment(ell, 'ring', x)];
  return {
    shareConvert: sharedCase({
      name: `${v.name} ShareConvert`,
      ell,
      operands: 'ring',
      A: [[1n]],
      B: [[2n]],
      holder: async (ctx, s) => [segment(ell, 'odd', await shareConvertHolder(ctx, v, 1, arg(s, 0)))],
      helper: (ctx) => shareConvertHelper(ctx, v, 1),
      simulate: (b) => simShareConvert(b, v, 1),
    }),
    computeMsb: sharedCase({
      name: `${v.name} ComputeMSB`,
      ell,
      operands: 'odd',
      A: [[0n]],
      B: [[2n]],
      holder: async (ctx, s) => ring(await computeMsbHolder(ctx, v, 1, arg(s, 0))),
      helper: (ctx) => computeMsbHelper(ctx, v, 1),
      simulate: (b) => simComputeMsb(b, v, 1),
    }),
    drelu: sharedCase({
      name: `${v.name} ReLU′`,
      ell,
      operands: 'ring',
      A: [[0n]],
      B: [[-1n]],
      holder: async (ctx, s) => ring(await dreluHolder(ctx, v, 1, arg(s, 0))),
      helper: (ctx) => dreluHelper(ctx, v, 1),
      simulate: (b) => simDrelu(b, v, 1),
    }),
    selectShare: sharedCase({
      name: `SelectShare`,
      ell,
      operands: 'ring',
      A: [[0n], [1n], [2n]],
      B: [[1n], [3n], [0n]],
      holder: async (ctx, s) => ring(await selectShareHolder(ctx, 1, { alpha: arg(s, 0), x: arg(s, 1), y: arg(s, 2) })),
      helper: async (ctx) => selectShareHelper(ctx, 1),
      simulate: (b) => simSelectShare(b, 1),
    }),
  };
}

const MAX_RUNS = 5000;

/** The exact distributions of P_c's simulated view and of its real view on A and on B. */
async function exact(kase: SecurityCase, c: PartyId) {
  const setup = kase.setup(c, keysFromSeed('exact-blocks|fixed')[c]);
  const sim = exactSimulated(setup, MAX_RUNS);
  const keys = viewKeys(c, 'exact-blocks|fixed', 'exact-blocks|honest');
  const o = { ell, corrupted: c, keys, byteRadices: permutationBytes(ell, 1), maxRuns: MAX_RUNS };
  return { sim, A: await exactReal(setup, 'A', sim.layout, o), B: await exactReal(setup, 'B', sim.layout, o) };
}

const checked: readonly { variant: Variant; block: string; party: PartyId; runs: number }[] = [
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
    const kase = blocks(smallVariant(t.variant, ell))[t.block] ?? bug(t.block);
    it(`${kase.name}, P${t.party} corrupted: the real view on A and on B equals the simulator's exactly (${t.runs} runs each)`, async () => {
      const e = await exact(kase, t.party);
      expect([e.A.runs, e.B.runs]).toEqual([t.runs, t.runs]);
      expect(proportionsDiffer(e.A, e.sim)).toBeNull();
      expect(proportionsDiffer(e.B, e.sim)).toBeNull();
    });
  }

  it("SecureNN ShareConvert with the helper forwarding P0's masked share to P1: P1's exact view differs from the simulator's", async () => {
    const honest = blocks(smallVariant(SECURENN, ell)).shareConvert ?? bug('shareConvert');
    const e = await exact(tampered(honest, 'helper forwards ã_0', helperForwards(1)), 1);
    expect(proportionsDiffer(e.A, e.sim)).not.toBeNull();
  });

  it("SelectShare with P1's Beaver masks zero (the P1–P2 stream's ring draws, leaks.ts): P0's exact view differs from the simulator's", async () => {
    const honest = blocks(smallVariant(PORTHOS, ell)).selectShare ?? bug('selectShare');
    const e = await exact(tampered(honest, 'Beaver masks zero', hookStream(1, 2, zeroRing)), 0);
    expect(proportionsDiffer(e.A, e.sim)).not.toBeNull();
    expect(proportionsDiffer(e.A, e.B)).not.toBeNull();
  });
});
