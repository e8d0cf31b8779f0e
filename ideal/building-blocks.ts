/**
 * Named ideal functionalities of the SecureNN building blocks, beside the per-operation F_op of
 * functionality.ts: what each protocol of protocols/securenn-family/nonlinear/ realises, stated on
 * values (the reconstructions of its input shares) so that a test or a simulator can call F directly.
 *
 *   F_PC    PrivateCompare (SecureNN Alg. 3): from x (held as Z_p shares of its bits), a public r and a
 *           common bit β, P2 learns β ⊕ (x > r) (unsigned comparison in [0, 2^ℓ)).
 *   F_SC    ShareConvert (Alg. 4): shares of a over Z_{2^ℓ} become shares of a mod (2^ℓ − 1) over
 *           Z_{2^ℓ−1} (a itself for every a ≠ 2^ℓ − 1).
 *   F_MSB   ComputeMSB (Alg. 5): shares of a over Z_{2^ℓ−1} become shares over Z_{2^ℓ} of bit ℓ − 1
 *           of a.
 *   F_DReLU ReLU′ (Alg. 6): shares over Z_{2^ℓ} of 1{a ≥ 0}, a read as a signed ℓ-bit value. Its
 *           realisation is exact on the domain signed(a) ∈ [−2^{ℓ−2}, 2^{ℓ−2}) (drelu.ts explains why
 *           no realisation of that structure is exact on the whole ring); `inDomain` states it.
 *
 * Outputs that the protocols leave shared are given here as values; F re-sharing them uniformly is the
 * same for all four (sharing.ts), so it is not repeated. Every F takes the frozen `Ring(ℓ)`.
 * test/ideal/building-blocks.test.ts runs each protocol and compares its reconstructed output with F.
 */
import { OddRing } from '../spec/field.js';
import type { Ring } from '../spec/ring.js';
import { bug } from '../spec/errors.js';

export interface BuildingBlock<I, O> {
  readonly name: 'F_PC' | 'F_SC' | 'F_MSB' | 'F_DReLU';
  /** The protocol file that realises it. */
  readonly realizedBy: string;
  /** Per element: is the realisation exact on this input (the protocol's stated precondition)? */
  inDomain(ring: Ring, input: I): boolean[];
  /** F on the reconstructed inputs. */
  apply(ring: Ring, input: I): O;
}

/** F_PC's inputs: x and r in Z_{2^ℓ}, β one bit per element. */
export interface CompareInput {
  readonly x: BigUint64Array;
  readonly r: BigUint64Array;
  readonly beta: Uint8Array;
}

const everywhere = (n: number): boolean[] => new Array<boolean>(n).fill(true);

export const F_PC: BuildingBlock<CompareInput, Uint8Array> = Object.freeze({
  name: 'F_PC',
  realizedBy: 'protocols/securenn-family/nonlinear/private-compare.ts',
  inDomain: (_ring: Ring, { x }: CompareInput) => everywhere(x.length),
  apply(ring: Ring, { x, r, beta }: CompareInput): Uint8Array {
    if (r.length !== x.length || beta.length !== x.length)
      bug(`F_PC on ${x.length}, ${r.length}, ${beta.length} entries`);
    return Uint8Array.from(x, (xv, i) => (beta[i] as number) ^ (ring.reduce(xv) > ring.reduce(r[i] as bigint) ? 1 : 0));
  },
});

/** F_SC: a over Z_{2^ℓ} to a mod (2^ℓ − 1) over Z_{2^ℓ−1}. */
export const F_SC: BuildingBlock<BigUint64Array, BigUint64Array> = Object.freeze({
  name: 'F_SC',
  realizedBy: 'protocols/securenn-family/nonlinear/share-convert.ts',
  inDomain: (_ring: Ring, a: BigUint64Array) => everywhere(a.length),
  apply: (ring: Ring, a: BigUint64Array) => BigUint64Array.from(a, (v) => OddRing(ring.ell).reduce(v)),
});

/** F_MSB: a over Z_{2^ℓ−1} to its most significant bit (bit ℓ − 1) over Z_{2^ℓ}. */
export const F_MSB: BuildingBlock<BigUint64Array, BigUint64Array> = Object.freeze({
  name: 'F_MSB',
  realizedBy: 'protocols/securenn-family/nonlinear/compute-msb.ts',
  inDomain: (ring: Ring, a: BigUint64Array) => Array.from(a, (v) => OddRing(ring.ell).isElement(v)),
  apply: (ring: Ring, a: BigUint64Array) => BigUint64Array.from(a, (v) => (v >> BigInt(ring.ell - 1)) & 1n),
});

/** F_DReLU: a over Z_{2^ℓ} to 1{signed(a) ≥ 0} over Z_{2^ℓ}. */
export const F_DReLU: BuildingBlock<BigUint64Array, BigUint64Array> = Object.freeze({
  name: 'F_DReLU',
  realizedBy: 'protocols/securenn-family/nonlinear/drelu.ts',
  inDomain(ring: Ring, a: BigUint64Array): boolean[] {
    const quarter = ring.half >> 1n;
    return Array.from(a, (v) => ring.signed(v) >= -quarter && ring.signed(v) < quarter);
  },
  apply: (ring: Ring, a: BigUint64Array) => BigUint64Array.from(a, (v) => (ring.signed(v) >= 0n ? 1n : 0n)),
});
