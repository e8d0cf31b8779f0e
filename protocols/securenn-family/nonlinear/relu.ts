/**
 * ReLU (SecureNN Alg. 7): ReLU(a) = ReLU′(a)·a, i.e. SelectShare(ReLU′(a), 0, a) — one more Beaver
 * product after ReLU′. Exact for signed(a) ∈ [−2^{ℓ−2}, 2^{ℓ−2}) (ReLU′'s precondition; drelu.ts).
 * Cost: ReLU′ + one product (40n at ℓ = 64); nine rounds.
 */
import { roleOf, type HelperContext, type HolderContext, type PartyContext } from '../../common/party.js';
import { asShare, type RingShare } from '../../common/sharing.js';
import { dreluHelper, dreluHolder } from './drelu.js';
import { selectShareHelper, selectShareHolder } from './select-share.js';
import type { Variant } from './variant.js';

/** Any party, by role: P0, P1 pass shares of a over Z_{2^ℓ} and get shares of max(a, 0); P2 passes and gets empty arrays. */
export async function relu(ctx: PartyContext, v: Variant, n: number, a: BigUint64Array): Promise<BigUint64Array> {
  const role = roleOf(ctx);
  if (role.role === 'helper') {
    await reluHelper(role.ctx, v, n);
    return new BigUint64Array(0);
  }
  return reluHolder(role.ctx, v, n, asShare(a));
}

/** P2: the helper's parts of ReLU′ and SelectShare. */
export async function reluHelper(ctx: HelperContext, v: Variant, n: number): Promise<void> {
  await dreluHelper(ctx, v, n);
  selectShareHelper(ctx, n);
}

/** P0 or P1: its share of a in, its share of max(a, 0) out. */
export async function reluHolder(ctx: HolderContext, v: Variant, n: number, a: RingShare): Promise<RingShare> {
  const d = await dreluHolder(ctx, v, n, a);
  return selectShareHolder(ctx, n, { alpha: d, x: asShare(new BigUint64Array(n)), y: a });
}
