/**
 * The semantics are total on what they are given: on a program or environment the checker never saw
 * (a hand-built or corrupted one), fixedSem, floatSem and their node functions fail with the
 * CryptflowError the error contract asks for — code plus a message naming the node, operator, value
 * or input — never a TypeError. Each guard is hit on its own (so that dropping one clause of a
 * condition is noticed), and input validation is checked at its exact boundary (2^ℓ is not reduced,
 * 2^ℓ − 1 is).
 */
import { describe, expect, it } from 'vitest';
import { hlilBuilder, llilBuilder } from '../../ir/builder.js';
import type { HNode } from '../../ir/hlil.js';
import type { LNode, LProgram } from '../../ir/llil.js';
import { fixedNode, fixedSem, fixedSemAll } from '../../semantics/fixed.js';
import { floatNode, floatSem, floatSemAll } from '../../semantics/float.js';
import { checkFloatInputs, checkRingInputs } from '../../semantics/inputs.js';
import { floatKernels, kernels } from '../../semantics/kernels/index.js';
import { checkMatmul, checkSameLength } from '../../semantics/kernels/checks.js';
import { expectCryptflowError } from './support.js';

const ELL = 8;
const ref = kernels('reference');

function llilMatmul(): { p: LProgram; node: LNode } {
  const b = llilBuilder(ELL);
  const a = b.input('a', [2, 3], 0, 'client');
  const w = b.const('w', [3, 2], 0, [1n, 2n, 3n, 4n, 5n, 6n]);
  b.output(b.matmul(a, w), 'client');
  const p = b.build();
  return { p, node: p.nodes[0] as LNode };
}

function hlilMatmul(): { node: HNode; p: ReturnType<ReturnType<typeof hlilBuilder>['build']> } {
  const b = hlilBuilder();
  const a = b.input('a', [2, 3], 'client');
  const w = b.const('w', [3, 2], [1, 2, 3, 4, 5, 6]);
  b.output(b.matmul(a, w), 'client');
  const p = b.build();
  return { p, node: p.nodes[0] as HNode };
}

const rt = (shape: number[]) => ({ shape, data: new BigUint64Array(shape.reduce((x, y) => x * y, 1)) });
const ft = (shape: number[]) => ({ shape, data: new Float32Array(shape.reduce((x, y) => x * y, 1)) });

describe('node functions on a bad environment', () => {
  it('an operand that is not defined', () => {
    const { node } = llilMatmul();
    expectCryptflowError(
      () => fixedNode(ELL, ref, node, new Map([['w', rt([3, 2])]])),
      'type',
      `node '${node.out}' (MatMul) uses 'a', which is not defined before it`,
    );
    const h = hlilMatmul().node;
    expectCryptflowError(
      () => floatNode(h, new Map([['w', ft([3, 2])]])),
      'type',
      `node '${h.out}' (MatMul) uses 'a', which is not defined before it`,
    );
  });

  it.each([
    { what: 'left operand of rank 3', a: [2, 3, 1], w: [3, 2] },
    { what: 'right operand of rank 1', a: [2, 3], w: [3] },
    { what: 'inner dimensions differ', a: [2, 3], w: [2, 2] },
  ])('MatMul, $what', ({ a, w }) => {
    const { node } = llilMatmul();
    expectCryptflowError(
      () =>
        fixedNode(
          ELL,
          ref,
          node,
          new Map([
            ['a', rt(a)],
            ['w', rt(w)],
          ]),
        ),
      'shape',
      `node '${node.out}' (MatMul): operands are not conformable matrices`,
    );
    const h = hlilMatmul().node;
    expectCryptflowError(
      () =>
        floatNode(
          h,
          new Map([
            ['a', ft(a)],
            ['w', ft(w)],
          ]),
        ),
      'shape',
      `node '${h.out}' (MatMul): operands are not conformable matrices`,
    );
  });
});

describe('whole programs the checker never saw', () => {
  const inputs = new Map([['a', new BigUint64Array(6)]]);

  it('fixed: a constant of the wrong length, a constant not reduced mod 2^ℓ, an output that is no value', () => {
    const { p } = llilMatmul();
    const withW = (values: BigUint64Array): LProgram => ({
      ...p,
      decls: p.decls.map((d) => (d.kind === 'const' ? { ...d, values } : d)),
    });
    expectCryptflowError(
      () => fixedSemAll(withW(new BigUint64Array(5)), inputs),
      'shape',
      "constant 'w' does not have 6 entries",
    );
    expectCryptflowError(
      () => fixedSemAll(withW(BigUint64Array.of(1n, 2n, 3n, 4n, 5n, 256n)), inputs),
      'type',
      "constant 'w' has entries not reduced mod 2^8",
    );
    expect(() => fixedSemAll(withW(BigUint64Array.of(1n, 2n, 3n, 4n, 5n, 255n)), inputs)).not.toThrow();
    expectCryptflowError(
      () => fixedSem({ ...p, outputs: [{ name: 'ghost', to: 'client' }] }, inputs),
      'type',
      "output 'ghost' is not a value of the program",
    );
  });

  it('float: a constant of the wrong length, an output that is no value', () => {
    const { p } = hlilMatmul();
    const fin = new Map([['a', new Float32Array(6)]]);
    expectCryptflowError(
      () =>
        floatSemAll(
          { ...p, decls: p.decls.map((d) => (d.kind === 'const' ? { ...d, values: new Float32Array(4) } : d)) },
          fin,
        ),
      'shape',
      "constant 'w' does not have 6 entries",
    );
    expectCryptflowError(
      () => floatSem({ ...p, outputs: [{ name: 'ghost', to: 'client' }] }, fin),
      'type',
      "output 'ghost' is not a value of the program",
    );
  });
});

describe('run-time inputs', () => {
  const decls = [
    { kind: 'input' as const, name: 'x', shape: [2, 2] },
    { kind: 'const' as const, name: 'c', shape: [1] },
  ];

  it('missing, wrongly sized and undeclared inputs', () => {
    expectCryptflowError(() => checkRingInputs(decls, new Map(), ELL), 'input', "missing input 'x' (shape [2,2])");
    expectCryptflowError(
      () => checkRingInputs(decls, new Map([['x', new BigUint64Array(3)]]), ELL),
      'input',
      "input 'x' of shape [2,2] needs 4 entries, got 3",
    );
    expectCryptflowError(
      () =>
        checkRingInputs(
          decls,
          new Map([
            ['x', new BigUint64Array(4)],
            ['y', new BigUint64Array(1)],
          ]),
          ELL,
        ),
      'input',
      "'y' is not a declared input of the program",
    );
    expectCryptflowError(
      () =>
        checkFloatInputs(
          decls,
          new Map([
            ['x', new Float32Array(4)],
            ['c', new Float32Array(1)],
          ]),
        ),
      'input',
      "'c' is not a declared input of the program",
    );
  });

  it('ring entries must lie below 2^ℓ (2^ℓ − 1 passes, 2^ℓ does not); float entries must be finite', () => {
    expect(() => checkRingInputs(decls, new Map([['x', BigUint64Array.of(0n, 1n, 254n, 255n)]]), ELL)).not.toThrow();
    expectCryptflowError(
      () => checkRingInputs(decls, new Map([['x', BigUint64Array.of(0n, 1n, 256n, 255n)]]), ELL),
      'input',
      "input 'x' has an entry at index 2 that is not reduced mod 2^8",
    );
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expectCryptflowError(
        () => checkFloatInputs(decls, new Map([['x', Float32Array.of(0, bad, 1, 2)]])),
        'non-finite',
        "input 'x' has a non-finite entry at index 1",
      );
    }
  });
});

describe('kernel argument checks name the operation and the sizes', () => {
  it('elementwise lengths, per operation and kernel set', () => {
    for (const impl of ['reference', 'wasm'] as const) {
      const k = kernels(impl);
      for (const op of ['add', 'sub', 'mul'] as const) {
        expectCryptflowError(
          () => k[op](16, new BigUint64Array(2), new BigUint64Array(3)),
          'shape',
          `${op}: operands have different lengths 2 and 3`,
        );
      }
    }
    expectCryptflowError(
      () => checkSameLength('axpy', { length: 1 }, { length: 4 }),
      'shape',
      'axpy: operands have different lengths 1 and 4',
    );
  });

  it('matmul dimensions and operand sizes', () => {
    expectCryptflowError(
      () => checkMatmul({ length: 0 }, { length: 0 }, 2, -1, 0),
      'shape',
      'matmul: dimension k must be a non-negative integer, got -1',
    );
    expectCryptflowError(
      () => checkMatmul({ length: 0 }, { length: 0 }, 1.5, 0, 0),
      'shape',
      'matmul: dimension m must be a non-negative integer, got 1.5',
    );
    expectCryptflowError(
      () => checkMatmul({ length: 5 }, { length: 6 }, 2, 3, 2),
      'shape',
      'matmul: left operand 2×3 needs 6 entries, got 5',
    );
    expectCryptflowError(
      () => checkMatmul({ length: 6 }, { length: 7 }, 2, 3, 2),
      'shape',
      'matmul: right operand 3×2 needs 6 entries, got 7',
    );
    expectCryptflowError(
      () => floatKernels.matmul(new Float32Array(6), new Float32Array(5), 2, 3, 2),
      'shape',
      'matmul: right operand 3×2 needs 6 entries, got 5',
    );
  });

  it('pooling input lengths, per kernel set', () => {
    const g = { kernel: [2, 2], strides: [1, 1], pads: [0, 0, 0, 0] };
    for (const impl of ['reference', 'wasm'] as const) {
      const k = kernels(impl);
      expectCryptflowError(
        () => k.maxPool(16, { shape: [1, 1, 3, 3], data: new BigUint64Array(8) }, g),
        'shape',
        'maxPool input [1,1,3,3] needs 9 entries, got 8',
      );
      expectCryptflowError(
        () => k.sumPool(16, { shape: [1, 1, 3, 3], data: new BigUint64Array(10) }, g),
        'shape',
        'sumPool input [1,1,3,3] needs 9 entries, got 10',
      );
    }
    expectCryptflowError(
      () => floatKernels.maxPool({ shape: [1, 1, 3, 3], data: new Float32Array(8) }, g),
      'shape',
      'maxPool input [1,1,3,3] needs 9 entries, got 8',
    );
    expectCryptflowError(
      () => floatKernels.sumPool({ shape: [1, 1, 3, 3], data: new Float32Array(8) }, g),
      'shape',
      'sumPool input [1,1,3,3] needs 9 entries, got 8',
    );
  });
});
