/**
 * fast-check arbitraries of random WELL-FORMED ONNX models (ModelProto bytes from the writer), with
 * input values, for differential tests of the ONNX frontend against onnxruntime.
 *
 *   onnxGraph({ maxNodes, ops, opsets })  one client input x (rank 1–5, dims 1–4), then up to
 *                        maxNodes steps, each applying a random operator of ONNX_STEP_OPS to the latest
 *                        value or an earlier one (binary operators and Concat may read two values, so
 *                        graphs are small DAGs), then maybe a head (Softmax, Sigmoid or ArgMax); one or
 *                        two graph outputs with their shapes declared. The opset is drawn from 11–21.
 *   onnxOpGraph(op)      x → op → output, with an input shape that suits the operator.
 *
 * Structure comes from a choice sequence (choices.ts; shrinks towards small shapes and default
 * attributes); float values from a seeded stream (onnx-gen.ts).
 */
import fc from 'fast-check';
import { choicesArb, type Choices } from './choices.js';
import { OnnxGen, type Val } from './onnx-gen.js';
import { ONNX_STEP_OPS, ONNX_STEPS, relu, type OnnxStepOp } from './onnx-steps.js';
import type { AttrValue } from '../../passes/frontend/onnx/writer.js';

export { ONNX_STEP_OPS, type OnnxStepOp } from './onnx-steps.js';

export type OnnxHead = 'Softmax' | 'Sigmoid' | 'ArgMax';
export const ONNX_HEADS: readonly OnnxHead[] = ['Softmax', 'Sigmoid', 'ArgMax'];

export interface OnnxCase {
  readonly opset: number;
  readonly bytes: Uint8Array;
  /** Values for the graph inputs, by ONNX name. */
  readonly inputs: ReadonlyMap<string, Float32Array>;
  /** Graph outputs with the shapes the generator computed. */
  readonly outputs: readonly Val[];
  /** The operators of the graph, in node order (for coverage reports). */
  readonly ops: readonly string[];
}

const OPSETS = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21];

function randomShape(c: Choices, minRank: number, maxRank: number): number[] {
  const rank = c.int(minRank, maxRank);
  return Array.from({ length: rank }, () => c.int(1, rank >= 4 ? 3 : 4));
}

function head(gen: OnnxGen, x: Val, op: OnnxHead): Val | null {
  const { c } = gen;
  const r = x.shape.length;
  if (op === 'Sigmoid') return { name: gen.g.node('Sigmoid', [x.name]), shape: x.shape };
  if (r === 0) return null;
  if (op === 'Softmax') {
    const attrs: Record<string, AttrValue> = {};
    if (gen.opset >= 13) {
      if (c.bool()) attrs['axis'] = c.int(-r, r - 1);
    } else if (r !== 2 || c.bool()) attrs['axis'] = c.bool() ? r - 1 : -1;
    return { name: gen.g.node('Softmax', [x.name], attrs), shape: x.shape };
  }
  const axis = c.int(-r, r - 1);
  const keep = c.int(0, 2);
  const attrs: Record<string, AttrValue> = { axis };
  if (keep < 2) attrs['keepdims'] = keep;
  if (gen.opset >= 12 && c.int(0, 3) === 0) attrs['select_last_index'] = 0;
  const a = axis < 0 ? axis + r : axis;
  const shape = keep === 0 ? x.shape.filter((_, i) => i !== a) : x.shape.map((d, i) => (i === a ? 1 : d));
  return { name: gen.g.node('ArgMax', [x.name], attrs), shape };
}

function finish(gen: OnnxGen, x0: Val, values: readonly Val[], headOp: OnnxHead | null, extra: boolean): OnnxCase {
  const last = values[values.length - 1] ?? x0;
  const y = headOp === null ? last : (head(gen, last, headOp) ?? last);
  const outputs = [y];
  const second = gen.c.pick(values);
  if (extra && second.name !== y.name && second.name !== last.name) outputs.push(second);
  for (const o of outputs)
    gen.g.output(o.name, o.shape, o === y && headOp === 'ArgMax' && y !== last ? 'int64' : 'float');
  const spec = gen.g.spec();
  return {
    opset: gen.opset,
    bytes: gen.g.bytes(),
    inputs: new Map([[x0.name, gen.floats(x0.shape.reduce((a, d) => a * d, 1))]]),
    outputs,
    ops: spec.nodes.map((n) => n.op),
  };
}

export interface OnnxGraphOptions {
  /** Most operator steps (a head comes on top). Default 5. */
  readonly maxNodes?: number;
  readonly ops?: readonly OnnxStepOp[];
  readonly opsets?: readonly number[];
  /** Allow Softmax/Sigmoid/ArgMax heads (default true). */
  readonly heads?: boolean;
}

export function onnxGraph(opts: OnnxGraphOptions = {}): fc.Arbitrary<OnnxCase> {
  const ops = opts.ops ?? ONNX_STEP_OPS;
  const maxNodes = opts.maxNodes ?? 5;
  return fc.tuple(choicesArb(), fc.nat()).map(([c, seed]) => {
    const gen = new OnnxGen(c, seed, c.pick(opts.opsets ?? OPSETS));
    const shape = randomShape(c, 1, 5);
    const x: Val = { name: gen.g.input('x', shape), shape };
    const values: Val[] = [x];
    const steps = c.int(1, maxNodes);
    for (let i = 0; i < steps; i++) {
      const from = c.int(0, 2) === 0 ? c.pick(values) : (values[values.length - 1] as Val);
      const op = c.pick(ops);
      values.push(ONNX_STEPS[op](gen, from, values) ?? (relu(gen, from, values) as Val));
    }
    const headOp = opts.heads === false || c.int(0, 2) === 0 ? null : c.pick(ONNX_HEADS);
    return finish(gen, x, values.slice(1), headOp, c.bool());
  });
}

const RANKS: Partial<Record<OnnxStepOp | OnnxHead, readonly [number, number]>> = {
  Conv: [3, 5],
  ConvTranspose: [3, 5],
  MaxPool: [3, 5],
  AveragePool: [3, 5],
  GlobalAveragePool: [3, 5],
  Gemm: [2, 2],
  MatMul: [1, 3],
  BatchNormalization: [2, 4],
  Concat: [1, 4],
  Softmax: [1, 4],
  ArgMax: [1, 4],
};

/** x → op → output (a head op is applied directly to x). */
export function onnxOpGraph(
  op: OnnxStepOp | OnnxHead,
  opts: { readonly opsets?: readonly number[] } = {},
): fc.Arbitrary<OnnxCase> {
  return fc.tuple(choicesArb(200), fc.nat()).map(([c, seed]) => {
    const gen = new OnnxGen(c, seed, c.pick(opts.opsets ?? OPSETS));
    const [lo, hi] = RANKS[op] ?? [1, 4];
    const shape = randomShape(c, lo, hi);
    while (op === 'ConvTranspose' && shape.reduce((a, d) => a * d, 1) > 128) {
      const i = shape.indexOf(Math.max(...shape));
      shape[i] = (shape[i] ?? 2) - 1;
    }
    if (op === 'Squeeze') shape[c.int(0, shape.length - 1)] = 1;
    const x: Val = { name: gen.g.input('x', shape), shape };
    if (op === 'Softmax' || op === 'Sigmoid' || op === 'ArgMax') return finish(gen, x, [x], op, false);
    const y = ONNX_STEPS[op](gen, x, [x]);
    if (y === null) throw new Error(`onnxOpGraph: ${op} did not apply to [${shape.join(',')}]`);
    return finish(gen, x, [y], null, false);
  });
}
