/**
 * The party-local work of `cryptflow2-he` over Z_p (no communication): operands as field shares, the
 * affine layout and arithmetic nodes, and exact bilinear products mod p of a share with a value the
 * party holds (a public operand, or the server's weights).
 *
 * Who holds what (sharing.ts): a secret is x = x0 + x1 mod p with each share alone uniform; a
 * server-only value (a server input, or a node's result from server-only and public operands alone) is
 * such a sharing too, and P1 also keeps it in the clear in the backend's `ServerClear` registry, so the
 * linear layers multiply by it in the clear. A public operand joins a sharing at P0 (as in
 * protocols/common/local-ops.ts).
 *
 * Affine nodes run the ring kernels at ℓ = 64 on field elements (every intermediate of Add, Sub,
 * BiasAdd is an exact integer in (−p, 2p); layout nodes move elements) and reduce mod p; ScaleUp
 * multiplies mod p. Bilinear nodes split both operands into three 14-bit limbs and run the node nine
 * times at ℓ = 64: each limb product is below 2^28, so sums of fewer than 2^36 terms are exact integers,
 * recombined as Σ r_ij·2^{14(i+j)} mod p.
 */
import { bug } from '../../spec/errors.js';
import type { LNode } from '../../ir/llil.js';
import type { RingKernels } from '../../semantics/kernels/types.js';
import type { Held } from '../common/backend.js';
import { apply } from '../common/local-ops.js';
import type { PartyContext } from '../common/party.js';
import { asShare } from '../common/sharing.js';
import { modP, ringToField, type PrimeField } from './field.js';

/**
 * This party's server-only values (secrets computed from the server's inputs and public values
 * alone), keyed by their share: at P1 the value in the clear, at P0 a mark (null). Both parties mark
 * the same values (the rule depends on the program only), so they take the same branches.
 */
export class ServerClear {
  private readonly values = new WeakMap<BigUint64Array, BigUint64Array | null>();
  /** A share of a server-only value of this shape, with P1's clear value (null at P0). */
  mark(shape: readonly number[], share: BigUint64Array, clear: BigUint64Array | null): Held {
    this.values.set(share, clear);
    return fieldSecret(shape, share);
  }
  has(h: Held): boolean {
    return h.kind === 'secret' && this.values.has(h.share);
  }
  /** P1's clear value of a server-only operand. */
  value(h: Held): BigUint64Array {
    const v = h.kind === 'secret' ? this.values.get(h.share) : undefined;
    return v ?? bug('a server-only value read where it is not held in the clear');
  }
}

export const fieldSecret = (shape: readonly number[], share: BigUint64Array): Held => ({
  kind: 'secret',
  shape,
  share: asShare(share),
});

/** This party's field share of an operand; a public one joins at `holder` (the other holds 0). */
export function fieldShare(ctx: PartyContext, F: PrimeField, h: Held, holder: 0 | 1 = 0): BigUint64Array {
  if (h.kind === 'secret') return h.share;
  return ctx.id === holder ? ringToField(F, ctx.ell, h.data, 'a public operand') : new BigUint64Array(h.data.length);
}

const reduce = (F: PrimeField, data: BigUint64Array): BigUint64Array => data.map((v) => modP(F, BigInt.asIntN(64, v)));

/** Add … Pad on field shares (a public operand joins at P0). */
export function affineP(
  ctx: PartyContext,
  F: PrimeField,
  k: RingKernels,
  node: LNode,
  operands: readonly Held[],
): BigUint64Array {
  const holder: 0 | 1 = 0;
  const shares = operands.map((h) => ({ shape: h.shape, data: fieldShare(ctx, F, h, holder) }));
  if (node.op === 'ScaleUp') {
    const m = modP(F, 1n << BigInt(node.shift));
    return (shares[0] ?? bug('ScaleUp operand')).data.map((v) => (v * m) % F.p);
  }
  const bare =
    node.op === 'Pad'
      ? {
          ...node,
          value:
            ctx.id === holder
              ? (ringToField(F, ctx.ell, BigUint64Array.of(node.value), 'a pad value')[0] as bigint)
              : 0n,
        }
      : node;
  return reduce(F, apply(64, k, bare, shares).data);
}

const LIMB = 14n;
const limbs = (a: BigUint64Array): BigUint64Array[] =>
  [0n, 1n, 2n].map((i) => a.map((v) => (v >> (LIMB * i)) & ((1n << LIMB) - 1n)));

/** node(a, b) mod p for field tensors a, b (a bilinear node: Mul, MatMul, Conv, ConvTranspose without bias). */
export function bilinearP(
  F: PrimeField,
  k: RingKernels,
  node: LNode,
  a: { readonly shape: readonly number[]; readonly data: BigUint64Array },
  b: { readonly shape: readonly number[]; readonly data: BigUint64Array },
): BigUint64Array {
  const [la, lb] = [limbs(a.data), limbs(b.data)];
  let out: BigUint64Array | null = null;
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      const r = apply(64, k, node, [
        { shape: a.shape, data: la[i] as BigUint64Array },
        { shape: b.shape, data: lb[j] as BigUint64Array },
      ]).data;
      const scale = modP(F, 1n << (LIMB * BigInt(i + j)));
      if (out === null) out = new BigUint64Array(r.length);
      for (let t = 0; t < r.length; t++) out[t] = ((out[t] as bigint) + ((r[t] as bigint) % F.p) * scale) % F.p;
    }
  return out ?? bug('bilinear product');
}
