/**
 * Ideal functionalities of the CrypTFlow2 building blocks (Rathee et al., CCS 2020, §2–§5), as pure
 * functions of the reconstructed inputs. A realisation is correct when its output shares reconstruct
 * (XOR for bits, + mod 2^ℓ for ring values) to these exactly; each is deterministic, the randomness of
 * a sharing being the protocols' (tests/protocols/cryptflow2 check shares against these).
 *
 *   F_OT^N_ℓ     the receiver learns messages[c] of the sender's N ℓ-bit messages, nothing else.
 *   F_AND        XOR shares of x ∧ y.
 *   F_Mill^w     P0 holds a, P1 holds b (w bits): XOR shares of 1{a < b}.
 *   F_DReLU^ℓ    XOR shares of 1{signed(x) ≥ 0} for x shared over Z_{2^ℓ}.
 *   F_B2A^ℓ      additive shares over Z_{2^ℓ} of a XOR-shared bit.
 *   F_MUX^ℓ      additive shares of b·x for a XOR-shared bit b and shared x.
 *   F_Div^ℓ_d    additive shares of ⌊signed(x)/d⌋ mod 2^ℓ (d a public positive integer; F_Trunc is
 *                d = 2^s) — exactly semantics/fixed.ts's ScaleDown and AvgPool division.
 */
import { Ring } from '../spec/ring.js';

/** F_OT: messages is count × N row-major; returns messages[i·N + c[i]]. */
export function fOt(n: number, messages: BigUint64Array, choices: Uint8Array): BigUint64Array {
  return BigUint64Array.from(choices, (c, i) => messages[i * n + c] as bigint);
}

export function fAnd(x: Uint8Array, y: Uint8Array): Uint8Array {
  return x.map((v, i) => v & (y[i] as number));
}

export function fMill(_w: number, a: BigUint64Array, b: BigUint64Array): Uint8Array {
  return Uint8Array.from(a, (v, i) => (v < (b[i] as bigint) ? 1 : 0));
}

export function fDrelu(ell: number, x: BigUint64Array): Uint8Array {
  const ring = Ring(ell);
  return Uint8Array.from(x, (v) => (ring.signed(v) >= 0n ? 1 : 0));
}

export function fB2a(_ell: number, b: Uint8Array): BigUint64Array {
  return BigUint64Array.from(b, (v) => BigInt(v));
}

export function fMux(ell: number, b: Uint8Array, x: BigUint64Array): BigUint64Array {
  return x.map((v, i) => ((b[i] as number) === 1 ? BigInt.asUintN(ell, v) : 0n));
}

/** ⌊a / d⌋ for d > 0 (towards −∞). */
function floorDiv(a: bigint, d: bigint): bigint {
  const q = a / d;
  return a % d !== 0n && a < 0n ? q - 1n : q;
}

export function fDiv(ell: number, x: BigUint64Array, divisors: readonly bigint[]): BigUint64Array {
  const ring = Ring(ell);
  return x.map((v, i) => ring.reduce(floorDiv(ring.signed(v), divisors[i] as bigint)));
}

export function fTrunc(ell: number, x: BigUint64Array, s: number): BigUint64Array {
  return fDiv(ell, x, new Array<bigint>(x.length).fill(1n << BigInt(s)));
}
