/**
 * Mutation kills for the backend wrappers protocols/porthos/index.ts and protocols/securenn/index.ts
 * (37.5 % and 40 % in the first sweep; issue 20): what each option and default decides, by behaviour.
 *   - names: `porthos` under the paper policy (also by default), `porthos(POLICY)` otherwise, `securenn`;
 *   - the default convolution policy is the paper's: a 5×5 convolution takes the reshaped form and a
 *     3×3 one im2col — bytes per link equal to the literals of proofs-notes/cost-tables.md for the
 *     5×5 case (Porthos 2,224 / 2,224 / 864, SecureNN 15,600 / 15,600 / 864);
 *   - transposed convolutions take the reshaped form in Porthos under every policy, im2col in SecureNN;
 *   - both realise LOCAL truncation: F_ScaleDown(local).
 * Left as equivalent: the default kernels ('wasm' vs 'reference' compute the same values).
 */
import { describe, expect, it } from 'vitest';
import { llilBuilder } from '../../ir/builder.js';
import type { LNode } from '../../ir/llil.js';
import { operandsOf } from '../../ir/traverse.js';
import type { OperandType } from '../../protocols/common/backend.js';
import { porthos, realizes as porthosRealizes } from '../../protocols/porthos/index.js';
import { securenn, realizes as securennRealizes } from '../../protocols/securenn/index.js';
import { zeroLinks } from '../../spec/cost/types.js';

function nodes(): { conv5: LNode; conv3: LNode; convT: LNode; scaleDown: LNode; types: Map<string, OperandType> } {
  const b = llilBuilder(64);
  const x = b.input('x', [1, 2, 8, 8], 2, 'client');
  const w5 = b.input('w5', [3, 2, 5, 5], 0, 'server');
  const w3 = b.input('w3', [3, 2, 3, 3], 2, 'server');
  const wt = b.input('wt', [2, 3, 3, 3], 0, 'server');
  const c5 = b.conv(x, w5, { pads: [1, 1, 1, 1] });
  const c3 = b.conv(x, w3, { pads: [1, 1, 1, 1] });
  const ct = b.convTranspose(x, wt);
  const sd = b.scaleDown(c3, 4);
  for (const o of [c5, ct, sd]) b.output(o, 'client');
  const p = b.build();
  const types = new Map<string, OperandType>(p.decls.map((d) => [d.name, { shape: d.shape, secret: true }]));
  for (const n of p.nodes) types.set(n.out, { shape: n.type.shape, secret: true });
  const by = (out: string): LNode =>
    p.nodes.find((n) => n.out === out) ??
    (() => {
      throw new Error(out);
    })();
  return { conv5: by(c5), conv3: by(c3), convT: by(ct), scaleDown: by(sd), types };
}

const operandTypes = (n: LNode, types: Map<string, OperandType>): OperandType[] =>
  operandsOf(n).map((o) => types.get(o) ?? { shape: [], secret: false });

describe('Porthos and SecureNN wrappers', () => {
  const { conv5, conv3, convT, scaleDown, types } = nodes();
  const links = (b: ReturnType<typeof porthos>, n: LNode) => b.cost(n, operandTypes(n, types), 64).links;

  it('names', () => {
    expect(porthos().name).toBe('porthos');
    expect(porthos({ convPolicy: 'paper' }).name).toBe('porthos');
    expect(porthos({ convPolicy: 'im2col' }).name).toBe('porthos(im2col)');
    expect(porthos({ convPolicy: 'reshaped' }).name).toBe('porthos(reshaped)');
    expect(securenn().name).toBe('securenn');
  });

  it('the default policy is the paper’s: 5×5 reshaped (the derived literals), 3×3 im2col', () => {
    expect(links(porthos(), conv5)).toEqual({ ...zeroLinks(), 'P0->P1': 2_224, 'P1->P0': 2_224, 'P2->P1': 864 });
    expect(links(securenn(), conv5)).toEqual({ ...zeroLinks(), 'P0->P1': 15_600, 'P1->P0': 15_600, 'P2->P1': 864 });
    expect(links(porthos({ convPolicy: 'im2col' }), conv5)).toEqual(links(securenn(), conv5));
    expect(links(porthos(), conv3)).toEqual(links(porthos({ convPolicy: 'im2col' }), conv3));
    expect(links(porthos(), conv3)).not.toEqual(links(porthos({ convPolicy: 'reshaped' }), conv3));
  });

  it('transposed convolutions: reshaped in Porthos under every policy, im2col in SecureNN', () => {
    const reshaped = links(porthos(), convT);
    for (const policy of ['im2col', 'reshaped'] as const)
      expect(links(porthos({ convPolicy: policy }), convT)).toEqual(reshaped);
    expect(links(securenn(), convT)).not.toEqual(reshaped);
  });

  it('both realise local truncation', () => {
    for (const f of [porthosRealizes(scaleDown), securennRealizes(scaleDown)]) {
      expect(f.name).toBe('F_ScaleDown(local)');
      expect(f.truncation).toBe('local');
    }
  });
});
