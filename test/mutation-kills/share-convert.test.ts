/**
 * Mutation kills for protocols/securenn-family/nonlinear/share-convert.ts (survivors of the sweep of
 * 2026-12-07):
 *   - 70 BooleanLiteral (the holder's η′ part `odd: false`): the holder would accept an η′ share equal
 *     to 2^ℓ − 1, which is outside Z_{2^ℓ−1};
 *   - 81, 96 (the `j === 0 ? 1n : 0n` of the r = 0 fix), 101, 103 EqualityOperator (`j !== 0`): each
 *     moves a public term or a mask from one holder to the other, which leaves the reconstructed value
 *     unchanged, so the test recomputes each holder's own output share (and its masked message to P2)
 *     from that holder's view of a seeded run: its PRG shared with the other holder, replayed from the
 *     seed, and the shares P2 dealt it, as received.
 * Argued equivalent (scripts/mutation/equivalent/protocols__securenn-family__nonlinear__share-convert.json):
 * the helper's `kind: 'ring'` strings (45, 47) and the loop bound `i <= n` (96).
 */
import { describe, expect, it } from 'vitest';
import { decodeRing, encodeRing, ringBytes } from '../../protocols/common/codec.js';
import { OddRing } from '../../spec/field.js';
import { shareConvert } from '../protocols/by-role.js';
import { testPrg, VARIANTS } from '../protocols/nonlinear/support.js';
import { expectCryptflowRejection } from './support.js';
import { holdersPrg, receivedAs, recordedRun, sentTo } from './traffic-support.js';

const BIT_AND_DELTA = 'ShareConvert bit and δ shares';
const ETA_PRIME = 'ShareConvert η′ shares';

describe('ShareConvert: each holder’s own share', () => {
  /**
   * Pins 81, 96 (column 60), 101 and 103 (EqualityOperator j !== 0). For holder j of a seeded
   * SecureNN run, with r_0, r_1, η″, u replayed from the P0–P1 PRG (drawn in that order), α = wrap(r_0,
   * r_1), β_j = wrap(a_j, r_j), δ_j and η′_j its received shares, and everything over Z_{2^ℓ−1}:
   *   ã_j = a_j + r_j mod 2^ℓ is its message to P2;
   *   η_j = η′_j, or (η″ = 1) 1 − η′_0 for P0 and −η′_1 for P1; where r = 0, η_0 = 1 and η_1 = 0;
   *   y_0 = a_0 − (β_0 + δ_0 + η_0 − α − 1) + u and y_1 = a_1 − (β_1 + δ_1 + η_1) − u.
   * At ℓ = 4 some r is 0 (checked), so the r = 0 fix is exercised.
   */
  it('matches the share recomputed from the holder’s view', async () => {
    for (const ell of [4, 16, 64]) {
      const n = 64;
      const M = OddRing(ell).modulus;
      const L = 1n << BigInt(ell);
      const values = testPrg(`share-convert ${ell}`);
      const a = [values.ring(ell, n), values.ring(ell, n)] as const;
      const seed = `share-convert shares ${ell}`;
      const { outputs, traffic } = await recordedRun(shareConvert, { ell, seed, n, a });
      const common = holdersPrg(seed);
      const r0 = common.ring(ell, n);
      const r1 = common.ring(ell, n);
      const etaPP = common.bits(n);
      const u = common.below(M, n);
      const mod = (x: bigint): bigint => ((x % M) + M) % M;
      let zeros = 0;
      for (const j of [0, 1] as const) {
        const mine = j === 0 ? r0 : r1;
        const aj = a[j];
        const masked = aj.map((x, i) => (x + (mine[i] as bigint)) % L);
        expect(sentTo(traffic[j], 2, 0), `P${j}'s masked share at ℓ = ${ell}`).toEqual(encodeRing(ell, masked));
        const dealt = receivedAs(traffic[j], BIT_AND_DELTA);
        const delta = decodeRing(ell, dealt.subarray(n * ell), n, 2, BIT_AND_DELTA, M);
        const etaP = decodeRing(ell, receivedAs(traffic[j], ETA_PRIME), n, 2, ETA_PRIME, M);
        expect(dealt.length).toBe(n * ell + n * ringBytes(ell));
        const expected = [...aj].map((x, i) => {
          const r = ((r0[i] as bigint) + (r1[i] as bigint)) % L;
          const alpha = (r0[i] as bigint) + (r1[i] as bigint) >= L ? 1n : 0n;
          const beta = x + (mine[i] as bigint) >= L ? 1n : 0n;
          const e = etaP[i] as bigint;
          let eta = etaPP[i] === 1 ? (j === 0 ? 1n - e : -e) : e;
          if (r === 0n) {
            eta = j === 0 ? 1n : 0n;
            if (j === 0) zeros++;
          }
          const theta = beta + (delta[i] as bigint) + eta - (j === 0 ? alpha + 1n : 0n);
          return mod(x - theta + (j === 0 ? 1n : -1n) * (u[i] as bigint));
        });
        expect([...outputs[j]], `P${j}'s share at ℓ = ${ell}`).toEqual(expected);
      }
      if (ell === 4) expect(zeros).toBeGreaterThan(0);
      const sum = [...outputs[0]].map((y, i) => (y + (outputs[1][i] as bigint)) % M);
      expect(sum).toEqual([...a[0]].map((x, i) => ((x + (a[1][i] as bigint)) % L) % M));
    }
  });
});

describe('ShareConvert: η′ shares lie in Z_{2^ℓ−1}', () => {
  /**
   * Pins 70 BooleanLiteral (odd: false): an η′ share equal to 2^ℓ − 1 (every byte 0xFF at ℓ = 16) is
   * out of range for P0, in both variants, and the run stops with the decode error naming P2 and the step.
   */
  it('rejects 2^ℓ − 1 as an η′ share', async () => {
    const ell = 16;
    const n = 3;
    for (const v of VARIANTS) {
      const a = BigUint64Array.from([1n, 2n, 3n]);
      const damage = (what: string, bytes: Uint8Array): Uint8Array => {
        if (what !== ETA_PRIME) return bytes;
        const out = bytes.slice();
        out.fill(0xff, 0, ringBytes(ell));
        return out;
      };
      await expectCryptflowRejection(
        () => recordedRun(shareConvert, { ell, seed: `share-convert eta range ${v.name}`, n, a: [a, a], damage, v }),
        'decode',
        `message from P2 (${ETA_PRIME}): element 0 is out of range`,
      );
    }
  });
});
