/**
 * Beaver's protocol for any bilinear map f over Z_{2^ℓ} — elementwise product, MatMul, and
 * convolutions in either the reshaped-triple or the im2col form (CrypTFlow §5.1, Porthos).
 *
 * Correlated randomness without a dealer round (COMM-SPEC.md): P0 draws (A0, B0, C0) from its PRG with
 * P2; P1 draws (A1, B1) from its PRG with P2; P2 draws the same, computes C = f(A0 + A1, B0 + B1) and
 * sends C1 = C − C0 to P1 — the only helper message. Then P0 and P1 open E = X − A and F = Y − B (each
 * sends its shares of both to the other) and output
 *     Z_i = i·f(E, F) + f(A_i, F) + f(E, B_i) + C_i,
 * which sums to f(E + A, F + B) = f(X, Y) by bilinearity.
 *
 * Bytes (b = ⌈ℓ/8⌉ per element): P0→P1 b(|X| + |Y|), P1→P0 b(|X| + |Y|), P2→P1 b|Z|; one round.
 * Security: E and F are one-time-padded by the uniform A and B, which the opening party never saw.
 */
import { bug } from '../../spec/errors.js';
import { recvRing, sendRing } from '../common/codec.js';
import { peerOf, type HelperContext, type HolderContext } from '../common/party.js';
import { asShare, type RingShare } from '../common/sharing.js';
import { Ring } from '../../spec/ring.js';
import { addMod, subMod } from '../../semantics/kernels/words.js';

/** A bilinear map f: Z^{xSize} × Z^{ySize} → Z^{zSize} over Z_{2^ℓ} (results reduced mod 2^ℓ). */
export interface Bilinear {
  readonly xSize: number;
  readonly ySize: number;
  readonly zSize: number;
  apply(x: BigUint64Array, y: BigUint64Array): BigUint64Array;
}

/** The helper's part: deal P1's share of C = f(A, B) (A, B and P0's C come from the PRGs). */
export function beaverHelper(ctx: HelperContext, f: Bilinear): void {
  const ell = ctx.ell;
  const ring = Ring(ell);
  const p0 = ctx.shared(0);
  const p1 = ctx.shared(1);
  const a0 = p0.ring(ell, f.xSize);
  const b0 = p0.ring(ell, f.ySize);
  const c0 = p0.ring(ell, f.zSize);
  const a1 = p1.ring(ell, f.xSize);
  const b1 = p1.ring(ell, f.ySize);
  const c = f.apply(addMod(ring, a0, a1), addMod(ring, b0, b1));
  sendRing(ctx, 1, subMod(ring, c, c0));
}

/** A holder's part (P0 or P1): its shares of X and Y in, its share of f(X, Y) out. */
export async function beaverHolder(ctx: HolderContext, f: Bilinear, x: RingShare, y: RingShare): Promise<RingShare> {
  const ell = ctx.ell;
  const ring = Ring(ell);
  if (x.length !== f.xSize || y.length !== f.ySize)
    bug(`Beaver operands of ${x.length} and ${y.length} entries for a map of ${f.xSize} × ${f.ySize}`);
  const prg = ctx.shared(2);
  const a = prg.ring(ell, f.xSize);
  const b = prg.ring(ell, f.ySize);
  const c = ctx.id === 0 ? prg.ring(ell, f.zSize) : null;
  const mine = new BigUint64Array(f.xSize + f.ySize);
  mine.set(subMod(ring, x, a), 0);
  mine.set(subMod(ring, y, b), f.xSize);
  const peer = peerOf(ctx.id);
  sendRing(ctx, peer, mine);
  const [theirs, cShare] = await Promise.all([
    recvRing(ctx, peer, f.xSize + f.ySize, 'Beaver opening of E, F'),
    c ?? recvRing(ctx, 2, f.zSize, 'Beaver triple share C1'),
  ]);
  const ef = addMod(ring, mine, theirs);
  const e = ef.subarray(0, f.xSize);
  const fo = ef.subarray(f.xSize);
  let z = addMod(ring, f.apply(a, fo), f.apply(e, b));
  z = addMod(ring, z, cShare);
  if (ctx.id === 1) z = addMod(ring, z, f.apply(e, fo));
  return asShare(z);
}
