/**
 * One differential run: import a generated ONNX model, evaluate floatSem on its inputs and weights,
 * run the same bytes in onnxruntime, and compare every graph output — shape exactly, values within
 * the tolerance of tolerance.ts (indices of ArgMax by the consistency rule there). A failure says
 * which output, entry, both values and the bound, and lists the model's operators.
 */
import { showShape } from '../../../../spec/geometry.js';
import type { HNode } from '../../../../ir/hlil.js';
import { onnxToHlil, type OnnxImport } from '../../../../passes/frontend/onnx/index.js';
import type { OnnxCase } from '../../../arbitraries/onnx.js';
import { ORT } from './ort.js';
import { argmaxAgrees, floatRun, headTolerance, type FloatRun } from './tolerance.js';

export interface Comparison {
  /** Largest |ours − ort| / tolerance over all compared entries (ArgMax: gap / allowed gap). */
  readonly worst: number;
  /** Largest |ours − ort| over value outputs. */
  readonly maxAbs: number;
  readonly imported: OnnxImport;
  readonly run: FloatRun;
}

/** HLIL inputs for floatSem: the client's values (by HLIL name) and the server's weights. */
export function hlilInputs(m: OnnxImport, onnxInputs: ReadonlyMap<string, Float32Array>): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>(m.weights);
  for (const [onnx, hlil] of m.inputs) {
    const v = onnxInputs.get(onnx);
    if (v === undefined) throw new Error(`test: no value for graph input ${onnx}`);
    out.set(hlil, v);
  }
  return out;
}

function fail(c: OnnxCase, what: string): never {
  throw new Error(`${what}\n  model: opset ${c.opset}, ops ${c.ops.join(' → ')}`);
}

export async function compareWithOrt(c: OnnxCase): Promise<Comparison> {
  const imported = onnxToHlil(c.bytes);
  const run = floatRun(imported.program, hlilInputs(imported, c.inputs));
  const shapes = new Map(imported.program.decls.map((d) => [d.name, d.shape] as const));
  const feeds = new Map(
    [...c.inputs].map(([k, v]) => [k, { dims: shapes.get(imported.inputs.get(k) ?? '') ?? [], data: v }] as const),
  );
  const ort = await ORT.run(c.bytes, feeds);
  let worst = 0;
  let maxAbs = 0;
  for (const [onnx, hlil] of imported.outputs) {
    const theirs = ort.get(onnx) ?? fail(c, `onnxruntime gave no output ${onnx}`);
    const ours = run.values.get(hlil) ?? fail(c, `floatSem gave no value ${hlil}`);
    if (showShape(theirs.dims) !== showShape(ours.shape))
      fail(c, `output ${onnx}: shape ${showShape(ours.shape)}, onnxruntime ${showShape(theirs.dims)}`);
    const node: HNode | undefined = run.producer(hlil);
    if (node?.op === 'ArgMax') {
      const r = argmaxAgrees(run, node, theirs.data);
      if (!r.ok)
        fail(
          c,
          `output ${onnx} (ArgMax): indices [${Array.from(ours.data).join(',')}], onnxruntime [${Array.from(theirs.data).join(',')}] differ beyond the input's bound`,
        );
      worst = Math.max(worst, r.worst);
      continue;
    }
    const tol = node?.op === 'Softmax' || node?.op === 'Sigmoid' ? headTolerance(run, node) : run.bound(hlil);
    ours.data.forEach((v, i) => {
      const t = Number(theirs.data[i]);
      const err = Math.abs(v - t);
      const bound = tol[i] as number;
      if (!(err <= bound))
        fail(c, `output ${onnx}[${i}]: floatSem ${v}, onnxruntime ${t}, |Δ| ${err} > tolerance ${bound}`);
      maxAbs = Math.max(maxAbs, err);
      if (bound > 0) worst = Math.max(worst, err / bound);
    });
  }
  return { worst, maxAbs, imported, run };
}
