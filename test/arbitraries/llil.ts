/**
 * fast-check arbitraries of random WELL-TYPED LLIL programs, built with the LLIL builder (so every
 * node's written type is the inferred one).
 *
 *   llilProgram({ maxNodes, ells })  ring width ℓ from `ells` (default 16, 32, 64), a working scale
 *        s ∈ [0, min(8, ℓ/2 − 1)], one client input x at scale s, then random steps as in the HLIL
 *        arbitrary; after each step the result is brought back to scale s (ScaleDown after a product,
 *        ScaleUp after ArgMax), so Add/Sub/Concat/BiasAdd always see equal scales. Some steps add
 *        an explicit ScaleUp(k) followed by ScaleDown(k). Outputs may carry a Softmax/Sigmoid post.
 *   llilOpProgram(op)  a small program centred on one `op` node.
 *
 * Weights are server inputs or public constants holding small reals (|r| ≤ 2) at scale s.
 */
import fc from 'fast-check';
import type { Shape } from '../../spec/geometry.js';
import { llilBuilder, type LlilBuilder } from '../../ir/builder.js';
import type { LOp, LPost, LProgram } from '../../ir/llil.js';
import { choicesArb, type Choices } from './choices.js';
import * as S from './steps.js';

function llilSink(b: LlilBuilder, s: number): S.Sink {
  let n = 0;
  const weight = (
    c: Choices,
    shape: Shape,
    scale: number,
    kind: 'any' | 'const' | 'nonzero' | 'positive' = 'any',
  ): string => {
    const name = `w${n++}`;
    if (kind === 'any' && c.bool()) return b.input(name, shape, scale, 'server');
    const count = shape.reduce((a, d) => a * d, 1);
    const bound = 2 ** (scale + 1);
    return b.const(
      name,
      shape,
      scale,
      Array.from({ length: count }, () => BigInt(c.int(-bound, bound))),
    );
  };
  const normalize = (v: string): string => {
    const t = b.typeOf(v).scale;
    return t > s ? b.scaleDown(v, t - s) : t < s ? b.scaleUp(v, s - t) : v;
  };
  return {
    ops: b,
    shapeOf: b.shapeOf,
    weight: (c, shape, kind) => weight(c, shape, s, kind),
    productBias: (c, shape) => weight(c, shape, 2 * s),
    pad: (x, pads, c) => b.pad(x, pads, BigInt(c.int(-4, 4)) << BigInt(s)),
    normalize,
  };
}

const scaleUpDown: S.Step = (c, s, x) => {
  const b = s.ops as LlilBuilder;
  const k = c.int(0, 3);
  return b.scaleDown(b.scaleUp(x, k), k);
};

const STEPS = {
  Conv: S.conv,
  ConvTranspose: S.convTranspose,
  MatMul: S.matmul,
  Add: S.binary('add'),
  Sub: S.binary('sub'),
  Mul: S.binary('mul'),
  BiasAdd: S.biasAdd,
  Relu: S.relu,
  MaxPool: S.maxPool,
  AvgPool: S.avgPool,
  GlobalAvgPool: S.globalAvgPool,
  Concat: S.concat,
  Pad: S.pad,
  Reshape: S.reshape,
  Flatten: S.flatten,
  Transpose: S.transpose,
  Squeeze: S.squeeze,
  ArgMax: S.argmax,
  ScaleUp: scaleUpDown,
  ScaleDown: scaleUpDown,
} as const satisfies Record<LOp, S.Step>;

export const LLIL_OPS = Object.keys(STEPS) as LOp[];

/** Rank in [minRank, maxRank], dims 1–4 (1–3 from rank 4 on, so at most 243 elements). */
function randomShape(c: Choices, minRank: number, maxRank: number): number[] {
  const rank = c.int(minRank, maxRank);
  return Array.from({ length: rank }, () => c.int(1, rank >= 4 ? 3 : 4));
}

function setup(c: Choices, ells: readonly number[]): { b: LlilBuilder; s: number } {
  const ell = c.pick(ells);
  const s = c.int(0, Math.min(8, Math.floor(ell / 2) - 1));
  return { b: llilBuilder(ell), s };
}

function post(c: Choices, shape: Shape): LPost | undefined {
  const k = c.int(0, 3);
  if (k === 1 && shape.length > 0) return { op: 'Softmax', axis: c.int(0, shape.length - 1) };
  return k === 2 ? { op: 'Sigmoid' } : undefined;
}

export interface LlilProgramOptions {
  readonly maxNodes?: number;
  /** Ring widths to draw ℓ from (each ≥ 4). Default [16, 32, 64]. */
  readonly ells?: readonly number[];
  readonly ops?: readonly LOp[];
}

export function llilProgram(opts: LlilProgramOptions = {}): fc.Arbitrary<LProgram> {
  const ops = opts.ops ?? LLIL_OPS;
  const ells = opts.ells ?? [16, 32, 64];
  const maxNodes = opts.maxNodes ?? 6;
  return choicesArb().map((c) => {
    const { b, s } = setup(c, ells);
    const sink = llilSink(b, s);
    const values = [b.input('x', randomShape(c, 1, 5), s, 'client')];
    const steps = c.int(1, maxNodes);
    for (let i = 0; i < steps; i++) {
      const x = c.int(0, 2) === 0 ? c.pick(values) : (values[values.length - 1] as string);
      values.push(STEPS[c.pick(ops)](c, sink, x) ?? b.relu(x));
    }
    const last = values[values.length - 1] as string;
    b.output(last, c.pick(['client', 'server'] as const), post(c, b.shapeOf(last)));
    const extra = c.pick(values);
    if (extra !== last && c.bool()) b.output(extra, c.pick(['client', 'server'] as const));
    return b.build();
  });
}

const RANKS: Partial<Record<LOp, readonly [number, number]>> = {
  Conv: [3, 5],
  ConvTranspose: [3, 4],
  MaxPool: [3, 5],
  AvgPool: [3, 5],
  GlobalAvgPool: [3, 5],
  MatMul: [2, 2],
  BiasAdd: [2, 4],
  Squeeze: [1, 4],
  ArgMax: [1, 4],
  Concat: [1, 4],
};

/** A program input → op (→ rescale) → output, at a random ℓ and scale. */
export function llilOpProgram(op: LOp, ells: readonly number[] = [16, 32, 64]): fc.Arbitrary<LProgram> {
  return choicesArb(200).map((c) => {
    const { b, s } = setup(c, ells);
    const [lo, hi] = RANKS[op] ?? [0, 4];
    const shape = randomShape(c, lo, hi);
    if (op === 'Squeeze') shape[c.int(0, shape.length - 1)] = 1;
    const x = b.input('x', shape, s, 'client');
    const y =
      op === 'ScaleUp'
        ? b.scaleUp(x, c.int(0, 3))
        : op === 'ScaleDown'
          ? b.scaleDown(x, c.int(0, s))
          : STEPS[op](c, llilSink(b, s), x);
    if (y === null) throw new Error(`llilOpProgram: step ${op} did not apply to ${JSON.stringify(shape)}`);
    b.output(y, 'client');
    return b.build();
  });
}
