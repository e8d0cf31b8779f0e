/**
 * Exhaustive checks on small rings (ℓ = 2 … 8): every value, each repeated so that the common masks
 * vary, through PrivateCompare, ShareConvert, ComputeMSB and ReLU′, both variants.
 */
import { describe, expect, it } from 'vitest';
import { computeMsb, drelu, privateCompare, shareConvert } from '../by-role.js';
import { bitsOf } from '../../../protocols/securenn-family/nonlinear/arith.js';
import { odd, pow2, reconstruct, run3, shareMod, testPrg, VARIANTS } from './support.js';

const SMALL = [2, 3, 4, 5, 6, 7, 8];
const COPIES = 6;

function everyValue(m: bigint): bigint[] {
  const out: bigint[] = [];
  for (let c = 0; c < COPIES; c++) for (let x = 0n; x < m; x++) out.push(x);
  return out;
}

describe('small rings, exhaustively', () => {
  it('PrivateCompare: every (x, r, β) at ℓ = 2 … 5', async () => {
    for (const v of VARIANTS) {
      for (const ell of [2, 3, 4, 5]) {
        const L = pow2(ell);
        const cases: { x: bigint; r: bigint; b: number }[] = [];
        for (let x = 0n; x < L; x++) for (let r = 0n; r < L; r++) for (const b of [0, 1]) cases.push({ x, r, b });
        const n = cases.length;
        const bits = bitsOf(ell, BigUint64Array.from(cases.map((c) => c.x)));
        const s0 = testPrg(`pc-${v.name}-${ell}`).field(v.field.p, bits.length);
        const s1 = bits.map((b, i) => (b - (s0[i] as number) + v.field.p) % v.field.p);
        const rs = BigUint64Array.from(cases.map((c) => c.r));
        const betas = Uint8Array.from(cases.map((c) => c.b));
        const run = await run3(ell, `pc-${ell}`, (ctx) =>
          ctx.id === 2
            ? privateCompare(ctx, v, n, new Uint8Array(0), new BigUint64Array(0), new Uint8Array(0))
            : privateCompare(ctx, v, n, ctx.id === 0 ? s0 : s1, rs, betas),
        );
        expect([...run.p2]).toEqual(cases.map((c) => c.b ^ (c.x > c.r ? 1 : 0)));
      }
    }
  });

  it('ShareConvert gives a mod (2^ℓ − 1), ComputeMSB the top bit, ReLU′ 1 − bit_{ℓ−2}, for every value', async () => {
    for (const v of VARIANTS) {
      for (const ell of SMALL) {
        const L = pow2(ell);
        const M = odd(ell);
        const xs = everyValue(L);
        const sc = await run3(ell, `sc-${v.name}-${ell}`, (ctx) =>
          shareConvert(ctx, v, xs.length, shareMod(ctx, L, xs)),
        );
        expect(reconstruct(M, sc.p0, sc.p1)).toEqual(xs.map((a) => a % M));
        const os = everyValue(M);
        const cm = await run3(ell, `cm-${v.name}-${ell}`, (ctx) => computeMsb(ctx, v, os.length, shareMod(ctx, M, os)));
        expect(reconstruct(L, cm.p0, cm.p1)).toEqual(os.map((a) => (a >= L / 2n ? 1n : 0n)));
        const dr = await run3(ell, `dr-${v.name}-${ell}`, (ctx) => drelu(ctx, v, xs.length, shareMod(ctx, L, xs)));
        expect(reconstruct(L, dr.p0, dr.p1)).toEqual(xs.map((a) => 1n - ((a >> BigInt(ell - 2)) & 1n)));
      }
    }
  });
});
