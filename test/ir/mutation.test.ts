/** Mutations of generated well-typed programs: perturbing one node makes the checker object to it. */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { checkHlil, checkLlil } from '../../ir/check.js';
import type { HNode, HProgram } from '../../ir/hlil.js';
import type { LNode, LProgram } from '../../ir/llil.js';
import { hlilProgram } from '../arbitraries/hlil.js';
import { llilProgram } from '../arbitraries/llil.js';

const LIST_ATTRS = ['strides', 'pads', 'dilations', 'kernel', 'outputPadding', 'perm', 'axes', 'shape'] as const;

/** Lengthen one list attribute by an entry (for axes: a repeat; for shape: a factor 2): always invalid. */
function lengthen<N extends HNode | LNode>(n: N): N | null {
  const rec = n as unknown as Record<string, unknown>;
  const key = LIST_ATTRS.find((k) => Array.isArray(rec[k]));
  if (key === undefined) return null;
  const xs = rec[key] as number[];
  const extra = key === 'axes' ? (xs[0] ?? 0) : 2;
  return { ...n, [key]: [...xs, extra] };
}

function rejectsAt(r: E.Either<readonly { node: string | null }[], unknown>, name: string): void {
  expect(E.isLeft(r)).toBe(true);
  if (E.isLeft(r)) expect(r.left.map((e) => e.node)).toContain(name);
}

const withNode = <P extends HProgram | LProgram>(p: P, i: number, n: P['nodes'][number]): P => ({
  ...p,
  nodes: p.nodes.map((m, j) => (j === i ? n : m)),
});

describe('checker against mutations', () => {
  it('HLIL: an operand renamed to an undefined value', () => {
    fc.assert(
      fc.property(hlilProgram(), fc.nat(), (p, k) => {
        const i = k % p.nodes.length;
        const n = p.nodes[i] as HNode;
        const m = 'x' in n ? { ...n, x: 'nowhere' } : 'a' in n ? { ...n, a: 'nowhere' } : { ...n, xs: ['nowhere'] };
        rejectsAt(checkHlil(withNode(p, i, m as HNode)), n.out);
      }),
    );
  });

  it('HLIL: a list attribute with one entry too many', () => {
    fc.assert(
      fc.property(hlilProgram(), (p) => {
        const i = p.nodes.findIndex((n) => lengthen(n) !== null);
        fc.pre(i >= 0);
        const n = p.nodes[i] as HNode;
        rejectsAt(checkHlil(withNode(p, i, lengthen(n) as HNode)), n.out);
      }),
    );
  });

  it('HLIL: a node redefining an earlier name', () => {
    fc.assert(
      fc.property(hlilProgram(), fc.nat(), (p, k) => {
        const i = k % p.nodes.length;
        rejectsAt(checkHlil(withNode(p, i, { ...(p.nodes[i] as HNode), out: 'x' })), 'x');
      }),
    );
  });

  it('HLIL: an input dimension changed under a shape-sensitive node', () => {
    fc.assert(
      fc.property(hlilProgram({ ops: ['MatMul', 'Conv', 'BiasAdd'] }), (p) => {
        const x = p.decls[0];
        fc.pre(
          x !== undefined &&
            x.kind === 'input' &&
            x.shape.length >= 2 &&
            p.nodes[0] !== undefined &&
            ['MatMul', 'Conv', 'BiasAdd'].includes(p.nodes[0].op),
        );
        const widened = { ...x, shape: x.shape.map((d, j) => (j === 1 ? d + 1 : d)) };
        const q: HProgram = { ...p, decls: [widened, ...p.decls.slice(1)] };
        expect(E.isLeft(checkHlil(q))).toBe(true);
      }),
    );
  });

  it('LLIL: a written type off by one in scale, or with the wrong label', () => {
    fc.assert(
      fc.property(llilProgram(), fc.nat(), fc.boolean(), (p, k, flipLabel) => {
        const i = k % p.nodes.length;
        const n = p.nodes[i] as LNode;
        const type = flipLabel
          ? { ...n.type, label: n.type.label === 'secret' ? ('public' as const) : ('secret' as const) }
          : { ...n.type, scale: n.type.scale + 1 };
        rejectsAt(checkLlil(withNode(p, i, { ...n, type })), n.out);
      }),
    );
  });

  it('LLIL: a list attribute with one entry too many', () => {
    fc.assert(
      fc.property(llilProgram(), (p) => {
        const i = p.nodes.findIndex((n) => lengthen(n) !== null);
        fc.pre(i >= 0);
        const n = p.nodes[i] as LNode;
        rejectsAt(checkLlil(withNode(p, i, lengthen(n) as LNode)), n.out);
      }),
    );
  });

  it('LLIL: a constant value that is not a reduced ring element', () => {
    fc.assert(
      fc.property(llilProgram({ ells: [16, 32] }), (p) => {
        const i = p.decls.findIndex((d) => d.kind === 'const' && d.values.length > 0);
        fc.pre(i >= 0);
        const d = p.decls[i];
        if (d?.kind !== 'const') return;
        const values = d.values.slice();
        values[0] = 1n << BigInt(p.ell);
        const q: LProgram = { ...p, decls: p.decls.map((e, j) => (j === i ? { ...d, values } : e)) };
        rejectsAt(checkLlil(q), d.name);
      }),
    );
  });
});
