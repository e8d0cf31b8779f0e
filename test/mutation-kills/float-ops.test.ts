/**
 * The float32 semantics operator by operator (semantics/float.ts, semantics/float-ops.ts), on small
 * hand-computed cases with every step rounded by Math.fround as the header states. The existing suite
 * checks a few compositions; these pin each operator on its own, where a swapped operator (Sub for
 * Add, Div for Mul), a dropped bias (Conv, ConvTranspose, Gemm's C, BiasAdd), ReLU's treatment of
 * negatives and −0, and Softmax along a non-last axis would otherwise go unnoticed.
 */
import { describe, expect, it } from 'vitest';
import { hlilBuilder, type HlilBuilder } from '../../ir/builder.js';
import { floatSem } from '../../semantics/float.js';
import { floatBinary, floatSoftmax, type FloatBinaryOp } from '../../semantics/float-ops.js';
import { InvariantViolation } from '../../spec/errors.js';

const fl = Math.fround;

/** Build a one-output program with `body`, run it on `inputs`, return the output's values. */
function run(body: (b: HlilBuilder) => string, inputs: Record<string, readonly number[]> = {}): number[] {
  const b = hlilBuilder();
  b.output(body(b), 'client');
  const p = b.build();
  const out = floatSem(p, new Map(Object.entries(inputs).map(([k, v]) => [k, Float32Array.from(v)])));
  return [...(out.get(p.outputs[0]?.name ?? '') ?? [])];
}

const A = [1.5, -2.25, 0.1, 7];
const B = [0.3, -4];

describe('elementwise operators with broadcasting ([2, 2] with [2])', () => {
  it.each([
    { op: 'sub', f: (a: number, b: number) => fl(a - b) },
    { op: 'mul', f: (a: number, b: number) => fl(a * b) },
    { op: 'div', f: (a: number, b: number) => fl(a / b) },
    { op: 'add', f: (a: number, b: number) => fl(a + b) },
  ] as const)('$op', ({ op, f }) => {
    const got = run((b) => b[op](b.input('a', [2, 2], 'client'), b.const('b', [2], B)), { a: A });
    expect(got).toEqual(A.map((a, i) => f(fl(a), fl(B[i % 2] as number))));
  });
});

describe('ReLU', () => {
  it('keeps positives, zeroes negatives and −0 (to +0)', () => {
    const got = run((b) => b.relu(b.input('x', [5], 'client')), { x: [2.5, -1, 0, -0, -1e-30] });
    expect(got).toEqual([2.5, 0, 0, 0, 0]);
    expect(Object.is(got[3], 0)).toBe(true);
  });
});

describe('biases', () => {
  it('BiasAdd adds b[c] along axis 1', () => {
    const got = run((b) => b.biasAdd(b.input('x', [1, 2, 2], 'client'), b.const('b', [2], [0.5, -3])), {
      x: [1, 2, 3, 4],
    });
    expect(got).toEqual([1.5, 2.5, 0, 1]);
  });

  it('Conv (1×1 filter) adds its bias after the sum', () => {
    const got = run(
      (b) =>
        b.conv(b.input('x', [1, 2, 1, 2], 'client'), b.const('w', [1, 2, 1, 1], [2, -1]), {
          b: b.const('c', [1], [0.25]),
        }),
      { x: [1, 3, 5, 7] },
    );
    expect(got).toEqual([fl(fl(fl(0 + 2 * 1) + -1 * 5) + 0.25), fl(fl(fl(0 + 2 * 3) + -1 * 7) + 0.25)]);
  });

  it('ConvTranspose adds its bias', () => {
    const got = run(
      (b) =>
        b.convTranspose(b.input('x', [1, 1, 1, 2], 'client'), b.const('w', [1, 1, 1, 1], [3]), {
          b: b.const('c', [1], [-1]),
        }),
      { x: [2, 5] },
    );
    expect(got).toEqual([5, 14]);
  });

  it('Gemm: transposes as told and adds C (broadcast)', () => {
    const a = [1, 2, 3, 4, 5, 6];
    const w = [1, 0, -1, 2, 0.5, 3];
    const got = run(
      (b) =>
        b.gemm(b.input('a', [3, 2], 'client'), b.const('w', [2, 3], w), {
          c: b.const('c', [2], [10, 20]),
          transA: true,
          transB: true,
        }),
      { a },
    );
    const at = [
      [1, 3, 5],
      [2, 4, 6],
    ];
    const wt = [
      [1, 2],
      [0, 0.5],
      [-1, 3],
    ];
    const want: number[] = [];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        let acc = 0;
        for (let t = 0; t < 3; t++) acc = fl(acc + fl((at[i]?.[t] as number) * (wt[t]?.[j] as number)));
        want.push(fl(acc + ([10, 20][j] as number)));
      }
    }
    expect(got).toEqual(want);
  });

  it('MatMul and Gemm without C', () => {
    const got = run((b) => b.matmul(b.input('a', [1, 2], 'client'), b.const('w', [2, 1], [3, -2])), { a: [0.5, 4] });
    expect(got).toEqual([fl(fl(0 + 1.5) + -8)]);
    expect(run((b) => b.gemm(b.input('a', [1, 2], 'client'), b.const('w', [2, 1], [3, -2])), { a: [0.5, 4] })).toEqual(
      got,
    );
  });
});

describe('pooling', () => {
  it('MaxPool takes each window maximum', () => {
    const got = run((b) => b.maxPool(b.input('x', [1, 1, 2, 3], 'client'), { kernel: [1, 2], strides: [1, 1] }), {
      x: [1, -5, 4, -2, -7, -1],
    });
    expect(got).toEqual([1, 4, -2, -1]);
  });
});

describe('Softmax along a non-last axis', () => {
  it('axis 0 of a [3, 2] tensor: each column normalised on its own', () => {
    const x = [1, -1, 2, 0, 0.5, 3];
    const got = run((b) => b.softmax(b.input('x', [3, 2], 'client'), 0), { x });
    for (const col of [0, 1]) {
      const v = [0, 1, 2].map((r) => x[r * 2 + col] as number);
      const m = Math.max(...v);
      const e = v.map((t) => fl(Math.exp(fl(t - m))));
      const s = e.reduce((a, t) => fl(a + t), 0);
      [0, 1, 2].forEach((r) => expect(got[r * 2 + col]).toBe(fl((e[r] as number) / s)));
    }
  });
});

describe('floatBinary outside the operator union', () => {
  const bogus = 'Pow' as unknown as FloatBinaryOp;
  const t = (shape: readonly number[], v: readonly number[]) => ({ shape, data: Float32Array.from(v) });

  /**
   * Pins float-ops.ts:41 (ConditionalExpression: the default case emptied, which would yield NaN) and
   * float-ops.ts:42 (StringLiteral: the name of what is unhandled).
   */
  it('an unknown operator is an internal error naming it', () => {
    expect(() => floatBinary(bogus, t([2], [1, 2]), t([2], [3, 4]))).toThrow(InvariantViolation);
    expect(() => floatBinary(bogus, t([2], [1, 2]), t([2], [3, 4]))).toThrow(
      'internal error (please report): unhandled binary operator: "Pow"',
    );
  });

  /**
   * Pins float-ops.ts:50 (EqualityOperator → i <= out.length): the operator is applied once per
   * output entry and never for an empty result, so even an unknown one is not reached there.
   */
  it('an empty result applies no operator at all', () => {
    const got = floatBinary(bogus, t([0, 2], []), t([2], [3, 4]));
    expect(got.shape).toEqual([0, 2]);
    expect(got.data.length).toBe(0);
  });
});

describe('floatSoftmax reads and writes only the entries its shape describes', () => {
  /**
   * Pins float-ops.ts:94 (MethodExpression: outer = numel of the whole shape) and float-ops.ts:97
   * (EqualityOperator → o <= outer): data past numel(shape) is neither normalised nor written; the
   * output keeps 0 there.
   */
  it('entries past the shape stay 0', () => {
    const got = floatSoftmax({ shape: [1, 2], data: Float32Array.from([1, 1, 5, 5]) }, 1);
    expect([...got.data]).toEqual([0.5, 0.5, 0, 0]);
  });

  /**
   * Pins float-ops.ts:108 (EqualityOperator → t <= d): the normalising loop stops at the axis
   * length; one more step would divide the entry after the last row by that row's sum (NaN here,
   * as the row holds a NaN) instead of leaving it 0.
   */
  it('the entry after the last row is not divided by its sum', () => {
    const got = floatSoftmax({ shape: [1, 2], data: Float32Array.from([Number.NaN, 0, 3]) }, 1);
    expect([...got.data]).toEqual([Number.NaN, Number.NaN, 0]);
  });
});
