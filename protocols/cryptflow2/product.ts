/**
 * Secret × secret bilinear layers over OT (Rathee et al., CCS 2020, §4 "linear layers over OT", after
 * Gilboa's OT-based multiplication): z = f(x, y) for x = x0 + x1, y = y0 + y1 over Z_{2^ℓ}, f given
 * by its scalar terms z[o_t] += x[p_t]·y[q_t] (terms.ts).
 *
 *   f(x, y) = f(x0, y0) + f(x1, y1) + f(x0, y1) + f(x1, y0).
 *   1. P0 computes f(x0, y0) and P1 computes f(x1, y1) locally (the ring kernels).
 *   2. Cross term f(x_i, y_j) (i ≠ j), P_i "chooser" holding x_i, P_j holding y_j: for each bit
 *      k = 0 … ℓ−1, one batch of correlated OTs over Z_{2^{ℓ−k}}, one per term: P_j sends with
 *      Δ_t = y_j[q_t] mod 2^{ℓ−k} and gets u_t; P_i chooses bit k of x_i[p_t] and gets
 *      u_t + bit·Δ_t. Then 2^k·(v_t − u_t) ≡ 2^k·bit_k(x_i[p_t])·y_j[q_t] (mod 2^ℓ), so P_i adds
 *      2^k·v_t and P_j subtracts 2^k·u_t at o_t; summed over k they share x_i[p_t]·y_j[q_t].
 *   3. P0's cross term first (P0 chooses), then P1's.
 * The message width ℓ − k (the low k bits of 2^k·Δ vanish) is CrypTFlow2's saving: per term and
 * direction Σ_k (λ + ℓ − k) = ℓλ + ℓ(ℓ+1)/2 bits, 2T times that per layer (spec/cost/cryptflow2.ts).
 */
import type { OtChannel } from '../ot/types.js';
import type { PartyContext } from '../common/party.js';
import type { Terms } from './terms.js';

async function crossTerm(ctx: PartyContext, ot: OtChannel, terms: Terms, mine: BigUint64Array, chooser: 0 | 1, ell: number, acc: bigint[]): Promise<void> {
  const T = terms.out.length;
  if (T === 0) return;
  for (let k = 0; k < ell; k++) {
    const w = ell - k;
    const scale = 1n << BigInt(k);
    if (ctx.id === chooser) {
      const s = BigInt(k);
      const choices = Uint8Array.from(terms.x, (p) => Number(((mine[p] as bigint) >> s) & 1n));
      const v = await ot.recvCorrelated(choices, w);
      for (let t = 0; t < T; t++) acc[terms.out[t] as number] = (acc[terms.out[t] as number] as bigint) + scale * (v[t] as bigint);
    } else {
      const m = (1n << BigInt(w)) - 1n;
      const delta = BigUint64Array.from(terms.y, (q) => (mine[q] as bigint) & m);
      const u = await ot.sendCorrelated(delta, w);
      for (let t = 0; t < T; t++) acc[terms.out[t] as number] = (acc[terms.out[t] as number] as bigint) - scale * (u[t] as bigint);
    }
  }
}

/**
 * This party's share of f(x, y). `x` and `y` are its shares of the two operands; `local` computes f
 * on plain tensors (the kernels), used for f(x_i, y_i).
 */
export async function otProduct(ctx: PartyContext, ot: OtChannel, terms: Terms, x: BigUint64Array, y: BigUint64Array, local: (x: BigUint64Array, y: BigUint64Array) => BigUint64Array, ell: number): Promise<BigUint64Array> {
  const own = local(x, y);
  const acc = Array.from(own, (v) => v);
  // P0's x0 against P1's y1, then P1's x1 against P0's y0: the chooser passes its x share, the other its y share.
  await crossTerm(ctx, ot, terms, ctx.id === 0 ? x : y, 0, ell, acc);
  await crossTerm(ctx, ot, terms, ctx.id === 1 ? x : y, 1, ell, acc);
  return BigUint64Array.from(acc, (v) => BigInt.asUintN(ell, v));
}
