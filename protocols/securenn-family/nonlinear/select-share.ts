/**
 * SelectShare (SecureNN Alg. 2): from shares of a bit α (over Z_{2^ℓ}) and of x and y, shares of
 * (1 − α)·x + α·y = x + α·(y − x), with one Beaver product (protocols/securenn-family/beaver.ts; its triple
 * comes from the PRGs and one P2→P1 message). The same in both variants.
 * Cost (b = ⌈ℓ/8⌉): P0→P1 and P1→P0 2nb, P2→P1 nb; one round.
 */
import { bug } from '../../../spec/errors.js';
import { beaverHelper, beaverHolder } from '../beaver.js';
import { roleOf, type PartyContext } from '../../common/party.js';
import { asShare } from '../../common/sharing.js';
import { addMod, subMod } from '../../../semantics/kernels/words.js';
import { Ring } from '../../../spec/ring.js';
import { hadamard } from './arith.js';

/** P0, P1: pass shares of α, x, y (n each); P2: empty arrays. Returns shares of x + α(y − x). */
export async function selectShare(ctx: PartyContext, n: number, alpha: BigUint64Array, x: BigUint64Array, y: BigUint64Array): Promise<BigUint64Array> {
  if (n === 0) return new BigUint64Array(0);
  const ell = ctx.ell;
  const role = roleOf(ctx);
  if (role.role === 'helper') {
    beaverHelper(role.ctx, hadamard(ell, n));
    return new BigUint64Array(0);
  }
  if (alpha.length !== n || x.length !== n || y.length !== n) bug(`SelectShare operands of ${alpha.length}, ${x.length}, ${y.length} entries for n = ${n}`);
  const L = Ring(ell);
  const prod = await beaverHolder(role.ctx, hadamard(ell, n), asShare(alpha), asShare(subMod(L, y, x)));
  return addMod(L, x, prod);
}
