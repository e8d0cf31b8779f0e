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
import { type HelperContext, type HolderContext } from '../../common/party.js';
import { asShare, type RingShare } from '../../common/sharing.js';
import { doubleMod, subMod } from '../../../semantics/kernels/words.js';
import { Ring } from '../../../spec/ring.js';
import { computeMsbHelper, computeMsbHolder } from './compute-msb.js';
import { shareConvertHelper, shareConvertHolder } from './share-convert.js';
import type { Variant } from './variant.js';

/** P2: the helper's parts of ShareConvert and ComputeMSB. */
export async function dreluHelper(ctx: HelperContext, v: Variant, n: number): Promise<void> {
  await shareConvertHelper(ctx, v, n);
  await computeMsbHelper(ctx, v, n);
}

/** P0 or P1: its share of a in, its share of 1 − bit_{ℓ−2}(a) out. */
export async function dreluHolder(ctx: HolderContext, v: Variant, n: number, a: RingShare): Promise<RingShare> {
  const L = Ring(ctx.ell);
  const y = await shareConvertHolder(ctx, v, n, asShare(doubleMod(L, a)));
  const m = await computeMsbHolder(ctx, v, n, y);
  if (n === 0) return m;
  const one = new BigUint64Array(n).fill(ctx.id === 0 ? 1n : 0n);
  return asShare(subMod(L, one, m));
}
