/** operandsOf lists exactly the names a node reads; the shape rules agree with the checker. */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { checkHlil } from '../../ir/check.js';
import type { HNode } from '../../ir/hlil.js';
import type { LNode } from '../../ir/llil.js';
import { nodeShapeOrBug } from '../../ir/shapes.js';
import { definedNames, operandsOf, usersOf } from '../../ir/traverse.js';
import { hlilProgram } from '../arbitraries/hlil.js';

describe('ir/traverse', () => {
  it('lists operands in field order, omitting absent optional ones', () => {
    const conv: HNode = { op: 'Conv', out: 'y', x: 'x', w: 'w', strides: [1], pads: [0, 0], dilations: [1], groups: 1 };
    expect(operandsOf(conv)).toEqual(['x', 'w']);
    expect(operandsOf({ ...conv, b: 'b' })).toEqual(['x', 'w', 'b']);
    expect(
      operandsOf({ op: 'BatchNorm', out: 'y', x: 'x', scale: 's', bias: 'b', mean: 'm', var: 'v', epsilon: 1e-5 }),
    ).toEqual(['x', 's', 'b', 'm', 'v']);
    const down: LNode = {
      op: 'ScaleDown',
      out: 'y',
      x: 'x',
      shift: 3,
      type: { shape: [1], scale: 0, label: 'secret' },
    };
    expect(operandsOf(down)).toEqual(['x']);
  });

  it('every operand of a generated program is defined earlier; users invert operands', () => {
    fc.assert(
      fc.property(hlilProgram(), (p) => {
        const names = definedNames(p);
        p.nodes.forEach((n, i) => {
          for (const v of operandsOf(n)) expect(names.indexOf(v)).toBeLessThan(p.decls.length + i);
        });
        for (const [v, users] of usersOf(p))
          for (const i of users) expect(operandsOf(p.nodes[i] as HNode)).toContain(v);
      }),
    );
  });

  it('nodeShapeOrBug reproduces the checker’s shapes', () => {
    fc.assert(
      fc.property(hlilProgram(), (p) => {
        const info = checkHlil(p);
        if (E.isLeft(info)) throw new Error(info.left[0]?.message);
        for (const n of p.nodes) expect(nodeShapeOrBug(n, info.right.shapeOf)).toEqual(info.right.shapeOf(n.out));
      }),
    );
  });
});
