/**
 * A builder for HLIL programs. Each method adds one declaration or node, infers its shape at once
 * (throwing a 'shape' CryptflowError naming the node on misuse) and returns the value's name; nodes
 * get fresh names t0, t1, … unless `node(spec, out)` names them. `build()` runs the checker.
 *
 *   const b = hlilBuilder();
 *   const x = b.input('x', [1, 784], 'client');
 *   const w = b.input('W', [784, 10], 'server');
 *   b.output(b.argmax(b.matmul(x, w), 1), 'client');
 *   const p = b.build();
 */
import * as E from 'fp-ts/lib/Either.js';
import { CryptflowError } from '../../spec/errors.js';
import type { Shape } from '../../spec/geometry.js';
import { checkHlil } from '../check-hlil.js';
import type { Owner } from '../common.js';
import { nodeError, toCryptflowError } from '../diagnostic.js';
import type { HDecl, HNode, HOutput, HProgram } from '../hlil.js';
import { nodeShape } from '../shapes.js';
import type { HNodeSpec } from '../untyped.js';
import { commonOps, freshNames, type CommonOps } from './ops.js';

export interface HlilBuilder extends CommonOps {
  input(name: string, shape: Shape, owner: Owner): string;
  /** A public float32 constant (values are rounded to float32). */
  const(name: string, shape: Shape, values: ArrayLike<number>): string;
  /** Adds any node; `out` defaults to a fresh name. */
  node(spec: HNodeSpec, out?: string): string;
  gemm(
    a: string,
    b: string,
    opts?: { readonly c?: string; readonly transA?: boolean; readonly transB?: boolean },
  ): string;
  div(a: string, b: string): string;
  batchNorm(
    x: string,
    p: {
      readonly scale: string;
      readonly bias: string;
      readonly mean: string;
      readonly var: string;
      readonly epsilon?: number;
    },
  ): string;
  pad(x: string, pads: readonly number[], value?: number): string;
  softmax(x: string, axis: number): string;
  sigmoid(x: string): string;
  output(name: string, to: Owner): void;
  shapeOf(name: string): Shape;
  build(): HProgram;
}

export function hlilBuilder(): HlilBuilder {
  const decls: HDecl[] = [];
  const nodes: HNode[] = [];
  const outputs: HOutput[] = [];
  const shapes = new Map<string, Shape>();
  const fresh = freshNames(shapes);
  const shapeOf = (name: string): Shape => {
    const s = shapes.get(name);
    if (s === undefined) throw new CryptflowError('usage', `value ${name} is not defined in this builder`);
    return s;
  };
  const claim = (name: string, op: string): void => {
    if (shapes.has(name))
      throw new CryptflowError('usage', nodeError(name, op, `name ${name} is already defined`).message);
  };
  const node = (spec: HNodeSpec, out: string = fresh()): string => {
    const n = { ...spec, out } as HNode;
    claim(out, n.op);
    const r = nodeShape(n, shapeOf);
    if (E.isLeft(r)) throw new CryptflowError('shape', nodeError(out, n.op, r.left).message);
    nodes.push(n);
    shapes.set(out, r.right);
    return out;
  };
  return {
    ...commonOps(node, shapeOf),
    input: (name, shape, owner) => {
      claim(name, 'input');
      decls.push({ kind: 'input', name, shape: [...shape], owner });
      shapes.set(name, [...shape]);
      return name;
    },
    const: (name, shape, values) => {
      claim(name, 'const');
      decls.push({ kind: 'const', name, shape: [...shape], values: Float32Array.from(values) });
      shapes.set(name, [...shape]);
      return name;
    },
    node,
    gemm: (a, b, o = {}) =>
      node({
        op: 'Gemm',
        a,
        b,
        ...(o.c === undefined ? {} : { c: o.c }),
        transA: o.transA ?? false,
        transB: o.transB ?? false,
      }),
    div: (a, b) => node({ op: 'Div', a, b }),
    batchNorm: (x, p) =>
      node({ op: 'BatchNorm', x, scale: p.scale, bias: p.bias, mean: p.mean, var: p.var, epsilon: p.epsilon ?? 1e-5 }),
    pad: (x, pads, value = 0) => node({ op: 'Pad', x, pads, value }),
    softmax: (x, axis) => node({ op: 'Softmax', x, axis }),
    sigmoid: (x) => node({ op: 'Sigmoid', x }),
    output: (name, to) => {
      outputs.push({ name, to });
    },
    shapeOf,
    build: () => {
      const p: HProgram = { ir: 'hlil', decls: [...decls], nodes: [...nodes], outputs: [...outputs] };
      const r = checkHlil(p);
      if (E.isLeft(r)) throw toCryptflowError('type', r.left);
      return p;
    },
  };
}
