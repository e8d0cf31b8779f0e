/**
 * 2-out-of-2 additive sharing over Z_{2^ℓ} between P0 and P1 (Porthos, SecureNN); P2 holds no share.
 *
 * What a party holds for a secret tensor is a `Shared`: the shape, and its share (P0, P1) or an empty
 * array (P2, which knows only the shape). x = share_0 + share_1 mod 2^ℓ.
 *
 * Input sharing costs nothing, as the published numbers count it (COMM-SPEC.md): the owner's share is
 * its value and the other's is 0, re-randomised by a zero-sharing drawn from the P0–P1 PRG (the owner
 * adds r, the other subtracts it), so each share alone is uniform. Revealing sends shares in the 'io'
 * phase (not counted in the computation's bytes) to the named party only.
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import { numel, type Shape } from '../../spec/geometry.js';
import { Ring } from '../../spec/ring.js';
import { addMod, maskInPlace, subMod } from '../../semantics/kernels/words.js';
import { recvRing, sendRing } from './codec.js';
import { peerOf, roleOf, type HelperContext, type HolderContext, type PartyContext, type PartyId } from './party.js';

declare const shareBrand: unique symbol;

/**
 * This party's additive share of a secret ring vector, branded apart from public vectors of the same
 * representation: a `RingShare` comes from sharing, a protocol's output or `asShare`, and a function
 * that takes one says it works on a share. `Shared`, a backend's `Held` secrets and the role-split
 * entry points carry it.
 */
export type RingShare = BigUint64Array & { readonly [shareBrand]: true };

/** Mark a vector this party holds as its share of a secret. */
export function asShare(a: BigUint64Array): RingShare {
  return a as RingShare;
}

declare const publicBrand: unique symbol;

/**
 * A public ring vector (an LLIL constant, a value every party computes in the clear), branded apart
 * from shares: a function that takes one says every party knows it, and a share passed where a
 * public value is expected (or the reverse) is a type error.
 */
export type Public = BigUint64Array & { readonly [publicBrand]: true };

/** Mark a vector every party knows in the clear as public. */
export function asPublic(a: BigUint64Array): Public {
  return a as Public;
}

export interface Shared {
  readonly shape: Shape;
  /** This party's share (P0, P1), or an empty array on P2. */
  readonly share: RingShare;
}

/** The helper's placeholder for a secret of this shape. */
export function helperView(shape: Shape): Shared {
  return { shape, share: asShare(new BigUint64Array(0)) };
}

/** A holder's share of x, checked against x's shape. */
export function myShare(ctx: HolderContext, x: Shared): RingShare {
  if (x.share.length !== numel(x.shape))
    bug(`P${ctx.id} holds a share of ${x.share.length} entries for shape [${x.shape.join(', ')}]`);
  return x.share;
}

/**
 * Share a value owned by P0 or P1 at zero communication, for any party (by role). The owner passes
 * `value`; the others pass nothing. Every party must call this in the same order (the P0–P1 PRG
 * stream is consumed).
 */
export function shareInput(ctx: PartyContext, owner: 0 | 1, shape: Shape, value?: BigUint64Array): Shared {
  const role = roleOf(ctx);
  return role.role === 'helper' ? helperView(shape) : shareInputHolder(role.ctx, owner, shape, value);
}

/** A holder's share of an input owned by P0 or P1 (the owner passes `value`, the other nothing). */
export function shareInputHolder(ctx: HolderContext, owner: 0 | 1, shape: Shape, value?: BigUint64Array): Shared {
  const n = numel(shape);
  const r = ctx.shared(peerOf(ctx.id)).ring(ctx.ell, n);
  if (ctx.id === owner) {
    if (value === undefined || value.length !== n)
      throw new CryptflowError(
        'input',
        `P${owner} shares an input of shape [${shape.join(', ')}] but holds ${value?.length ?? 0} entries`,
      );
    return { shape, share: asShare(addMod(Ring(ctx.ell), maskInPlace(ctx.ell, value.slice()), r)) };
  }
  return { shape, share: asShare(subMod(Ring(ctx.ell), new BigUint64Array(n), r)) };
}

/** Reveal x to party `to` (in the 'io' phase), for any party (by role). Returns the value at `to`, null elsewhere. */
export async function reveal(ctx: PartyContext, x: Shared, to: PartyId): Promise<BigUint64Array | null> {
  const role = roleOf(ctx);
  return role.role === 'helper' ? revealHelper(role.ctx, numel(x.shape), to) : revealHolder(role.ctx, x, to);
}

/** P2's part of a reveal of n entries to `to`: it receives both shares when `to` is P2, nothing otherwise. */
export async function revealHelper(ctx: HelperContext, n: number, to: PartyId): Promise<BigUint64Array | null> {
  return ctx.inPhase('io', async () => {
    if (to !== 2) return null;
    const [a, b] = await Promise.all([recvRing(ctx, 0, n, 'reveal'), recvRing(ctx, 1, n, 'reveal')]);
    return addMod(Ring(ctx.ell), a, b);
  });
}

/** A holder's part of a reveal of x to `to`: it sends its share to `to`, or (when `to` is itself) receives its peer's. */
export async function revealHolder(ctx: HolderContext, x: Shared, to: PartyId): Promise<BigUint64Array | null> {
  const n = numel(x.shape);
  return ctx.inPhase('io', async () => {
    if (ctx.id !== to) {
      sendRing(ctx, to, myShare(ctx, x));
      return null;
    }
    const other = await recvRing(ctx, peerOf(ctx.id), n, 'reveal');
    return addMod(Ring(ctx.ell), myShare(ctx, x), other);
  });
}

/** Open x to both P0 and P1 (each sends its share to the other), metered in the current phase. */
export async function open(ctx: HolderContext, share: RingShare, what: string): Promise<BigUint64Array> {
  const peer = peerOf(ctx.id);
  sendRing(ctx, peer, share);
  const other = await recvRing(ctx, peer, share.length, what);
  return addMod(Ring(ctx.ell), share, other);
}

/** Shares of a public value: P0 holds it, P1 holds 0 (no communication). */
export function publicShare(ctx: HolderContext, value: Public): RingShare {
  return asShare(ctx.id === 0 ? value.slice() : new BigUint64Array(value.length));
}
