/**
 * fast-check arbitraries of HLIL programs rich in what the HLIL optimisation passes rewrite: a CNN
 * trunk on an image x[1, C, H, W] built from random blocks —
 *   conv      Conv (with or without bias), its filter a server weight or a constant;
 *   bn        BatchNorm with known parameters (variance > 0), sometimes straight after a Conv;
 *   reluPool  Relu feeding only a MaxPool (swappable), or also another node (not swappable);
 *   shaped    a Reshape/Transpose/Squeeze chain over a constant or a server weight, added to x;
 *   dead      a side branch that reaches no output;
 *   other     a random step of steps.ts (AvgPool, Pad, Concat, Add, …);
 * then optionally Flatten → MatMul with a Transposed weight, and one or two outputs.
 * `withWeights` adds server weights (|w| ≤ 2) and client inputs in [lo, hi].
 */
import fc from 'fast-check';
import type { Shape } from '../../spec/geometry.js';
import { hlilBuilder, type HlilBuilder } from '../../ir/builder.js';
import type { HProgram } from '../../ir/hlil.js';
import { choicesArb, type Choices } from './choices.js';
import * as S from './steps.js';

function sink(b: HlilBuilder): S.Sink {
  let n = 0;
  return {
    ops: b,
    shapeOf: b.shapeOf,
    weight: (c, shape, kind = 'any') => {
      const name = `w${n++}`;
      if (kind === 'any' && c.bool()) return b.input(name, shape, 'server');
      const count = shape.reduce((a, d) => a * d, 1);
      const lo = kind === 'any' || kind === 'const' ? -8 : 1;
      return b.const(
        name,
        shape,
        Array.from({ length: count }, () => c.int(lo, 8) / 4),
      );
    },
    productBias(c, shape) {
      return this.weight(c, shape);
    },
    pad: (x, pads, c) => b.pad(x, pads, c.int(-4, 4) / 4),
    normalize: (v) => v,
  };
}

type Block = (c: Choices, b: HlilBuilder, s: S.Sink, x: string) => string;

const conv: Block = (c, _b, s, x) => S.conv(c, s, x) ?? x;

const bn: Block = (c, b, s, x) => {
  const y = c.bool() ? (S.conv(c, s, x) ?? x) : x;
  const ch: Shape = [b.shapeOf(y)[1] ?? 1];
  return b.batchNorm(y, {
    scale: s.weight(c, ch),
    bias: s.weight(c, ch),
    mean: s.weight(c, ch),
    var: s.weight(c, ch, 'positive'),
    epsilon: c.pick([1e-5, 1e-3]),
  });
};

const reluPool: Block = (c, b, s, x) => {
  const r = b.relu(x);
  const m = S.maxPool(c, s, r) ?? r;
  return c.int(0, 3) === 0 && m !== r && b.shapeOf(m).join() === b.shapeOf(r).join() ? b.add(m, r) : m;
};

const shaped: Block = (c, b, s, x) => {
  const sh = b.shapeOf(x);
  const ch = sh[1] ?? 1;
  const w = s.weight(c, c.bool() ? [ch] : [1, ch]);
  const r = c.bool()
    ? b.reshape(w, [1, ch, 1, 1])
    : b.reshape(b.transpose(b.reshape(w, [ch, 1]), [1, 0]), [1, ch, 1, 1]);
  const sq = c.bool() ? b.reshape(b.squeeze(r, [0]), [1, ch, 1, 1]) : r;
  return b.add(x, sq);
};

const dead: Block = (c, _b, s, x) => {
  S.relu(c, s, x);
  return x;
};

const other: Block = (c, _b, s, x) => {
  const step = c.pick([S.avgPool, S.pad, S.concat, S.binary('add'), S.binary('mul'), S.relu, S.maxPool]);
  const y = step(c, s, x);
  return y === null || s.shapeOf(y).length !== 4 ? x : y;
};

const BLOCKS: readonly Block[] = [conv, bn, reluPool, shaped, dead, other];

export function cnnProgram(maxBlocks = 5): fc.Arbitrary<HProgram> {
  return choicesArb(500).map((c) => {
    const b = hlilBuilder();
    const s = sink(b);
    let x = b.input('x', [1, c.int(1, 3), c.int(2, 5), c.int(2, 5)], 'client');
    const seen = [x];
    const blocks = c.int(1, maxBlocks);
    for (let i = 0; i < blocks; i++) {
      x = c.pick(BLOCKS)(c, b, s, x);
      seen.push(x);
    }
    if (c.bool()) {
      const f = b.flatten(x, 1);
      const k = b.shapeOf(f)[1] ?? 1;
      const n = c.int(1, 4);
      const w = c.bool() ? b.transpose(s.weight(c, [n, k]), [1, 0]) : s.weight(c, [k, n]);
      x = b.matmul(f, w);
    }
    b.output(c.bool() && b.shapeOf(x).length === 2 ? b.softmax(x, 1) : x, 'client');
    const extra = c.pick(seen);
    if (extra !== x && c.int(0, 3) === 0) b.output(extra, 'server');
    return b.build();
  });
}

export interface WithWeights {
  readonly program: HProgram;
  readonly weights: Map<string, Float32Array>;
  /** Client inputs. */
  readonly inputs: Map<string, Float32Array>;
}

/** Server weights with |w| ≤ 2 (variances of BatchNorm are constants, so positive) and client inputs in [lo, hi]. */
export function withWeights(arb: fc.Arbitrary<HProgram>, lo = -2, hi = 2): fc.Arbitrary<WithWeights> {
  return arb.chain((p) => {
    const decls = p.decls.flatMap((d) => (d.kind === 'input' ? [d] : []));
    const arrays = decls.map((d) => {
      const n = d.shape.reduce((a, x) => a * x, 1);
      const [l, h] = d.owner === 'client' ? [lo, hi] : [-2, 2];
      return fc.array(fc.float({ min: Math.fround(l), max: Math.fround(h), noNaN: true, noDefaultInfinity: true }), {
        minLength: n,
        maxLength: n,
      });
    });
    return fc.tuple(...arrays).map((vs) => {
      const weights = new Map<string, Float32Array>();
      const inputs = new Map<string, Float32Array>();
      decls.forEach((d, i) => (d.owner === 'server' ? weights : inputs).set(d.name, Float32Array.from(vs[i] ?? [])));
      return { program: p, weights, inputs };
    });
  });
}
