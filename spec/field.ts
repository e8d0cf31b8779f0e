/**
 * Small prime fields Z_p used by the comparison protocols (PrivateCompare works over Z_p with
 * p = 127 in Porthos and p = 67 in SecureNN; any prime p with ℓ + 2 < p < 256 is accepted so that a
 * ring Z_{2^ℓ} has room for the bit-decomposition). Elements are numbers in [0, p); tensors are
 * `Uint8Array`s (one byte per element, as the wire format counts them: COMM-SPEC.md).
 *
 * Also Z_{2^ℓ−1}, the odd ring that ShareConvert moves shares into (SecureNN Alg. 2): elements are
 * bigints in [0, 2^ℓ − 1), tensors `BigUint64Array`.
 */
import { CryptflowError } from './errors.js';
import { checkRingWidth } from './ring.js';

export interface Field {
  readonly kind: 'field';
  readonly p: number;
  reduce(x: number): number;
  add(a: number, b: number): number;
  sub(a: number, b: number): number;
  neg(a: number): number;
  mul(a: number, b: number): number;
  /** Multiplicative inverse of a ≠ 0. */
  inv(a: number): number;
  isElement(x: number): boolean;
  zeros(n: number): Uint8Array;
}

export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

const fieldCache = new Map<number, Field>();

export function Field(p: number): Field {
  const hit = fieldCache.get(p);
  if (hit) return hit;
  if (!isPrime(p) || p > 255) {
    throw new CryptflowError(
      'field-modulus',
      `field modulus must be a prime below 256 (one byte per element), got ${String(p)}`,
    );
  }
  const reduce = (x: number): number => {
    if (!Number.isSafeInteger(x)) {
      throw new CryptflowError('field-modulus', `Z_${p} element must be a safe integer`);
    }
    const r = x % p;
    return r < 0 ? r + p : r === 0 ? 0 : r; // never −0
  };
  const mul = (a: number, b: number): number => (a * b) % p;
  const inv = (a: number): number => {
    const x = reduce(a);
    if (x === 0) throw new CryptflowError('field-modulus', `0 has no inverse in Z_${p}`);
    // Fermat: a^(p−2) mod p, by square-and-multiply.
    let result = 1;
    let base = x;
    let e = p - 2;
    while (e > 0) {
      if (e & 1) result = mul(result, base);
      base = mul(base, base);
      e >>= 1;
    }
    return result;
  };
  const field: Field = {
    kind: 'field',
    p,
    reduce,
    add: (a, b) => (a + b) % p,
    sub: (a, b) => (a - b + p) % p,
    neg: (a) => (p - a) % p,
    mul,
    inv,
    isElement: (x) => Number.isInteger(x) && x >= 0 && x < p,
    zeros: (n) => new Uint8Array(n),
  };
  Object.freeze(field);
  fieldCache.set(p, field);
  return field;
}

/** Z_{2^ℓ − 1}: the odd ring of SecureNN's ShareConvert. */
export interface OddRing {
  readonly kind: 'odd-ring';
  readonly ell: number;
  /** True: the modulus is 2^ℓ − 1 (Ring's is 2^ℓ). The vector arithmetic dispatches on it. */
  readonly odd: true;
  /** 2^ℓ − 1. */
  readonly modulus: bigint;
  reduce(x: bigint): bigint;
  add(a: bigint, b: bigint): bigint;
  sub(a: bigint, b: bigint): bigint;
  neg(a: bigint): bigint;
  mul(a: bigint, b: bigint): bigint;
  isElement(x: bigint): boolean;
  zeros(n: number): BigUint64Array;
}

const oddCache = new Map<number, OddRing>();

export function OddRing(ell: number): OddRing {
  const hit = oddCache.get(ell);
  if (hit) return hit;
  checkRingWidth(ell);
  const modulus = (1n << BigInt(ell)) - 1n;
  const reduce = (x: bigint): bigint => {
    const r = x % modulus;
    return r < 0n ? r + modulus : r;
  };
  const ring: OddRing = {
    kind: 'odd-ring',
    ell,
    odd: true,
    modulus,
    reduce,
    add: (a, b) => reduce(a + b),
    sub: (a, b) => reduce(a - b),
    neg: (a) => reduce(-a),
    mul: (a, b) => reduce(a * b),
    isElement: (x) => x >= 0n && x < modulus,
    zeros: (n) => new BigUint64Array(n),
  };
  Object.freeze(ring);
  oddCache.set(ell, ring);
  return ring;
}
