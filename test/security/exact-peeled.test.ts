/**
 * Exact view distributions of the SecureNN-family building blocks at ℓ = 2, 3, 4 (p = 5, 5, 7), one
 * element, by peeling one-time pads (harness/security/factor.ts): every honest draw is either run
 * through its whole range and peeled as a pad (or found irrelevant), or enumerated with the other
 * residue draws; the same for the simulator's draws; the two exact mixtures must be equal on input set
 * A and on B. ShareConvert, ComputeMSB, ReLU′ (DReLU), ReLU, a MaxPool step and SelectShare, both
 * variants, each corrupted party.
 *
 * Cost: P0's and P1's views are pads through and through (one point each); P2's views keep the
 * PrivateCompare draws that pick where the zero falls (β or η″, the permutation) and, in ShareConvert,
 * the masks r_0, r_1 in the residue. In `npm test`: every block at ℓ = 2 for P0 and P1, ShareConvert,
 * ComputeMSB and SelectShare at ℓ = 3, ShareConvert and SelectShare at ℓ = 4, P2's ComputeMSB at
 * ℓ = 2. With CRYPTFLOW_SLOW=1 (`npm run test:slow`) also ReLU′, ReLU and the MaxPool step at
 * ℓ = 3 and 4 and ComputeMSB at ℓ = 4 (0.1–1 s each), P2's ComputeMSB at ℓ = 3 and 4 (2–7 s), P2's ShareConvert at
 * ℓ = 2 and 3 (about 3 and 40 s on the shared machine) and P2's ReLU′, ReLU and MaxPool step at ℓ = 2
 * (about 30 s each). Open (todo below): P2's ShareConvert at ℓ = 4 (12,288 points, about 7·10^5
 * protocol runs) and P2's composite blocks at ℓ = 3 and 4 (the residues of ShareConvert and ComputeMSB
 * multiply: 9,216 points at ℓ = 3).
 *
 * The method is checked against the draw-by-draw enumeration (enumerate.ts) where both run, and each
 * block has planted leaks whose mixtures differ from the simulator's.
 */
import { describe, expect, it } from 'vitest';
import type { PartyId } from '../../protocols/common/party.js';
import { keysFromSeed } from '../../protocols/common/prg.js';
import { PORTHOS, SECURENN, type Variant } from '../../protocols/securenn-family/nonlinear/variant.js';
import {
  helperForwards,
  hookStream,
  labelPrg,
  layoutOf,
  smallVariant,
  tampered,
  topBitZero,
  viewKeys,
  zeroField,
  zeroRing,
  type DrawHook,
  type SecurityCase,
} from '../../harness/security/index.js';
import { blockCase, BLOCKS, type BlockName } from '../../harness/security/blocks.js';
import {
  exactReal,
  permutationBytes,
  probeReal,
  probeSimulated,
  exactSimulated,
  proportionsDiffer,
  type Exact,
} from '../../harness/security/enumerate.js';
import { absorb, factoredReal, factoredSimulated, peeledSets, viewTransform } from '../../harness/security/factor.js';

const SLOW = process.env['CRYPTFLOW_SLOW'] === '1';
const MAX_POINTS = 20_000;

/** The simulator's and the real mixtures on A and B, absorbed over the same sets. */
async function mixtures(kase: SecurityCase, c: PartyId) {
  const ell = kase.ell;
  const setup = kase.setup(c, keysFromSeed('exact-peeled|fixed')[c]);
  const keys = viewKeys(c, 'exact-peeled|fixed', 'exact-peeled|honest');
  const layout = layoutOf(setup.simulate(labelPrg('exact-peeled|layout')));
  const o = { ell, corrupted: c, keys, byteRadices: permutationBytes(ell, 1), maxPoints: MAX_POINTS };
  const sim = await factoredSimulated(setup, c, layout, MAX_POINTS);
  const A = await factoredReal(setup, 'A', layout, o);
  const B = await factoredReal(setup, 'B', layout, o);
  const sets = peeledSets(sim, A, B);
  return { sim: absorb(sim, sets), A: absorb(A, sets), B: absorb(B, sets), setup, layout, o, sets };
}

type Cost = 'fast' | 'slow' | 'open';

/** Which cells run in `npm test`, which with CRYPTFLOW_SLOW, which are open. */
function costOf(ell: number, block: BlockName, c: PartyId): Cost {
  if (c === 2 && block === 'computeMsb') return ell === 2 ? 'fast' : 'slow';
  if (c === 2 && block !== 'selectShare') {
    if (block === 'shareConvert') return ell === 4 ? 'open' : 'slow';
    return ell === 2 ? 'slow' : 'open';
  }
  const composite = block === 'drelu' || block === 'relu' || block === 'maxStep';
  return ell === 2 || (ell === 3 && !composite) || block === 'shareConvert' || block === 'selectShare'
    ? 'fast'
    : 'slow';
}

const variantsOf = (block: BlockName): readonly Variant[] =>
  block === 'selectShare' ? [PORTHOS] : [PORTHOS, SECURENN];

describe('exact view distributions by peeling pads, ℓ = 2, 3, 4, one element', () => {
  for (const ell of [2, 3, 4])
    for (const block of BLOCKS)
      for (const base of variantsOf(block))
        for (const c of [0, 1, 2] as const) {
          const cost = costOf(ell, block, c);
          const kase = blockCase(smallVariant(base, ell), ell, block);
          const title = `${kase.name}, P${c} corrupted: the real mixture on A and on B equals the simulator's`;
          if (cost === 'open') it.todo(`${title} — open: P2's residue (r_0, r_1, η″, permutations) is too large`);
          else if (cost === 'fast' || SLOW)
            it(title, async () => {
              const m = await mixtures(kase, c);
              expect(proportionsDiffer(m.A, m.sim)).toBeNull();
              expect(proportionsDiffer(m.B, m.sim)).toBeNull();
            });
        }
});

describe('peeling agrees with the draw-by-draw enumeration (ℓ = 2); probeReal and probeSimulated count its runs', () => {
  // P2's ComputeMSB (6400 runs, through the (d⁰, d⁰ + d¹) transform) with CRYPTFLOW_SLOW.
  const cases: readonly [BlockName, Variant, PartyId][] = [
    ['shareConvert', PORTHOS, 0],
    ['computeMsb', PORTHOS, 1],
    ['selectShare', PORTHOS, 1],
    ...(SLOW ? [['computeMsb', PORTHOS, 2] as [BlockName, Variant, PartyId]] : []),
  ];
  for (const [block, base, c] of cases) {
    const kase = blockCase(smallVariant(base, 2), 2, block);
    it(`${kase.name}, P${c}: the full enumeration, absorbed, is the peeled mixture`, async () => {
      const m = await mixtures(kase, c);
      const full = await exactReal(m.setup, 'A', m.layout, { ...m.o, maxRuns: 20_000 });
      const t = viewTransform(c, m.layout);
      const transformed: Exact = {
        ...full,
        weights: new Map(
          [...full.weights].map(([k, w]) => [Array.from(t(Int32Array.from(k.split(',').map(Number)))).join(','), w]),
        ),
      };
      expect(full.runs).toBeGreaterThan(1);
      expect(await probeReal(m.setup, 'A', m.o)).toBe(BigInt(full.runs));
      expect(probeSimulated(m.setup)).toBe(BigInt(exactSimulated(m.setup, 20_000).runs));
      expect(proportionsDiffer(absorb(transformed, m.sets), m.A)).toBeNull();
    });
  }
});

/** Draws below a modulus (Z_{2^ℓ−1} masks and shares) are zero. */
const zeroBelow = (): DrawHook => (kind, _param, out) => {
  if (kind === 'below' && out instanceof BigUint64Array) out.fill(0n);
};

describe('planted leaks change the exact mixtures', () => {
  const leak = (block: BlockName, base: Variant, ell: number, what: string, tamper: Parameters<typeof tampered>[2]) => {
    const honest = blockCase(smallVariant(base, ell), ell, block);
    return tampered(honest, `${honest.name}, ${what}`, tamper);
  };
  const cases: readonly [SecurityCase, PartyId][] = [
    [
      leak(
        'shareConvert',
        PORTHOS,
        3,
        "P0's bit shares unmasked (P1–P2 Z_p draws zero)",
        hookStream(1, 2, zeroField(5)),
      ),
      0,
    ],
    [leak('shareConvert', SECURENN, 3, 'the helper forwards ã_0 to P1', helperForwards(1)), 1],
    [leak('computeMsb', PORTHOS, 2, "P1's Beaver masks zero (P1–P2 ring draws)", hookStream(1, 2, zeroRing)), 0],
    [leak('computeMsb', SECURENN, 2, 'PrivateCompare without z', hookStream(0, 1, zeroField(5))), 2],
    [
      leak('drelu', PORTHOS, 2, "P1's Z_{2^ℓ−1} shares unmasked (P1–P2 below draws zero)", hookStream(1, 2, zeroBelow)),
      0,
    ],
    [
      leak('relu', PORTHOS, 2, "P0's Z_{2^ℓ−1} shares unmasked (P0–P2 below draws zero)", hookStream(0, 2, zeroBelow)),
      1,
    ],
    [leak('maxStep', PORTHOS, 2, "P0's Z_{2^ℓ−1} shares unmasked", hookStream(0, 2, zeroBelow)), 1],
    [
      leak(
        'selectShare',
        PORTHOS,
        3,
        "P1's Beaver masks with top bit 0 (a partial leak)",
        hookStream(1, 2, topBitZero),
      ),
      0,
    ],
  ];
  for (const [kase, c] of cases)
    it(`${kase.name}: P${c}'s mixture differs from the simulator's`, async () => {
      const m = await mixtures(kase, c);
      expect(proportionsDiffer(m.A, m.sim) ?? proportionsDiffer(m.B, m.sim)).not.toBeNull();
    });
  if (SLOW)
    it("Porthos ShareConvert at ℓ = 2 with r_0, r_1's top bit cleared: P2's mixture differs from the simulator's", async () => {
      const m = await mixtures(leak('shareConvert', PORTHOS, 2, 'r top bit 0', hookStream(0, 1, topBitZero)), 2);
      expect(proportionsDiffer(m.A, m.sim) ?? proportionsDiffer(m.B, m.sim)).not.toBeNull();
    });
});
