/**
 * Boolean to arithmetic conversion of CrypTFlow2 (Rathee et al., CCS 2020, §3.3 / the SCI library's
 * B2A): additive shares over Z_{2^ℓ} of a bit b = b0 ⊕ b1, by one correlated OT per bit.
 *
 *   b = b0 + b1 − 2·b0·b1.
 *   1. COT with P0 sending (Δ = b0) and P1 choosing b1: P0 gets a random t, P1 gets t + b1·b0.
 *   2. P0 outputs b0 + 2t, P1 outputs b1 − 2(t + b0·b1); the sum is b0 + b1 − 2·b0·b1 = b.
 * Cost: one correlated OT of ℓ-bit messages per bit (λ + ℓ bits).
 */
import type { OtChannel } from '../ot/types.js';
import type { PartyContext } from '../common/party.js';

export async function b2a(ctx: PartyContext, ot: OtChannel, bits: Uint8Array, ell: number): Promise<BigUint64Array> {
  if (bits.length === 0) return new BigUint64Array(0);
  if (ctx.id === 0) {
    const t = await ot.sendCorrelated(
      BigUint64Array.from(bits, (b) => BigInt(b)),
      ell,
    );
    return t.map((v, i) => BigInt.asUintN(ell, BigInt(bits[i] as number) + 2n * v));
  }
  const u = await ot.recvCorrelated(bits, ell);
  return u.map((v, i) => BigInt.asUintN(ell, BigInt(bits[i] as number) - 2n * v));
}
