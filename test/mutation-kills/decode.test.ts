/**
 * Mutation kills for semantics/decode.ts (exercised elsewhere only through the end-to-end runs):
 *   - `valueType` finds a value's scale and shape by NAME — among declarations (not just the first)
 *     and among nodes (not just the first) — and names an unknown value in a 'type' error;
 *   - `decodeOutputs` decodes each output at its own scale (signed(x) / 2^s), applies its
 *     post-processing (Sigmoid, Softmax) in float32, and a missing revealed output is an 'input' error
 *     naming it;
 *   - `applyPost` on a step it does not know (a program read from elsewhere) is an invariant violation
 *     naming the post-processing step (the `default:` arm, uncovered in the 2026-12-07 run).
 */
import { describe, expect, it } from 'vitest';
import { Ring } from '../../spec/ring.js';
import { llilBuilder } from '../../ir/builder.js';
import { applyPost, decodeOutputs, valueType } from '../../semantics/decode.js';
import { InvariantViolation } from '../../spec/errors.js';
import { expectCryptflowError } from './support.js';

const ELL = 16;
const ring = Ring(ELL);

function program() {
  const b = llilBuilder(ELL);
  const x = b.input('x', [1, 3], 6, 'client');
  b.const('c', [2], 2, [4n, -8n]);
  const up = b.scaleUp(x, 2);
  const down = b.scaleDown(up, 5);
  b.output(x, 'client');
  b.output(down, 'client', { op: 'Sigmoid' });
  b.output(up, 'server', { op: 'Softmax', axis: 1 });
  return { p: b.build(), up, down };
}

describe('valueType', () => {
  it('finds declarations and nodes by name', () => {
    const { p, up, down } = program();
    expect(valueType(p, 'x')).toEqual({ scale: 6, shape: [1, 3] });
    expect(valueType(p, 'c')).toEqual({ scale: 2, shape: [2] });
    expect(valueType(p, up)).toEqual({ scale: 8, shape: [1, 3] });
    expect(valueType(p, down)).toEqual({ scale: 3, shape: [1, 3] });
  });

  it('an unknown name is a type error naming it', () => {
    expectCryptflowError(() => valueType(program().p, 'nope'), 'type', "'nope' is not a value of the program");
  });
});

describe('decodeOutputs', () => {
  it('decodes each output at its scale and post-processes it in float32', () => {
    const { p, up, down } = program();
    const raw = new Map<string, BigUint64Array>([
      ['x', ring.fromBigInts([64n, -32n, 1n])],
      [down, ring.fromBigInts([0n, 8n, -16n])],
      [up, ring.fromBigInts([256n, 0n, -256n])],
    ]);
    const out = decodeOutputs(p, raw);
    expect([...(out.get('x') ?? [])]).toEqual([1, -0.5, 1 / 64]);
    const sig = (v: number): number => Math.fround(1 / (1 + Math.exp(-v)));
    const got = [...(out.get(down) ?? [])];
    [0, 1, -2].forEach((v, i) => expect(got[i]).toBeCloseTo(sig(v), 6));
    const soft = [...(out.get(up) ?? [])];
    const e = [1, 0, -1].map((v) => Math.exp(v));
    const sum = e.reduce((a, b) => a + b, 0);
    e.forEach((v, i) => expect(soft[i]).toBeCloseTo(v / sum, 6));
    for (const v of [...got, ...soft]) expect(Math.fround(v)).toBe(v);
  });

  it('a missing revealed output is an input error naming it', () => {
    const { p, up, down } = program();
    const raw = new Map<string, BigUint64Array>([
      ['x', ring.fromBigInts([0n, 0n, 0n])],
      [up, ring.fromBigInts([0n, 0n, 0n])],
    ]);
    expectCryptflowError(() => decodeOutputs(p, raw), 'input', `no revealed value for output '${down}'`);
  });
});

describe('applyPost', () => {
  it('an unknown post-processing step is an invariant violation naming it', () => {
    const x = { shape: [1, 2], data: Float32Array.from([0, 1]) };
    const unknown = JSON.parse('{"op":"Tanh"}') as Parameters<typeof applyPost>[0];
    expect(() => applyPost(unknown, x)).toThrow(InvariantViolation);
    expect(() => applyPost(unknown, x)).toThrow('unhandled post-processing step: {"op":"Tanh"}');
  });
});
