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
 * ℓ = 3 and 4 and ComputeMSB at ℓ = 4 (0.1–1 s each), P2's ComputeMSB at ℓ = 3 and 4 (2–7 s), P2's
 * ShareConvert at ℓ = 2 and 3 (about 3 and 40 s on the shared machine), P2's ReLU′, ReLU and MaxPool
 * step at ℓ = 2 (about 30 s each, plus the cross-check against grouping) and at ℓ = 3 by residue
 * groups (factor-groups.ts: ShareConvert's 768 points and ComputeMSB's 12 walked apart, 2–3 minutes
 * each at load 6–7), and P2's ShareConvert at ℓ = 4 (12,288 points, 10–12 minutes each at load
 * 8–15). Open (todo below): P2's composite blocks at ℓ = 4 (ShareConvert's group alone is 12,288
 * points; the cost is in OPEN).
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
import {
  absorb,
  factoredReal,
  factoredSimulated,
  peeledSets,
  viewTransform,
  type Factored,
} from '../../harness/security/factor.js';
import { groupedReal, groupedSimulated, type Grouped } from '../../harness/security/factor-groups.js';

const SLOW = process.env['CRYPTFLOW_SLOW'] === '1';
const MAX_POINTS = 20_000;

const isGrouped = (f: Factored): f is Grouped => 'groups' in f;

/** Joint points probed in full per grouped mixture (factor-groups.ts). */
const JOINT_CHECKS = 64;

/**
 * The simulator's and the real mixtures on A and B, absorbed over the same sets: every residue point
 * enumerated ('peeled', factor.ts) or each group of the residue on its own ('grouped', factor-groups.ts).
 */
async function mixtures(kase: SecurityCase, c: PartyId, method: 'peeled' | 'grouped' = 'peeled') {
  const ell = kase.ell;
  const setup = kase.setup(c, keysFromSeed('exact-peeled|fixed')[c]);
  const keys = viewKeys(c, 'exact-peeled|fixed', 'exact-peeled|honest');
  const layout = layoutOf(setup.simulate(labelPrg('exact-peeled|layout')));
  const o = { ell, corrupted: c, keys, byteRadices: permutationBytes(ell, 1), maxPoints: MAX_POINTS };
  const g = { maxPoints: MAX_POINTS, jointChecks: JOINT_CHECKS };
  const grouped = method === 'grouped';
  const sim = grouped
    ? await groupedSimulated(setup, c, layout, g)
    : await factoredSimulated(setup, c, layout, MAX_POINTS);
  const A = grouped ? await groupedReal(setup, 'A', layout, { ...o, ...g }) : await factoredReal(setup, 'A', layout, o);
  const B = grouped ? await groupedReal(setup, 'B', layout, { ...o, ...g }) : await factoredReal(setup, 'B', layout, o);
  const sets = peeledSets(sim, A, B);
  return { sim: absorb(sim, sets), A: absorb(A, sets), B: absorb(B, sets), raw: { sim, A, B }, setup, layout, o, sets };
}

type Cost = 'fast' | 'slow' | 'open';

const composite = (block: BlockName): boolean => block === 'drelu' || block === 'relu' || block === 'maxStep';

/** Which cells run in `npm test`, which with CRYPTFLOW_SLOW, which are open. */
function costOf(ell: number, block: BlockName, c: PartyId): Cost {
  if (c === 2 && block === 'computeMsb') return ell === 2 ? 'fast' : 'slow';
  if (c === 2 && block === 'shareConvert') return 'slow';
  if (c === 2 && block !== 'selectShare') return ell === 4 ? 'open' : 'slow';
  return ell === 2 || (ell === 3 && !composite(block)) || block === 'shareConvert' || block === 'selectShare'
    ? 'fast'
    : 'slow';
}

/** P2's composite blocks at ℓ ≥ 3 are enumerated group by group (factor-groups.ts). */
const methodOf = (ell: number, block: BlockName, c: PartyId): 'peeled' | 'grouped' =>
  c === 2 && composite(block) && ell >= 3 ? 'grouped' : 'peeled';

/** Why a cell is open (P2's composite blocks at ℓ = 4). */
const OPEN =
  "grouped, ShareConvert's group alone is 12,288 points, each probing every draw of the block " +
  '(about 95 runs a point at ℓ = 3): about 3.7·10^6 runs for A and B, an hour or more per cell here';

const variantsOf = (block: BlockName): readonly Variant[] =>
  block === 'selectShare' ? [PORTHOS] : [PORTHOS, SECURENN];

describe('exact view distributions by peeling pads, ℓ = 2, 3, 4, one element', () => {
  for (const ell of [2, 3, 4])
    for (const block of BLOCKS)
      for (const base of variantsOf(block))
        for (const c of [0, 1, 2] as const) {
          const cost = costOf(ell, block, c);
          const kase = blockCase(smallVariant(base, ell), ell, block);
          const method = methodOf(ell, block, c);
          const title = `${kase.name}, P${c} corrupted${method === 'grouped' ? ' (residue by groups)' : ''}: the real mixture on A and on B equals the simulator's`;
          if (cost === 'open') it.todo(`${title} — open: ${OPEN}`);
          else if (cost === 'fast' || SLOW)
            it(
              title,
              async () => {
                const m = await mixtures(kase, c, method);
                expect(proportionsDiffer(m.A, m.sim)).toBeNull();
                expect(proportionsDiffer(m.B, m.sim)).toBeNull();
                if (c !== 2 || !composite(block) || ell !== 2) return;
                // The cross-check: grouping agrees with the enumeration of every residue point.
                const g = await mixtures(kase, c, 'grouped');
                const split = isGrouped(g.raw.A) ? g.raw.A : null;
                expect(split?.groups.length).toBe(2);
                expect(split?.joint).toBe(JOINT_CHECKS);
                const sets = peeledSets(m.raw.A, m.raw.B, m.raw.sim, g.raw.A, g.raw.B, g.raw.sim);
                expect(proportionsDiffer(absorb(g.raw.A, sets), absorb(m.raw.A, sets))).toBeNull();
                expect(proportionsDiffer(absorb(g.raw.B, sets), absorb(m.raw.B, sets))).toBeNull();
                expect(proportionsDiffer(absorb(g.raw.sim, sets), absorb(m.raw.sim, sets))).toBeNull();
              },
              cost === 'slow' ? 60 * 60_000 : undefined,
            );
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

/**
 * ShareConvert's η″ (the first bit drawn on the P0–P1 stream) copied into the first byte of ComputeMSB's
 * permutation (the second byte draw): the two sub-blocks' residues coupled, each group's marginal
 * unchanged (η″ is a uniform bit). 'always', or only when ComputeMSB's β (the second bit draw) is 1: a
 * cross term, with no effect while either group is at its first value, which only the joint points see.
 */
const coupled = (when: 'always' | 'when β = 1') => (): DrawHook => {
  let bits = 0;
  let bytes = 0;
  let eta = 0;
  let beta = 0;
  return (kind, _param, out) => {
    if (kind === 'bits') {
      if (bits === 0) eta = Number(out[0] ?? 0);
      if (bits === 1) beta = Number(out[0] ?? 0);
      bits++;
    } else if (kind === 'bytes') {
      if (bytes === 1 && (when === 'always' || beta === 1) && out instanceof Uint8Array) out[0] = eta;
      bytes++;
    }
  };
};

/** The distribution of the coordinates `keep` (the others blanked), absorbed over `sets`. */
function marginal(e: Exact, keep: readonly number[], sets: ReadonlyMap<number, ReadonlySet<string>>): Exact {
  const on = new Set(keep);
  const weights = new Map<string, bigint>();
  for (const [k, w] of e.weights) {
    const key = k
      .split(',')
      .map((x, j) => (on.has(j) ? x : '*'))
      .join(',');
    weights.set(key, (weights.get(key) ?? 0n) + w);
  }
  return absorb({ weights, total: e.total, runs: e.runs }, sets);
}

// With CRYPTFLOW_SLOW only (24 and 12 s at load 7).
if (SLOW)
  describe('grouping the residue cannot hide a leak that couples the groups (P2, ReLU′, ℓ = 2)', () => {
    const honest = blockCase(smallVariant(PORTHOS, 2), 2, 'drelu');
    it("η″ copied into ComputeMSB's permutation: the groups merge, the mixture differs, each group's marginal does not", async () => {
      const h = await mixtures(honest, 2, 'grouped');
      const split = isGrouped(h.raw.A) ? h.raw.A.coordinates : [];
      expect(split).toHaveLength(2);
      const m = await mixtures(
        tampered(honest, `${honest.name}, η″ in the permutation`, hookStream(0, 1, coupled('always'))),
        2,
        'grouped',
      );
      expect(isGrouped(m.raw.A) ? m.raw.A.groups.length : 0).toBe(1);
      expect(proportionsDiffer(m.A, m.sim) ?? proportionsDiffer(m.B, m.sim)).not.toBeNull();
      // Compared group by group (each group's coordinates on their own), the leak would pass.
      for (const u of split)
        for (const e of [m.A, m.B])
          expect(proportionsDiffer(marginal(e, u, m.sets), marginal(m.sim, u, m.sets))).toBeNull();
    });
    it("the same only when ComputeMSB's β = 1 (a cross term): a joint point finds it, the groups merge, the mixture differs", async () => {
      const m = await mixtures(
        tampered(honest, `${honest.name}, η″ in the permutation when β = 1`, hookStream(0, 1, coupled('when β = 1'))),
        2,
        'grouped',
      );
      const g = isGrouped(m.raw.A) ? m.raw.A : null;
      expect(g?.groups.length).toBe(1);
      expect(g?.merged).toContain('joint');
      expect(proportionsDiffer(m.A, m.sim) ?? proportionsDiffer(m.B, m.sim)).not.toBeNull();
    });
  });
