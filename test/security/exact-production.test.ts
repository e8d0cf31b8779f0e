/**
 * PrivateCompare's view, P2 corrupted, enumerated exactly at a production prime (SecureNN's p = 67;
 * Porthos's p = 127 with CRYPTFLOW_SLOW), ℓ = 2, one element (exact.ts's substitution of draws).
 *
 * P2 receives d⁰ from P0 and d¹ from P1, with d = d⁰ + d¹ = π(s ⊙ c) for the multipliers s ∈ (Z_p^*)^ℓ
 * and the permutation π that P0 and P1 draw from their common stream, and d⁰ additionally masked by
 * their common z ∈ Z_p^ℓ. z enters only d⁰ and is independent of (s, π), so the view is (u, d − u)
 * with u uniform and independent of d (the ℓ = 2, p = 5 enumeration in exact.test.ts enumerates z too);
 * what remains is d's distribution, enumerated here over every (s, π) with z = 0: (p − 1)²·2 runs per
 * input set (8,712 at p = 67). The simulator's: β′ = 0 — d uniform on (Z_p^*)², each vector twice;
 * β′ = 1 — exactly one zero, at either place, the other coordinate in Z_p^*, each vector p − 1 times.
 * Both input sets give exactly that (β′ = 1, one of them r = 2^ℓ − 1 with β = 1, the special case, in
 * `npm test`; β′ = 0 and Porthos's p = 127 — 31,752 runs per set — with CRYPTFLOW_SLOW). Without
 * the permutation the enumeration is not the simulator's.
 */
import { describe, expect, it } from 'vitest';
import { countsDiffer, range, substitute, tuples, viewKeys, type Counts } from '../../harness/security/index.js';
import { observe } from '../../harness/security/view.js';
import { privateCompare } from '../protocols/by-role.js';
import { bitsOf } from '../../protocols/securenn-family/nonlinear/arith.js';
import { PORTHOS, SECURENN, type Variant } from '../../protocols/securenn-family/nonlinear/variant.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { labelPrg } from '../../harness/security/check.js';
import { SLOW } from './support.js';

const ell = 2;

interface Compare {
  readonly x: bigint;
  readonly r: bigint;
  readonly beta: number;
}

/** Counts of d = d⁰ + d¹ over every (s, π), z = 0 (π only the identity when `fixedPi`). */
async function dCounts(v: Variant, e: Compare, label: string, fixedPi = false): Promise<Counts> {
  const p = v.field.p;
  const keys = viewKeys(2, 'exact-production|fixed', 'exact-production|honest');
  const bits = bitsOf(ell, BigUint64Array.from([e.x]));
  const s0 = labelPrg(label).field(p, ell);
  const s1 = bits.map((b, i) => (b - (s0[i] as number) + p) % p);
  const out: Counts = new Map();
  for (const [sa, sb, j] of tuples([range(p - 1), range(p - 1), fixedPi ? [0] : range(2)])) {
    const subs = substitute(0, 1, [[sa ?? 0, sb ?? 0], [0, 0], [j ?? 0]]);
    const program = (raw: PartyContext): Promise<Uint8Array> => {
      const ctx = subs(raw);
      return ctx.id === 2
        ? privateCompare(ctx, v, 1, new Uint8Array(0), new BigUint64Array(0), new Uint8Array(0))
        : privateCompare(ctx, v, 1, ctx.id === 0 ? s0 : s1, BigUint64Array.from([e.r]), Uint8Array.from([e.beta]));
    };
    const { view } = await observe([program, program, program], { ell, corrupted: 2, keys });
    const [d0, d1] = [view.received[0][0], view.received[1][0]];
    if (d0 === undefined || d1 === undefined || d0.length !== ell || d1.length !== ell)
      throw new Error('P2 should receive one message of ℓ elements from each holder');
    const d = Array.from(d0, (x, k) => (x + (d1[k] as number)) % p).join(',');
    out.set(d, (out.get(d) ?? 0) + 1);
  }
  return out;
}

function simulatedD(p: number, betaPrime: number): Counts {
  const nz = range(p - 1).map((a) => a + 1);
  const out: Counts = new Map();
  if (betaPrime === 0) for (const [a, b] of tuples([nz, nz])) out.set(`${a},${b}`, 2);
  else for (const a of nz) for (const key of [`0,${a}`, `${a},0`]) out.set(key, p - 1);
  return out;
}

const cases: readonly { betaPrime: number; A: Compare; B: Compare }[] = [
  { betaPrime: 0, A: { x: 1n, r: 2n, beta: 0 }, B: { x: 3n, r: 0n, beta: 1 } },
  { betaPrime: 1, A: { x: 2n, r: 3n, beta: 1 }, B: { x: 3n, r: 1n, beta: 0 } },
];

describe('PrivateCompare at a production prime, P2 corrupted, ℓ = 2: d = d⁰ + d¹ enumerated exactly', () => {
  for (const v of SLOW ? [SECURENN, PORTHOS] : [SECURENN]) {
    for (const k of SLOW ? cases : cases.filter((c) => c.betaPrime === 1)) {
      it(`${v.name} (p = ${v.field.p}), β′ = ${k.betaPrime}: on both input sets d is uniform on the simulator's support`, async () => {
        const expected = simulatedD(v.field.p, k.betaPrime);
        for (const [which, e] of [
          ['A', k.A],
          ['B', k.B],
        ] as const) {
          expect(e.beta ^ (e.x > e.r ? 1 : 0)).toBe(k.betaPrime);
          expect(countsDiffer(await dCounts(v, e, `exact-production|${which}`), expected)).toBeNull();
        }
      });
    }
  }

  it('without the permutation (π the identity) the zero sits where x and r first differ: not the simulator’s', async () => {
    const k = cases[1];
    if (k === undefined) throw new Error('cases');
    const got = await dCounts(SECURENN, k.A, 'exact-production|A', true);
    expect(countsDiffer(got, simulatedD(SECURENN.field.p, 1))).not.toBeNull();
    expect(new Set([...got.keys()].map((d) => d.split(',').indexOf('0'))).size).toBe(1);
  });
});
