/**
 * Mutation kills for protocols/securenn-family/nonlinear/compute-msb.ts (survivors of the sweep of
 * 2026-12-07):
 *   - 70 BooleanLiteral (the holder's mask part `odd: false`): in SecureNN the holder would accept a
 *     mask share equal to 2^ℓ − 1, which is outside Z_{2^ℓ−1};
 *   - 93 StringLiteral (column 41, the Porthos deal's label): a malformed deal is refused with an error
 *     naming it;
 *   - 114 EqualityOperator (`j !== 0`): moving the zero-sharing's +u and −u between the holders leaves
 *     the reconstructed MSB unchanged, so the test recomputes each holder's own output share from the
 *     views of a seeded run.
 * Argued equivalent (scripts/mutation/equivalent/protocols__securenn-family__nonlinear__compute-msb.json):
 * the helper's part descriptors `{}` and `kind: ''` (44, 46, 47) and the Porthos deal's mode '' (93,
 * column 24), which receiveDeal treats as 'one'.
 */
import { describe, expect, it } from 'vitest';
import { decodeRing, ringBytes } from '../../protocols/common/codec.js';
import { PORTHOS } from '../../protocols/securenn-family/nonlinear/variant.js';
import { OddRing } from '../../spec/field.js';
import { computeMsb } from '../protocols/by-role.js';
import { testPrg } from '../protocols/nonlinear/support.js';
import { expectCryptflowRejection } from './support.js';
import { holdersPrg, lastTo, receivedAs, recordedRun, type Damage } from './traffic-support.js';

const MASK_BITS_LSB = 'ComputeMSB mask, bit and LSB shares';
const BITS_LSB = 'ComputeMSB bit and LSB shares';
const BETA_PRIME = 'ComputeMSB β′ shares';
const OPENING = 'ComputeMSB opening of c';
const EF = 'Beaver opening of E, F';
const C1 = 'Beaver triple share C1';

describe('ComputeMSB: each holder’s own share', () => {
  /**
   * Pins 114 (EqualityOperator j !== 0). For a seeded SecureNN run, over Z_{2^ℓ}: β and u replayed from
   * the P0–P1 PRG (drawn in that order); c = c_0 + c_1 over Z_{2^ℓ−1} from the openings; γ_j = β′_j ⊕ β
   * and δ_j = LSB(x)_j ⊕ LSB(c) from the received shares (P0 adds the public 1 where it flips); the
   * Beaver share θ_1 = A_1·F + E·B_1 + C_1 + E·F with A_1 = γ_1 − E_1, B_1 = δ_1 − F_1 from P1's sent
   * opening, and θ_0 = γδ − θ_1; then y_0 = γ_0 + δ_0 − 2θ_0 + u and y_1 = γ_1 + δ_1 − 2θ_1 − u.
   */
  it('matches the share recomputed from the holders’ views', async () => {
    for (const ell of [8, 32, 64]) {
      const n = 64;
      const L = 1n << BigInt(ell);
      const M = OddRing(ell).modulus;
      const rb = ringBytes(ell);
      const values = testPrg(`compute-msb ${ell}`);
      const a = [values.below(M, n), values.below(M, n)] as const;
      const seed = `compute-msb shares ${ell}`;
      const { outputs, traffic } = await recordedRun(computeMsb, { ell, seed, n, a });
      const common = holdersPrg(seed);
      const beta = common.bits(n);
      const u = common.ring(ell, n);
      const mod = (x: bigint): bigint => ((x % L) + L) % L;
      const c = (() => {
        const mine = decodeRing(ell, receivedAs(traffic[1], OPENING), n, 0, OPENING, M);
        const theirs = decodeRing(ell, receivedAs(traffic[0], OPENING), n, 1, OPENING, M);
        return [...mine].map((x, i) => (x + (theirs[i] as bigint)) % M);
      })();
      const xor = (j: 0 | 1, s: bigint, bit: number | bigint): bigint =>
        BigInt(bit) === 0n ? s : mod((j === 0 ? 1n : 0n) - s);
      const view = (j: 0 | 1): { gamma: bigint[]; delta: bigint[]; ef: bigint[]; sent: BigUint64Array } => {
        const dealt = receivedAs(traffic[j], MASK_BITS_LSB);
        expect(dealt.length).toBe(2 * n * rb + n * ell);
        const lsb = decodeRing(ell, dealt.subarray(n * rb + n * ell), n, 2, MASK_BITS_LSB, L);
        const betaP = decodeRing(ell, receivedAs(traffic[j], BETA_PRIME), n, 2, BETA_PRIME, L);
        const sent = decodeRing(ell, lastTo(traffic[j], j === 0 ? 1 : 0), 2 * n, j, EF, L);
        const theirs = decodeRing(ell, receivedAs(traffic[j], EF), 2 * n, j === 0 ? 1 : 0, EF, L);
        return {
          gamma: [...betaP].map((s, i) => xor(j, s, beta[i] as number)),
          delta: [...lsb].map((s, i) => xor(j, s, (c[i] as bigint) & 1n)),
          ef: [...sent].map((s, i) => mod(s + (theirs[i] as bigint))),
          sent,
        };
      };
      const v0 = view(0);
      const v1 = view(1);
      const c1 = decodeRing(ell, receivedAs(traffic[1], C1), n, 2, C1, L);
      const theta1 = v1.gamma.map((g, i) => {
        const e = v1.ef[i] as bigint;
        const f = v1.ef[n + i] as bigint;
        const a1 = mod(g - (v1.sent[i] as bigint));
        const b1 = mod((v1.delta[i] as bigint) - (v1.sent[n + i] as bigint));
        return mod(a1 * f + e * b1 + (c1[i] as bigint) + e * f);
      });
      const gamma = v0.gamma.map((g, i) => mod(g + (v1.gamma[i] as bigint)));
      const delta = v0.delta.map((d, i) => mod(d + (v1.delta[i] as bigint)));
      const theta0 = gamma.map((g, i) => mod(g * (delta[i] as bigint) - (theta1[i] as bigint)));
      const share = (vw: typeof v0, theta: bigint[], sign: bigint): bigint[] =>
        vw.gamma.map((g, i) => mod(g + (vw.delta[i] as bigint) - 2n * (theta[i] as bigint) + sign * (u[i] as bigint)));
      expect([...outputs[0]], `P0's share at ℓ = ${ell}`).toEqual(share(v0, theta0, 1n));
      expect([...outputs[1]], `P1's share at ℓ = ${ell}`).toEqual(share(v1, theta1, -1n));
      const msb = [...a[0]].map((x, i) => (((x + (a[1][i] as bigint)) % M) >> BigInt(ell - 1)) & 1n);
      expect([...outputs[0]].map((y, i) => mod(y + (outputs[1][i] as bigint)))).toEqual(msb);
    }
  });
});

describe('ComputeMSB: malformed deals', () => {
  /**
   * Pins 70 BooleanLiteral (odd: false): in SecureNN a mask share equal to 2^ℓ − 1 (every byte 0xFF at
   * ℓ = 16) is out of range for P0, and the run stops with the decode error naming P2 and the step.
   */
  it('rejects 2^ℓ − 1 as a mask share', async () => {
    const ell = 16;
    const n = 3;
    const a = BigUint64Array.from([1n, 2n, 3n]);
    const damage: Damage = (what, bytes) => {
      if (what !== MASK_BITS_LSB) return bytes;
      const out = bytes.slice();
      out.fill(0xff, 0, ringBytes(ell));
      return out;
    };
    await expectCryptflowRejection(
      () => recordedRun(computeMsb, { ell, seed: 'compute-msb mask range', n, a: [a, a], damage }),
      'decode',
      `message from P2 (${MASK_BITS_LSB}): element 0 is out of range`,
    );
  });

  /**
   * Pins 93 StringLiteral (column 41, the Porthos deal's label ''): a bit and LSB deal one byte short is refused
   * with the length error naming the step.
   */
  it('names the Porthos bit and LSB deal in its length error', async () => {
    const ell = 16;
    const n = 4;
    const a = BigUint64Array.from([1n, 2n, 3n, 4n]);
    const expected = (n - Math.floor(n / 2)) * (ell + ringBytes(ell));
    const damage: Damage = (what, bytes) => (what === BITS_LSB ? bytes.subarray(1) : bytes);
    await expectCryptflowRejection(
      () => recordedRun(computeMsb, { ell, seed: 'compute-msb porthos label', n, a: [a, a], damage, v: PORTHOS }),
      'decode',
      `message from P2 (${BITS_LSB}): expected ${expected} bytes, got ${expected - 1}`,
    );
  });
});
