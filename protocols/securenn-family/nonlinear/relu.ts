/**
 * ReLU (SecureNN Alg. 7): ReLU(a) = ReLU′(a)·a, i.e. SelectShare(ReLU′(a), 0, a) — one more Beaver
 * product after ReLU′. Exact for signed(a) ∈ [−2^{ℓ−2}, 2^{ℓ−2}) (ReLU′'s precondition; drelu.ts).
 * Cost: ReLU′ + one product (40n at ℓ = 64); nine rounds.
 */
import type { PartyContext } from '../../common/party.js';
import { drelu } from './drelu.js';
import { selectShare } from './select-share.js';
import type { Variant } from './variant.js';

/** P0, P1: pass shares of a over Z_{2^ℓ}, get shares of max(a, 0). P2: empty arrays. */
export async function relu(ctx: PartyContext, v: Variant, n: number, a: BigUint64Array): Promise<BigUint64Array> {
  const d = await drelu(ctx, v, n, a);
  const zero = new BigUint64Array(ctx.id === 2 ? 0 : n);
  return selectShare(ctx, n, d, zero, a);
}
