/**
 * Faithful truncation and division by a public constant, EXACT (no error): shares of
 * ⌊signed(x)/d⌋ mod 2^ℓ, bit-equal to semantics/fixed.ts's ScaleDown (d = 2^s) and AvgPool (d the
 * window count). The identity is CrypTFlow2's (Rathee et al., CCS 2020, §5, Theorem 4.1 and the
 * "division by a public constant" of §5.2), organised as follows (derivation in
 * proofs-notes/cryptflow2.md):
 *
 *   1. Shift to unsigned: u0 = x0 + 2^{ℓ−1} (P0), u1 = x1, so u0 + u1 − w·2^ℓ = signed(x) + 2^{ℓ−1}
 *      with the wrap w = 1{u0 + u1 ≥ 2^ℓ} = 1{2^ℓ − 1 − u0 < u1}: one millionaires' on ℓ bits.
 *   2. Locally u_i = q_i·d + r_i; publicly 2^ℓ = Q·d + R and 2^{ℓ−1} = H·d + R′. Then
 *        ⌊signed(x)/d⌋ = q0 + q1 − H − Q·w + f,   f = ⌊(r0 + r1 − R′ − w·R)/d⌋.
 *   3. f from comparisons c_K = 1{r0 + r1 ≥ K} (millionaires' with P0 passing K − 1 − r0 + 2d and P1
 *      r1 + 2d, both below 5d):
 *        d = 2^s (R = R′ = 0):  f = c_d — one comparison on s bits (P0: d − 1 − r0, P1: r1);
 *        otherwise:             f0 = −1 + c_{R′} + c_{R′+d},  f1 = −2 + c_{R′+R−d} + c_{R′+R} + c_{R′+R+d},
 *                               f = f0 + w·(f1 − f0) — five comparisons of ⌈log₂ 5d⌉ bits and a MUX.
 *   4. The bits go arithmetic by B2A (w and c_d; or w and the five c_K), then step 2 locally.
 * Shifts s ≥ ℓ give −MSB(x) (B2A of the MSB, negated); s = 0 is the identity, at no cost.
 * Divisors need 5d < 2^64 (window counts are far below). Cost: pow2 Mill(ℓ) + Mill(s) + 2·B2A; general Mill(ℓ) + 5·Mill(⌈log₂ 5d⌉) + 6·B2A + MUX.
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import type { OtChannel } from '../ot/types.js';
import type { PartyContext } from '../common/party.js';
import { b2a } from './b2a.js';
import { msb } from './drelu.js';
import { millionaire } from './millionaire.js';
import { mux } from './mux.js';

/** Bit length of the comparisons of the general division by divisors up to dMax. */
export const divisionWidth = (dMax: bigint): number => (5n * dMax).toString(2).length;

/** The divisor is 2^s for an s in [1, ℓ − 1] (the two-comparison path), or null. */
export function pow2Shift(d: bigint, ell: number): number | null {
  const s = d.toString(2).length - 1;
  return d === 1n << BigInt(s) && s >= 1 && s <= ell - 1 ? s : null;
}

async function wrapBit(ctx: PartyContext, ot: OtChannel, u: BigUint64Array, ell: number): Promise<Uint8Array> {
  const top = (1n << BigInt(ell)) - 1n;
  return millionaire(ctx, ot, ctx.id === 0 ? u.map((v) => top - v) : u, ell);
}

/** Shares of ⌊signed(x)/2^s⌋ for one shift s ≥ 0 (ScaleDown). */
export async function truncate(
  ctx: PartyContext,
  ot: OtChannel,
  x: BigUint64Array,
  s: number,
  ell: number,
): Promise<BigUint64Array> {
  if (s === 0 || x.length === 0) return x.slice();
  if (s >= ell) {
    const m = await b2a(ctx, ot, await msb(ctx, ot, x, ell), ell);
    return m.map((v) => BigInt.asUintN(ell, -v));
  }
  return divide(ctx, ot, x, new Array<bigint>(x.length).fill(1n << BigInt(s)), ell);
}

/** Shares of ⌊signed(x)/d_i⌋ for public divisors d_i ≥ 1 (all equal to one 2^s, or any). */
export async function divide(
  ctx: PartyContext,
  ot: OtChannel,
  x: BigUint64Array,
  divisors: readonly bigint[],
  ell: number,
): Promise<BigUint64Array> {
  const n = x.length;
  if (divisors.length !== n || divisors.some((d) => d < 1n)) bug('division needs one positive divisor per element');
  if (n === 0) return new BigUint64Array(0);
  const L = BigInt(ell);
  const half = 1n << (L - 1n);
  const u = ctx.id === 0 ? x.map((v) => BigInt.asUintN(ell, v + half)) : x.slice();
  const d0 = divisors[0] as bigint;
  const s = divisors.every((d) => d === d0) ? pow2Shift(d0, ell) : null;
  const q = u.map((v, i) => v / (divisors[i] as bigint));
  const r = u.map((v, i) => v % (divisors[i] as bigint));
  const w = await wrapBit(ctx, ot, u, ell);
  let f: BigUint64Array;
  let wa: BigUint64Array;
  if (s !== null) {
    const c = await millionaire(ctx, ot, ctx.id === 0 ? r.map((v) => d0 - 1n - v) : r, s);
    const bits = new Uint8Array(2 * n);
    bits.set(w);
    bits.set(c, n);
    const arith = await b2a(ctx, ot, bits, ell);
    wa = arith.subarray(0, n);
    f = arith.subarray(n);
  } else {
    const width = divisionWidth(divisors.reduce((m, d) => (d > m ? d : m), 1n));
    if (width > 64)
      throw new CryptflowError(
        'usage',
        `division by a public constant supports divisors below 2^64/5, got one of ${width} bits`,
      );
    const thresholds = divisors.map((d) => {
      const [R, R1] = [(1n << L) % d, half % d];
      return [R1, R1 + d, R1 + R - d, R1 + R, R1 + R + d];
    });
    const inputs = new BigUint64Array(5 * n);
    for (let j = 0; j < 5; j++) {
      for (let i = 0; i < n; i++) {
        const d = divisors[i] as bigint;
        const K = (thresholds[i] as bigint[])[j] as bigint;
        inputs[j * n + i] = ctx.id === 0 ? K - 1n - (r[i] as bigint) + 2n * d : (r[i] as bigint) + 2n * d;
      }
    }
    const c = await millionaire(ctx, ot, inputs, width);
    const bits = new Uint8Array(6 * n);
    bits.set(w);
    bits.set(c, n);
    const arith = await b2a(ctx, ot, bits, ell);
    wa = arith.subarray(0, n);
    const ca = (j: number, i: number): bigint => arith[(j + 1) * n + i] as bigint;
    const p0 = ctx.id === 0;
    const f0 = BigUint64Array.from({ length: n }, (_, i) => BigInt.asUintN(ell, (p0 ? -1n : 0n) + ca(0, i) + ca(1, i)));
    const f1 = BigUint64Array.from({ length: n }, (_, i) =>
      BigInt.asUintN(ell, (p0 ? -2n : 0n) + ca(2, i) + ca(3, i) + ca(4, i)),
    );
    const delta = await mux(
      ctx,
      ot,
      w,
      f1.map((v, i) => BigInt.asUintN(ell, v - (f0[i] as bigint))),
      ell,
    );
    f = f0.map((v, i) => BigInt.asUintN(ell, v + (delta[i] as bigint)));
  }
  return q.map((qi, i) => {
    const d = divisors[i] as bigint;
    const [Q, H] = [(1n << L) / d, half / d];
    const pub = ctx.id === 0 ? -H : 0n;
    return BigInt.asUintN(ell, qi + pub - Q * (wa[i] as bigint) + (f[i] as bigint));
  });
}
