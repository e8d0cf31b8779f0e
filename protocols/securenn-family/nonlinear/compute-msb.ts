/**
 * ComputeMSB (SecureNN Alg. 5): shares of a over Z_{L−1} (L = 2^ℓ) give shares over Z_L of MSB(a),
 * the top bit of a as an ℓ-bit integer.
 *
 * Idea: for a ∈ Z_{L−1}, y = 2a mod (L − 1) is 2a (even) when a < L/2 and 2a − (L − 1) (odd)
 * otherwise, so MSB(a) = LSB(y). Mask y with a random x ∈ Z_{L−1} that P2 picks and open
 * c = y + x: then LSB(y) = LSB(c) ⊕ LSB(x) ⊕ wrap(y, x, L − 1), and the wrap happened iff x > c
 * (L − 1 is odd, so a wrap flips the parity).
 *   1. P2 picks x and deals its Z_p bit shares and Z_L shares of LSB(x); the shares x_j of x come
 *      from the P0–P2 and P1–P2 PRGs (Porthos) or are dealt too (SecureNN, where c then waits for them).
 *   2. P_j opens c_j = 2a_j + x_j to the other.
 *   3. PrivateCompare on x against c with a common random bit β: P2 learns β′ = β ⊕ (x > c) and deals
 *      its Z_L shares (to one party per element in Porthos, to both in SecureNN).
 *   4. γ = β′ ⊕ β = wrap, δ = LSB(x) ⊕ LSB(c), both as Z_L shares by local XOR with public bits;
 *      MSB = γ ⊕ δ = γ + δ − 2γδ with one Beaver product; a zero-sharing of Z_L re-randomises it.
 *
 * Exact for every a ∈ Z_{L−1}. Cost (b = ⌈ℓ/8⌉, h = ⌊n/2⌋): P2→P_j n(ℓ + 3b) ('both') or
 * (ℓ + 2b)·(n − h | h) ('one'); c opened both ways (nb); PrivateCompare n·ℓ per party; the product
 * (P0→P1 and P1→P0 2nb, P2→P1 nb). Four rounds (Porthos, where the opening runs alongside the first
 * deal) or five (SecureNN).
 */
import { bug } from '../../../spec/errors.js';
import { beaverHelper, beaverHolder } from '../beaver.js';
import { recvOddRing, sendRing } from '../../common/codec.js';
import { peerOf, type HelperContext, type HolderContext } from '../../common/party.js';
import { asPublic, asShare, type RingShare } from '../../common/sharing.js';
import { addMod, doubleMod, lowBits, negMod, subMod } from '../../../semantics/kernels/words.js';
import { OddRing } from '../../../spec/field.js';
import { Ring } from '../../../spec/ring.js';
import { fromSmall, hadamard, xorPublicBit } from './arith.js';
import { asField, asRing, deal, receiveDeal, type Part, type PartValues } from './deal.js';
import { privateCompareHelper, privateCompareHolder } from './private-compare.js';
import { checkVariant, type Variant } from './variant.js';

/** P2: deals the mask, its bits and LSB, learns β′ in PrivateCompare and deals it, and deals the Beaver triple. */
export async function computeMsbHelper(ctx: HelperContext, v: Variant, n: number): Promise<void> {
  const ell = ctx.ell;
  checkVariant(v, ell);
  if (n === 0) return;
  const M = OddRing(ell);
  const prgShares = v.helperSendsTo === 'one';
  const bitsAndLsb: readonly Part[] = [
    { kind: 'field', field: v.field, per: ell },
    { kind: 'ring', odd: false },
  ];
  const first: readonly Part[] = prgShares ? bitsAndLsb : [{ kind: 'ring', odd: true }, ...bitsAndLsb];
  const betaPart: readonly Part[] = [{ kind: 'ring', odd: false }];
  const x = prgShares
    ? addMod(M, ctx.shared(0).below(M.modulus, n), ctx.shared(1).below(M.modulus, n))
    : ctx.own.below(M.modulus, n);
  const lsb = fromSmall(lowBits(x));
  deal(ctx, v.helperSendsTo, n, first, prgShares ? [{ bitsOf: x }, lsb] : [x, { bitsOf: x }, lsb]);
  const betaP = await privateCompareHelper(ctx, v, n);
  deal(ctx, v.helperSendsTo, n, betaPart, [fromSmall(betaP)]);
  beaverHelper(ctx, hadamard(ell, n));
}

/** P0 or P1: its share of a over Z_{2^ℓ−1} in, its share of MSB(a) over Z_{2^ℓ} out. */
export async function computeMsbHolder(ctx: HolderContext, v: Variant, n: number, a: RingShare): Promise<RingShare> {
  const ell = ctx.ell;
  checkVariant(v, ell);
  if (n === 0) return asShare(new BigUint64Array(0));
  const L = Ring(ell);
  const M = OddRing(ell);
  const prgShares = v.helperSendsTo === 'one';
  const bitsAndLsb: readonly Part[] = [
    { kind: 'field', field: v.field, per: ell },
    { kind: 'ring', odd: false },
  ];
  const first: readonly Part[] = prgShares ? bitsAndLsb : [{ kind: 'ring', odd: true }, ...bitsAndLsb];
  const betaPart: readonly Part[] = [{ kind: 'ring', odd: false }];

  if (a.length !== n) bug(`ComputeMSB share of ${a.length} entries for n = ${n}`);
  const j = ctx.id;
  const peer = peerOf(j);
  const common = ctx.shared(peer);
  const beta = common.bits(n);
  const u = common.ring(ell, n);

  // Step 1–2: the mask shares x_j, then c_j = 2a_j + x_j opened to the peer.
  const open = (x: BigUint64Array): BigUint64Array => {
    const mine = addMod(M, doubleMod(M, a), x);
    sendRing(ctx, peer, mine);
    return mine;
  };
  let cMine: BigUint64Array;
  let cTheirs: BigUint64Array;
  let dealt: PartValues[];
  if (prgShares) {
    cMine = open(ctx.shared(2).below(M.modulus, n));
    [cTheirs, dealt] = await Promise.all([
      recvOddRing(ctx, peer, n, 'ComputeMSB opening of c'),
      receiveDeal(ctx, 'one', n, first, 'ComputeMSB bit and LSB shares'),
    ]);
  } else {
    const got = await receiveDeal(ctx, 'both', n, first, 'ComputeMSB mask, bit and LSB shares');
    cMine = open(asRing(got[0]));
    cTheirs = await recvOddRing(ctx, peer, n, 'ComputeMSB opening of c');
    dealt = got.slice(1);
  }
  const lsbShares = dealt[1];
  const c = addMod(M, cMine, cTheirs);

  // `shift` takes the n·ℓ bit shares out of `dealt`, so nothing holds them while β′ is awaited.
  await privateCompareHolder(ctx, v, n, { xBits: asField(dealt.shift()), r: asPublic(c), beta });
  const [betaPShares] = await receiveDeal(ctx, v.helperSendsTo, n, betaPart, 'ComputeMSB β′ shares');

  const gamma = xorPublicBit(L, j, asRing(betaPShares), beta);
  const cLsb = lowBits(c);
  const delta = xorPublicBit(L, j, asRing(lsbShares), cLsb);
  const theta = await beaverHolder(ctx, hadamard(ell, n), asShare(gamma), asShare(delta));
  const sum = addMod(L, gamma, delta);
  const out = subMod(L, sum, doubleMod(L, theta));
  return asShare(addMod(L, out, j === 0 ? u : negMod(L, u)));
}
