/**
 * Mutation kills for protocols/common/sharing.ts:
 *
 *   - line 86 (MethodExpression, `value.slice()` → `value`): sharing an input reduces a copy of the
 *     owner's value mod 2^ℓ, never the caller's array.
 *   - line 99 (StringLiteral, 'io' → ""): P2's part of a reveal runs in the 'io' phase.
 *   - line 120 (BlockStatement, body of `open` → {}): opening gives both holders the secret, and each
 *     sends its share to the other in the current phase.
 */
import { describe, expect, it } from 'vitest';
import { runParties } from '../../harness/network/run.js';
import { roleOf, type HelperContext, type PartyContext, type Phase } from '../../protocols/common/party.js';
import { asShare, open, revealHelper, revealHolder, shareInputHolder } from '../../protocols/common/sharing.js';
import { loneParty } from './defect-support.js';

describe('input sharing leaves the owner’s value alone', () => {
  it('the caller’s array keeps its high bits while the shares reconstruct the value mod 2^ℓ', () => {
    const ell = 16;
    const p0 = loneParty(0, ell, 'sharing-copy');
    const p1 = loneParty(1, ell, 'sharing-copy');
    const value = BigUint64Array.of(0x1_2345n, 0xffff_ffffn, 7n);
    const s0 = shareInputHolder({ ...p0, id: 0 }, 0, [3], value).share;
    const s1 = shareInputHolder({ ...p1, id: 1 }, 0, [3], undefined).share;
    expect([...value]).toEqual([0x1_2345n, 0xffff_ffffn, 7n]);
    expect([...s0].map((v, i) => BigInt.asUintN(ell, v + (s1[i] as bigint)))).toEqual([0x2345n, 0xffffn, 7n]);
  });
});

describe('P2’s part of a reveal', () => {
  it('runs in the io phase and returns the sum of the holders’ shares when P2 is the receiver', async () => {
    const ell = 8;
    const phases: Phase[] = [];
    const shares = [BigUint64Array.of(200n, 1n), BigUint64Array.of(100n, 255n)] as const;
    const program = async (ctx: PartyContext): Promise<BigUint64Array | null> => {
      const r = roleOf(ctx);
      if (r.role === 'helper') {
        const observed: HelperContext = {
          ...r.ctx,
          inPhase: (p, f) => {
            phases.push(p);
            return r.ctx.inPhase(p, f);
          },
        };
        return revealHelper(observed, 2, 2);
      }
      return revealHolder(r.ctx, { shape: [2], share: asShare(shares[r.j]) }, 2);
    };
    const { outputs, meter } = await runParties([program, program, program], { ell, seed: 'reveal-phase' });
    expect(phases).toEqual(['io']);
    expect(outputs[0]).toBeNull();
    expect(outputs[1]).toBeNull();
    expect([...(outputs[2] ?? [])]).toEqual([44n, 0n]);
    expect(meter.io['P0->P2']).toBe(meter.io['P1->P2']);
    expect(meter.io['P0->P2']).toBeGreaterThan(0);
  });
});

describe('open', () => {
  it('gives both holders share_0 + share_1 mod 2^ℓ, each share sent to the peer in the compute phase', async () => {
    const ell = 12;
    const shares = [BigUint64Array.of(4000n, 5n, 0n), BigUint64Array.of(100n, 4095n, 9n)] as const;
    const program = async (ctx: PartyContext): Promise<BigUint64Array> => {
      const r = roleOf(ctx);
      if (r.role === 'helper') return new BigUint64Array(0);
      return open(r.ctx, asShare(shares[r.j]), 'opening under test');
    };
    const { outputs, meter } = await runParties([program, program, program], { ell, seed: 'open' });
    expect([...outputs[0]]).toEqual([4n, 4n, 9n]);
    expect([...outputs[1]]).toEqual([4n, 4n, 9n]);
    expect(meter.links['P0->P1']).toBeGreaterThan(0);
    expect(meter.links['P1->P0']).toBe(meter.links['P0->P1']);
    expect(meter.io['P0->P1']).toBe(0);
    expect(meter.io['P1->P0']).toBe(0);
  });
});
