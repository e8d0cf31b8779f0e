/**
 * Mutation kills for protocols/malicious3/held.ts (how an authenticated share sits in a `Held`) and
 * protocols/malicious3/limbs.ts (linear and bilinear maps over Z_{2^m} by 16-bit limbs). What the
 * sweep's suites left open:
 *
 *   - `pack` of a component whose element count is not the shape's is a defect naming the count and
 *     the shape; `unpack` of a share of the wrong lane count is a defect naming it, the shape and 8n;
 *   - `pack` then `unpack` gives back the four components, in order;
 *   - `linearMap` applies the map once per limb (⌈m/16⌉ times) to exactly the limbs of x, and
 *     recombines mod 2^m;
 *   - `linearMap` and `bilinearMap` refuse a map whose output length is not `outLen` (a defect naming
 *     both lengths), even a longer one the recombination could have read a prefix of;
 *   - `bilinearMap` of an element-wise product is the product mod 2^m (hand-computed).
 *
 * Argued equivalent (scripts/mutation/equivalent/protocols__malicious3__limbs.json): `a <= L` in
 * `bilinearMap`'s outer loop (for a = L = ⌈m/16⌉ the inner loop's condition 16·(L + b) < m is false at
 * b = 0, so the extra pass does nothing).
 */
import { describe, expect, it } from 'vitest';
import { pack, unpack } from '../../protocols/malicious3/held.js';
import { bilinearMap, linearMap } from '../../protocols/malicious3/limbs.js';
import { fromBigints, toBigints, type Z128 } from '../../protocols/malicious3/ring.js';
import type { Auth } from '../../protocols/malicious3/rss.js';
import { asShare } from '../../protocols/common/sharing.js';
import { expectDefect } from './defect-support.js';

const m = 40;
const z = (vs: readonly bigint[]): Z128 => fromBigints(m, vs);
const six = (base: bigint): Z128 => z([0n, 1n, 2n, 3n, 4n, 5n].map((i) => base + i));

function auth(xa: Z128, xb: Z128, ma: Z128, mb: Z128): Auth {
  return { x: { a: xa, b: xb }, mac: { a: ma, b: mb } };
}

describe('malicious3 held: packing an authenticated share', () => {
  /** Pins the round trip the size guards protect (order x_p, x_{p+1}, m_p, m_{p+1}). */
  it('pack then unpack gives back the four components', () => {
    const h = pack([2, 3], auth(six(10n), six(20n), six(30n), six(40n)));
    expect(h.kind).toBe('secret');
    expect(h.kind === 'secret' ? h.share.length : 0).toBe(48);
    if (h.kind !== 'secret') return;
    const back = unpack(h);
    expect([back.x.a, back.x.b, back.mac.a, back.mac.b].map(toBigints)).toEqual(
      [10n, 20n, 30n, 40n].map((b) => toBigints(six(b))),
    );
  });

  /** Kills 24 ConditionalExpression (false), 24 StringLiteral (empty message) and the `', '` join. */
  it('pack of a component with the wrong element count is a defect naming it and the shape', async () => {
    const five = z([1n, 2n, 3n, 4n, 5n]);
    await expectDefect(
      () => pack([2, 3], auth(six(0n), six(0n), six(0n), five)),
      'a value of 5 elements held for shape [2, 3]',
    );
  });

  /** Kills 32 ConditionalExpression (false), 33 StringLiteral (empty message), the `', '` join and `8 / n`. */
  it('unpack of a share with the wrong lane count is a defect naming it, the shape and 8n', async () => {
    const share = asShare(new BigUint64Array(47));
    await expectDefect(
      () => unpack({ kind: 'secret', shape: [2, 3], share }),
      'malicious3 holds 47 lanes for shape [2, 3] (expected 48)',
    );
  });
});

describe('malicious3 limbs: maps over Z_{2^m} by 16-bit limbs', () => {
  const x = z([0x12_3456_789an, 0xff_ffff_ffffn]);

  /** Kills 22 EqualityOperator (`a <= limbCount(m)`: a fourth call on a limb past m). */
  it('linearMap calls the map once per limb, on exactly the limbs of x', () => {
    const seen: bigint[][] = [];
    const got = linearMap(m, x, 2, (v) => {
      seen.push([...v]);
      return v.slice();
    });
    expect(seen).toEqual([
      [0x789an, 0xffffn],
      [0x3456n, 0xffffn],
      [0x12n, 0xffn],
    ]);
    expect(toBigints(got)).toEqual([0x12_3456_789an, 0xff_ffff_ffffn]);
  });

  it('linearMap of the sum of all elements is the sum mod 2^m', () => {
    const sum = linearMap(m, x, 1, (v) => BigUint64Array.of(v.reduce((s, e) => s + e, 0n)));
    expect(toBigints(sum)).toEqual([0x12_3456_7899n]);
  });

  /** Kills 24 ConditionalExpression (false) and 24 StringLiteral (empty message). */
  it('linearMap refuses a map that gives the wrong number of entries', async () => {
    await expectDefect(
      () => linearMap(m, x, 2, (v) => BigUint64Array.from([...v, 0n])),
      'linear map gave 3 entries, expected 2',
    );
  });

  /** Pins the limb-product recombination: x·(−1) mod 2^40. */
  it('bilinearMap of the element-wise product is the product mod 2^m', () => {
    const y = z([0xff_ffff_ffffn, 3n]);
    const prod = bilinearMap(m, x, y, 2, (u, v) => u.map((e, i) => BigInt.asUintN(64, e * (v[i] as bigint))));
    expect(toBigints(prod)).toEqual([0xed_cba9_8766n, 0xff_ffff_fffdn]);
  });

  /**
   * Pins 43 EqualityOperator (`16·(a + b) <= m`: at m = 48 three more calls, on limb pairs whose
   * weight 2^48 vanishes mod 2^m, one reading a limb of y past its last).
   */
  it('bilinearMap calls the map once per limb pair of weight below 2^m, on exactly those limbs', () => {
    const m48 = 48;
    const seen: [bigint, bigint][] = [];
    const got = bilinearMap(m48, fromBigints(m48, [0x3_0002_0001n]), fromBigints(m48, [0x30_0020_0010n]), 1, (u, v) => {
      const [ua, vb] = [u[0] as bigint, v[0] as bigint];
      seen.push([ua, vb]);
      return BigUint64Array.of(ua * vb);
    });
    expect(seen).toEqual([
      [1n, 0x10n],
      [1n, 0x20n],
      [1n, 0x30n],
      [2n, 0x10n],
      [2n, 0x20n],
      [3n, 0x10n],
    ]);
    expect(toBigints(got)).toEqual([0xa0_0040_0010n]);
  });

  /** Kills 45 ConditionalExpression (false) and 45 StringLiteral (empty message). */
  it('bilinearMap refuses a map that gives the wrong number of entries', async () => {
    await expectDefect(() => bilinearMap(m, x, x, 1, (u) => u.slice()), 'bilinear map gave 2 entries, expected 1');
  });
});
