/**
 * Mutation kills for semantics/fixed.ts (the Z_{2^ℓ} semantics of LLIL). Pins:
 *   - 96 StringLiteral ('direct' conv method): a wasm Conv never grows memory to an im2col matrix;
 *   - 129 ConditionalExpression false: a negative shift fails in the word shift, not in ring.shrArith;
 *   - 129 ConditionalExpression true, EqualityOperator <= and >=, 131 ArrowFunction: ScaleDown by
 *     exactly ℓ (the shift that only the ring's shrArith accepts);
 *   - 148 ObjectLiteral: a node whose op is not an LLIL operator is refused;
 *   - 172 ConditionalExpression false, StringLiteral (both): a declaration that is neither input nor
 *     const binds no value and is reported as a missing input;
 *   - 180 ConditionalExpression true, 183 ConditionalExpression false (both): `keep` drops dead values;
 *   - 194 ObjectLiteral: fixedSem passes the kernels option through (the wasm memory grows);
 *   - 196: an output that a later node reads is still returned by fixedSem (the kept set holds every
 *     output; the surviving ArrayDeclaration at column 37, `opts.keep ?? []`, is argued equivalent).
 */
import { describe, expect, it } from 'vitest';
import { llilBuilder } from '../../ir/builder.js';
import type { LDecl, LNode, LProgram } from '../../ir/llil.js';
import { fixedNode, fixedSem, fixedSemAll } from '../../semantics/fixed.js';
import { kernels } from '../../semantics/kernels/index.js';
import { wasmScratch } from '../../semantics/kernels/wasm.js';
import type { RingTensor } from '../../semantics/kernels/types.js';
import { InvariantViolation } from '../../spec/errors.js';
import { expectCryptflowError } from './support.js';

function wasmMemoryBytes(): number {
  return wasmScratch([]).memory.buffer.byteLength;
}

function onlyNode(p: LProgram): LNode {
  const n = p.nodes[0];
  if (n === undefined) throw new Error('program has no node');
  return n;
}

describe('fixedSem: Conv runs the direct method', () => {
  it('a wasm Conv computes the exact sums without growing memory to an im2col scratch matrix', () => {
    const side = Math.ceil(Math.sqrt(wasmMemoryBytes() / 8)) + 8;
    const b = llilBuilder(16);
    const x = b.input('x', [1, 1, side, side], 0, 'client');
    const w = b.const('w', [1, 1, 5, 5], 0, new Array<bigint>(25).fill(1n));
    b.output(b.conv(x, w), 'client');
    const p = b.build();
    const xs = new BigUint64Array(side * side).fill(1n);
    const out = fixedSem(p, new Map([['x', xs]]), { kernels: 'wasm' }).get(p.outputs[0]?.name ?? '');
    const n = (side - 4) * (side - 4);
    expect(out).toEqual(new BigUint64Array(n).fill(25n));
    const im2colScratchBytes = 25 * n * 8;
    expect(wasmMemoryBytes()).toBeLessThan(im2colScratchBytes);
  });
});

describe('fixedNode: ScaleDown by ℓ', () => {
  it('shifting by exactly ℓ gives the sign word: 0 for non-negative, 2^ℓ − 1 for negative', () => {
    const b = llilBuilder(8);
    b.output(b.scaleDown(b.input('x', [6], 4, 'client'), 1), 'client');
    const n = onlyNode(b.build());
    if (n.op !== 'ScaleDown') throw new Error('expected a ScaleDown node');
    const env = new Map<string, RingTensor>([
      ['x', { shape: [6], data: BigUint64Array.from([0n, 1n, 127n, 128n, 200n, 255n]) }],
    ]);
    const y = fixedNode(8, kernels('reference'), { ...n, shift: 8 }, env);
    expect(y.shape).toEqual([6]);
    expect(y.data).toEqual(BigUint64Array.from([0n, 0n, 0n, 255n, 255n, 255n]));
  });
});

describe('fixedNode: ScaleDown below ℓ', () => {
  it('a negative shift is an internal invariant failure of the word shift, not a ring-width error', () => {
    const b = llilBuilder(8);
    b.output(b.scaleDown(b.input('x', [1], 4, 'client'), 1), 'client');
    const n = onlyNode(b.build());
    if (n.op !== 'ScaleDown') throw new Error('expected a ScaleDown node');
    const env = new Map<string, RingTensor>([['x', { shape: [1], data: BigUint64Array.from([5n]) }]]);
    expect(() => fixedNode(8, kernels('reference'), { ...n, shift: -1 }, env)).toThrow(InvariantViolation);
    expect(() => fixedNode(8, kernels('reference'), { ...n, shift: -1 }, env)).toThrow(
      'arithmetic shift by -1 at ℓ = 8',
    );
  });
});

describe('fixedNode: unknown operators', () => {
  it('a node whose op is not an LLIL operator is refused, not evaluated as ArgMax', () => {
    const b = llilBuilder(8);
    b.output(b.argmax(b.input('x', [3], 0, 'client'), 0), 'client');
    const n = onlyNode(b.build());
    const bogus = { ...n, op: 'Bogus' } as unknown as LNode;
    const env = new Map<string, RingTensor>([['x', { shape: [3], data: BigUint64Array.from([1n, 5n, 2n]) }]]);
    expect(fixedNode(8, kernels('reference'), n, env).data).toEqual(BigUint64Array.from([1n]));
    expect(() => fixedNode(8, kernels('reference'), bogus, env)).toThrow();
  });
});

describe('fixedSemAll: declarations', () => {
  it('a declaration that is neither input nor const is a missing input, named in the error', () => {
    const b = llilBuilder(8);
    b.output(b.relu(b.input('x', [2], 0, 'client')), 'client');
    const p = b.build();
    const weird = { kind: 'weight', name: 'w', shape: [2], scale: 0 } as unknown as LDecl;
    const bad: LProgram = { ...p, decls: [...p.decls, weird] };
    expectCryptflowError(
      () => fixedSemAll(bad, new Map([['x', BigUint64Array.from([1n, 2n])]])),
      'input',
      "missing input 'w'",
    );
  });
});

function chain(): LProgram {
  const b = llilBuilder(8);
  const x = b.input('x', [3], 0, 'client');
  const y = b.relu(x);
  const z = b.add(y, y);
  const u = b.relu(z);
  b.output(y, 'client');
  b.output(u, 'client');
  return b.build();
}

const chainInputs = (): Map<string, BigUint64Array> => new Map([['x', BigUint64Array.from([3n, 250n, 7n])]]);

describe('fixedSemAll: keep', () => {
  it('with keep, values past their last use are dropped; without it, every value stays', () => {
    const p = chain();
    const [y, u] = [p.outputs[0]?.name ?? '', p.outputs[1]?.name ?? ''];
    const z = p.nodes[1]?.out ?? '';
    const all = fixedSemAll(p, chainInputs());
    expect([...all.keys()].sort()).toEqual(['x', y, z, u].sort());
    const kept = fixedSemAll(p, chainInputs(), { keep: new Set([u]) });
    expect([...kept.keys()]).toEqual([u]);
    expect(kept.get(u)?.data).toEqual(BigUint64Array.from([6n, 0n, 14n]));
  });
});

describe('fixedSem', () => {
  it('returns an output that a later node also reads', () => {
    const p = chain();
    const out = fixedSem(p, chainInputs());
    expect(out.get(p.outputs[0]?.name ?? '')).toEqual(BigUint64Array.from([3n, 0n, 7n]));
    expect(out.get(p.outputs[1]?.name ?? '')).toEqual(BigUint64Array.from([6n, 0n, 14n]));
  });

  it('honours kernels: wasm (its memory grows to hold the operands) and gives the exact sums', () => {
    const before = wasmMemoryBytes();
    const n = before / 8 + 1;
    const b = llilBuilder(64);
    b.output(b.add(b.input('a', [n], 0, 'client'), b.input('b', [n], 0, 'server')), 'client');
    const p = b.build();
    const a = BigUint64Array.from({ length: n }, (_, i) => BigInt(i));
    const c = new BigUint64Array(n).fill(2n);
    const out = fixedSem(
      p,
      new Map([
        ['a', a],
        ['b', c],
      ]),
      { kernels: 'wasm' },
    );
    expect(out.get(p.outputs[0]?.name ?? '')).toEqual(BigUint64Array.from({ length: n }, (_, i) => BigInt(i) + 2n));
    expect(wasmMemoryBytes()).toBeGreaterThan(before);
  });
});
