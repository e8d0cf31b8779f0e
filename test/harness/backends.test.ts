/**
 * The reference backends (harness/backends/): the trusted-party cost in closed form on hand cases,
 * plaintext's (value, 0) shares, the ideal backend's fresh uniform re-sharing, and clear errors.
 * (Their conformance — correctness, metered cost = declared cost, shares — is
 * test/protocols/conformance.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { llilBuilder } from '../../ir/builder.js';
import type { LNode } from '../../ir/llil.js';
import type { Backend, Held } from '../../protocols/common/backend.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { shareInput } from '../../protocols/common/sharing.js';
import { runParties } from '../../harness/network/run.js';
import { idealBackend } from '../../harness/backends/ideal.js';
import { plaintextBackend } from '../../harness/backends/plaintext.js';
import { trustedPartyCost } from '../../harness/backends/trusted.js';

function matmulNode(ell: number): LNode {
  const b = llilBuilder(ell);
  const x = b.input('x', [2, 3], 0, 'client');
  const w = b.const(
    'w',
    [3, 4],
    0,
    Array.from({ length: 12 }, (_, i) => BigInt(i - 5)),
  );
  b.output(b.matmul(x, w), 'client');
  return b.build().nodes[0] as LNode;
}

describe('reference backends', () => {
  it('trusted-party cost: b·Σ|secret| up, b·|out| down, 2 rounds; free when all public', () => {
    const node = matmulNode(32);
    const c = trustedPartyCost(
      node,
      [
        { shape: [2, 3], secret: true },
        { shape: [3, 4], secret: false },
      ],
      32,
    );
    expect(c).toEqual({
      links: { 'P0->P1': 0, 'P0->P2': 24, 'P1->P0': 0, 'P1->P2': 24, 'P2->P0': 32, 'P2->P1': 32 },
      rounds: 2,
    });
    const both = trustedPartyCost(
      node,
      [
        { shape: [2, 3], secret: true },
        { shape: [3, 4], secret: true },
      ],
      64,
    );
    expect(both.links['P0->P2']).toBe(8 * 18);
    expect(both.links['P2->P1']).toBe(8 * 8);
    expect(
      trustedPartyCost(
        node,
        [
          { shape: [2, 3], secret: false },
          { shape: [3, 4], secret: false },
        ],
        64,
      ).rounds,
    ).toBe(0);
    expect(() => trustedPartyCost(node, [{ shape: [2, 3], secret: true }], 64)).toThrow(CryptflowError);
  });

  it('plaintext returns (value, 0); ideal re-shares with a fresh uniform P0 share; both reconstruct x·w', async () => {
    const ell = 16;
    const node = matmulNode(ell);
    const xs = BigUint64Array.from([1n, 2n, 3n, 4n, 5n, 6n]);
    const w = {
      kind: 'public',
      shape: [3, 4],
      data: BigUint64Array.from({ length: 12 }, (_, i) => BigInt((i - 5 + 65536) % 65536)),
    } as const;
    const run = async (backend: Backend, seed: string) => {
      const prog = async (ctx: PartyContext): Promise<Held> => {
        const x = shareInput(ctx, 0, [2, 3], ctx.id === 0 ? xs : undefined);
        return backend.run(ctx, node, [{ kind: 'secret', ...x }, w]);
      };
      return runParties([prog, prog, prog], { ell, seed });
    };
    const want = [2n, 8n, 14n, 20n, -7n, 8n, 23n, 38n].map((v) => (v + 65536n) % 65536n);
    const plain = await run(plaintextBackend(), 'p');
    const [p0, p1] = plain.outputs;
    if (p0.kind !== 'secret' || p1.kind !== 'secret') throw new Error('expected secret outputs');
    expect([...p0.share]).toEqual(want);
    expect([...p1.share]).toEqual(new Array(8).fill(0n));
    const shares: bigint[] = [];
    for (const seed of ['a', 'b']) {
      const { outputs } = await run(idealBackend(), seed);
      const [i0, i1] = outputs;
      if (i0.kind !== 'secret' || i1.kind !== 'secret') throw new Error('expected secret outputs');
      expect([...i0.share].map((v, i) => (v + (i1.share[i] as bigint)) % 65536n)).toEqual(want);
      shares.push(i0.share[0] as bigint);
    }
    expect(shares[0]).not.toBe(shares[1]);
  });

  it('a wrong number of operands is a usage error naming the node', async () => {
    const node = matmulNode(16);
    const prog = (ctx: PartyContext): Promise<Held> => idealBackend().run(ctx, node, []);
    await expect(runParties([prog, prog, prog], { ell: 16, seed: 'e' })).rejects.toThrow(
      /\(MatMul\) takes 2 operand\(s\), the backend got 0/,
    );
  });
});
