/** The float32 semantics of HLIL (semantics/float.ts): hand-computed cases, orders, input refusals. */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { hlilBuilder } from '../../ir/builder.js';
import { checkHlil } from '../../ir/check.js';
import { floatSem, floatSemAll } from '../../semantics/float.js';
import { hlilProgram } from '../arbitraries/hlil.js';
import { inputsArb } from '../passes/support.js';

const fl = Math.fround;

function logistic() {
  const b = hlilBuilder();
  const x = b.input('x', [1, 2], 'client');
  const w = b.input('W', [2, 1], 'server');
  const c = b.const('b', [1], [0.25]);
  b.output(b.sigmoid(b.add(b.matmul(x, w), c)), 'client');
  return b.build();
}

describe('floatSem', () => {
  it('logistic regression (CrypTFlow Fig. 3a): every step rounded to float32 in the stated order', () => {
    const [x0, x1, w0, w1] = [fl(0.1), fl(-0.7), fl(1.3), fl(0.9)];
    const out = floatSem(
      logistic(),
      new Map([
        ['x', Float32Array.of(x0, x1)],
        ['W', Float32Array.of(w0, w1)],
      ]),
    );
    const z = fl(fl(fl(0 + fl(x0 * w0)) + fl(x1 * w1)) + 0.25);
    expect(out.get(logistic().outputs[0]?.name ?? '')?.[0]).toBe(fl(1 / fl(1 + fl(Math.exp(-z)))));
  });

  it('BatchNorm: fl(fl(γ·fl(fl(x−μ)/fl(√fl(σ²+fl(ε))))) + β)', () => {
    const b = hlilBuilder();
    const x = b.input('x', [1, 2], 'client');
    const p = {
      scale: b.const('g', [2], [1.5, -2]),
      bias: b.const('be', [2], [0.5, 1]),
      mean: b.const('m', [2], [0.1, 0.2]),
      var: b.const('v', [2], [0.3, 2]),
    };
    b.output(b.batchNorm(x, { ...p, epsilon: 1e-3 }), 'client');
    const prog = b.build();
    const xs = Float32Array.of(0.7, -1.1);
    const y = floatSem(prog, new Map([['x', xs]])).get(prog.outputs[0]?.name ?? '');
    const want = [0, 1].map((k) => {
      const [g, be, m, v] = [[1.5, -2][k], [0.5, 1][k], [0.1, 0.2][k], [0.3, 2][k]].map((t) => fl(t as number)) as [
        number,
        number,
        number,
        number,
      ];
      return fl(fl(g * fl(fl((xs[k] as number) - m) / fl(Math.sqrt(fl(v + fl(1e-3)))))) + be);
    });
    expect(Array.from(y ?? [])).toEqual(want);
  });

  it('Softmax sums to 1 within (n + 2)·2^−24 per row; ArgMax takes the first maximum', () => {
    const b = hlilBuilder();
    const x = b.input('x', [2, 5], 'client');
    b.output(b.softmax(x, 1), 'client');
    b.output(b.argmax(x, 1), 'server');
    const p = b.build();
    const xs = Float32Array.of(1, 3, 3, -2, 0.5, 100, -100, 100, 7, 7);
    const out = floatSemAll(p, new Map([['x', xs]]));
    const sm = out.get(p.outputs[0]?.name ?? '')?.data ?? new Float32Array();
    for (const row of [0, 1]) {
      const s = Array.from(sm.slice(5 * row, 5 * row + 5)).reduce((a, v) => a + v, 0);
      expect(Math.abs(s - 1)).toBeLessThanOrEqual(7 * 2 ** -24);
    }
    expect(Array.from(out.get(p.outputs[1]?.name ?? '')?.data ?? [])).toEqual([1, 0]);
  });

  it('AvgPool divides by the full window (countIncludePad) or by the unpadded cells', () => {
    const mk = (countIncludePad: boolean) => {
      const b = hlilBuilder();
      b.output(
        b.avgPool(b.input('x', [1, 1, 2], 'client'), { kernel: [2], strides: [1], pads: [1, 0], countIncludePad }),
        'client',
      );
      return b.build();
    };
    const run = (p: ReturnType<typeof mk>) =>
      Array.from(floatSem(p, new Map([['x', Float32Array.of(3, 5)]])).get(p.outputs[0]?.name ?? '') ?? []);
    expect(run(mk(true))).toEqual([1.5, 4]);
    expect(run(mk(false))).toEqual([3, 4]);
  });

  describe('inputs are validated and errors never print values', () => {
    const p = logistic();
    const secret = fl(123.4567);
    const cases: Array<[string, Map<string, Float32Array>, string]> = [
      ['missing', new Map([['x', Float32Array.of(secret, 1)]]), "missing input 'W'"],
      [
        'wrong length',
        new Map([
          ['x', Float32Array.of(secret)],
          ['W', Float32Array.of(1, 2)],
        ]),
        "input 'x'",
      ],
      [
        'non-finite',
        new Map([
          ['x', Float32Array.of(secret, NaN)],
          ['W', Float32Array.of(1, 2)],
        ]),
        "input 'x' has a non-finite entry at index 1",
      ],
      [
        'undeclared',
        new Map([
          ['x', Float32Array.of(secret, 1)],
          ['W', Float32Array.of(1, 2)],
          ['z', Float32Array.of(secret)],
        ]),
        "'z' is not a declared input",
      ],
    ];
    it.each(cases)('%s', (_, inputs, message) => {
      expect(() => floatSem(p, inputs)).toThrow(CryptflowError);
      try {
        floatSem(p, inputs);
      } catch (e) {
        expect((e as Error).message).toContain(message);
        expect((e as Error).message).not.toMatch(/123\.45/);
      }
    });
  });

  it('random well-typed programs: every value has the shape the checker infers', () => {
    fc.assert(
      fc.property(
        hlilProgram().chain((p) => inputsArb(p, 8, 2, 'any').map((inp) => [p, inp] as const)),
        ([p, inputs]) => {
          const info = checkHlil(p);
          if (E.isLeft(info)) throw new Error('arbitrary produced an ill-typed program');
          for (const [name, t] of floatSemAll(p, inputs)) {
            expect(t.shape).toEqual(info.right.shapeOf(name));
            expect(t.data.length).toBe(t.shape.reduce((a, d) => a * d, 1));
          }
        },
      ),
    );
  });
});
