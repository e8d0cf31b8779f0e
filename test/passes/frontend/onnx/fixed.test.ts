/**
 * The fixed-point program of an ONNX model agrees with onnxruntime within the error the float-to-fixed
 * pass predicts: import (onnxToHlil), lower (floatToFixed, ℓ = 64, s = 12, eager and lazy ScaleDown
 * placement), encode the client input and the server weights (encodeInputs), run fixedSem, decode
 * the outputs, and check entrywise
 *     |decoded − onnxruntime| ≤ B + E
 * where B is the composed bound on |decoded − floatSem| from the range analysis
 * (passes/float-to-fixed/analysis.ts, `analyzeProgram`, for client inputs in [−1, 1]) and E the
 * float tolerance of floatSem against onnxruntime (tolerance.ts). ArgMax outputs: the float value at
 * the fixed index is within the analysis's gap of the float value at onnxruntime's index, up to E.
 * Runs whose report says a value may overflow are counted, not compared (the bounds do not claim to
 * hold there); every operator alone and random graphs are covered.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { showShape } from '../../../../spec/geometry.js';
import { decodeOutputs } from '../../../../semantics/decode.js';
import { fixedSem } from '../../../../semantics/fixed.js';
import { analyzeProgram } from '../../../../passes/float-to-fixed/analysis.js';
import { encodeInputs, floatToFixed, type Placement } from '../../../../passes/float-to-fixed/program.js';
import { onnxToHlil } from '../../../../passes/frontend/onnx/index.js';
import { ONNX_HEADS, ONNX_STEP_OPS, onnxGraph, onnxOpGraph, type OnnxCase } from '../../../arbitraries/onnx.js';
import { hlilInputs } from './differential.js';
import { ORT } from './ort.js';
import { floatRun, headTolerance } from './tolerance.js';

const ELL = 64;
const SCALE = 12;
const slow = process.env['CRYPTFLOW_SLOW'] === '1' ? 20 : 1;

const stats = new Map<string, { compared: number; overflow: number; worst: number; maxUlps: number }>();
const entry = (key: string): { compared: number; overflow: number; worst: number; maxUlps: number } => {
  const e = stats.get(key) ?? { compared: 0, overflow: 0, worst: 0, maxUlps: 0 };
  stats.set(key, e);
  return e;
};
afterAll(() => {
  if (stats.size === 0) return;
  const rows = [...stats].map(
    ([k, s]) =>
      `${k.padEnd(20)} ${String(s.compared).padStart(4)} compared, ${String(s.overflow).padStart(3)} may overflow; worst |Δ| ${s.maxUlps.toFixed(2).padStart(7)} ulp = ${(100 * s.worst).toFixed(1).padStart(5)}% of the bound`,
  );
  console.log(`ONNX fixed point (ℓ=${ELL}, s=${SCALE}) vs onnxruntime:\n${rows.join('\n')}`);
});

async function check(key: string, c: OnnxCase, placement: Placement): Promise<void> {
  const seen = entry(key);
  const m = onnxToHlil(c.bytes);
  const plan = floatToFixed(m.program, { ell: ELL, scale: SCALE, placement });
  const report = analyzeProgram(plan, m.weights, { lo: -1, hi: 1 });
  if (!report.boundsHold) {
    seen.overflow++;
    return;
  }
  seen.compared++;
  const inputs = hlilInputs(m, c.inputs);
  const fixed = decodeOutputs(plan.program, fixedSem(plan.program, encodeInputs(plan, inputs)));
  const run = floatRun(m.program, inputs);
  const shapes = new Map(m.program.decls.map((d) => [d.name, d.shape] as const));
  const ort = await ORT.run(
    c.bytes,
    new Map([...c.inputs].map(([k, v]) => [k, { dims: shapes.get(m.inputs.get(k) ?? '') ?? [], data: v }] as const)),
  );
  m.program.outputs.forEach((o, i) => {
    const onnx = [...m.outputs].find(([, h]) => h === o.name)?.[0] ?? '';
    const theirs = ort.get(onnx);
    const ours = fixed.get(plan.program.outputs[i]?.name ?? '');
    const r = report.outputs[i];
    if (theirs === undefined || ours === undefined || r === undefined) throw new Error(`output ${onnx}: missing`);
    const where = `output ${onnx} (ops ${c.ops.join(' → ')}, opset ${c.opset}, ${placement})`;
    expect(showShape(theirs.dims), where).toBe(showShape(r.shape));
    const node = run.producer(o.name);
    if (node?.op === 'ArgMax') {
      const x = run.values.get(node.x);
      const e = run.bound(node.x);
      if (x === undefined) throw new Error('no ArgMax operand');
      const d = x.shape[node.axis] ?? 1;
      const inner = x.shape.slice(node.axis + 1).reduce((a, b) => a * b, 1);
      ours.forEach((iFixed, cell) => {
        const at = (t: number): number => (Math.floor(cell / inner) * d + t) * inner + (cell % inner);
        const j = Number(theirs.data[cell]);
        const gap = (x.data[at(j)] as number) - (x.data[at(iFixed)] as number);
        expect(gap, where).toBeLessThanOrEqual(
          (r.argmaxGap ?? Infinity) + (e[at(j)] as number) + (e[at(iFixed)] as number),
        );
      });
      return;
    }
    const floatTol = node?.op === 'Softmax' || node?.op === 'Sigmoid' ? headTolerance(run, node) : run.bound(o.name);
    ours.forEach((v, k) => {
      const err = Math.abs(v - Number(theirs.data[k]));
      const bound = r.errorBound + (floatTol[k] as number);
      expect(err, `${where}[${k}]: fixed ${v}, onnxruntime ${Number(theirs.data[k])}`).toBeLessThanOrEqual(bound);
      seen.maxUlps = Math.max(seen.maxUlps, err * 2 ** SCALE);
      if (bound > 0) seen.worst = Math.max(seen.worst, err / bound);
    });
  });
}

if (!ORT.available) console.warn(`[onnx fixed point] SKIPPED: ${ORT.reason}`);

describe.skipIf(!ORT.available)(
  'fixedSem(floatToFixed(onnxToHlil(model))) agrees with onnxruntime within the predicted bound',
  () => {
    it.each([...ONNX_STEP_OPS, ...ONNX_HEADS])('%s alone', async (op) => {
      await fc.assert(
        fc.asyncProperty(onnxOpGraph(op), fc.constantFrom<Placement>('eager', 'lazy'), (c, pl) => check(op, c, pl)),
        { numRuns: 10 * slow },
      );
    });

    it('random graphs', async () => {
      await fc.assert(
        fc.asyncProperty(onnxGraph({ maxNodes: 6 }), fc.constantFrom<Placement>('eager', 'lazy'), (c, pl) =>
          check('graphs', c, pl),
        ),
        { numRuns: 200 * slow },
      );
    });
  },
);
