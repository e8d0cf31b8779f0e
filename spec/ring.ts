/**
 * Z_{2^ℓ}: the ring every LLIL value and every additive share lives in (CrypTFlow §4, ℓ = 64 in the
 * paper; any 2 ≤ ℓ ≤ 64 here so that small rings make exhaustive tests possible).
 *
 * Representation: an element is a bigint in [0, 2^ℓ); tensors are `BigUint64Array`s whose entries are
 * kept reduced (masked to ℓ bits). The "signed view" of x is the representative in
 * [−2^{ℓ−1}, 2^{ℓ−1}); comparisons are by signed value, as fixed-point numbers are two's complement.
 *
 * A `Ring` is a frozen value built once per ℓ and passed around (never a global). Its methods work on
 * single elements; vectors of elements use semantics/kernels/words.ts (`addMod(R, a, b)`, `subMod`,
 * `negMod`, `doubleMod`), which takes the same frozen object — the one modular-arithmetic API.
 */
import { CryptflowError } from './errors.js';

export interface Ring {
  readonly kind: 'ring';
  /** Bit width ℓ. */
  readonly ell: number;
  /** False: the modulus is 2^ℓ (OddRing's is 2^ℓ − 1). The vector arithmetic dispatches on it. */
  readonly odd: false;
  /** 2^ℓ. */
  readonly modulus: bigint;
  /** 2^ℓ − 1 (all ones). */
  readonly mask: bigint;
  /** 2^{ℓ−1}: the smallest value whose signed view is negative. */
  readonly half: bigint;
  /** Largest signed value, 2^{ℓ−1} − 1. */
  readonly maxSigned: bigint;
  /** Smallest signed value, −2^{ℓ−1}. */
  readonly minSigned: bigint;
  /** Reduce any integer (negative allowed) into [0, 2^ℓ). */
  reduce(x: bigint): bigint;
  add(a: bigint, b: bigint): bigint;
  sub(a: bigint, b: bigint): bigint;
  neg(a: bigint): bigint;
  mul(a: bigint, b: bigint): bigint;
  /** Left shift by k ∈ [0, ℓ], modulo 2^ℓ. */
  shl(a: bigint, k: number): bigint;
  /** Logical right shift (on the unsigned representative) by k ∈ [0, ℓ]. */
  shrLogical(a: bigint, k: number): bigint;
  /** Arithmetic right shift (on the signed view, i.e. ⌊signed(a) / 2^k⌋) by k ∈ [0, ℓ]. */
  shrArith(a: bigint, k: number): bigint;
  /** The representative in [−2^{ℓ−1}, 2^{ℓ−1}). */
  signed(a: bigint): bigint;
  /** Most significant bit (1 exactly when the signed view is negative). */
  msb(a: bigint): 0 | 1;
  /** Compare by signed value: negative, zero or positive like `Array.prototype.sort`. */
  compare(a: bigint, b: bigint): -1 | 0 | 1;
  lt(a: bigint, b: bigint): boolean;
  le(a: bigint, b: bigint): boolean;
  gt(a: bigint, b: bigint): boolean;
  ge(a: bigint, b: bigint): boolean;
  /** Is x an element in canonical form (0 ≤ x < 2^ℓ)? */
  isElement(x: bigint): boolean;
  /** A fresh zero tensor of n entries. */
  zeros(n: number): BigUint64Array;
  /** Copy of `xs` with every entry reduced mod 2^ℓ (from any integers, negative allowed). */
  fromBigInts(xs: readonly bigint[]): BigUint64Array;
  /** Reduce every entry of `a` in place (after 64-bit wrapping arithmetic, e.g. from wasm). */
  maskInPlace(a: BigUint64Array): BigUint64Array;
}

const cache = new Map<number, Ring>();

export function checkRingWidth(ell: number): void {
  if (!Number.isInteger(ell) || ell < 2 || ell > 64) {
    throw new CryptflowError('ring-width', `ring width ℓ must be an integer in [2, 64], got ${String(ell)}`);
  }
}

export function Ring(ell: number): Ring {
  const hit = cache.get(ell);
  if (hit) return hit;
  checkRingWidth(ell);
  const L = BigInt(ell);
  const modulus = 1n << L;
  const mask = modulus - 1n;
  const half = 1n << (L - 1n);
  const reduce = (x: bigint): bigint => BigInt.asUintN(ell, x);
  const signed = (a: bigint): bigint => BigInt.asIntN(ell, a);
  const checkShift = (k: number): bigint => {
    if (!Number.isInteger(k) || k < 0 || k > ell) {
      throw new CryptflowError('ring-width', `shift amount must be an integer in [0, ${ell}], got ${String(k)}`);
    }
    return BigInt(k);
  };
  const compare = (a: bigint, b: bigint): -1 | 0 | 1 => {
    const x = signed(a);
    const y = signed(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const ring: Ring = {
    kind: 'ring',
    ell,
    odd: false,
    modulus,
    mask,
    half,
    maxSigned: half - 1n,
    minSigned: -half,
    reduce,
    add: (a, b) => reduce(a + b),
    sub: (a, b) => reduce(a - b),
    neg: (a) => reduce(-a),
    mul: (a, b) => reduce(a * b),
    shl: (a, k) => reduce(a << checkShift(k)),
    shrLogical: (a, k) => reduce(a) >> checkShift(k),
    shrArith: (a, k) => reduce(signed(a) >> checkShift(k)),
    signed,
    msb: (a) => ((reduce(a) >> (L - 1n)) & 1n ? 1 : 0),
    compare,
    lt: (a, b) => compare(a, b) < 0,
    le: (a, b) => compare(a, b) <= 0,
    gt: (a, b) => compare(a, b) > 0,
    ge: (a, b) => compare(a, b) >= 0,
    isElement: (x) => x >= 0n && x < modulus,
    zeros: (n) => new BigUint64Array(n),
    fromBigInts: (xs) => BigUint64Array.from(xs, reduce),
    maskInPlace: (a) => {
      if (ell === 64) return a;
      for (let i = 0; i < a.length; i++) a[i] = (a[i] as bigint) & mask;
      return a;
    },
  };
  Object.freeze(ring);
  cache.set(ell, ring);
  return ring;
}
