/**
 * Bilinear layers over OT (Rathee et al., CCS 2020, §4 "linear layers over OT", after
 * Gilboa's OT-based multiplication): z = f(x, y) for x = x0 + x1, y = y0 + y1 over Z_{2^ℓ}, f given
 * by its scalar terms z[o_t] += x[p_t]·y[q_t] (terms.ts).
 *
 *   f(x, y) = f(x0, y0) + f(x1, y1) + f(x0, y1) + f(x1, y0).
 *   1. P0 computes f(x0, y0) and P1 computes f(x1, y1) locally (the ring kernels).
 *   2. Each cross term f(x_i, y_j) (i ≠ j) decomposes one operand into bits — the one with fewer
 *      elements that occur in some term, U of them (x on a tie); its holder is the "chooser". For
 *      each bit k = 0 … ℓ−1, over Z_{2^{ℓ−k}} (the low k bits of 2^k·Δ vanish):
 *        vector form (when 2U < T): one vector COT per decomposed element e (vcot.ts), the chooser's
 *          choice bit k of e, the correlation the other operand's values of e's terms;
 *        scalar form (otherwise): one COT per term.
 *      The chooser adds 2^k·(its outputs) and the sender subtracts 2^k·(its X) at each term's o_t:
 *      2^k·(v − u) ≡ 2^k·bit_k(e)·Δ (mod 2^ℓ), summed over k the product of the term.
 *   3. P0's cross term (x0 against y1) first, then P1's (x1 against y0).
 * An operand held in the clear by P_j (Held.owner: its share at P_{1−j} is publicly 0) makes every
 * term with that zero factor vanish: the cross terms run are `crossTerms` (spec/cost/cryptflow2.ts),
 * one for activations × the server's weights (CrypTFlow2's setting: x0·W, plus P1's local x1·W), and
 * a party whose share of either operand is that zero skips its local term. Security is unchanged: the
 * OT multiplication's views never depend on whether a factor is a share or a clear value.
 * The per-bit loops run in `kern` (protocols/kernels/otmul.ts: wasm, or the TypeScript references);
 * the result is accumulated mod 2^64 and reduced mod 2^ℓ once.
 * Cost per cross term (spec/cost/cryptflow2.ts): vector Σ_k (2U random OTs + T·(ℓ − k) bits), scalar
 * Σ_k T·(λ + ℓ − k) bits.
 */
import { crossForm, crossTerms } from '../../spec/cost/cryptflow2.js';
import type { OtChannel } from '../ot/types.js';
import type { PartyContext } from '../common/party.js';
import { usedOf, type Terms } from './terms.js';
import { recvVectorCot, sendVectorCot } from './vcot.js';
import { gatherWords, maskedWords, otMulKernels, type OtMulKernels } from '../kernels/otmul.js';
import { maskInPlace } from '../../semantics/kernels/words.js';

/** The terms grouped by one operand's index: the used elements, their group lengths, term order. */
function group(key: Int32Array): { elems: Int32Array; lens: Int32Array; order: Int32Array } {
  let size = 0;
  for (const k of key) size = Math.max(size, k + 1);
  const count = new Int32Array(size);
  for (const k of key) count[k] = (count[k] as number) + 1;
  const elems: number[] = [];
  const start = new Int32Array(size);
  let at = 0;
  for (let e = 0; e < size; e++) {
    start[e] = at;
    if ((count[e] as number) > 0) elems.push(e);
    at += count[e] as number;
  }
  const order = new Int32Array(key.length);
  const fill = start.slice();
  key.forEach((k, t) => {
    order[fill[k] as number] = t;
    fill[k] = (fill[k] as number) + 1;
  });
  return { elems: Int32Array.from(elems), lens: Int32Array.from(elems, (e) => count[e] as number), order };
}

/**
 * One cross term x_h·y_{1−h} (h holds the x share), accumulated into `acc` mod 2^64. `mine` is this
 * party's x share if it is h, else its y share.
 */
async function crossTerm(
  ctx: PartyContext,
  ot: OtChannel,
  terms: Terms,
  h: 0 | 1,
  mine: BigUint64Array,
  ell: number,
  acc: BigUint64Array,
  kern: OtMulKernels,
): Promise<void> {
  const T = terms.out.length;
  if (T === 0) return;
  const { decompose, vector } = crossForm(T, usedOf(terms.x), usedOf(terms.y));
  const chooser = decompose === 'x' ? h : h === 0 ? 1 : 0;
  const key = decompose === 'x' ? terms.x : terms.y;
  const other = decompose === 'x' ? terms.y : terms.x;
  const g = vector
    ? group(key)
    : { elems: key, lens: new Int32Array(0), order: Int32Array.from({ length: T }, (_, t) => t) };
  // The sender's correlations, in the order of the chooser's instances (reduced per bit below).
  const delta =
    ctx.id === chooser
      ? null
      : gatherWords(
          mine,
          Int32Array.from(g.order, (t) => other[t] as number),
        );
  for (let k = 0; k < ell; k++) {
    const w = ell - k;
    let got: BigUint64Array;
    if (delta === null) {
      const choices = kern.bitsAt(mine, g.elems, k);
      got = vector ? await recvVectorCot(ctx, ot, choices, g.lens, w, kern) : await ot.recvCorrelated(choices, w);
    } else {
      got = vector
        ? await sendVectorCot(ctx, ot, g.lens, delta, w, kern)
        : await ot.sendCorrelated(maskedWords(delta, w), w);
    }
    kern.accumulateTerms(acc, terms.out, g.order, got, k, delta !== null);
  }
}

/**
 * Which party, if any, holds each operand in the clear (its other share publicly 0: Held.owner). A
 * cross term with a publicly zero factor is skipped, and so is the local term of a party whose share
 * of either operand is that zero.
 */
export interface ProductOwners {
  readonly x?: 0 | 1 | undefined;
  readonly y?: 0 | 1 | undefined;
}

/**
 * This party's share of f(x, y). `x` and `y` are its shares of the two operands; `local` computes f
 * on plain tensors (the kernels), used for f(x_i, y_i).
 */
export async function otProduct(
  ctx: PartyContext,
  ot: OtChannel,
  terms: Terms,
  x: BigUint64Array,
  y: BigUint64Array,
  local: (x: BigUint64Array, y: BigUint64Array) => BigUint64Array,
  ell: number,
  owners: ProductOwners = {},
  kern: OtMulKernels = otMulKernels('reference'),
): Promise<BigUint64Array> {
  const peer = ctx.id === 0 ? 1 : 0;
  const zero = owners.x === peer || owners.y === peer;
  const acc = zero ? new BigUint64Array(terms.outSize) : local(x, y).slice();
  for (const h of crossTerms(owners.x, owners.y))
    await crossTerm(ctx, ot, terms, h, ctx.id === h ? x : y, ell, acc, kern);
  return maskInPlace(ell, acc);
}
