/**
 * Faithful division by a public constant over Z_p, EXACT: shares of ⌊signed(x)/d⌋ mod p for every
 * field element x (signed reading in [−(p−1)/2, (p−1)/2]). The identity is CrypTFlow2's (Rathee et
 * al., CCS 2020, §5, Theorem 4.1 and the division by a public constant of §5.2) with the ring 2^ℓ
 * replaced by p, as SCI_HE does; the ring version is protocols/cryptflow2/division.ts.
 *
 *   1. Shift: u0 = x0 + H (P0), u1 = x1, H = (p − 1)/2, so u0 + u1 − w·p = signed(x) + H with the wrap
 *      w = 1{u0 + u1 ≥ p} = 1{p − 1 − u0 < u1}: one millionaires' on ⌈log₂ p⌉ bits.
 *   2. Locally u_i = q_i·d + r_i; publicly p = Q·d + R and H = H_q·d + R′. Then
 *        ⌊signed(x)/d⌋ = q0 + q1 − H_q − Q·w + f,   f = ⌊(r0 + r1 − R′ − w·R)/d⌋.
 *   3. f0 = −1 + c_{R′} + c_{R′+d},  f1 = −2 + c_{R′+R−d} + c_{R′+R} + c_{R′+R+d},  f = f0 + w·(f1 − f0),
 *      with c_K = 1{r0 + r1 ≥ K} from one millionaires' batch of 5 comparisons on ⌈log₂ 5d⌉ bits (P0
 *      passes K − 1 − r0 + 2d, P1 r1 + 2d). (For d = 2^s, R = p mod d is not 0: the ring's
 *      two-comparison shortcut does not apply.)
 *   4. B2A_p of w and the five c_K (one batch), MUX_p of w with f1 − f0, then step 2 locally.
 * Cost: Mill(⌈log₂ p⌉) + Mill(5n, ⌈log₂ 5d⌉) + B2A_p(6n) + MUX_p(n).
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import type { OtChannel } from '../ot/types.js';
import type { PartyContext } from '../common/party.js';
import { millionaire } from '../cryptflow2/millionaire.js';
import { modP, type PrimeField } from './field.js';
import { b2aP, muxP } from './gates.js';

/** Bit length of the remainder comparisons for divisors up to dMax. */
export const remainderWidth = (dMax: bigint): number => (5n * dMax).toString(2).length;

/** Shares of ⌊signed(x)/d_i⌋ mod p for public divisors d_i ≥ 1. */
export async function divideP(
  ctx: PartyContext,
  ot: OtChannel,
  F: PrimeField,
  x: BigUint64Array,
  divisors: readonly bigint[],
): Promise<BigUint64Array> {
  const n = x.length;
  if (divisors.length !== n || divisors.some((d) => d < 1n)) bug('division needs one positive divisor per element');
  if (n === 0) return new BigUint64Array(0);
  const dMax = divisors.reduce((m, d) => (d > m ? d : m), 1n);
  const width = remainderWidth(dMax);
  if (width > 64)
    throw new CryptflowError(
      'usage',
      `division by a public constant supports divisors below 2^64/5, got one of ${width} bits`,
    );
  const p0 = ctx.id === 0;
  const u = p0 ? x.map((v) => modP(F, v + F.half)) : x.slice();
  const q = u.map((v, i) => v / (divisors[i] as bigint));
  const r = u.map((v, i) => v % (divisors[i] as bigint));
  const w = await millionaire(ctx, ot, p0 ? u.map((v) => F.p - 1n - v) : u, F.bits);
  const inputs = new BigUint64Array(5 * n);
  for (let i = 0; i < n; i++) {
    const d = divisors[i] as bigint;
    const [R, R1] = [F.p % d, F.half % d];
    const ks = [R1, R1 + d, R1 + R - d, R1 + R, R1 + R + d];
    ks.forEach((K, j) => {
      inputs[j * n + i] = p0 ? K - 1n - (r[i] as bigint) + 2n * d : (r[i] as bigint) + 2n * d;
    });
  }
  const c = await millionaire(ctx, ot, inputs, width);
  const bits = new Uint8Array(6 * n);
  bits.set(w);
  bits.set(c, n);
  const arith = await b2aP(ctx, ot, F, bits);
  const ca = (j: number, i: number): bigint => arith[(j + 1) * n + i] as bigint;
  const f0 = BigUint64Array.from({ length: n }, (_, i) => modP(F, (p0 ? -1n : 0n) + ca(0, i) + ca(1, i)));
  const f1 = BigUint64Array.from({ length: n }, (_, i) => modP(F, (p0 ? -2n : 0n) + ca(2, i) + ca(3, i) + ca(4, i)));
  const delta = await muxP(
    ctx,
    ot,
    F,
    w,
    f1.map((v, i) => modP(F, v - (f0[i] as bigint))),
  );
  return q.map((qi, i) => {
    const d = divisors[i] as bigint;
    const [Q, Hq] = [F.p / d, F.half / d];
    const wa = arith[i] as bigint;
    return modP(F, qi + (p0 ? -Hq : 0n) - Q * wa + (f0[i] as bigint) + (delta[i] as bigint));
  });
}

/** Shares of ⌊signed(x)/2^s⌋ (ScaleDown); s = 0 is the identity at no cost. */
export async function truncateP(
  ctx: PartyContext,
  ot: OtChannel,
  F: PrimeField,
  x: BigUint64Array,
  s: number,
): Promise<BigUint64Array> {
  if (s === 0 || x.length === 0) return x.slice();
  return divideP(ctx, ot, F, x, new Array<bigint>(x.length).fill(1n << BigInt(s)));
}
