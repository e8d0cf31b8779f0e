/**
 * Float32 denotational semantics of HLIL (CrypTFlow §4, Fig. 3a: the program Athos starts from).
 *
 * ⟦p⟧(inputs) evaluates the nodes in program order; every value is a float32 tensor and every
 * arithmetic step rounds to float32 (Math.fround). Orders of accumulation:
 *   - MatMul, Gemm, Conv, ConvTranspose, window sums: the float kernels' orders, stated in the header
 *     of semantics/kernels/float.ts (ascending reduction index, acc ← fl(acc + fl(a·b)), from +0).
 *   - Gemm: the product as MatMul of op(a) and op(b), then fl(· + c) with c broadcast.
 *   - Conv/ConvTranspose bias: added after the whole sum, y = fl(acc + b[o]).
 *   - AvgPool/GlobalAvgPool: fl(Σ / count) with Σ the kernel's window sum; count is the full window
 *     size (countIncludePad) or the number of unpadded cells.
 *   - BatchNorm, Softmax, Sigmoid, elementwise operators: semantics/float-ops.ts.
 * MaxPool takes the kernel's window maximum; ArgMax the first index of the maximum, as a float32.
 * Layout operators move data without arithmetic (semantics/tensor.ts).
 *
 * Inputs are validated first (semantics/inputs.ts): a missing input, a wrong length or a non-finite
 * entry is a CryptflowError naming the input, never its values. Ill-shaped nodes are 'shape' errors.
 */
import { match, P } from 'ts-pattern';
import { CryptflowError } from '../spec/errors.js';
import { numel } from '../spec/geometry.js';
import type { HNode, HProgram } from '../ir/hlil.js';
import { lastUses, operandsOf } from '../ir/traverse.js';
import { floatKernels, poolWindowCounts } from './kernels/index.js';
import { checkFloatInputs } from './inputs.js';
import {
  floatBatchNorm,
  floatBiasAdd,
  floatBinary,
  floatDivideCounts,
  floatRelu,
  floatSigmoid,
  floatSoftmax,
  type FTensor,
} from './float-ops.js';
import {
  argmax,
  concat,
  flattenTo,
  gather,
  globalPoolCount,
  globalPoolGeometry,
  padIndex,
  reshapeTo,
  squeezeTo,
  transposeIndex,
} from './tensor.js';

export type { FTensor } from './float-ops.js';

type Env = ReadonlyMap<string, FTensor>;

function get(env: Env, name: string, node: HNode): FTensor {
  const v = env.get(name);
  if (v === undefined)
    throw new CryptflowError('type', `node '${node.out}' (${node.op}) uses '${name}', which is not defined before it`);
  return v;
}

function matrixT(t: FTensor): FTensor {
  const r = transposeIndex(t.shape, [1, 0]);
  return { shape: r.shape, data: gather(t.data, r.idx, 0) };
}

function matmul(a: FTensor, b: FTensor, node: HNode): FTensor {
  const [m, k, n] = [a.shape[0] ?? 0, a.shape[1] ?? 0, b.shape[1] ?? 0];
  if (a.shape.length !== 2 || b.shape.length !== 2 || b.shape[0] !== k) {
    throw new CryptflowError('shape', `node '${node.out}' (${node.op}): operands are not conformable matrices`);
  }
  return { shape: [m, n], data: floatKernels.matmul(a.data, b.data, m, k, n) };
}

function withBias(y: FTensor, b: FTensor | undefined): FTensor {
  return b === undefined ? y : floatBiasAdd(y, b.data);
}

/** One HLIL node on float32 tensors. */
export function floatNode(node: HNode, env: Env): FTensor {
  const v = (name: string): FTensor => get(env, name, node);
  const opt = (name: string | undefined): FTensor | undefined => (name === undefined ? undefined : v(name));
  return match(node)
    .with({ op: 'Conv' }, (node) => withBias(floatKernels.conv(v(node.x), v(node.w), node), opt(node.b)))
    .with({ op: 'ConvTranspose' }, (node) =>
      withBias(floatKernels.convTranspose(v(node.x), v(node.w), node), opt(node.b)),
    )
    .with({ op: 'MatMul' }, (node) => matmul(v(node.a), v(node.b), node))
    .with({ op: 'Gemm' }, (node) => {
      const a = node.transA ? matrixT(v(node.a)) : v(node.a);
      const b = node.transB ? matrixT(v(node.b)) : v(node.b);
      const prod = matmul(a, b, node);
      const c = opt(node.c);
      return c === undefined ? prod : floatBinary('Add', prod, c);
    })
    .with({ op: P.union('Add', 'Sub', 'Mul', 'Div') }, (node) => floatBinary(node.op, v(node.a), v(node.b)))
    .with({ op: 'BiasAdd' }, (node) => floatBiasAdd(v(node.x), v(node.b).data))
    .with({ op: 'Relu' }, (node) => floatRelu(v(node.x)))
    .with({ op: 'MaxPool' }, (node) => floatKernels.maxPool(v(node.x), node))
    .with({ op: 'AvgPool' }, (node) => {
      const x = v(node.x);
      const sums = floatKernels.sumPool(x, node);
      const full = numel(node.kernel);
      const counts = node.countIncludePad
        ? new Uint32Array(sums.data.length).fill(full)
        : poolWindowCounts(x.shape, node);
      return floatDivideCounts(sums, counts);
    })
    .with({ op: 'GlobalAvgPool' }, (node) => {
      const x = v(node.x);
      const sums = floatKernels.sumPool(x, globalPoolGeometry(x.shape));
      return floatDivideCounts(sums, new Uint32Array(sums.data.length).fill(globalPoolCount(x.shape)));
    })
    .with({ op: 'BatchNorm' }, (node) =>
      floatBatchNorm(v(node.x), {
        scale: v(node.scale).data,
        bias: v(node.bias).data,
        mean: v(node.mean).data,
        var: v(node.var).data,
        epsilon: node.epsilon,
      }),
    )
    .with({ op: 'Concat' }, (node) => concat(node.xs.map(v), node.axis))
    .with({ op: 'Pad' }, (node) => {
      const x = v(node.x);
      const r = padIndex(x.shape, node.pads);
      return { shape: r.shape, data: gather(x.data, r.idx, Math.fround(node.value)) };
    })
    .with({ op: 'Reshape' }, (node) => {
      const x = v(node.x);
      return { shape: reshapeTo(x.shape, node.shape), data: x.data };
    })
    .with({ op: 'Flatten' }, (node) => {
      const x = v(node.x);
      return { shape: flattenTo(x.shape, node.axis), data: x.data };
    })
    .with({ op: 'Transpose' }, (node) => {
      const x = v(node.x);
      const r = transposeIndex(x.shape, node.perm);
      return { shape: r.shape, data: gather(x.data, r.idx, 0) };
    })
    .with({ op: 'Squeeze' }, (node) => {
      const x = v(node.x);
      return { shape: squeezeTo(x.shape, node.axes), data: x.data };
    })
    .with({ op: 'ArgMax' }, (node) => {
      const x = v(node.x);
      const r = argmax(x.data, x.shape, node.axis, node.keepdims, (a, b) => a > b);
      return { shape: r.shape, data: Float32Array.from(r.idx) };
    })
    .with({ op: 'Softmax' }, (node) => floatSoftmax(v(node.x), node.axis))
    .with({ op: 'Sigmoid' }, (node) => floatSigmoid(v(node.x)))
    .exhaustive();
}

/** Every value of the program: declarations (inputs, constants) and node results. */
export function floatSemAll(
  p: HProgram,
  inputs: ReadonlyMap<string, Float32Array>,
  keep?: ReadonlySet<string>,
): Map<string, FTensor> {
  checkFloatInputs(p.decls, inputs);
  const env = new Map<string, FTensor>();
  for (const d of p.decls) {
    const data = d.kind === 'const' ? d.values : inputs.get(d.name);
    if (data === undefined) throw new CryptflowError('input', `missing input '${d.name}'`);
    if (data.length !== numel(d.shape))
      throw new CryptflowError('shape', `constant '${d.name}' does not have ${numel(d.shape)} entries`);
    env.set(d.name, { shape: d.shape, data });
  }
  const last = keep === undefined ? undefined : lastUses(p.nodes, keep);
  p.nodes.forEach((node, i) => {
    env.set(node.out, floatNode(node, env));
    if (last !== undefined) for (const n of operandsOf(node)) if (last.get(n) === i) env.delete(n);
  });
  return env;
}

export function floatSem(p: HProgram, inputs: ReadonlyMap<string, Float32Array>): Map<string, Float32Array> {
  const all = floatSemAll(p, inputs, new Set(p.outputs.map((o) => o.name)));
  const out = new Map<string, Float32Array>();
  for (const o of p.outputs) {
    const t = all.get(o.name);
    if (t === undefined) throw new CryptflowError('type', `output '${o.name}' is not a value of the program`);
    out.set(o.name, t.data);
  }
  return out;
}
