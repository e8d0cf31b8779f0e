/**
 * Exact counting at ℓ = 2 (p = 5): every value of the honest randomness that reaches the corrupted
 * party is enumerated (harness/security/exact.ts), each once, so the view's distribution is known
 * exactly and compared for equality with the simulator's — no statistics, no false alarms.
 *   - Beaver's product, P0 corrupted: the P1–P2 stream's A1, B1 (n = 2: 4^4 runs); the view E1, F1 is
 *     uniform on Z_4^4, every value exactly once, on both input sets.
 *   - Beaver's product, P1 corrupted: the P0–P2 stream's A0, B0, C0 (n = 1: 4^3 runs); E0, F0, C1
 *     uniform on Z_4^3.
 *   - PrivateCompare, P2 corrupted: the P0–P1 stream's s ∈ (Z_5^*)^2, z ∈ Z_5^2 and the permutation
 *     (800 runs); the view (d^0, d^1) is uniform on the simulator's support — d^0 anything, d = d^0 + d^1
 *     with no zero (β′ = 0, 400 views, each twice) or exactly one zero (β′ = 1, 200 views, each four
 *     times) — on two input sets with the same β′, including r = 2^ℓ − 1 with β = 1.
 * And the exact test fails on a leak: a biased PRG (A1, B1 with top bit 0) and PrivateCompare
 * without its z mask give different counts on the two input sets.
 */
import { describe, expect, it } from 'vitest';
import {
  countsDiffer,
  exactViewCounts,
  labelPrg,
  range,
  sharedCase,
  simBeaver,
  smallVariant,
  substitute,
  tampered,
  tuples,
  viewKeys,
  type Counts,
  type Output,
  type Which,
} from '../../harness/security/index.js';
import { productHelper, productHolder } from '../../protocols/securenn-family/linear.js';
import { bug } from '../../spec/errors.js';
import { privateCompare } from '../protocols/by-role.js';
import { bitsOf } from '../../protocols/securenn-family/nonlinear/arith.js';
import { PORTHOS } from '../../protocols/securenn-family/nonlinear/variant.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { referenceKernels } from '../../semantics/kernels/index.js';
import { segment } from '../../harness/security/typed.js';

const ell = 2;
const hex = (xs: readonly number[]): string => Buffer.from(xs).toString('hex');

function productCaseOf(n: number) {
  return sharedCase({
    name: `product (n = ${n}, ℓ = 2)`,
    ell,
    operands: 'ring',
    A: [[1n, 2n].slice(0, n), [3n, 0n].slice(0, n)],
    B: [[3n, 3n].slice(0, n), [0n, 2n].slice(0, n)],
    holder: async (ctx, s): Promise<Output> => {
      const z = await productHolder(
        ctx,
        referenceKernels,
        { shape: [n], share: s[0] ?? bug('operand 0') },
        { shape: [n], share: s[1] ?? bug('operand 1') },
        n,
      );
      return [segment(ell, 'ring', z)];
    },
    helper: async (ctx) => productHelper(ctx, referenceKernels, [n], [n], n),
    simulate: (b) => simBeaver(b, { x: n, y: n, z: n }),
  });
}

/** Beaver's product with corrupted party c, the stream (a, b) substituted by each combination. */
function beaverCounts(
  c: PartyId,
  n: number,
  which: Which,
  stream: readonly [PartyId, PartyId],
  combos: Iterable<number[]>,
  draws: (combo: number[]) => number[][],
): Promise<Counts> {
  const keys = viewKeys(c, 'exact|fixed', 'exact|honest');
  const base = productCaseOf(n);
  return exactViewCounts(
    combos,
    (combo) =>
      tampered(base, 'enumerated', substitute(stream[0], stream[1], draws(combo)))
        .setup(c, keys[c])
        .programs(which),
    { ell, corrupted: c, keys },
  );
}

function uniformCounts(lists: readonly (readonly number[])[], key: (t: number[]) => string, each: number): Counts {
  const out: Counts = new Map();
  for (const t of tuples(lists)) out.set(key(t), each);
  return out;
}

describe('exact view distributions at ℓ = 2 (enumerated honest randomness)', () => {
  it('Beaver, P0 corrupted: (E1, F1) takes every value of Z_4^4 exactly once over the 4^4 masks (A1, B1), on both input sets', async () => {
    const expected = uniformCounts([range(4), range(4), range(4), range(4)], (t) => `P1:${hex(t)} P2:`, 1);
    for (const which of ['A', 'B'] as const) {
      const counts = await beaverCounts(
        0,
        2,
        which,
        [1, 2],
        tuples([range(4), range(4), range(4), range(4)]),
        ([a, b, c, d]) => [
          [a ?? 0, b ?? 0],
          [c ?? 0, d ?? 0],
        ],
      );
      expect(countsDiffer(counts, expected)).toBeNull();
    }
  });

  it('Beaver, P1 corrupted: (E0, F0, C1) takes every value of Z_4^3 exactly once over (A0, B0, C0)', async () => {
    const expected = uniformCounts(
      [range(4), range(4), range(4)],
      ([e, f, c]) => `P0:${hex([e ?? 0, f ?? 0])} P2:${hex([c ?? 0])}`,
      1,
    );
    for (const which of ['A', 'B'] as const) {
      const counts = await beaverCounts(1, 1, which, [0, 2], tuples([range(4), range(4), range(4)]), (t) =>
        t.map((x) => [x]),
      );
      expect(countsDiffer(counts, expected)).toBeNull();
    }
  });

  it('a biased PRG (A1, B1 with top bit 0) makes the exact distributions on A and B differ', async () => {
    const run = (which: Which) =>
      beaverCounts(0, 2, which, [1, 2], tuples([range(2), range(2), range(2), range(2)]), ([a, b, c, d]) => [
        [a ?? 0, b ?? 0],
        [c ?? 0, d ?? 0],
      ]);
    expect(countsDiffer(await run('A'), await run('B'))).not.toBeNull();
  });

  const v = smallVariant(PORTHOS, ell);
  const p = v.field.p;

  interface Compare {
    readonly x: bigint;
    readonly r: bigint;
    readonly beta: number;
  }

  /** P2's view of PrivateCompare on one element, P0's bit shares from `label`, z optionally forced to 0. */
  function compareCounts(e: Compare, label: string, zeroZ: boolean): Promise<Counts> {
    const keys = viewKeys(2, 'exact|pc|fixed', 'exact|pc|honest');
    const bits = bitsOf(ell, BigUint64Array.from([e.x]));
    const s0 = labelPrg(label).field(p, ell);
    const s1 = bits.map((b, i) => (b - (s0[i] as number) + p) % p);
    const combos = tuples([range(p - 1), range(p - 1), range(p), range(p), range(2)]);
    return exactViewCounts(
      combos,
      ([sa, sb, za, zb, j]) => {
        const subs = substitute(0, 1, [[sa ?? 0, sb ?? 0], zeroZ ? [0, 0] : [za ?? 0, zb ?? 0], [j ?? 0]]);
        const program = (raw: PartyContext): Promise<Uint8Array> => {
          const ctx = subs(raw);
          return ctx.id === 2
            ? privateCompare(ctx, v, 1, new Uint8Array(0), new BigUint64Array(0), new Uint8Array(0))
            : privateCompare(ctx, v, 1, ctx.id === 0 ? s0 : s1, BigUint64Array.from([e.r]), Uint8Array.from([e.beta]));
        };
        return [program, program, program];
      },
      { ell, corrupted: 2, keys },
    );
  }

  /** The simulator's support for β′, each view `each` times: d^0 anything, d = d^0 + d^1 with no zero (β′ = 0) or one zero. */
  function simulatedCounts(betaPrime: number, each: number): Counts {
    const out: Counts = new Map();
    const nz = range(p - 1).map((a) => a + 1);
    const ds = betaPrime === 0 ? tuples([nz, nz]) : [...nz.map((a) => [0, a]), ...nz.map((a) => [a, 0])];
    for (const d of ds)
      for (const d0 of tuples([range(p), range(p)]))
        out.set(`P0:${hex(d0)} P1:${hex(d0.map((x, k) => ((d[k] ?? 0) - x + p) % p))}`, each);
    return out;
  }

  const cases: readonly { betaPrime: number; A: Compare; B: Compare }[] = [
    { betaPrime: 0, A: { x: 1n, r: 2n, beta: 0 }, B: { x: 3n, r: 0n, beta: 1 } },
    { betaPrime: 1, A: { x: 2n, r: 3n, beta: 1 }, B: { x: 3n, r: 1n, beta: 0 } },
  ];

  for (const k of cases) {
    it(`PrivateCompare, P2 corrupted, β′ = ${k.betaPrime}: the view is uniform on the simulator's support, on both input sets`, async () => {
      const expected = simulatedCounts(k.betaPrime, k.betaPrime === 0 ? 2 : 4);
      for (const [which, e] of [
        ['A', k.A],
        ['B', k.B],
      ] as const) {
        expect(e.beta ^ (e.x > e.r ? 1 : 0)).toBe(k.betaPrime);
        expect(countsDiffer(await compareCounts(e, `exact|pc|${which}`, false), expected)).toBeNull();
      }
    });
  }

  it('PrivateCompare without the z mask: the exact distributions on two input sets with the same β′ differ', async () => {
    const k = cases[0];
    if (k === undefined) throw new Error('cases');
    const a = await compareCounts(k.A, 'exact|pc|A', true);
    const b = await compareCounts(k.B, 'exact|pc|B', true);
    expect(countsDiffer(a, b)).not.toBeNull();
  });
});
