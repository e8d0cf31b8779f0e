/**
 * ReLU′ (DReLU, SecureNN Alg. 6, as Porthos runs it): shares over Z_{2^ℓ} of 1{a ≥ 0} from shares of a.
 *
 *   1. c = 2a (local), so c is even and never 2^ℓ − 1 (ShareConvert's precondition);
 *   2. y = ShareConvert(c): c as an element of Z_{2^ℓ−1};
 *   3. m = ComputeMSB(y) = MSB(y) = MSB(2a mod 2^ℓ) = bit ℓ − 2 of a;
 *   4. output 1 − m (P0 adds the 1).
 *
 * What it computes, for every a: 1 − bit_{ℓ−2}(a). That is 1{a ≥ 0} exactly when the top two bits of
 * a agree, i.e. when the signed value of a lies in [−2^{ℓ−2}, 2^{ℓ−2}) — the precondition (a quarter
 * of the ring's headroom; fixed-point values far inside it at ℓ = 64). Doubling drops the top bit, and
 * no map of Z_{2^ℓ} into Z_{2^ℓ−1} keeps the sign of all 2^ℓ values, so the whitepaper's structure
 * cannot be exact on the whole ring (proofs-notes/securenn-family.md).
 * Cost: ShareConvert + ComputeMSB on n elements; eight rounds in both variants.
 */
import type { PartyContext } from '../../common/party.js';
import { doubleMod, subMod } from '../../../semantics/kernels/words.js';
import { Ring } from '../../../spec/ring.js';
import { computeMsb } from './compute-msb.js';
import { shareConvert } from './share-convert.js';
import type { Variant } from './variant.js';

/** P0, P1: pass shares of a over Z_{2^ℓ}, get shares of 1 − bit_{ℓ−2}(a). P2: empty arrays. */
export async function drelu(ctx: PartyContext, v: Variant, n: number, a: BigUint64Array): Promise<BigUint64Array> {
  const L = Ring(ctx.ell);
  const helper = ctx.id === 2;
  const y = await shareConvert(ctx, v, n, helper ? a : doubleMod(L, a));
  const m = await computeMsb(ctx, v, n, y);
  if (helper || n === 0) return m;
  const one = new BigUint64Array(n).fill(ctx.id === 0 ? 1n : 0n);
  return subMod(L, one, m);
}
