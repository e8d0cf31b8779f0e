/**
 * Ideal functionalities of the prime-field building blocks of `cryptflow2-he` (CrypTFlow2's SCI_HE,
 * Rathee et al., CCS 2020, §4–§6), as pure functions of reconstructed inputs over Z_p (p an odd prime,
 * elements in [0, p), signed reading v − p above (p − 1)/2). Shares reconstruct by XOR (bits) or by
 * + mod p (field elements); test/protocols/cryptflow2-he checks every protocol against these.
 *
 *   F_DReLU^p     XOR shares of 1{signed(x) ≥ 0}.
 *   F_B2A^p       additive shares mod p of a XOR-shared bit.
 *   F_MUX^p       additive shares of b·x.
 *   F_ReLU^p      additive shares of max(signed(x), 0) mod p.
 *   F_Div^p_d     additive shares of ⌊signed(x)/d⌋ mod p (F_Trunc: d = 2^s).
 *   F_Max^p       the largest signed value of each window (MaxPool); F_ArgMax^p the first index of the
 *                 largest signed value of each row.
 *   F_Lin^p       a linear layer y = conv(x, W) mod p with the server's W (the HE layer's functionality:
 *                 the client learns its share, nothing else; the server learns its share).
 *
 * The domains are enforced, not assumed: F_Div^p takes divisors d ≥ 1 (its floor formula is a floor only
 * for d > 0), and F_Max^p and F_ArgMax^p take elements below p (signed(p, ·) is injective there, so a tie
 * is equality). Outside them each throws an InvariantViolation naming the functionality.
 */
import { bug } from '../spec/errors.js';

const mod = (p: bigint, v: bigint): bigint => ((v % p) + p) % p;
const signed = (p: bigint, v: bigint): bigint => (v > (p - 1n) / 2n ? v - p : v);
/** F_Max^p's and F_ArgMax^p's domain: elements of Z_p, i.e. below p. */
const inField = (name: string, p: bigint, x: BigUint64Array): void => {
  if (x.some((v) => v >= p)) bug(`${name} takes elements below p`);
};
/** ⌊a/d⌋ for d ≥ 1. */
const floorDiv = (a: bigint, d: bigint): bigint => (a >= 0n ? a / d : -((-a + d - 1n) / d));

export function fDreluP(p: bigint, x: BigUint64Array): Uint8Array {
  return Uint8Array.from(x, (v) => (signed(p, v) >= 0n ? 1 : 0));
}

export function fB2aP(bits: Uint8Array): BigUint64Array {
  return BigUint64Array.from(bits, (b) => BigInt(b));
}

export function fMuxP(bits: Uint8Array, x: BigUint64Array): BigUint64Array {
  return x.map((v, i) => ((bits[i] as number) === 1 ? v : 0n));
}

export function fReluP(p: bigint, x: BigUint64Array): BigUint64Array {
  return x.map((v) => (signed(p, v) >= 0n ? v : 0n));
}

export function fDivP(p: bigint, x: BigUint64Array, divisors: readonly bigint[]): BigUint64Array {
  if (divisors.some((d) => d < 1n)) bug('F_Div^p takes divisors d ≥ 1');
  return x.map((v, i) => mod(p, floorDiv(signed(p, v), divisors[i] as bigint)));
}

/** Max of each of r windows of k cells (`windows[o·k + j]` indexes x), by signed value. */
export function fMaxP(p: bigint, x: BigUint64Array, windows: Int32Array, r: number, k: number): BigUint64Array {
  inField('F_Max^p', p, x);
  return BigUint64Array.from({ length: r }, (_, o) => {
    let best = x[windows[o * k] as number] as bigint;
    for (let j = 1; j < k; j++) {
      const v = x[windows[o * k + j] as number] as bigint;
      if (signed(p, v) > signed(p, best)) best = v;
    }
    return best;
  });
}

/** First index of the largest signed value of each of r rows of c elements. */
export function fArgmaxP(p: bigint, x: BigUint64Array, r: number, c: number): BigUint64Array {
  inField('F_ArgMax^p', p, x);
  return BigUint64Array.from({ length: r }, (_, o) => {
    let at = 0;
    for (let j = 1; j < c; j++) if (signed(p, x[o * c + j] as bigint) > signed(p, x[o * c + at] as bigint)) at = j;
    return BigInt(at);
  });
}
