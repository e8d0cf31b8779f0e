/**
 * The state of building one random ONNX graph: a choice sequence (shapes, attributes, which operator;
 * shrinkable), a seeded stream of float values (weights and inputs), the writer's graph builder, and
 * the values built so far with their shapes, which the generator tracks itself (so a frontend
 * shape-inference bug cannot hide by agreeing with the generator).
 *
 * Constants are written in every way the format allows, chosen at random: initializers with raw_data
 * or typed float_data / int64_data, and Constant nodes. Float values are uniform in [−1, 1] (rounded
 * to float32); 'positive' values (variances) lie in [0.25, 2]; 'nonzero' ones (divisors) in
 * ±[0.5, 2].
 */
import seedrandom from 'seedrandom';
import { numel, type Shape } from '../../spec/geometry.js';
import {
  floatTensor,
  int64Tensor,
  onnxGraph,
  type OnnxGraphBuilder,
  type TensorSpec,
} from '../../passes/frontend/onnx/writer.js';
import type { Choices } from './choices.js';

export interface Val {
  readonly name: string;
  readonly shape: Shape;
}

export type ValueKind = 'any' | 'positive' | 'nonzero';

export class OnnxGen {
  readonly g: OnnxGraphBuilder;
  private readonly rng: () => number;
  private readonly shapes = new Map<string, Shape>();
  private n = 0;

  constructor(
    readonly c: Choices,
    seed: number,
    readonly opset: number,
  ) {
    this.g = onnxGraph({ opset });
    this.rng = seedrandom(String(seed));
  }

  /** A fresh name with a prefix. */
  name(prefix: string): string {
    return `${prefix}${this.n++}`;
  }

  floats(count: number, kind: ValueKind = 'any'): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const u = this.rng();
      if (kind === 'any') out[i] = 2 * u - 1;
      else if (kind === 'positive') out[i] = 0.25 + 1.75 * u;
      else out[i] = (this.rng() < 0.5 ? -1 : 1) * (0.5 + 1.5 * u);
    }
    return out;
  }

  /** Put a constant tensor in the graph: initializer (raw or typed) or Constant node. */
  private constant(prefix: string, t: TensorSpec): string {
    const how = this.c.int(0, 3);
    const name =
      how === 3
        ? this.g.node('Constant', [], { value: { tensor: t } }, { outputs: [this.name(prefix)] })
        : this.g.initializer(this.name(prefix), how === 2 ? { ...t, encoding: 'typed' } : t);
    this.shapes.set(name, t.dims);
    return name;
  }

  /** The shape of a constant this generator made. */
  shapeOf(name: string): Shape {
    const s = this.shapes.get(name);
    if (s === undefined) throw new Error(`onnx-gen: ${name} is not a constant of this graph`);
    return s;
  }

  /** A float weight of this shape (random values of `kind`). */
  weight(dims: Shape, kind: ValueKind = 'any'): string {
    return this.constant('w', floatTensor(dims, this.floats(numel(dims), kind)));
  }

  /** A float scalar with this value (dims [] or, unless `rank0`, sometimes [1]). */
  scalar(value: number, rank0 = false): string {
    return this.constant('s', floatTensor(rank0 || this.c.bool() ? [] : [1], [value]));
  }

  /** A 1-D int64 constant (shapes, pads, axes). */
  ints(values: readonly number[]): string {
    return this.constant('i', int64Tensor(values));
  }
}
