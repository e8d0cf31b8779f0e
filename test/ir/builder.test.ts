import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { hlilBuilder, llilBuilder } from '../../ir/builder.js';
import { checkHlil, checkLlil } from '../../ir/check.js';

describe('ir/builder', () => {
  it('builds the HLIL example of the brief with fresh names', () => {
    const b = hlilBuilder();
    const x = b.input('x', [1, 784], 'client');
    const w = b.input('W', [784, 10], 'server');
    const y = b.matmul(x, w);
    b.output(b.argmax(y, 1), 'client');
    const p = b.build();
    expect(p.nodes.map((n) => n.out)).toEqual(['t0', 't1']);
    const info = checkHlil(p);
    expect(E.isRight(info) && info.right.shapeOf('t1')).toEqual([1, 1]);
  });

  it('builds a conv net with default attributes', () => {
    const b = hlilBuilder();
    const x = b.input('x', [1, 3, 8, 8], 'client');
    const w = b.const('w', [4, 3, 3, 3], new Array(108).fill(0.5));
    const bias = b.const('b', [4], [1, 2, 3, 4]);
    const c = b.conv(x, w, { b: bias, pads: [1, 1, 1, 1] });
    expect(b.shapeOf(c)).toEqual([1, 4, 8, 8]);
    const m = b.maxPool(b.relu(c), { kernel: [2, 2] });
    expect(b.shapeOf(m)).toEqual([1, 4, 4, 4]);
    b.output(b.softmax(b.flatten(m), 1), 'client');
    expect(() => b.build()).not.toThrow();
  });

  it('throws a shape error naming the node', () => {
    const b = hlilBuilder();
    const x = b.input('x', [1, 784], 'client');
    const w = b.input('W', [785, 10], 'server');
    expect(() => b.matmul(x, w)).toThrow('node t0 (MatMul): inner dimensions differ: a is [1,784], b is [785,10]');
  });

  it('infers LLIL types', () => {
    const b = llilBuilder(32);
    const x = b.input('x', [1, 4], 8, 'client');
    const w = b.input('W', [4, 2], 8, 'server');
    const y = b.matmul(x, w);
    expect(b.typeOf(y)).toEqual({ shape: [1, 2], scale: 16, label: 'secret' });
    const z = b.scaleDown(y, 8);
    b.output(z, 'client', { op: 'Softmax', axis: 1 });
    const p = b.build();
    expect(E.isRight(checkLlil(p))).toBe(true);
    const c = b.const('c', [2], 3, [-1n, 2n]);
    expect(b.typeOf(b.mul(c, c))).toEqual({ shape: [2], scale: 6, label: 'public' });
  });
});
