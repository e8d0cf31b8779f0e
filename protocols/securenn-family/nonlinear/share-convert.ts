/**
 * ShareConvert (SecureNN Alg. 4): shares of a over Z_L (L = 2^ℓ) become shares of a over Z_{L−1}.
 *
 * Over Z_{L−1}, L ≡ 1, so a ≡ a_0 + a_1 − θ where θ = wrap(a_0, a_1, L) is the carry of the share sum;
 * the protocol computes shares of θ without revealing it:
 *   1. P0 and P1 hold common random r_0, r_1 ∈ Z_L (r = r_0 + r_1, α = wrap(r_0, r_1, L)), a bit η″
 *      and a zero-sharing u of Z_{L−1}. P_j sends ã_j = a_j + r_j (carry β_j) to P2.
 *   2. P2 reconstructs x = ã_0 + ã_1 = a + r (carry δ) and deals Z_p shares of the bits of x and
 *      Z_{L−1} shares of δ (to both parties, or to one per element in Porthos: deal.ts).
 *   3. PrivateCompare on x against r − 1 with bit η″: P2 learns η′ = η″ ⊕ (x > r − 1) and deals
 *      Z_{L−1} shares of η′ to both parties (both variants).
 *   4. η = η′ ⊕ η″ = 1{x ≥ r} = 1 − wrap(a, r, L); θ = β_0 + β_1 + δ − α − 1 + η; y_j = a_j − θ_j + u_j.
 * The identity θ = β_0 + β_1 + δ − α − 1 + η follows from writing x = a + r − (1 − η)L two ways.
 *
 * One fix to the whitepaper's step 3: when r = 0, "x > r − 1" compares with 2^ℓ − 1 and is false,
 * while 1{x ≥ 0} is true. P0 and P1 both know r, so for those elements they take η = 1 (P0 holds it)
 * and ignore η′ (the messages are unchanged); without the fix the output is off by one with
 * probability 2^{−ℓ} per element.
 *
 * Result: shares of a mod (L − 1), i.e. a itself for every a ≠ L − 1 (the whitepaper's precondition;
 * a = L − 1 gives 0). Each output share alone is uniform (the zero-sharing u).
 * Cost (b = ⌈ℓ/8⌉, h = ⌊n/2⌋): P0→P2, P1→P2: n(b + ℓ); P2→P0, P2→P1 n(ℓ + b) each ('both') or
 * (n − h)(ℓ + b), h(ℓ + b) ('one'), plus nb each for η′. Four rounds.
 */
import { bug } from '../../../spec/errors.js';
import { recvRing, sendRing } from '../../common/codec.js';
import { peerOf, type HelperContext, type HolderContext } from '../../common/party.js';
import { asPublic, asShare, type RingShare } from '../../common/sharing.js';
import { addMod, filled, isZero, negMod, subMod } from '../../../semantics/kernels/words.js';
import { OddRing } from '../../../spec/field.js';
import { Ring } from '../../../spec/ring.js';
import { fromSmall, toOdd, wraps, xorPublicBit } from './arith.js';
import { asField, asRing, deal, receiveDeal, type Part } from './deal.js';
import { privateCompareHelper, privateCompareHolder } from './private-compare.js';
import { checkVariant, type Variant } from './variant.js';

/** P2: reconstructs the masked a + r, deals the bit and carry shares, learns η′ in PrivateCompare and deals it. */
export async function shareConvertHelper(ctx: HelperContext, v: Variant, n: number): Promise<void> {
  const ell = ctx.ell;
  checkVariant(v, ell);
  if (n === 0) return;
  const L = Ring(ell);
  const parts: readonly Part[] = [
    { kind: 'field', field: v.field, per: ell },
    { kind: 'ring', odd: true },
  ];
  const etaPart: readonly Part[] = [{ kind: 'ring', odd: true }];
  const [t0, t1] = await Promise.all([
    recvRing(ctx, 0, n, 'ShareConvert masked share'),
    recvRing(ctx, 1, n, 'ShareConvert masked share'),
  ]);
  const x = addMod(L, t0, t1);
  const delta = fromSmall(wraps(L, t0, t1));
  deal(ctx, v.helperSendsTo, n, parts, [{ bitsOf: x }, delta]);
  const etaP = await privateCompareHelper(ctx, v, n);
  deal(ctx, 'both', n, etaPart, [fromSmall(etaP)]);
}

/** P0 or P1: its share of a over Z_{2^ℓ} in, its share of a mod (2^ℓ − 1) out. */
export async function shareConvertHolder(ctx: HolderContext, v: Variant, n: number, a: RingShare): Promise<RingShare> {
  const ell = ctx.ell;
  checkVariant(v, ell);
  if (n === 0) return asShare(new BigUint64Array(0));
  const L = Ring(ell);
  const M = OddRing(ell);
  const parts: readonly Part[] = [
    { kind: 'field', field: v.field, per: ell },
    { kind: 'ring', odd: true },
  ];
  const etaPart: readonly Part[] = [{ kind: 'ring', odd: true }];

  if (a.length !== n) bug(`ShareConvert share of ${a.length} entries for n = ${n}`);
  const j = ctx.id;
  const common = ctx.shared(peerOf(j));
  const r0 = common.ring(ell, n);
  const r1 = common.ring(ell, n);
  const etaPP = common.bits(n);
  const u = common.below(M.modulus, n);
  const r = addMod(L, r0, r1);
  const alpha = wraps(L, r0, r1);
  const mine = j === 0 ? r0 : r1;

  sendRing(ctx, 2, addMod(L, a, mine));
  const betaJ = wraps(L, a, mine);
  const dealt = await receiveDeal(ctx, v.helperSendsTo, n, parts, 'ShareConvert bit and δ shares');
  const deltaShares = dealt[1];

  // r − 1 mod 2^ℓ (2^ℓ − 1 where r = 0), on words.
  const rMinus1 = subMod(L, r, filled(n, 1));
  const rZero = isZero(r);
  // `shift` takes the n·ℓ bit shares out of `dealt`, so nothing holds them while η′ is awaited.
  await privateCompareHolder(ctx, v, n, { xBits: asField(dealt.shift()), r: asPublic(rMinus1), beta: etaPP });
  const [etaPShares] = await receiveDeal(ctx, 'both', n, etaPart, 'ShareConvert η′ shares');

  const eta = xorPublicBit(M, j, asRing(etaPShares), etaPP);
  for (let i = 0; i < n; i++) if (rZero[i] === 1) eta[i] = j === 0 ? 1n : 0n;

  // θ_j = β_j + δ_j + η_j + [j = 0]·(−α − 1), over Z_{L−1}.
  let theta = addMod(M, fromSmall(betaJ), asRing(deltaShares));
  theta = addMod(M, theta, eta);
  if (j === 0) theta = subMod(M, theta, fromSmall(alpha.map((x) => x + 1)));
  const y = subMod(M, toOdd(M, a), theta);
  return asShare(addMod(M, y, j === 0 ? u : negMod(M, u)));
}
