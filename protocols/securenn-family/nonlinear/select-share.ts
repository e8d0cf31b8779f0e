/**
 * SelectShare (SecureNN Alg. 2): from shares of a bit α (over Z_{2^ℓ}) and of x and y, shares of
 * (1 − α)·x + α·y = x + α·(y − x), with one Beaver product (protocols/securenn-family/beaver.ts; its triple
 * comes from the PRGs and one P2→P1 message). The same in both variants.
 * Cost (b = ⌈ℓ/8⌉): P0→P1 and P1→P0 2nb, P2→P1 nb; one round.
 */
import { bug } from '../../../spec/errors.js';
import { beaverHelper, beaverHolder } from '../beaver.js';
import { type HelperContext, type HolderContext } from '../../common/party.js';
import { asShare, type RingShare } from '../../common/sharing.js';
import { addMod, subMod } from '../../../semantics/kernels/words.js';
import { Ring } from '../../../spec/ring.js';
import { hadamard } from './arith.js';

/** P2: deals the Beaver triple of the one product. */
export function selectShareHelper(ctx: HelperContext, n: number): void {
  if (n === 0) return;
  beaverHelper(ctx, hadamard(ctx.ell, n));
}

/** P0 or P1: its shares of α, x and y in, its share of x + α(y − x) out. */
export async function selectShareHolder(
  ctx: HolderContext,
  n: number,
  s: { readonly alpha: RingShare; readonly x: RingShare; readonly y: RingShare },
): Promise<RingShare> {
  if (n === 0) return asShare(new BigUint64Array(0));
  const { alpha, x, y } = s;
  if (alpha.length !== n || x.length !== n || y.length !== n)
    bug(`SelectShare operands of ${alpha.length}, ${x.length}, ${y.length} entries for n = ${n}`);
  const L = Ring(ctx.ell);
  const prod = await beaverHolder(ctx, hadamard(ctx.ell, n), alpha, asShare(subMod(L, y, x)));
  return asShare(addMod(L, x, prod));
}
