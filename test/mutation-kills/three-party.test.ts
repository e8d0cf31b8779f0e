/**
 * Mutation kills for protocols/securenn-family/three-party.ts and the two backends built on it
 * (protocols/porthos, protocols/securenn): what the conformance suite cannot see because it compares
 * a backend with its OWN cost function and domain.
 *
 *   - the paper's convolution rule (`convForm`): reshaped triple for 3-D convolutions and for filters
 *     with an extent ≥ 5, im2col otherwise; other policies are taken as given;
 *   - which form each backend's cost charges: Porthos (paper policy) by that rule and transposed
 *     convolutions reshaped; SecureNN im2col throughout; `porthos({ convPolicy })` as told;
 *   - names, claims and domains as documented (ReLU 2^{ℓ−2}, MaxPool and ArgMax 2^{ℓ−3}, else none);
 *   - `realizes`: local truncation, for every operator;
 *   - a convolution whose INPUT is public and filter secret (and the mirror case) is computed locally
 *     and reconstructs to fixedSem's value.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { numel, type Shape } from '../../spec/geometry.js';
import { Ring } from '../../spec/ring.js';
import { convIm2colCost, convReshapedCost } from '../../spec/cost/linear.js';
import { llilBuilder } from '../../ir/builder.js';
import type { LConv, LConvTranspose, LNode } from '../../ir/llil.js';
import { fixedSemAll } from '../../semantics/fixed.js';
import { runParties } from '../../harness/network/run.js';
import type { Backend, Held } from '../../protocols/common/backend.js';
import { convSizes } from '../../protocols/securenn-family/linear.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { shareInput } from '../../protocols/common/sharing.js';
import { convForm } from '../../protocols/securenn-family/three-party.js';
import { porthos, realizes as porthosRealizes } from '../../protocols/porthos/index.js';
import { securenn, realizes as securennRealizes } from '../../protocols/securenn/index.js';
import { LLIL_OPS, llilOpProgram } from '../arbitraries/llil.js';

describe("the paper's convolution rule", () => {
  it.each([
    { w: [4, 2, 3, 3], form: 'im2col' },
    { w: [4, 2, 5, 5], form: 'reshaped' },
    { w: [4, 2, 1, 7], form: 'reshaped' },
    { w: [4, 2, 4, 4], form: 'im2col' },
    { w: [5, 5, 3, 3], form: 'im2col' },
    { w: [8, 8, 3], form: 'im2col' },
    { w: [8, 8, 5], form: 'reshaped' },
    { w: [2, 2, 1, 1, 1], form: 'reshaped' },
  ] as const)('paper: filter $w → $form', ({ w, form }) => {
    expect(convForm('paper', w)).toBe(form);
  });

  it('other policies are taken as given', () => {
    expect(convForm('reshaped', [4, 2, 3, 3])).toBe('reshaped');
    expect(convForm('im2col', [4, 2, 7, 7])).toBe('im2col');
    expect(convForm('im2col', [2, 2, 1, 1, 1])).toBe('im2col');
  });
});

/** A secret × secret Conv or ConvTranspose node with the given filter shape. */
function convNode(transpose: boolean, x: Shape, w: Shape): LConv | LConvTranspose {
  const b = llilBuilder(64);
  const xi = b.input('x', x, 4, 'client');
  const wi = b.input('w', w, 4, 'server');
  const y = transpose ? b.convTranspose(xi, wi) : b.conv(xi, wi);
  b.output(y, 'client');
  const node = b.build().nodes[0];
  if (node?.op !== 'Conv' && node?.op !== 'ConvTranspose') throw new Error('no conv node');
  return node;
}

function chargedForm(backend: Backend, transpose: boolean, x: Shape, w: Shape): 'reshaped' | 'im2col' {
  const node = convNode(transpose, x, w);
  const cost = backend.cost(
    node,
    [
      { shape: x, secret: true },
      { shape: w, secret: true },
    ],
    64,
  );
  const sizes = convSizes(node.op === 'Conv' ? { kind: 'conv', g: node } : { kind: 'transpose', g: node }, x, w);
  const reshaped = convReshapedCost(64, sizes);
  const im2col = convIm2colCost(64, sizes);
  expect(reshaped).not.toEqual(im2col);
  if (JSON.stringify(cost) === JSON.stringify(reshaped)) return 'reshaped';
  if (JSON.stringify(cost) === JSON.stringify(im2col)) return 'im2col';
  throw new Error('cost matches neither form');
}

describe('which convolution form each backend charges', () => {
  const small: [Shape, Shape] = [
    [1, 2, 6, 6],
    [3, 2, 3, 3],
  ];
  const wide: [Shape, Shape] = [
    [1, 2, 8, 8],
    [3, 2, 5, 5],
  ];
  const tSmall: [Shape, Shape] = [
    [1, 2, 3, 3],
    [2, 3, 3, 3],
  ];

  it('Porthos (paper): by the rule; transposed convolutions reshaped', () => {
    expect(chargedForm(porthos(), false, ...small)).toBe('im2col');
    expect(chargedForm(porthos(), false, ...wide)).toBe('reshaped');
    expect(chargedForm(porthos(), true, ...tSmall)).toBe('reshaped');
  });

  it('Porthos with a fixed policy, and SecureNN (im2col only)', () => {
    expect(chargedForm(porthos({ convPolicy: 'reshaped' }), false, ...small)).toBe('reshaped');
    expect(chargedForm(porthos({ convPolicy: 'im2col' }), false, ...wide)).toBe('im2col');
    expect(chargedForm(securenn(), false, ...wide)).toBe('im2col');
    expect(chargedForm(securenn(), true, ...tSmall)).toBe('im2col');
  });
});

describe('backend identity', () => {
  it('names, claims and domains', () => {
    expect(porthos().name).toBe('porthos');
    expect(porthos({ convPolicy: 'reshaped' }).name).toBe('porthos(reshaped)');
    expect(porthos({ convPolicy: 'paper' }).name).toBe('porthos');
    expect(securenn().name).toBe('securenn');
    for (const be of [porthos(), securenn()]) {
      expect(be.claims).toEqual({ uniformShares: true, rings: [16, 32, 64], parties: 3 });
      for (const op of LLIL_OPS) {
        const [p] = fc.sample(llilOpProgram(op, [32]), { seed: 9, numRuns: 1 });
        const node = p?.nodes.find((n) => n.op === op);
        if (node === undefined) throw new Error(`no ${op} node`);
        const want = op === 'Relu' ? 1n << 30n : op === 'MaxPool' || op === 'ArgMax' ? 1n << 29n : undefined;
        expect(be.domain?.(node, 32), `${be.name} ${op}`).toBe(want);
        for (const realizes of [porthosRealizes, securennRealizes]) {
          const f = realizes(node);
          expect(f.truncation).toBe('local');
          expect(f.name).toBe(`F_${op}${['ScaleDown', 'AvgPool', 'GlobalAvgPool'].includes(op) ? '(local)' : ''}`);
        }
      }
    }
  });
});

describe('convolutions with one public operand are local', () => {
  const ELL = 32;
  const ring = Ring(ELL);
  const xShape: Shape = [1, 2, 4, 4];
  const wShape: Shape = [3, 2, 2, 2];
  const xs = Array.from({ length: numel(xShape) }, (_, i) => BigInt((i * 37) % 11) - 5n);
  const ws = Array.from({ length: numel(wShape) }, (_, i) => BigInt((i * 13) % 7) - 3n);

  it.each([
    { what: 'public input, secret filter', publicX: true },
    { what: 'secret input, public filter', publicX: false },
  ])('$what', async ({ publicX }) => {
    const b = llilBuilder(ELL);
    const x = publicX ? b.const('x', xShape, 0, xs) : b.input('x', xShape, 0, 'client');
    const w = publicX ? b.input('w', wShape, 0, 'server') : b.const('w', wShape, 0, ws);
    b.output(b.conv(x, w), 'client');
    const p = b.build();
    const node = p.nodes[0] as LNode;
    const want = fixedSemAll(p, new Map([[publicX ? 'w' : 'x', ring.fromBigInts(publicX ? ws : xs)]])).get(node.out);
    for (const backend of [porthos(), securenn()]) {
      const prog = async (ctx: PartyContext): Promise<Held> => {
        const pub = (shape: Shape, v: readonly bigint[]): Held => ({
          kind: 'public',
          shape,
          data: ring.fromBigInts([...v]),
        });
        const sec = (owner: 0 | 1, shape: Shape, v: readonly bigint[]): Held => ({
          kind: 'secret',
          ...shareInput(ctx, owner, shape, ctx.id === owner ? ring.fromBigInts([...v]) : undefined),
        });
        const ops = publicX ? [pub(xShape, xs), sec(1, wShape, ws)] : [sec(0, xShape, xs), pub(wShape, ws)];
        return backend.run(ctx, node, ops);
      };
      const { outputs, meter } = await runParties([prog, prog, prog], { ell: ELL, seed: 'public-conv' });
      const [h0, h1] = outputs;
      if (h0.kind !== 'secret' || h1.kind !== 'secret') throw new Error('expected shares');
      expect([...h0.share].map((v, i) => ring.add(v, h1.share[i] as bigint))).toEqual([...(want?.data ?? [])]);
      expect(Object.values(meter.links).every((v) => v === 0)).toBe(true);
    }
  });
});
