import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ring } from '../../spec/ring.js';
import { type Bilinear } from '../../protocols/securenn-family/beaver.js';
import { beaver } from './by-role.js';
import { asShare, shareInput, type Shared } from '../../protocols/common/sharing.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { runParties } from '../../harness/network/run.js';
import { referenceKernels } from '../../semantics/kernels/index.js';

const hadamard = (ell: number, n: number): Bilinear => ({
  xSize: n,
  ySize: n,
  zSize: n,
  apply: (x, y) => referenceKernels.mul(ell, x, y),
});

describe('Beaver elementwise product', () => {
  it('reconstructs x·y and costs 16n + 16n + 8n bytes in one round', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(16, 32, 64),
        fc.integer({ min: 1, max: 20 }),
        fc.string(),
        async (ell, n, seed) => {
          const ring = Ring(ell);
          const xs = new BigUint64Array(n).map((_, i) => ring.reduce(BigInt(i * 7919 - 40) ** 3n));
          const ys = new BigUint64Array(n).map((_, i) => ring.reduce(BigInt(i) - 5n));
          const prog = async (ctx: PartyContext): Promise<Shared> => {
            const x = shareInput(ctx, 0, [n], ctx.id === 0 ? xs : undefined);
            const y = shareInput(ctx, 1, [n], ctx.id === 1 ? ys : undefined);
            return { shape: [n], share: asShare(await beaver(ctx, hadamard(ell, n), x.share, y.share)) };
          };
          const { outputs, meter } = await runParties([prog, prog, prog], { ell, seed });
          const z = outputs[0].share.map((v, i) => ring.add(v, outputs[1].share[i] as bigint));
          expect([...z]).toEqual([...xs].map((v, i) => ring.mul(v, ys[i] as bigint)));
          const b = Math.ceil(ell / 8);
          expect(meter.links).toEqual({
            'P0->P1': 2 * b * n,
            'P1->P0': 2 * b * n,
            'P2->P1': b * n,
            'P0->P2': 0,
            'P1->P2': 0,
            'P2->P0': 0,
          });
          expect(meter.rounds).toBe(1);
        },
      ),
      { numRuns: 20 },
    );
  });
});
