/**
 * Float-to-fixed of ONE HLIL operation, then fixedSem, against floatSem (proofs-notes/fixed-point.md):
 *   - every operation: entrywise |decode(fixed) − float| ≤ errorBound (passes/float-to-fixed/bounds.ts),
 *     at ℓ = 64, s = 12 (the paper's ImageNet setting), arbitrary float32 inputs of magnitude ≤ 8;
 *   - exact operations agree EXACTLY on encoded values: fixed result = encode(float result) bit for
 *     bit (Relu, MaxPool and layout operators for any inputs; Add, Sub, BiasAdd and ArgMax when the
 *     inputs lie on the grid 2^−s·Z);
 *   - the lowered program passes the LLIL checker.
 * Measured worst errors (in ulps of 2^−s and as a fraction of the bound) are printed at the end.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { FixedPoint } from '../../spec/fixed.js';
import type { HOp, HProgram } from '../../ir/hlil.js';
import { checkLlil } from '../../ir/check.js';
import { floatSemAll } from '../../semantics/float.js';
import { HLIL_OPS, hlilOpProgram } from '../arbitraries/hlil.js';
import { declValues, inputsArb, maxError, runBoth } from './support.js';

const ELL = 64;
const S = 12;
const MAG = 8;

const EXACT_ANY: readonly HOp[] = ['Relu', 'MaxPool', 'Concat', 'Pad', 'Reshape', 'Flatten', 'Transpose', 'Squeeze'];
const EXACT_GRID: readonly HOp[] = ['Add', 'Sub', 'BiasAdd'];

const stats = new Map<HOp, { ulps: number; ratio: number; runs: number }>();

afterAll(() => {
  const rows = [...stats].map(
    ([op, s]) =>
      `${op.padEnd(14)} max ${s.ulps.toFixed(3).padStart(8)} ulp   ${(100 * s.ratio).toFixed(1).padStart(5)}% of bound   (${s.runs} runs)`,
  );
  console.log(`float-to-fixed one-op errors at ℓ=${ELL}, s=${S}, |inputs| ≤ ${MAG}:\n${rows.join('\n')}`);
});

function withInputs(op: HOp, values: 'grid' | 'any'): fc.Arbitrary<[HProgram, Map<string, Float32Array>]> {
  return hlilOpProgram(op).chain((p) =>
    inputsArb(p, S, MAG, values).map((inp): [HProgram, Map<string, Float32Array>] => [p, inp]),
  );
}

describe('float-to-fixed, one operation: within the derived bound', () => {
  it.each(HLIL_OPS.filter((op) => op !== 'ArgMax'))('%s', (op) => {
    fc.assert(
      fc.property(withInputs(op, 'any'), ([p, inputs]) => {
        const r = runBoth(p, inputs, ELL, S);
        expect(r.kind).toBe('compared');
        if (r.kind !== 'compared') return;
        expect(E.isRight(checkLlil(r.plan.program))).toBe(true);
        const err = maxError(r);
        expect(err).toBeLessThanOrEqual(r.bound);
        const st = stats.get(op) ?? { ulps: 0, ratio: 0, runs: 0 };
        stats.set(op, {
          ulps: Math.max(st.ulps, err * 2 ** S),
          ratio: Math.max(st.ratio, r.bound > 0 ? err / r.bound : 0),
          runs: st.runs + 1,
        });
      }),
    );
  });

  it('ArgMax: the fixed index is a maximum up to one ulp', () => {
    fc.assert(
      fc.property(withInputs('ArgMax', 'any'), ([p, inputs]) => {
        const r = runBoth(p, inputs, ELL, S);
        if (r.kind !== 'compared') throw new Error(r.kind);
        const node = p.nodes[0];
        if (node?.op !== 'ArgMax') throw new Error('not ArgMax');
        const x = declValues(p, inputs, node.x);
        const shape = p.decls.find((d) => d.name === node.x)?.shape ?? [];
        const d = shape[node.axis] ?? 1;
        const inner = shape.slice(node.axis + 1).reduce((a, b) => a * b, 1);
        const idx = r.fixed.get(p.outputs[0]?.name ?? '') ?? new Float64Array();
        idx.forEach((i, cell) => {
          const [o, rest] = [Math.floor(cell / inner), cell % inner];
          const at = (t: number): number => x[(o * d + t) * inner + rest] as number;
          let m = -Infinity;
          for (let t = 0; t < d; t++) m = Math.max(m, at(t));
          expect(m - at(i)).toBeLessThanOrEqual(r.bound);
        });
      }),
    );
  });
});

describe('exact operations agree exactly on encoded values', () => {
  const fp = FixedPoint({ ell: ELL, scale: S });
  const exactCheck = (op: HOp, values: 'grid' | 'any'): void => {
    fc.assert(
      fc.property(withInputs(op, values), ([p, inputs]) => {
        const r = runBoth(p, inputs, ELL, S);
        if (r.kind !== 'compared') throw new Error(r.kind);
        const all = floatSemAll(p, inputs);
        for (const o of p.outputs) {
          const want = fp.encodeTensor(all.get(o.name)?.data ?? new Float32Array());
          const got = r.raw.get(o.name);
          const argmax = p.nodes[0]?.op === 'ArgMax';
          expect(got).toEqual(argmax ? BigUint64Array.from(all.get(o.name)?.data ?? [], (v) => BigInt(v)) : want);
        }
      }),
    );
  };
  it.each(EXACT_ANY)('%s (any float32 inputs)', (op) => exactCheck(op, 'any'));
  it.each([...EXACT_GRID, 'ArgMax' as const])('%s (inputs on the grid 2^−s·Z)', (op) => exactCheck(op, 'grid'));
});
