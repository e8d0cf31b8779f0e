/**
 * A builder for LLIL programs over Z_2^ℓ. Like the HLIL builder, but every node's `type` (shape,
 * scale, label) is inferred by the rules of ir/scales.ts as the node is added; a node the rules
 * reject throws a CryptflowError naming it. Constants take integers (signed or not) and are stored
 * reduced mod 2^ℓ. `build()` runs the checker.
 *
 *   const b = llilBuilder(32);
 *   const x = b.input('x', [1, 4], 8, 'client');
 *   const w = b.input('W', [4, 2], 8, 'server');
 *   b.output(b.scaleDown(b.matmul(x, w), 8), 'client', { op: 'Softmax', axis: 1 });
 */
import * as E from 'fp-ts/lib/Either.js';
import { CryptflowError } from '../../spec/errors.js';
import type { Shape } from '../../spec/geometry.js';
import { Ring } from '../../spec/ring.js';
import { checkLlil } from '../check-llil.js';
import type { Owner } from '../common.js';
import { nodeError, toCryptflowError } from '../diagnostic.js';
import type { LDecl, LNode, LOutput, LPost, LProgram, LType } from '../llil.js';
import { llilNodeType } from '../scales.js';
import type { LNodeSpec, LNodeUntyped } from '../untyped.js';
import { commonOps, freshNames, type CommonOps } from './ops.js';

export interface LlilBuilder extends CommonOps {
  readonly ell: number;
  input(name: string, shape: Shape, scale: number, owner: Owner): string;
  const(name: string, shape: Shape, scale: number, values: readonly bigint[] | BigUint64Array): string;
  node(spec: LNodeSpec, out?: string): string;
  scaleDown(x: string, shift: number): string;
  scaleUp(x: string, shift: number): string;
  pad(x: string, pads: readonly number[], value?: bigint): string;
  output(name: string, to: Owner, post?: LPost): void;
  typeOf(name: string): LType;
  shapeOf(name: string): Shape;
  build(): LProgram;
}

export function llilBuilder(ell: number): LlilBuilder {
  const ring = Ring(ell);
  const decls: LDecl[] = [];
  const nodes: LNode[] = [];
  const outputs: LOutput[] = [];
  const types = new Map<string, LType>();
  const fresh = freshNames(types);
  const typeOf = (name: string): LType => {
    const t = types.get(name);
    if (t === undefined) throw new CryptflowError('usage', `value ${name} is not defined in this builder`);
    return t;
  };
  const claim = (name: string, op: string): void => {
    if (types.has(name))
      throw new CryptflowError('usage', nodeError(name, op, `name ${name} is already defined`).message);
  };
  const node = (spec: LNodeSpec, out: string = fresh()): string => {
    claim(out, spec.op);
    const untyped = { ...spec, out } as LNodeUntyped;
    const r = llilNodeType(untyped, typeOf, ell);
    if (E.isLeft(r)) throw new CryptflowError('type', nodeError(out, spec.op, r.left).message);
    nodes.push({ ...untyped, type: r.right } as LNode);
    types.set(out, r.right);
    return out;
  };
  const declare = (d: LDecl): string => {
    claim(d.name, d.kind);
    decls.push(d);
    types.set(d.name, { shape: d.shape, scale: d.scale, label: d.kind === 'input' ? 'secret' : 'public' });
    return d.name;
  };
  return {
    ...commonOps(node, (v) => typeOf(v).shape),
    ell,
    input: (name, shape, scale, owner) => declare({ kind: 'input', name, shape: [...shape], scale, owner }),
    const: (name, shape, scale, values) =>
      declare({ kind: 'const', name, shape: [...shape], scale, values: ring.fromBigInts([...values]) }),
    node,
    scaleDown: (x, shift) => node({ op: 'ScaleDown', x, shift }),
    scaleUp: (x, shift) => node({ op: 'ScaleUp', x, shift }),
    pad: (x, pads, value = 0n) => node({ op: 'Pad', x, pads, value: ring.reduce(value) }),
    output: (name, to, post) => {
      outputs.push(post === undefined ? { name, to } : { name, to, post });
    },
    typeOf,
    shapeOf: (name) => typeOf(name).shape,
    build: () => {
      const p: LProgram = { ir: 'llil', ell, decls: [...decls], nodes: [...nodes], outputs: [...outputs] };
      const r = checkLlil(p);
      if (E.isLeft(r)) throw toCryptflowError('type', r.left);
      return p;
    },
  };
}
