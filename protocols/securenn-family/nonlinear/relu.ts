/**
 * ReLU (SecureNN Alg. 7): ReLU(a) = ReLU′(a)·a, i.e. SelectShare(ReLU′(a), 0, a) — one more Beaver
 * product after ReLU′. Exact for signed(a) ∈ [−2^{ℓ−2}, 2^{ℓ−2}) (ReLU′'s precondition; drelu.ts).
 * Cost: ReLU′ + one product (40n at ℓ = 64); nine rounds.
 */
import { type HelperContext, type HolderContext } from '../../common/party.js';
import { asShare, type RingShare } from '../../common/sharing.js';
import { dreluHelper, dreluHolder } from './drelu.js';
import { selectShareHelper, selectShareHolder } from './select-share.js';
import type { Variant } from './variant.js';

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
