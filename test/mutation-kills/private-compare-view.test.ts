/**
 * What the helper sees in PrivateCompare (protocols/securenn-family/nonlinear/private-compare.ts). P2 adds the
 * two messages it receives; the sum has, per element, EXACTLY ONE zero entry when β′ = 1 and none when
 * β′ = 0 — the count of zeros is all P2 may learn (SecureNN Alg. 3), whatever x, r and β are. That
 * includes the special case β = 1, r = 2^ℓ − 1, where the protocol plants "one zero among ones" by
 * hand: planting none or several would leave β′ right but tell P2 that r is all ones. Exhaustive over
 * (x, r, β) at ℓ = 3 and 4, both variants.
 */
import { describe, expect, it } from 'vitest';
import { runParties, type PartyProgram } from '../../harness/network/run.js';
import { bitsOf } from '../../protocols/securenn-family/nonlinear/arith.js';
import { privateCompare } from '../protocols/by-role.js';
import { PORTHOS, SECURENN, type Variant } from '../../protocols/securenn-family/nonlinear/variant.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { Prg } from '../../protocols/common/prg.js';

describe.each([PORTHOS, SECURENN])('PrivateCompare: the helper sees one zero or none, $name', (v: Variant) => {
  it.each([3, 4])('ℓ = %i, every (x, r, β)', async (ell) => {
    const L = 1n << BigInt(ell);
    const cases: { x: bigint; r: bigint; b: number }[] = [];
    for (let x = 0n; x < L; x++) for (let r = 0n; r < L; r++) for (const b of [0, 1]) cases.push({ x, r, b });
    const n = cases.length;
    const bits = bitsOf(ell, BigUint64Array.from(cases.map((c) => c.x)));
    const s0 = new Prg(new Uint8Array(16).fill(ell)).field(v.field.p, bits.length);
    const s1 = bits.map((b, i) => (b - (s0[i] as number) + v.field.p) % v.field.p);
    const rs = BigUint64Array.from(cases.map((c) => c.r));
    const betas = Uint8Array.from(cases.map((c) => c.b));
    const seen: Uint8Array[] = [];
    const helper: PartyProgram<Uint8Array> = (ctx: PartyContext) =>
      privateCompare(
        {
          ...ctx,
          recv: async (from, what) => {
            const m = await ctx.recv(from, what);
            seen.push(m.slice());
            return m;
          },
        },
        v,
        n,
        new Uint8Array(0),
        new BigUint64Array(0),
        new Uint8Array(0),
      );
    const party =
      (j: 0 | 1): PartyProgram<Uint8Array> =>
      (ctx) =>
        privateCompare(ctx, v, n, j === 0 ? s0 : s1, rs, betas);
    const { outputs } = await runParties([party(0), party(1), helper], { ell, seed: `pc-view-${ell}` });
    expect(seen.length).toBe(2);
    const [d0, d1] = seen as [Uint8Array, Uint8Array];
    cases.forEach((c, e) => {
      const betaP = c.b ^ (c.x > c.r ? 1 : 0);
      expect(outputs[2][e]).toBe(betaP);
      let zeros = 0;
      for (let k = e * ell; k < (e + 1) * ell; k++)
        if (((d0[k] as number) + (d1[k] as number)) % v.field.p === 0) zeros++;
      expect(zeros, `x=${c.x} r=${c.r} β=${c.b}`).toBe(betaP);
    });
  });
});
