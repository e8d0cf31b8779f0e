/** Text syntax: parse ∘ print is the identity on programs; parse errors carry line, column, expectation. */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { checkHlil, checkLlil } from '../../ir/check.js';
import type { HProgram } from '../../ir/hlil.js';
import { parseHlil, parseLlil, printHlil, printLlil, showFloat32 } from '../../ir/text.js';
import { hlilProgram } from '../arbitraries/hlil.js';
import { llilProgram } from '../arbitraries/llil.js';

const FIG3 = `hlil
# the example of the brief
input x : f32[1,784] @client
input W : f32[784,10] @server
const c : f32[] = [0.5]   # a scalar
t0 = MatMul(x, W)
t1 = Relu(t0)
t2 = Mul(t1, c)

output t2 -> client
`;

describe('ir/text', () => {
  it('parses the HLIL example and it type-checks', () => {
    const p = parseHlil(FIG3);
    expect(E.isRight(p)).toBe(true);
    if (E.isRight(p)) {
      expect(p.right.nodes.map((n) => n.op)).toEqual(['MatMul', 'Relu', 'Mul']);
      expect(E.isRight(checkHlil(p.right))).toBe(true);
    }
  });

  it('parses the LLIL example with types, shifts and post-processing', () => {
    const src = [
      'llil ell=64',
      'input x : fix[1,784]@12 @client',
      'input W : fix[784,10]@12 @server',
      'const c : fix[3]@12 = [1, -2, 3]',
      't0 : secret fix[1,10]@24 = MatMul(x, W)',
      't1 : secret fix[1,10]@12 = ScaleDown(t0, 12)',
      'output t1 -> client post=Softmax(axis=1)',
    ].join('\n');
    const p = parseLlil(src);
    expect(E.isRight(p) && E.isRight(checkLlil(p.right))).toBe(true);
    if (E.isRight(p)) {
      const c = p.right.decls[2];
      expect(c?.kind === 'const' && Array.from(c.values)).toEqual([1n, (1n << 64n) - 2n, 3n]);
      expect(printLlil(p.right)).toBe(`${src}\n`);
    }
  });

  it('round-trips random HLIL programs', () => {
    fc.assert(
      fc.property(hlilProgram(), (p) => {
        expect(parseHlil(printHlil(p))).toEqual(E.right(p));
      }),
    );
  });

  it('round-trips random LLIL programs', () => {
    fc.assert(
      fc.property(llilProgram(), (p) => {
        expect(parseLlil(printLlil(p))).toEqual(E.right(p));
      }),
    );
  });

  it('round-trips every float32 constant exactly, −0 included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 8 }),
        (xs) => {
          const p: HProgram = {
            ir: 'hlil',
            decls: [{ kind: 'const', name: 'c', shape: [xs.length], values: Float32Array.from(xs) }],
            nodes: [],
            outputs: [{ name: 'c', to: 'client' }],
          };
          const q = parseHlil(printHlil(p));
          expect(E.isRight(q)).toBe(true);
          if (E.isRight(q) && q.right.decls[0]?.kind === 'const') {
            expect(Array.from(q.right.decls[0].values).map((v) => Object.is(v, -0))).toEqual(
              xs.map((v) => Object.is(v, -0)),
            );
            expect(q.right.decls[0].values).toEqual(Float32Array.from(xs));
          }
        },
      ),
    );
    expect(showFloat32(Math.fround(0.1))).toBe('0.1');
    expect(showFloat32(-0)).toBe('-0');
  });

  it.each([
    ['hlil\ninput x : f32[2 @client\n', 2, 17, "','"],
    ['hlil\nt0 = Relu(x) axis=1\n', 2, 14, 'no further attribute of Relu'],
    ['hlil\nt0 = Frobnicate(x)\n', 2, 6, 'an HLIL operator'],
    ['hlil\nconst c : f32[1] = [1e40]\n', 2, 21, 'a finite float32 constant'],
    ['llil ell=8\nconst c : fix[1]@2 = [200]\n', 2, 23, 'a signed 8-bit integer'],
    ['llil ell=8\nt0 : secret fix[1]@2 = Conv(x, w) strides=[1]\n', 2, 35, 'attribute pads=[integers] of Conv'],
    ['hlil\ninput x : f32[1] @nobody\n', 2, 19, "'client' or 'server'"],
    ['llil ell=99\n', 1, 10, 'a ring width ℓ in [2, 64]'],
  ])('reports %j at its line and column', (src, line, column, expected) => {
    const r = src.startsWith('hlil') ? parseHlil(src) : parseLlil(src);
    expect(E.isLeft(r)).toBe(true);
    if (E.isLeft(r)) {
      expect(r.left).toMatchObject({ line, column, expected });
      expect(r.left.message).toMatch(new RegExp(`^${line}:${column}: expected `));
      expect(r.left.message).not.toMatch(/1e40|200/);
    }
  });
});
