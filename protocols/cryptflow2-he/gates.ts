/**
 * The OT gates of CrypTFlow2 in their prime-field form (Rathee et al., CCS 2020, §3.2–§3.3 and §4 for
 * general moduli n; SCI_HE runs them over Z_p): a multiplexer, Boolean-to-arithmetic conversion and
 * DReLU on shares x = x0 + x1 mod p, built on the OT layer (protocols/ot/) and the millionaires' and
 * AND protocols of protocols/cryptflow2/ (imported, unchanged). Field elements travel as ⌈log₂ p⌉-bit
 * OT messages.
 *
 * MUX_p (additive shares of b·x for b = b0 ⊕ b1):
 *   1. P0 draws r0 ∈ Z_p and offers m_t = (b0 ⊕ t)·x0 − r0 (t ∈ {0, 1}); P1 chooses b1, gets b·x0 − r0.
 *   2. Symmetrically P1 offers (b1 ⊕ t)·x1 − r1; P0 chooses b0, gets b·x1 − r1.
 *   3. Outputs r_i + received: the sum is b·x. Cost two chosen 1-out-of-2 batches of ⌈log₂ p⌉ bits.
 * B2A_p (additive shares of a bit b = b0 ⊕ b1):
 *   P0 draws r and offers m_c = (b0 ⊕ c) − r; P1 chooses b1 and outputs b − r; P0 outputs r.
 *   One chosen batch of ⌈log₂ p⌉-bit OTs, P0 sending (a chosen OT: the OT layer's correlated OT is
 *   over Z_{2^ℓ}, whose correlation does not reduce mod p).
 * DReLU_p (XOR shares of 1{signed(x) ≥ 0} = 1{x ≤ (p − 1)/2}): with s = x0 + x1 ∈ [0, 2p − 2] and
 *   h = (p + 1)/2, x ≥ 0 signed exactly when s ∈ [0, h) ∪ [p, p + h), so
 *     DReLU = 1 ⊕ c_h ⊕ c_p ⊕ c_{p+h},   c_K = 1{s ≥ K} = 1{K − 1 − x0 < x1};
 *   the three comparisons run as one millionaires' batch on values shifted by p (P0 passes
 *   K − 1 − x0 + p ≥ 0, P1 passes x1 + p), of width ⌈log₂(2p + (p − 1)/2 + 1)⌉ bits. Exact on the
 *   whole field.
 */
import type { OtChannel } from '../ot/types.js';
import type { PartyContext } from '../common/party.js';
import { millionaire } from '../cryptflow2/millionaire.js';
import { modP, sampleP, type PrimeField } from './field.js';

/** The width of DReLU_p's comparisons. */
export const dreluWidth = (F: PrimeField): number => (2n * F.p + F.half).toString(2).length;

export async function muxP(
  ctx: PartyContext,
  ot: OtChannel,
  F: PrimeField,
  b: Uint8Array,
  x: BigUint64Array,
): Promise<BigUint64Array> {
  if (x.length === 0) return new BigUint64Array(0);
  const r = sampleP(F, ctx.own, x.length);
  const offer = (t: number): BigUint64Array =>
    x.map((v, i) => modP(F, ((b[i] as number) ^ t ? v : 0n) - (r[i] as bigint)));
  const [m0, m1] = [offer(0), offer(1)];
  let got: BigUint64Array;
  if (ctx.id === 0) {
    await ot.send2(m0, m1, F.bits);
    got = await ot.recv2(b, F.bits);
  } else {
    got = await ot.recv2(b, F.bits);
    await ot.send2(m0, m1, F.bits);
  }
  return got.map((g, i) => modP(F, g + (r[i] as bigint)));
}

export async function b2aP(ctx: PartyContext, ot: OtChannel, F: PrimeField, bits: Uint8Array): Promise<BigUint64Array> {
  if (bits.length === 0) return new BigUint64Array(0);
  if (ctx.id === 0) {
    const r = sampleP(F, ctx.own, bits.length);
    const offer = (c: number): BigUint64Array => r.map((v, i) => modP(F, BigInt((bits[i] as number) ^ c) - v));
    await ot.send2(offer(0), offer(1), F.bits);
    return r;
  }
  return ot.recv2(bits, F.bits);
}

/** XOR shares of 1{s ≥ K_j} for each threshold list entry (P0's share x0, P1's x1, both in [0, p)). */
export async function atLeastP(
  ctx: PartyContext,
  ot: OtChannel,
  F: PrimeField,
  x: BigUint64Array,
  thresholds: readonly bigint[],
): Promise<Uint8Array> {
  const n = x.length;
  const input = new BigUint64Array(n * thresholds.length);
  thresholds.forEach((K, j) => {
    for (let i = 0; i < n; i++)
      input[j * n + i] = ctx.id === 0 ? K - 1n - (x[i] as bigint) + F.p : (x[i] as bigint) + F.p;
  });
  return millionaire(ctx, ot, input, dreluWidth(F));
}

export async function dreluP(ctx: PartyContext, ot: OtChannel, F: PrimeField, x: BigUint64Array): Promise<Uint8Array> {
  const n = x.length;
  if (n === 0) return new Uint8Array(0);
  const h = F.half + 1n;
  const c = await atLeastP(ctx, ot, F, x, [h, F.p, F.p + h]);
  return Uint8Array.from(
    { length: n },
    (_, i) => (c[i] as number) ^ (c[n + i] as number) ^ (c[2 * n + i] as number) ^ (ctx.id === 0 ? 1 : 0),
  );
}
