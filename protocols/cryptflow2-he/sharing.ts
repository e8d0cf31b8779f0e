/**
 * Sharing over Z_p for `cryptflow2-he` (the runtime's `ShareCodec` hook, protocols/common/backend.ts):
 * inputs and revealed outputs stay ring-encoded (ℓ bits, two's complement) at the runtime's boundary;
 * in between, every secret is x = x0 + x1 mod p (field.ts maps a ring value to the field by its signed
 * reading, and back).
 *
 * - An input: its owner holds x + r, the other −r, r uniform in Z_p from the P0–P1 PRG — zero
 *   communication, each share alone uniform (as protocols/common/sharing.ts over the ring).
 * - A server input (the model's weights) is also kept in the clear by P1, in the backend's
 *   `ServerClear` registry (P0 marks its share there too), so the HE linear layers multiply by it.
 * - Reveal (the 'io' phase): the other party sends its ⌈log₂ p⌉-bit field share; the receiver adds mod p
 *   and maps the signed value to the ring of ℓ bits.
 */
import type { Shape } from '../../spec/geometry.js';
import { numel } from '../../spec/geometry.js';
import { decodeRing, encodeRing } from '../common/codec.js';
import type { Held, ShareCodec } from '../common/backend.js';
import { peerOf, type PartyContext, type PartyId } from '../common/party.js';
import { addP, fieldToRing, negP, ringToField, sampleP, type PrimeField } from './field.js';
import { fieldSecret, type ServerClear } from './local.js';
import { CryptflowError } from '../../spec/errors.js';

export function fieldSharing(F: PrimeField, clear: ServerClear): ShareCodec {
  return {
    share(ctx: PartyContext, owner: 0 | 1, shape: Shape, value?: BigUint64Array): Held {
      const n = numel(shape);
      if (ctx.id === 2) return fieldSecret(shape, new BigUint64Array(0));
      if (ctx.id === owner && (value === undefined || value.length !== n))
        throw new CryptflowError(
          'input',
          `P${owner} shares an input of shape [${shape.join(', ')}] but holds ${value?.length ?? 0} entries`,
        );
      const mine = ctx.id === owner ? ringToField(F, ctx.ell, value ?? new BigUint64Array(0), 'an input') : null;
      const r = sampleP(F, ctx.shared(peerOf(ctx.id)), n);
      const share = mine === null ? negP(F, r) : addP(F, mine, r);
      return owner === 1 ? clear.mark(shape, share, mine) : fieldSecret(shape, share);
    },
    reveal(ctx: PartyContext, x: Held, to: PartyId): Promise<BigUint64Array | null> {
      const n = numel(x.shape);
      return ctx.inPhase('io', async () => {
        if (ctx.id === 2 || x.kind !== 'secret') return null;
        if (ctx.id !== to) {
          ctx.send(to, encodeRing(F.bits, x.share));
          return null;
        }
        const other = decodeRing(F.bits, await ctx.recv(peerOf(ctx.id), 'reveal'), n, peerOf(ctx.id), 'reveal', F.p);
        return fieldToRing(F, ctx.ell, addP(F, x.share, other));
      });
    },
    reconstruct(ell: number, views: readonly Held[]) {
      const problems: string[] = [];
      const [v0, v1, ...helpers] = views;
      const n = numel(v0?.shape ?? []);
      for (const h of helpers)
        if (h.kind === 'secret' && h.share.length !== 0)
          problems.push(`the helper P2 holds a share of ${h.share.length} entries (it must hold none)`);
      const shareOf = (h: Held | undefined, p: number): BigUint64Array => {
        if (h?.kind !== 'secret') {
          problems.push(`P${p} holds no share of a secret output`);
          return new BigUint64Array(n);
        }
        if (h.share.length !== n)
          problems.push(`P${p} holds a share of ${h.share.length} entries, the shape needs ${n}`);
        if (h.share.some((v) => v >= F.p)) problems.push(`P${p}'s share has entries not reduced mod p`);
        return h.share;
      };
      const s0 = shareOf(v0, 0);
      const s1 = shareOf(v1, 1);
      if (problems.length > 0) return { value: new BigUint64Array(n), shares: [s0, s1] as const, problems };
      // A share read as an ℓ-bit value whose top bits are uniform when the share is uniform on Z_p.
      const view = (v: bigint): bigint => (v << BigInt(ell)) / F.p;
      return {
        value: fieldToRing(F, ell, addP(F, s0, s1)),
        shares: [s0.map(view), s1.map(view)] as const,
        problems,
      };
    },
  };
}
