/**
 * The SecureNN-family building blocks on one element, at any small ℓ, for exact enumeration
 * (enumerate.ts, test/security/exact-blocks.test.ts): ShareConvert, ComputeMSB, ReLU′ (DReLU), ReLU,
 * one MaxPool step (a window of two cells: one ReLU′ and one SelectShare, with the index in SecureNN)
 * and SelectShare. cases.ts has the same protocols on two or more elements for the statistical tests;
 * one element keeps every honest draw enumerable.
 *
 * Input sets A and B differ where a leak would show: ShareConvert 1 against 2^ℓ − 1 (the value the
 * whitepaper excludes, still a valid input to the protocol); ComputeMSB 0 against 2^ℓ − 2 (both ends of
 * Z_{2^ℓ−1}); ReLU′ and ReLU 0 against −1 (both signs, ReLU′'s domain [−2^{ℓ−2}, 2^{ℓ−2})); the
 * MaxPool step the two ends of its domain [−2^{ℓ−3}, 2^{ℓ−3}) in either order (at ℓ = 2 the domain is
 * {0}, and only the shares differ); SelectShare a selector of 0 against 1.
 */
import { bug } from '../../spec/errors.js';
import type { RingShare } from '../../protocols/common/sharing.js';
import { shareConvertHelper, shareConvertHolder } from '../../protocols/securenn-family/nonlinear/share-convert.js';
import { computeMsbHelper, computeMsbHolder } from '../../protocols/securenn-family/nonlinear/compute-msb.js';
import { dreluHelper, dreluHolder } from '../../protocols/securenn-family/nonlinear/drelu.js';
import { reluHelper, reluHolder } from '../../protocols/securenn-family/nonlinear/relu.js';
import { maxPoolHelper, maxPoolHolder } from '../../protocols/securenn-family/nonlinear/max.js';
import { selectShareHelper, selectShareHolder } from '../../protocols/securenn-family/nonlinear/select-share.js';
import type { Variant } from '../../protocols/securenn-family/nonlinear/variant.js';
import type { SecurityCase } from './check.js';
import { sharedCase } from './cases.js';
import { simComputeMsb, simDrelu, simMaxPool, simRelu, simSelectShare, simShareConvert } from './simulators.js';
import { segment } from './typed.js';

/** The names of the one-element blocks. */
export const BLOCKS = ['shareConvert', 'computeMsb', 'drelu', 'relu', 'maxStep', 'selectShare'] as const;
export type BlockName = (typeof BLOCKS)[number];

const arg = (s: readonly RingShare[], i: number): RingShare => s[i] ?? bug(`operand ${i}`);

/** The MaxPool step's two cells on A and on B. */
function stepInputs(ell: number): { A: bigint[][]; B: bigint[][] } {
  if (ell < 3) return { A: [[0n, 0n]], B: [[0n, 0n]] };
  const e = 1n << BigInt(ell - 3);
  return { A: [[e - 1n, -e]], B: [[-e, e - 1n]] };
}

/** One block of variant v (its prime as given) at ring width ℓ, on one element. */
export function blockCase(v: Variant, ell: number, block: BlockName): SecurityCase {
  const ring = (x: BigUint64Array) => [segment(ell, 'ring', x)];
  const name = (what: string): string => `${v.name} (p = ${v.field.p}) ${what} (n = 1, ℓ = ${ell})`;
  const top = (1n << BigInt(ell)) - 1n;
  switch (block) {
    case 'shareConvert':
      return sharedCase({
        name: name('ShareConvert'),
        ell,
        operands: 'ring',
        A: [[1n]],
        B: [[top]],
        holder: async (ctx, s) => [segment(ell, 'odd', await shareConvertHolder(ctx, v, 1, arg(s, 0)))],
        helper: (ctx) => shareConvertHelper(ctx, v, 1),
        simulate: (b) => simShareConvert(b, v, 1),
      });
    case 'computeMsb':
      return sharedCase({
        name: name('ComputeMSB'),
        ell,
        operands: 'odd',
        A: [[0n]],
        B: [[top - 1n]],
        holder: async (ctx, s) => ring(await computeMsbHolder(ctx, v, 1, arg(s, 0))),
        helper: (ctx) => computeMsbHelper(ctx, v, 1),
        simulate: (b) => simComputeMsb(b, v, 1),
      });
    case 'drelu':
      return sharedCase({
        name: name('ReLU′'),
        ell,
        operands: 'ring',
        A: [[0n]],
        B: [[-1n]],
        holder: async (ctx, s) => ring(await dreluHolder(ctx, v, 1, arg(s, 0))),
        helper: (ctx) => dreluHelper(ctx, v, 1),
        simulate: (b) => simDrelu(b, v, 1),
      });
    case 'relu':
      return sharedCase({
        name: name('ReLU'),
        ell,
        operands: 'ring',
        A: [[0n]],
        B: [[-1n]],
        holder: async (ctx, s) => ring(await reluHolder(ctx, v, 1, arg(s, 0))),
        helper: (ctx) => reluHelper(ctx, v, 1),
        simulate: (b) => simRelu(b, v, 1),
      });
    case 'maxStep': {
      const windows = Int32Array.from([0, 1]);
      return sharedCase({
        name: name('MaxPool step'),
        ell,
        operands: 'ring',
        ...stepInputs(ell),
        holder: async (ctx, s) => {
          const { max, index } = await maxPoolHolder(ctx, v, arg(s, 0), windows, 1, 2);
          return [segment(ell, 'ring', max), ...(index === null ? [] : [segment(ell, 'ring', index)])];
        },
        helper: (ctx) => maxPoolHelper(ctx, v, windows, 1, 2),
        simulate: (b) => simMaxPool(b, v, 1, 2),
      });
    }
    case 'selectShare':
      return sharedCase({
        name: name('SelectShare'),
        ell,
        operands: 'ring',
        A: [[0n], [1n], [2n]],
        B: [[1n], [3n], [0n]],
        holder: async (ctx, s) =>
          ring(await selectShareHolder(ctx, 1, { alpha: arg(s, 0), x: arg(s, 1), y: arg(s, 2) })),
        helper: async (ctx) => selectShareHelper(ctx, 1),
        simulate: (b) => simSelectShare(b, 1),
      });
  }
}
