/** Hand-written ill-typed programs: each is rejected with a message naming the node and the shapes. */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { checkHlil, checkLlil } from '../../ir/check.js';
import { parseHlil, parseLlil } from '../../ir/text.js';

function hlilErrors(src: string): string[] {
  const p = parseHlil(`hlil\n${src}`);
  if (E.isLeft(p)) throw new Error(p.left.message);
  const r = checkHlil(p.right);
  return E.isLeft(r) ? r.left.map((e) => e.message) : [];
}

function llilErrors(src: string, ell = 32): string[] {
  const p = parseLlil(`llil ell=${ell}\n${src}`);
  if (E.isLeft(p)) throw new Error(p.left.message);
  const r = checkLlil(p.right);
  return E.isLeft(r) ? r.left.map((e) => e.message) : [];
}

const X4 = 'input x : f32[1,4,5,5] @client\n';

describe('checkHlil rejects', () => {
  it.each([
    [
      'MatMul inner dims',
      'input x : f32[1,784] @client\ninput W : f32[785,10] @server\nt3 = MatMul(x, W)\noutput t3 -> client',
      'node t3 (MatMul): inner dimensions differ: a is [1,784], b is [785,10]',
    ],
    [
      'conv groups',
      `${X4}input w : f32[6,2,3,3] @server\nt0 = Conv(x, w) strides=[1,1] pads=[0,0,0,0] dilations=[1,1] groups=3\noutput t0 -> client`,
      'node t0 (Conv): groups 3 does not divide the 4 input channels of x [1,4,5,5]',
    ],
    [
      'conv stride rank',
      `${X4}input w : f32[2,4,3,3] @server\nt0 = Conv(x, w) strides=[1] pads=[0,0,0,0] dilations=[1,1] groups=1\noutput t0 -> client`,
      'node t0 (Conv): strides must have 2 entries (spatial rank 2 of x [1,4,5,5]), got [1]',
    ],
    [
      'conv kernel too big',
      `${X4}input w : f32[2,4,7,3] @server\nt0 = Conv(x, w) strides=[1,1] pads=[0,0,0,0] dilations=[1,1] groups=1\noutput t0 -> client`,
      'node t0 (Conv): kernel extent 7 exceeds padded input 5 on spatial axis 0: x is [1,4,5,5], w is [2,4,7,3], pads [0,0,0,0], dilations [1,1]',
    ],
    [
      'conv bias',
      `${X4}input w : f32[2,4,3,3] @server\ninput b : f32[3] @server\nt0 = Conv(x, w, b) strides=[1,1] pads=[0,0,0,0] dilations=[1,1] groups=1\noutput t0 -> client`,
      'node t0 (Conv): bias b must be [2] (output channels), b is [3]',
    ],
    [
      'negative pads',
      `${X4}t0 = MaxPool(x) kernel=[2,2] strides=[1,1] pads=[0,-1,0,0]\noutput t0 -> client`,
      'node t0 (MaxPool): pads[1] must be an integer ≥ 0, got -1',
    ],
    [
      'pool pad ≥ kernel',
      `${X4}t0 = MaxPool(x) kernel=[2,2] strides=[1,1] pads=[2,0,0,0]\noutput t0 -> client`,
      'node t0 (MaxPool): pads[0] = 2 must be below the kernel extent 2',
    ],
    [
      'undefined operand',
      `${X4}t0 = Relu(y)\noutput t0 -> client`,
      'node t0 (Relu): operand y is not defined before use',
    ],
    [
      'use before definition',
      `${X4}t0 = Relu(t1)\nt1 = Relu(x)\noutput t1 -> client`,
      'node t0 (Relu): operand t1 is not defined before use',
    ],
    ['duplicate name', `${X4}x = Relu(x)\noutput x -> client`, 'node x (Relu): name x is already defined'],
    [
      'Div by an input',
      'input x : f32[2] @client\ninput d : f32[2] @server\nt0 = Div(x, d)\noutput t0 -> client',
      'node t0 (Div): divisor d must be a public constant',
    ],
    [
      'Softmax feeding a node',
      'input x : f32[1,3] @client\nt0 = Softmax(x) axis=1\nt1 = Relu(t0)\noutput t1 -> client',
      'node t1 (Relu): operand t0 is a Softmax result, which may only feed outputs',
    ],
    [
      'broadcast',
      'input x : f32[2,3] @client\ninput y : f32[4] @server\nt0 = Add(x, y)\noutput t0 -> client',
      'node t0 (Add): shapes do not broadcast: a is [2,3], b is [4]',
    ],
    [
      'reshape count',
      'input x : f32[2,3] @client\nt0 = Reshape(x) shape=[4,2]\noutput t0 -> client',
      'node t0 (Reshape): element counts differ: x is [2,3] (6), target is [4,2] (8)',
    ],
    [
      'perm',
      'input x : f32[2,3] @client\nt0 = Transpose(x) perm=[0,0]\noutput t0 -> client',
      'node t0 (Transpose): perm [0,0] is not a permutation of 0…1 (x is [2,3])',
    ],
    [
      'squeeze',
      'input x : f32[2,3] @client\nt0 = Squeeze(x) axes=[1]\noutput t0 -> client',
      'node t0 (Squeeze): cannot squeeze axis 1 of extent 3: x is [2,3]',
    ],
    [
      'argmax axis',
      'input x : f32[2,3] @client\nt0 = ArgMax(x) axis=2 keepdims=true\noutput t0 -> client',
      'node t0 (ArgMax): axis 2 is out of range for x [2,3] (expected 0 ≤ axis < 2)',
    ],
    [
      'concat',
      'input x : f32[2,3] @client\ninput y : f32[3,3] @server\nt0 = Concat(x, y) axis=1\noutput t0 -> client',
      'node t0 (Concat): operand 1 is [3,3] but operand 0 is [2,3]: all dimensions but axis 1 must agree',
    ],
    [
      'gemm c',
      'input a : f32[2,3] @client\ninput b : f32[2,4] @server\ninput c : f32[3] @server\nt0 = Gemm(a, b, c) transA=true transB=false\noutput t0 -> client',
      'node t0 (Gemm): c [3] does not broadcast to the product shape [3,4]',
    ],
    [
      'const length',
      'const c : f32[2,2] = [1, 2, 3]\noutput c -> client',
      'const c: holds 3 values but shape [2,2] has 4 elements',
    ],
    ['missing output', `${X4}output y -> client`, 'output y: no value of this name is defined'],
    ['repeated output', `${X4}output x -> client\noutput x -> server`, 'output x: is declared more than once'],
  ])('%s', (_, src, message) => {
    expect(hlilErrors(src)).toContain(message);
  });

  it('rejects NaN constants, bad names and programs without outputs', () => {
    const r = checkHlil({
      ir: 'hlil',
      decls: [{ kind: 'const', name: '9c', shape: [1], values: Float32Array.from([NaN]) }],
      nodes: [],
      outputs: [],
    });
    expect(E.isLeft(r) && r.left.map((e) => e.message)).toEqual([
      'const 9c: name "9c" does not match /^[A-Za-z_][A-Za-z0-9_.:/]*$/',
      'const 9c: value 0 is not finite (NaN and ±Inf are not allowed)',
      'program: no outputs are declared',
    ]);
  });

  it('reports one error per mistake (no cascade through poisoned values)', () => {
    expect(
      hlilErrors(
        'input x : f32[2,3] @client\nt0 = Reshape(x) shape=[5]\nt1 = Relu(t0)\nt2 = Add(t1, x)\noutput t2 -> client',
      ),
    ).toHaveLength(1);
  });
});

const LX = 'input x : fix[1,4]@8 @client\ninput W : fix[4,2]@8 @server\n';

describe('checkLlil rejects', () => {
  it.each([
    [
      'Add at different scales',
      `${LX}input y : fix[1,4]@6 @server\nt0 : secret fix[1,4]@8 = Add(x, y)\noutput t0 -> client`,
      'node t0 (Add): operands must be at equal scales: x at scale 8, y at scale 6',
    ],
    [
      'MatMul written at the wrong scale',
      `${LX}t0 : secret fix[1,2]@8 = MatMul(x, W)\noutput t0 -> client`,
      'node t0 (MatMul): written type secret fix[1,2]@8 differs from the inferred secret fix[1,2]@16',
    ],
    [
      'wrong label',
      'const c : fix[2]@1 = [1, 2]\nt0 : secret fix[2]@1 = Relu(c)\noutput t0 -> client',
      'node t0 (Relu): written type secret fix[2]@1 differs from the inferred public fix[2]@1',
    ],
    [
      'ScaleDown too far',
      `${LX}t0 : secret fix[1,4]@0 = ScaleDown(x, 9)\noutput t0 -> client`,
      'node t0 (ScaleDown): shift 9 exceeds the scale 8 of x',
    ],
    [
      'ScaleUp past ℓ',
      `${LX}t0 : secret fix[1,4]@32 = ScaleUp(x, 24)\noutput t0 -> client`,
      'node t0 (ScaleUp): result scale 32 is not below the ring width ℓ = 32',
    ],
    [
      'ArgMax scale',
      `${LX}t0 : secret fix[1,1]@8 = ArgMax(x) axis=1 keepdims=true\noutput t0 -> client`,
      'node t0 (ArgMax): written type secret fix[1,1]@8 differs from the inferred secret fix[1,1]@0',
    ],
    [
      'Conv bias scale',
      'input x : fix[1,1,3]@4 @client\ninput w : fix[1,1,2]@4 @server\ninput b : fix[1]@4 @server\nt0 : secret fix[1,1,2]@8 = Conv(x, w, b) strides=[1] pads=[0,0] dilations=[1] groups=1\noutput t0 -> client',
      'node t0 (Conv): bias b is at scale 4 but the product is at scale 8 = 4 + 4',
    ],
    [
      'shape mismatch in the written type',
      `${LX}t0 : secret fix[2,2]@16 = MatMul(x, W)\noutput t0 -> client`,
      'node t0 (MatMul): written type secret fix[2,2]@16 differs from the inferred secret fix[1,2]@16',
    ],
    [
      'decl scale',
      'input x : fix[1]@40 @client\noutput x -> client',
      'input x: scale 40 must be an integer in [0, 32)',
    ],
    [
      'post axis',
      `${LX}output x -> client post=Softmax(axis=2)`,
      'output x: post Softmax axis 2 is out of range for shape [1,4]',
    ],
  ])('%s', (_, src, message) => {
    expect(llilErrors(src)).toContain(message);
  });

  it('rejects a bad ring width', () => {
    const r = checkLlil({ ir: 'llil', ell: 65, decls: [], nodes: [], outputs: [] });
    expect(E.isLeft(r) && r.left[0]?.message).toBe('program: ring width ell = 65 must be an integer in [2, 64]');
  });
});

describe('windowed operators and the kernels agree on ranks', () => {
  it('GlobalAvgPool over more than 3 spatial axes is refused up front (the kernels implement 1–3)', async () => {
    const { hlilBuilder } = await import('../../ir/builder.js');
    const b = hlilBuilder();
    const x = b.input('x', [1, 2, 2, 2, 2, 2], 'client');
    expect(() => b.globalAvgPool(x)).toThrow(/rank 3, 4 or 5/);
  });
});
