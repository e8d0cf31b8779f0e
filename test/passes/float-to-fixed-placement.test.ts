/**
 * ScaleDown placement (passes/float-to-fixed/context.ts): eager (the paper's, after every product)
 * and lazy (deferred past scale-preserving operators to the next product or output).
 *   - both lower random programs to well-typed LLIL that the analysis bounds (the soundness of those
 *     bounds is float-to-fixed-analysis.test.ts);
 *   - lazy never has more ScaleDowns than eager, and outputs keep scale s;
 *   - a hand program shows where lazy puts the truncation.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { hlilBuilder } from '../../ir/builder.js';
import { checkLlil } from '../../ir/check.js';
import type { LProgram } from '../../ir/llil.js';
import { printLlil } from '../../ir/text.js';
import { floatSem } from '../../semantics/float.js';
import { fixedSem } from '../../semantics/fixed.js';
import { decodeOutputs } from '../../semantics/decode.js';
import { analyzeProgram } from '../../passes/float-to-fixed/analysis.js';
import { encodeInputs, floatToFixed } from '../../passes/float-to-fixed/program.js';
import { hlilProgram } from '../arbitraries/hlil.js';
import { inputsArb } from './support.js';

const count = (p: LProgram, op: string): number => p.nodes.filter((n) => n.op === op).length;

describe('eager and lazy placement on random programs', () => {
  it('both are well typed; lazy has no more ScaleDowns; output scales agree', () => {
    let fewer = 0;
    fc.assert(
      fc.property(hlilProgram({ maxNodes: 8 }), (p) => {
        const eager = floatToFixed(p, { ell: 64, scale: 12 });
        const lazy = floatToFixed(p, { ell: 64, scale: 12, placement: 'lazy' });
        for (const plan of [eager, lazy]) {
          const r = checkLlil(plan.program);
          expect(E.isRight(r) ? [] : r.left.map((e) => e.message)).toEqual([]);
        }
        expect(count(lazy.program, 'ScaleDown')).toBeLessThanOrEqual(count(eager.program, 'ScaleDown'));
        if (count(lazy.program, 'ScaleDown') < count(eager.program, 'ScaleDown')) fewer++;
        const scales = (q: LProgram): number[] =>
          q.outputs.map(
            (o) =>
              q.nodes.find((n) => n.out === o.name)?.type.scale ?? q.decls.find((d) => d.name === o.name)?.scale ?? -1,
          );
        expect(scales(lazy.program)).toEqual(scales(eager.program));
      }),
      { numRuns: 150 },
    );
    expect(fewer).toBeGreaterThan(0);
  });

  it('both stay within their analysed bounds on the same inputs', () => {
    fc.assert(
      fc.property(
        hlilProgram({ maxNodes: 6 }).chain((p) => inputsArb(p, 12, 2, 'any').map((inputs) => [p, inputs] as const)),
        ([p, inputs]) => {
          const float = floatSem(p, inputs);
          const client = p.decls
            .filter((d) => d.kind === 'input' && d.owner === 'client')
            .flatMap((d) => Array.from(inputs.get(d.name) ?? []));
          const range = { lo: Math.min(0, ...client), hi: Math.max(0, ...client) };
          const weights = new Map(
            [...inputs].filter(([k]) =>
              p.decls.some((d) => d.kind === 'input' && d.name === k && d.owner === 'server'),
            ),
          );
          for (const placement of ['eager', 'lazy'] as const) {
            const plan = floatToFixed(p, { ell: 64, scale: 12, placement });
            const report = analyzeProgram(plan, weights, range);
            expect(report.boundsHold).toBe(true);
            const fixed = decodeOutputs(plan.program, fixedSem(plan.program, encodeInputs(plan, inputs)));
            report.outputs.forEach((o, i) => {
              const x = fixed.get(plan.program.outputs[i]?.name ?? '') ?? new Float64Array();
              const f = float.get(o.name) ?? new Float32Array();
              x.forEach((v, j) => expect(Math.abs(v - (f[j] as number))).toBeLessThanOrEqual(o.errorBound));
            });
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('where lazy placement truncates', () => {
  const b = hlilBuilder();
  const x = b.input('x', [1, 4], 'client');
  const h = b.node({ op: 'MatMul', a: x, b: b.input('W1', [4, 4], 'server') }, 'h');
  const r = b.node({ op: 'Relu', x: h }, 'r');
  const sum = b.node({ op: 'Add', a: r, b: b.input('b1', [4], 'server') }, 'sum');
  const y = b.node({ op: 'MatMul', a: sum, b: b.input('W2', [4, 2], 'server') }, 'y');
  b.output(y, 'client');
  const p = b.build();

  it('eager: ScaleDown right after each MatMul', () => {
    const text = printLlil(floatToFixed(p, { ell: 64, scale: 12 }).program);
    expect(text).toContain('h : secret fix[1,4]@12 = ScaleDown(h:acc, 12)');
    expect(text).toContain('r : secret fix[1,4]@12 = Relu(h)');
    expect(text).toContain('sum : secret fix[1,4]@12 = Add(r, b1)');
  });

  it('lazy: Relu and Add work at 2s (the bias encoded at 2s), one ScaleDown before the next MatMul', () => {
    const plan = floatToFixed(p, { ell: 64, scale: 12, placement: 'lazy' });
    const text = printLlil(plan.program);
    expect(text).toContain('h : secret fix[1,4]@24 = MatMul(x, W1)');
    expect(text).toContain('r : secret fix[1,4]@24 = Relu(h)');
    expect(text).toContain('input b1:s24 : fix[4]@24 @server');
    expect(text).toContain('sum:s24 : secret fix[1,4]@24 = Add(r, b1:s24)');
    expect(text).toContain('sum : secret fix[1,4]@12 = ScaleDown(sum:s24, 12)');
    expect(text).toContain('y : secret fix[1,2]@12 = ScaleDown(y:acc, 12)');
    expect(count(plan.program, 'ScaleDown')).toBe(2);
  });
});
