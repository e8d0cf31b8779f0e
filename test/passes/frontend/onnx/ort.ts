/**
 * onnxruntime-node (CPU) as the float oracle of the ONNX frontend's differential tests.
 *
 * Loading is checked once, with a one-node model: if the native binding cannot load in this
 * environment, `ORT.available` is false and `ORT.reason` says why, so suites can skip VISIBLY
 * (`describe.skipIf(!ORT.available)` and a printed reason) instead of passing silently.
 * Sessions run with graph optimisations disabled (each ONNX node runs as its reference CPU kernel,
 * no fusions) and one thread (deterministic, and the machine is shared).
 */
import type * as OrtModule from 'onnxruntime-node';
import { onnxGraph } from '../../../../passes/frontend/onnx/writer.js';

export interface OrtTensor {
  readonly dims: readonly number[];
  readonly data: ArrayLike<number>;
}

type Ort = typeof OrtModule;

async function load(): Promise<{ ort: Ort | null; reason: string }> {
  try {
    const ort = (await import('onnxruntime-node')) as Ort;
    const g = onnxGraph({ opset: 13 });
    g.output(g.node('Relu', [g.input('x', [1])]), [1]);
    const s = await ort.InferenceSession.create(g.bytes(), { logSeverityLevel: 3 });
    await s.run({ x: new ort.Tensor('float32', Float32Array.of(-1), [1]) });
    await s.release();
    return { ort, reason: '' };
  } catch (e) {
    return {
      ort: null,
      reason: `onnxruntime-node could not run in this environment: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

const loaded = await load();

/** Run a model on float32 inputs; outputs by name (int64 outputs converted to numbers). */
async function run(bytes: Uint8Array, inputs: ReadonlyMap<string, OrtTensor>): Promise<Map<string, OrtTensor>> {
  const ort = loaded.ort;
  if (ort === null) throw new Error(loaded.reason);
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'disabled',
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    logSeverityLevel: 3,
  });
  try {
    const feeds: Record<string, OrtModule.Tensor> = {};
    for (const [k, v] of inputs) feeds[k] = new ort.Tensor('float32', Float32Array.from(v.data), [...v.dims]);
    const out = await session.run(feeds);
    const result = new Map<string, OrtTensor>();
    for (const [k, t] of Object.entries(out)) {
      const data =
        t.data instanceof BigInt64Array ? Float64Array.from(t.data, (x) => Number(x)) : (t.data as Float32Array);
      result.set(k, { dims: [...t.dims], data });
    }
    return result;
  } finally {
    await session.release();
  }
}

export const ORT = { available: loaded.ort !== null, reason: loaded.reason, run } as const;
