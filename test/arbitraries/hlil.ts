/**
 * fast-check arbitraries of random WELL-TYPED HLIL programs (built with ir/builder, not random JSON).
 *
 *   hlilProgram({ maxNodes })  a DAG: one client input x of random shape (rank 1–5, dims 1–4), then up
 *                              to maxNodes steps, each applying a random operator to the latest value
 *                              or an earlier one, with fresh server inputs or public constants as
 *                              weights; optionally a final Softmax/Sigmoid; one or two outputs.
 *   hlilOpProgram(op)          a small program whose centre is one `op` node, with an input shape
 *                              chosen to suit the operator (Conv gets rank 3–5, MatMul rank 2, …).
 *   HLIL_STEP_OPS              the operators hlilProgram draws from.
 *
 * Constants hold multiples of 1/4 in [−2, 2] (exact in float32 and in fixed point with scale ≥ 2);
 * Div divisors and BatchNorm variances are positive. Shapes stay small, so reference semantics are fast.
 */
import fc from 'fast-check';
import type { Shape } from '../../spec/geometry.js';
import { hlilBuilder, type HlilBuilder } from '../../ir/builder.js';
import type { HOp, HProgram } from '../../ir/hlil.js';
import { choicesArb, type Choices } from './choices.js';
import * as S from './steps.js';

function hlilSink(b: HlilBuilder): S.Sink {
  let n = 0;
  return {
    ops: b,
    shapeOf: b.shapeOf,
    weight: (c, shape, kind = 'any') => {
      const name = `w${n++}`;
      if (kind === 'any' && c.bool()) return b.input(name, shape, 'server');
      const count = shape.reduce((a, d) => a * d, 1);
      const lo = kind === 'any' || kind === 'const' ? -8 : 1;
      const values = Array.from({ length: count }, () => {
        const v = c.int(lo, 8) / 4;
        return kind === 'nonzero' && c.bool() ? -v : v;
      });
      return b.const(name, shape, values);
    },
    productBias(c, shape) {
      return this.weight(c, shape);
    },
    pad: (x, pads, c) => b.pad(x, pads, c.int(-4, 4) / 4),
    normalize: (v) => v,
  };
}

const gemm: S.Step = (c, s, x) => {
  const sh = s.shapeOf(x);
  if (sh.length !== 2) return null;
  const b = s.ops as HlilBuilder;
  const transA = c.bool(),
    transB = c.bool();
  const m = (transA ? sh[1] : sh[0]) ?? 1,
    k = (transA ? sh[0] : sh[1]) ?? 1,
    n = c.int(1, 4);
  const w = s.weight(c, transB ? [n, k] : [k, n]);
  const cShape = c.pick<Shape>([[n], [m, n], [1, n], [m, 1], []]);
  const bias = c.bool() ? { c: s.weight(c, cShape) } : {};
  return b.gemm(x, w, { ...bias, transA, transB });
};

const div: S.Step = (c, s, x) =>
  (s.ops as HlilBuilder).div(x, s.weight(c, S.broadcastPartner(c, s.shapeOf(x)), 'nonzero'));

const batchNorm: S.Step = (c, s, x) => {
  const sh = s.shapeOf(x);
  if (sh.length < 2) return null;
  const ch: Shape = [sh[1] ?? 1];
  return (s.ops as HlilBuilder).batchNorm(x, {
    scale: s.weight(c, ch),
    bias: s.weight(c, ch),
    mean: s.weight(c, ch),
    var: s.weight(c, ch, 'positive'),
    epsilon: c.pick([1e-5, 1e-3, 0.1]),
  });
};

const STEPS = {
  Conv: S.conv,
  ConvTranspose: S.convTranspose,
  MatMul: S.matmul,
  Gemm: gemm,
  Add: S.binary('add'),
  Sub: S.binary('sub'),
  Mul: S.binary('mul'),
  Div: div,
  BiasAdd: S.biasAdd,
  Relu: S.relu,
  MaxPool: S.maxPool,
  AvgPool: S.avgPool,
  GlobalAvgPool: S.globalAvgPool,
  BatchNorm: batchNorm,
  Concat: S.concat,
  Pad: S.pad,
  Reshape: S.reshape,
  Flatten: S.flatten,
  Transpose: S.transpose,
  Squeeze: S.squeeze,
  ArgMax: S.argmax,
} as const satisfies Partial<Record<HOp, S.Step>>;

export type HlilStepOp = keyof typeof STEPS;
export const HLIL_STEP_OPS = Object.keys(STEPS) as HlilStepOp[];

/** Every HLIL operator, including Softmax and Sigmoid (which hlilOpProgram places before an output). */
export const HLIL_OPS: readonly HOp[] = [...HLIL_STEP_OPS, 'Softmax', 'Sigmoid'];

/** Rank in [minRank, maxRank], dims 1–4 (1–3 from rank 4 on, so at most 243 elements). */
function randomShape(c: Choices, minRank: number, maxRank: number): number[] {
  const rank = c.int(minRank, maxRank);
  return Array.from({ length: rank }, () => c.int(1, rank >= 4 ? 3 : 4));
}

function finish(c: Choices, b: HlilBuilder, last: string, extra: string | null): HProgram {
  const rank = b.shapeOf(last).length;
  const post = c.int(0, 3);
  const y = post === 1 && rank > 0 ? b.softmax(last, c.int(0, rank - 1)) : post === 2 ? b.sigmoid(last) : last;
  b.output(y, c.pick(['client', 'server'] as const));
  if (extra !== null && extra !== last && c.bool()) b.output(extra, c.pick(['client', 'server'] as const));
  return b.build();
}

export interface HlilProgramOptions {
  /** Most nodes drawn (a Softmax/Sigmoid and weights come on top). Default 6. */
  readonly maxNodes?: number;
  /** Operators to draw from (default all of HLIL_STEP_OPS); Relu fills in where none applies. */
  readonly ops?: readonly HlilStepOp[];
}

export function hlilProgram(opts: HlilProgramOptions = {}): fc.Arbitrary<HProgram> {
  const ops = opts.ops ?? HLIL_STEP_OPS;
  const maxNodes = opts.maxNodes ?? 6;
  return choicesArb().map((c) => {
    const b = hlilBuilder();
    const sink = hlilSink(b);
    const values = [b.input('x', randomShape(c, 1, 5), 'client')];
    const steps = c.int(1, maxNodes);
    for (let i = 0; i < steps; i++) {
      const x = c.int(0, 2) === 0 ? c.pick(values) : (values[values.length - 1] as string);
      const op = c.pick(ops);
      values.push(STEPS[op](c, sink, x) ?? b.relu(x));
    }
    return finish(c, b, values[values.length - 1] as string, c.pick(values));
  });
}

const RANKS: Partial<Record<HOp, readonly [number, number]>> = {
  Conv: [3, 5],
  ConvTranspose: [3, 4],
  MaxPool: [3, 5],
  AvgPool: [3, 5],
  GlobalAvgPool: [3, 5],
  MatMul: [2, 2],
  Gemm: [2, 2],
  BiasAdd: [2, 4],
  BatchNorm: [2, 4],
  Squeeze: [1, 4],
  ArgMax: [1, 4],
  Concat: [1, 4],
  Softmax: [1, 4],
};

/** A program input → op → output (Squeeze gets an input with an extent-1 axis). */
export function hlilOpProgram(op: HOp): fc.Arbitrary<HProgram> {
  return choicesArb(200).map((c) => {
    const b = hlilBuilder();
    const [lo, hi] = RANKS[op] ?? [0, 4];
    const shape = randomShape(c, lo, hi);
    if (op === 'Squeeze') shape[c.int(0, shape.length - 1)] = 1;
    const x = b.input('x', shape, 'client');
    const y =
      op === 'Softmax'
        ? b.softmax(x, c.int(0, shape.length - 1))
        : op === 'Sigmoid'
          ? b.sigmoid(x)
          : STEPS[op](c, hlilSink(b), x);
    if (y === null) throw new Error(`hlilOpProgram: step ${op} did not apply to ${JSON.stringify(shape)}`);
    b.output(y, 'client');
    return b.build();
  });
}
