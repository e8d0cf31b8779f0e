/**
 * A layer-level builder of ONNX models for the model zoo: each call adds one ONNX operator (through
 * the writer, passes/frontend/onnx/writer.ts), tracks the NCHW / NCDHW shape of its result, and makes
 * the layer's weights with a seeded generator, so a network is written as it is drawn in its paper.
 *
 * Weights are not protocol randomness: they are seeded, reproducible stand-ins for trained values
 * (harness/zoo/synthetic-weights.ts), sized so that activations stay of order one (He-uniform filters, BatchNorm
 * statistics near γ = 1, σ² = 1). Every layer's operator, attributes and weight shapes are those the
 * network's description gives; the values are the only thing that is not the published model's.
 */
import { bug } from '../../spec/errors.js';
import {
  convOutputSpatial,
  convTransposeOutputSpatial,
  numel,
  poolOutputSpatial,
  type Shape,
} from '../../spec/geometry.js';
import { onnxGraph, type AttrValue, type OnnxGraphBuilder } from '../../passes/frontend/onnx/writer.js';
import { weightSource, type WeightSource } from './synthetic-weights.js';

export interface T {
  readonly name: string;
  readonly shape: Shape;
  /** ONNX element type; default float (ArgMax yields int64). */
  readonly type?: 'float' | 'int64';
}

export interface ConvOptions {
  readonly out: number;
  readonly kernel: number | readonly number[];
  readonly stride?: number;
  /** [begin…, end…] over the spatial axes; a number pads every side by it. Default 0. */
  readonly pads?: number | readonly number[];
  readonly bias?: boolean;
  /** The output's name (default: generated). */
  readonly as?: string;
}

export interface PoolOptions {
  readonly kernel: number;
  readonly stride: number;
  readonly pads?: number | readonly number[];
}

export interface Net {
  readonly g: OnnxGraphBuilder;
  readonly w: WeightSource;
  input(name: string, shape: Shape): T;
  conv(x: T, o: ConvOptions): T;
  convTranspose(x: T, o: ConvOptions): T;
  batchNorm(x: T): T;
  relu(x: T): T;
  maxPool(x: T, o: PoolOptions): T;
  avgPool(x: T, o: PoolOptions): T;
  globalAvgPool(x: T): T;
  pad(x: T, spatial: readonly number[]): T;
  concat(xs: readonly T[]): T;
  add(a: T, b: T): T;
  flatten(x: T, as?: string): T;
  /** x[1,k]·W[k,n] (+ b): an ONNX MatMul (and Add). */
  dense(x: T, n: number, o?: { readonly bias?: boolean; readonly as?: string }): T;
  argMax(x: T, axis: number, as?: string): T;
  sigmoid(x: T, as?: string): T;
  softmax(x: T, as?: string): T;
  output(x: T): void;
  /** Parameters written so far (every float initializer entry). */
  readonly parameters: () => number;
  bytes(): Uint8Array;
}

const spatialOf = (x: T): number => x.shape.length - 2;

function expand(v: number | readonly number[] | undefined, k: number, dflt: number): number[] {
  if (v === undefined) return new Array<number>(k).fill(dflt);
  return typeof v === 'number' ? new Array<number>(k).fill(v) : [...v];
}

/** A seed string for `weightSource`, or a weight source itself (e.g. `shapeOnlyWeights`). */
export type Seed = string | WeightSource;

export function net(name: string, seed: Seed): Net {
  const g = onnxGraph({ opset: 13, name });
  const w = typeof seed === 'string' ? weightSource(seed) : seed;
  let params = 0;
  const counters = new Map<string, number>();
  const fresh = (what: string): string => {
    const k = (counters.get(what) ?? 0) + 1;
    counters.set(what, k);
    return `${what}${k}`;
  };
  const weight = (hint: string, dims: readonly number[], values: Float32Array): string => {
    params += values.length;
    return g.weight(hint, dims, values);
  };
  /** One node; its output (and the node) is named `name`, by default a fresh `<op><k>`. */
  const out = (
    op: string,
    ins: readonly string[],
    shape: Shape,
    attrs: Readonly<Record<string, AttrValue>> = {},
    name = fresh(op.toLowerCase()),
  ): T => ({
    name: g.node(op, ins, attrs, { outputs: [name], name }),
    shape,
  });
  const at = (s: Shape, i: number): number => s[i] ?? bug(`zoo: axis ${i} of [${s.join(',')}]`);

  const convLike = (x: T, o: ConvOptions, transpose: boolean): T => {
    const k = spatialOf(x);
    const kernel = expand(o.kernel, k, 1);
    const strides = expand(o.stride, k, 1);
    const pads = expand(o.pads, 2 * k, 0);
    const ci = at(x.shape, 1);
    const fanIn = transpose ? (ci * numel(kernel)) / numel(strides) : ci * numel(kernel);
    const base = fresh(transpose ? 'deconv' : 'conv');
    const dims = transpose ? [ci, o.out, ...kernel] : [o.out, ci, ...kernel];
    const ins = [x.name, weight(`${base}.w`, dims, w.he(numel(dims), fanIn))];
    if (o.bias === true) ins.push(weight(`${base}.b`, [o.out], w.uniform(o.out, 0.05)));
    const dilations = kernel.map(() => 1);
    const spatial = transpose
      ? convTransposeOutputSpatial(x.shape.slice(2), kernel, {
          strides,
          pads,
          dilations,
          outputPadding: kernel.map(() => 0),
        })
      : convOutputSpatial(x.shape.slice(2), kernel, { strides, pads, dilations });
    return out(
      transpose ? 'ConvTranspose' : 'Conv',
      ins,
      [at(x.shape, 0), o.out, ...spatial],
      { kernel_shape: kernel, strides, pads },
      o.as ?? base,
    );
  };

  const pool = (op: 'MaxPool' | 'AveragePool', x: T, o: PoolOptions): T => {
    const k = spatialOf(x);
    const kernel = expand(o.kernel, k, 1);
    const strides = expand(o.stride, k, 1);
    const pads = expand(o.pads, 2 * k, 0);
    const spatial = poolOutputSpatial(x.shape.slice(2), { kernel, strides, pads });
    return out(op, [x.name], [at(x.shape, 0), at(x.shape, 1), ...spatial], { kernel_shape: kernel, strides, pads });
  };

  return {
    g,
    w,
    input: (n, shape) => ({ name: g.input(n, shape), shape }),
    conv: (x, o) => convLike(x, o, false),
    convTranspose: (x, o) => convLike(x, o, true),
    batchNorm: (x) => {
      const c = at(x.shape, 1);
      const base = fresh('bn');
      const bn = w.batchNorm(c);
      const ins = [
        x.name,
        ...(['gamma', 'beta', 'mean', 'var'] as const).map((p) => weight(`${base}.${p}`, [c], bn[p])),
      ];
      return out('BatchNormalization', ins, x.shape, { epsilon: { float: 1e-5 } }, base);
    },
    relu: (x) => out('Relu', [x.name], x.shape),
    maxPool: (x, o) => pool('MaxPool', x, o),
    avgPool: (x, o) => pool('AveragePool', x, o),
    globalAvgPool: (x) =>
      out('GlobalAveragePool', [x.name], [...x.shape.slice(0, 2), ...x.shape.slice(2).map(() => 1)]),
    pad: (x, spatial) => {
      const k = spatialOf(x);
      const pads = [0, 0, ...spatial.slice(0, k), 0, 0, ...spatial.slice(k)];
      const shape = x.shape.map((d, i) => d + at(pads, i) + at(pads, i + x.shape.length));
      return out('Pad', [x.name, g.ints(fresh('pads'), pads)], shape);
    },
    concat: (xs) => {
      const first = xs[0] ?? bug('zoo: empty concat');
      const c = xs.reduce((s, x) => s + at(x.shape, 1), 0);
      return out(
        'Concat',
        xs.map((x) => x.name),
        [at(first.shape, 0), c, ...first.shape.slice(2)],
        { axis: 1 },
      );
    },
    add: (a, b) => out('Add', [a.name, b.name], a.shape),
    flatten: (x, as) => out('Flatten', [x.name], [at(x.shape, 0), numel(x.shape.slice(1))], { axis: 1 }, as),
    dense: (x, n, o = {}) => {
      const k = at(x.shape, 1);
      const base = fresh('fc');
      const bias = o.bias ?? true;
      const y = out(
        'MatMul',
        [x.name, weight(`${base}.w`, [k, n], w.he(k * n, k))],
        [at(x.shape, 0), n],
        {},
        bias ? base : (o.as ?? base),
      );
      return bias ? out('Add', [y.name, weight(`${base}.b`, [n], w.uniform(n, 0.05))], y.shape, {}, o.as) : y;
    },
    argMax: (x, axis, as) => ({
      ...out(
        'ArgMax',
        [x.name],
        x.shape.filter((_, i) => i !== axis),
        { axis, keepdims: 0 },
        as,
      ),
      type: 'int64',
    }),
    sigmoid: (x, as) => out('Sigmoid', [x.name], x.shape, {}, as),
    softmax: (x, as) => out('Softmax', [x.name], x.shape, { axis: x.shape.length - 1 }, as),
    output: (x) => g.output(x.name, x.shape, x.type ?? 'float'),
    parameters: () => params,
    bytes: () => g.bytes(),
  };
}
