/**
 * The OT multiplexer of CrypTFlow2 (Rathee et al., CCS 2020, §3.2, ReLU from DReLU; the SCI
 * library's MUX): additive shares of b·x for a XOR-shared bit b = b0 ⊕ b1 and x = x0 + x1 mod 2^ℓ.
 *
 *   1. P0 draws r0 and, as OT sender, offers m_t = (b0 ⊕ t)·x0 − r0 for t ∈ {0, 1}; P1 chooses
 *      t = b1 and gets g1 = b·x0 − r0.
 *   2. Symmetrically P1 draws r1 and offers (b1 ⊕ t)·x1 − r1; P0 chooses b0 and gets g0 = b·x1 − r1.
 *   3. P0 outputs r0 + g0, P1 outputs r1 + g1: the sum is b·x0 + b·x1 = b·x.
 * Cost: two 1-out-of-2 OTs of ℓ-bit messages per element, one each way: 2(λ + 2ℓ) bits.
 */
import type { OtChannel } from '../ot/types.js';
import type { PartyContext } from '../common/party.js';

function offers(
  ctx: PartyContext,
  b: Uint8Array,
  x: BigUint64Array,
  ell: number,
): { r: BigUint64Array; m0: BigUint64Array; m1: BigUint64Array } {
  const r = ctx.own.ring(ell, x.length);
  const sel = (t: number): BigUint64Array =>
    x.map((v, i) => BigInt.asUintN(ell, ((b[i] as number) ^ t ? v : 0n) - (r[i] as bigint)));
  return { r, m0: sel(0), m1: sel(1) };
}

export async function mux(
  ctx: PartyContext,
  ot: OtChannel,
  b: Uint8Array,
  x: BigUint64Array,
  ell: number,
): Promise<BigUint64Array> {
  if (x.length === 0) return new BigUint64Array(0);
  const mine = offers(ctx, b, x, ell);
  let got: BigUint64Array;
  if (ctx.id === 0) {
    await ot.send2(mine.m0, mine.m1, ell);
    got = await ot.recv2(b, ell);
  } else {
    got = await ot.recv2(b, ell);
    await ot.send2(mine.m0, mine.m1, ell);
  }
  return got.map((g, i) => BigInt.asUintN(ell, g + (mine.r[i] as bigint)));
}
