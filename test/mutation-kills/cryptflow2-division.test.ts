/**
 * Mutation kills for protocols/cryptflow2/division.ts (the sweep of 2026-12-07): the power-of-two
 * detection bounds (35), the truncation fast paths (51, 52), the divisor guard (68), the empty early
 * return (69), which party adds the public offsets (72, 114, 131) and the error kind of a divisor too
 * large (92). The party-offset mutants reconstruct the same quotient, so those tests pin each party's
 * own share against a replay of the same seeded run built from the exported sub-protocols (millionaire,
 * B2A, MUX) along the steps of the module's doc comment.
 * Listed as equivalent (scripts/mutation/equivalent/protocols__cryptflow2__division.json): 72 v − half
 * (the same residue mod 2^ℓ), 72 x.slice() read as x (u is never written), 89 d >= m (ties pick an
 * equal bigint).
 */
import { describe, expect, it } from 'vitest';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import type { OtChannel } from '../../protocols/ot/types.js';
import { divide, divisionWidth, pow2Shift, truncate } from '../../protocols/cryptflow2/division.js';
import { b2a } from '../../protocols/cryptflow2/b2a.js';
import { msb } from '../../protocols/cryptflow2/drelu.js';
import { millionaire } from '../../protocols/cryptflow2/millionaire.js';
import { mux } from '../../protocols/cryptflow2/mux.js';
import { fDiv } from '../../ideal/cryptflow2.js';
import { addShares, RINGS, run2, shareRing } from '../protocols/cryptflow2/support.js';
import { expectDefect, loneParty, noOt } from './defect-support.js';
import { expectCryptflowRejection } from './support.js';

const lone = (id: PartyId, ell: number): PartyContext => loneParty(id, ell, 'cryptflow2-division');
const GUARD = 'division needs one positive divisor per element';

/** Edge values of Z_{2^ℓ}: around 0, around ±2^{ℓ−1}, and a few in between. */
function edgeValues(ell: number): bigint[] {
  const top = (1n << BigInt(ell)) - 1n;
  const half = 1n << BigInt(ell - 1);
  return [0n, 1n, 2n, top, top - 1n, half, half - 1n, half + 1n, half - 2n, half + 2n, 5n, top - 6n, half >> 1n];
}

/**
 * The protocol of the doc comment, step by step, from the exported sub-protocols: P0 shifts its share
 * by 2^{ℓ−1}, P0 passes the complemented operands of every comparison, P0 adds the constants −1, −2
 * of f0, f1 and the public −H. The same seeded run of divide must give each party this very share.
 */
async function replay(
  ctx: PartyContext,
  ot: OtChannel,
  x: BigUint64Array,
  ds: readonly bigint[],
  ell: number,
): Promise<BigUint64Array> {
  const n = x.length;
  const L = BigInt(ell);
  const half = 1n << (L - 1n);
  const top = (1n << L) - 1n;
  const p0 = ctx.id === 0;
  const u = x.map((v) => BigInt.asUintN(ell, p0 ? v + half : v));
  const dAt = (i: number): bigint => ds[i] as bigint;
  const q = u.map((v, i) => v / dAt(i));
  const r = u.map((v, i) => v % dAt(i));
  const w = await millionaire(ctx, ot, p0 ? u.map((v) => top - v) : u, ell);
  const s = ds.every((d) => d === ds[0]) ? pow2Shift(dAt(0), ell) : null;
  let wa: BigUint64Array;
  let f: BigUint64Array;
  if (s !== null) {
    const c = await millionaire(ctx, ot, p0 ? r.map((v) => dAt(0) - 1n - v) : r, s);
    const arith = await b2a(ctx, ot, Uint8Array.from([...w, ...c]), ell);
    wa = arith.slice(0, n);
    f = arith.slice(n);
  } else {
    const width = divisionWidth(ds.reduce((m, d) => (d > m ? d : m), 1n));
    const inputs = new BigUint64Array(5 * n);
    for (let j = 0; j < 5; j++) {
      for (let i = 0; i < n; i++) {
        const d = dAt(i);
        const R = (1n << L) % d;
        const R1 = half % d;
        const K = [R1, R1 + d, R1 + R - d, R1 + R, R1 + R + d][j] as bigint;
        const ri = r[i] as bigint;
        inputs[j * n + i] = p0 ? K - 1n - ri + 2n * d : ri + 2n * d;
      }
    }
    const c = await millionaire(ctx, ot, inputs, width);
    const arith = await b2a(ctx, ot, Uint8Array.from([...w, ...c]), ell);
    wa = arith.slice(0, n);
    const ca = (j: number, i: number): bigint => arith[(j + 1) * n + i] as bigint;
    const f0 = Array.from({ length: n }, (_, i) => (p0 ? -1n : 0n) + ca(0, i) + ca(1, i));
    const f1 = Array.from({ length: n }, (_, i) => (p0 ? -2n : 0n) + ca(2, i) + ca(3, i) + ca(4, i));
    const delta = await mux(
      ctx,
      ot,
      w,
      BigUint64Array.from(f1, (v, i) => BigInt.asUintN(ell, v - (f0[i] as bigint))),
      ell,
    );
    f = BigUint64Array.from(f0, (v, i) => BigInt.asUintN(ell, v + (delta[i] as bigint)));
  }
  return q.map((qi, i) => {
    const d = dAt(i);
    const pub = p0 ? -(half / d) : 0n;
    return BigInt.asUintN(ell, qi + pub - ((1n << L) / d) * (wa[i] as bigint) + (f[i] as bigint));
  });
}

describe('pow2Shift: the two-comparison path is for 2^s with 1 ≤ s ≤ ℓ − 1', () => {
  /**
   * Pins 35 (ConditionalExpression true for s >= 1: d = 1 would take the path with s = 0) and 35
   * (ArithmeticOperator ell + 1: 2^ℓ and 2^{ℓ+1} would be taken as shifts).
   */
  it('answers s for 2^1 … 2^{ℓ−1} and null for 1, 2^ℓ, 2^{ℓ+1} and non-powers', () => {
    for (const ell of RINGS) {
      for (let s = 1; s <= ell - 1; s++) expect(pow2Shift(1n << BigInt(s), ell)).toBe(s);
      expect(pow2Shift(1n, ell)).toBeNull();
      expect(pow2Shift(1n << BigInt(ell), ell)).toBeNull();
      expect(pow2Shift(1n << BigInt(ell + 1), ell)).toBeNull();
      expect(pow2Shift(3n, ell)).toBeNull();
      expect(pow2Shift((1n << BigInt(ell - 1)) + 1n, ell)).toBeNull();
    }
  });
});

describe('truncate: the fast paths', () => {
  /**
   * Pins 51 (ConditionalExpression false for x.length === 0): an empty batch returns before the shift
   * is looked at. At ℓ = 1 a shift s = 1 ≥ ℓ would otherwise run the MSB on 0 bits, whose millionaires'
   * refuses a width of 0 as a defect; at ℓ = 16 a fractional shift would reach BigInt(1.5).
   */
  it('an empty batch gives an empty array at either party, whatever the shift, without an OT call', async () => {
    for (const id of [0, 1] as const) {
      expect(await truncate(lone(id, 1), noOt, new BigUint64Array(0), 1, 1)).toEqual(new BigUint64Array(0));
      expect(await truncate(lone(id, 16), noOt, new BigUint64Array(0), 1.5, 16)).toEqual(new BigUint64Array(0));
      expect(await truncate(lone(id, 16), noOt, new BigUint64Array(0), 20, 16)).toEqual(new BigUint64Array(0));
    }
  });

  /** Pins 51 (MethodExpression x): a shift by 0 returns a copy, so writing the result leaves x as it was. */
  it('a shift by 0 returns a fresh copy of the share', async () => {
    for (const id of [0, 1] as const) {
      const x = BigUint64Array.from([3n, 7n, 65535n]);
      const out = await truncate(lone(id, 16), noOt, x, 0, 16);
      expect(out).not.toBe(x);
      expect(out).toEqual(x);
      out[0] = 9n;
      expect([...x]).toEqual([3n, 7n, 65535n]);
    }
  });

  /**
   * Pins 52 (ConditionalExpression false, EqualityOperator s > ell, BlockStatement {}): a shift s ≥ ℓ
   * (s = ℓ included) gives each party exactly the negation of its B2A(MSB(x)) share from the same
   * seeded run; the general-division path by d = 2^s gives other shares (and at ℓ = 64 a usage error).
   */
  it('s ≥ ℓ gives each party −B2A(MSB(x)) of the same seeded run', async () => {
    for (const ell of RINGS) {
      const values = edgeValues(ell);
      for (const s of [ell, ell + 3]) {
        const seed = `cf2-division msb ${ell} ${s}`;
        const t = await run2(ell, seed, (ctx, ot) => truncate(ctx, ot, shareRing(ctx, ell, values), s, ell));
        const m = await run2(ell, seed, async (ctx, ot) => {
          const bits = await msb(ctx, ot, shareRing(ctx, ell, values), ell);
          return b2a(ctx, ot, bits, ell);
        });
        expect([...t.p0]).toEqual([...m.p0].map((v) => BigInt.asUintN(ell, -v)));
        expect([...t.p1]).toEqual([...m.p1].map((v) => BigInt.asUintN(ell, -v)));
        expect(t.meter).toEqual(m.meter);
      }
    }
  });
});

describe('divide: the divisor guard and the empty case', () => {
  /**
   * Pins 68 (ConditionalExpression false ×2, LogicalOperator &&, MethodExpression every, ArrowFunction
   * () => undefined, ConditionalExpression false for d < 1n, StringLiteral ""): a divisor list of the
   * wrong length (all positive), a zero or negative divisor among positive ones, at either party, is
   * the exact defect before any OT call.
   */
  it('a wrong-length divisor list or a divisor below 1 is the exact defect', async () => {
    for (const id of [0, 1] as const) {
      const ctx = lone(id, 16);
      const x = BigUint64Array.from([1n, 2n, 3n]);
      await expectDefect(() => divide(ctx, noOt, x, [2n, 2n], 16), GUARD);
      await expectDefect(() => divide(ctx, noOt, x, [3n, 3n, 3n, 3n], 16), GUARD);
      await expectDefect(() => divide(ctx, noOt, x, [2n, 0n, 2n], 16), GUARD);
      await expectDefect(() => divide(ctx, noOt, x, [5n, 7n, -3n], 16), GUARD);
      await expectDefect(() => divide(ctx, noOt, new BigUint64Array(0), [4n], 16), GUARD);
    }
  });

  /** Pins 69 (ConditionalExpression false): zero elements and zero divisors answer at once, no OT call. */
  it('zero elements give an empty array at either party without an OT call', async () => {
    for (const id of [0, 1] as const) {
      expect(await divide(lone(id, 16), noOt, new BigUint64Array(0), [], 16)).toEqual(new BigUint64Array(0));
    }
  });

  /** Pins 92 (StringLiteral ""): a divisor with 5d ≥ 2^64 is a CryptflowError of kind 'usage'. */
  it('a divisor too large for the comparisons is a usage error naming the bound and the width', async () => {
    const d = (1n << 62n) + 1n;
    await expectCryptflowRejection(
      () => run2(64, 'cf2-division big', (ctx, ot) => divide(ctx, ot, shareRing(ctx, 64, [5n, 6n]), [3n, d], 64)),
      'usage',
      'division by a public constant supports divisors below 2^64/5, got one of 65 bits',
    );
  });
});

describe('divide: which party adds the public offsets', () => {
  /**
   * Pins 72 (EqualityOperator ctx.id !== 0: P1 adds 2^{ℓ−1}), 131 (EqualityOperator: P1 adds −H) on
   * the power-of-two path, and 114 (EqualityOperator: P1 adds −1, −2 to f0, f1) with 72 and 131 on the
   * general path. Each reconstructs the same quotient, but each party's share differs from the replay
   * of the same seeded run.
   */
  it('each party holds the share of the replayed protocol, on both paths', async () => {
    for (const ell of RINGS) {
      const values = edgeValues(ell);
      const n = values.length;
      const pow2 = new Array<bigint>(n).fill(1n << BigInt(Math.min(3, ell - 1)));
      const general = values.map((_, i) => [3n, 7n, 1n, 10n, 2n, 49n, 300n][i % 7] as bigint);
      for (const ds of [pow2, general]) {
        const seed = `cf2-division shares ${ell} ${ds.join(',')}`;
        const got = await run2(ell, seed, (ctx, ot) => divide(ctx, ot, shareRing(ctx, ell, values), ds, ell));
        const want = await run2(ell, seed, (ctx, ot) => replay(ctx, ot, shareRing(ctx, ell, values), ds, ell));
        expect(addShares(ell, got.p0, got.p1)).toEqual([...fDiv(ell, BigUint64Array.from(values), ds)]);
        expect([...got.p0]).toEqual([...want.p0]);
        expect([...got.p1]).toEqual([...want.p1]);
      }
    }
  });
});
