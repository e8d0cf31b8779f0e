/**
 * Out of range is REPORTED, never silently wrong (proofs-notes/fixed-point.md, "Range"):
 *   - encoding: just inside the representable interval encodes (and exact ops stay exact), just
 *     outside is a CryptflowError 'fixed-range' naming the input and position, not the value;
 *   - products and window sums: just inside the signed range is not flagged and within the bound,
 *     just outside is flagged by overflowCheck — and fixedSem there is indeed wrong (wraps);
 *   - fuzz on a small ring with large inputs: every run is refused, flagged, or within the bound.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { FixedPoint } from '../../spec/fixed.js';
import type { HOp } from '../../ir/hlil.js';
import { hlilBuilder } from '../../ir/builder.js';
import { hlilOpProgram } from '../arbitraries/hlil.js';
import { encodeInputs, floatToFixed } from '../../passes/float-to-fixed/program.js';
import { inputsArb, maxError, runBoth } from './support.js';

describe('encoding range boundary (ℓ = 16, s = 4)', () => {
  const [ell, s] = [16, 4];
  const fp = FixedPoint({ ell, scale: s });
  const b = hlilBuilder();
  b.output(b.relu(b.input('x', [2], 'client')), 'client');
  const p = b.build();

  it.each([
    { name: 'just below highReal', x: fp.highReal - 2 ** -s },
    { name: 'exactly lowReal', x: fp.lowReal },
  ])('$name: encodes, and Relu is exact', ({ x }) => {
    const r = runBoth(p, new Map([['x', Float32Array.of(x, 0)]]), ell, s);
    expect(r.kind).toBe('compared');
    if (r.kind === 'compared') expect(maxError(r)).toBeLessThanOrEqual(r.bound);
  });

  it.each([
    { name: 'exactly highReal', x: fp.highReal },
    { name: 'just below lowReal', x: fp.lowReal - 2 ** -s },
  ])('$name: refused with fixed-range, naming the input, not the value', ({ x }) => {
    const plan = floatToFixed(p, { ell, scale: s });
    const run = (): unknown => encodeInputs(plan, new Map([['x', Float32Array.of(0, x)]]));
    expect(run).toThrow(CryptflowError);
    try {
      run();
    } catch (e) {
      expect(e).toMatchObject({ code: 'fixed-range' });
      expect((e as Error).message).toContain("input 'x'[1]");
      expect((e as Error).message).not.toContain(String(x));
    }
  });
});

describe('product and window-sum range boundary', () => {
  it('MatMul 1×1 at ℓ = 24, s = 6: A·B = 2^23 − 2^11 passes, A·B = 2^23 is flagged (and does wrap)', () => {
    const [ell, s] = [24, 6];
    const b = hlilBuilder();
    b.output(b.matmul(b.input('a', [1, 1], 'client'), b.input('w', [1, 1], 'server')), 'client');
    const p = b.build();
    const inside = runBoth(
      p,
      new Map([
        ['a', Float32Array.of(32)],
        ['w', Float32Array.of(63.984375)],
      ]),
      ell,
      s,
    );
    expect(inside.kind).toBe('compared');
    if (inside.kind === 'compared') expect(maxError(inside)).toBeLessThanOrEqual(inside.bound);
    const outside = runBoth(
      p,
      new Map([
        ['a', Float32Array.of(32)],
        ['w', Float32Array.of(64)],
      ]),
      ell,
      s,
    );
    expect(outside).toEqual({ kind: 'overflow-flagged', wrong: true });
  });

  it('AvgPool 2×2 at ℓ = 16, s = 4: a window sum of 2^15 is flagged (and does wrap), 2^15 − 4 passes', () => {
    const [ell, s] = [16, 4];
    const b = hlilBuilder();
    b.output(b.avgPool(b.input('x', [1, 1, 2, 2], 'client'), { kernel: [2, 2] }), 'client');
    const p = b.build();
    const inside = runBoth(p, new Map([['x', new Float32Array(4).fill(511.9375)]]), ell, s);
    expect(inside.kind).toBe('compared');
    if (inside.kind === 'compared') expect(maxError(inside)).toBeLessThanOrEqual(inside.bound);
    const outside = runBoth(p, new Map([['x', new Float32Array(4).fill(512)]]), ell, s);
    expect(outside).toEqual({ kind: 'overflow-flagged', wrong: true });
  });
});

describe('never silently wrong: ℓ = 20, s = 6, |inputs| ≤ 512', () => {
  const outcomes = new Map<string, number>();
  afterAll(() => console.log(`ℓ=20 s=6 fuzz outcomes: ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}`));
  const OPS: readonly HOp[] = [
    'Conv',
    'ConvTranspose',
    'MatMul',
    'Gemm',
    'Mul',
    'Div',
    'Add',
    'BiasAdd',
    'AvgPool',
    'GlobalAvgPool',
    'BatchNorm',
    'Relu',
    'Pad',
  ];
  it.each(OPS)('%s: refused, flagged, or within the bound', (op) => {
    fc.assert(
      fc.property(
        hlilOpProgram(op).chain((p) => inputsArb(p, 6, 512, 'any').map((inp) => [p, inp] as const)),
        ([p, inputs]) => {
          const r = runBoth(p, inputs, 20, 6);
          const key =
            r.kind === 'overflow-flagged' ? `flagged (${r.wrong ? 'wrong' : 'happened to be right'})` : r.kind;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          if (r.kind === 'compared') expect(maxError(r)).toBeLessThanOrEqual(r.bound);
          if (r.kind === 'encode-refused') expect(r.error.code).toBe('fixed-range');
        },
      ),
    );
  });
});
