/**
 * DReLU of CrypTFlow2 (Rathee et al., CCS 2020, §3.2, Algorithm 2): XOR shares of
 * 1{signed(x) ≥ 0} = 1 ⊕ MSB(x) for x = x0 + x1 mod 2^ℓ, exact on the whole ring.
 *
 *   1. Each party splits its share x_i = msb_i·2^{ℓ−1} + x_i′ with x_i′ < 2^{ℓ−1}.
 *   2. The carry into bit ℓ−1 is 1{x0′ + x1′ ≥ 2^{ℓ−1}} = 1{2^{ℓ−1} − 1 − x0′ < x1′}: one
 *      millionaires' comparison on ℓ − 1 bits, P0 passing 2^{ℓ−1} − 1 − x0′ and P1 passing x1′.
 *   3. MSB(x) = msb0 ⊕ msb1 ⊕ carry; P0 flips its share to get DReLU.
 * Cost: Mill(ℓ − 1), nothing else.
 */
import type { OtChannel } from '../ot/types.js';
import type { PartyContext } from '../common/party.js';
import { millionaire } from './millionaire.js';

/** XOR shares of MSB(x). */
export async function msb(ctx: PartyContext, ot: OtChannel, x: BigUint64Array, ell: number): Promise<Uint8Array> {
  const low = (1n << BigInt(ell - 1)) - 1n;
  const shift = BigInt(ell - 1);
  const input = ctx.id === 0 ? x.map((v) => low - (v & low)) : x.map((v) => v & low);
  const carry = await millionaire(ctx, ot, input, ell - 1);
  return carry.map((c, i) => c ^ Number(((x[i] as bigint) >> shift) & 1n));
}

/** XOR shares of DReLU(x) = 1{signed(x) ≥ 0}. */
export async function drelu(ctx: PartyContext, ot: OtChannel, x: BigUint64Array, ell: number): Promise<Uint8Array> {
  const m = await msb(ctx, ot, x, ell);
  return ctx.id === 0 ? m.map((b) => b ^ 1) : m;
}
