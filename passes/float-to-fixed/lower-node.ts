/**
 * Float-to-fixed lowering of ONE HLIL node (CrypTFlow §2, §4 Fig. 3: Athos simulates a float
 * operation on integers encoded at scale s; r1 × r2 becomes (⌊r1·2^s⌉ × ⌊r2·2^s⌉) / 2^s).
 *
 * Per operator, with every operand at the global scale s unless said otherwise:
 *   - MatMul, Mul(by a tensor)          → product at 2s, then ScaleDown(s).
 *   - Conv, ConvTranspose (bias b)      → convolution at 2s with b encoded at 2s (a computed b is
 *                                          ScaleUp'ed), then ScaleDown(s).
 *   - Gemm                              → Transpose where flagged, MatMul at 2s, Add c at 2s, ScaleDown(s).
 *   - Div by a public constant c        → Mul by the constant encode_s(1/c) at 2s, then ScaleDown(s).
 *   - BatchNorm                         → server-side weights γ' = γ/√(σ²+ε) at s (shape [C,1,…]) and
 *                                          β' = β − γ'·μ at 2s; Mul(x, γ'), BiasAdd β', ScaleDown(s).
 *   - Add, Sub, BiasAdd, Concat         → the same operator at s.
 *   - Relu, MaxPool, AvgPool, GlobalAvgPool, Reshape, Flatten, Transpose, Squeeze, Pad
 *                                       → the same operator at the operand's own scale (Pad's value
 *                                          encoded at that scale); ArgMax → scale 0.
 *   - Softmax, Sigmoid                  → identity (a free Reshape) with a `post` step: the receiving
 *                                          party applies it in the clear after the reveal.
 * The error each lowering introduces is bounded in proofs-notes/fixed-point.md (passes/float-to-fixed/
 * bounds.ts computes it).
 */
import { assertNever, CryptflowError } from '../../spec/errors.js';
import { FixedPoint } from '../../spec/fixed.js';
import type { HNode } from '../../ir/hlil.js';
import type { Lowering } from './context.js';

/** Product at 2s (from `emitProduct`), then an exact ScaleDown(s) named after the HLIL value. */
function rescale(ctx: Lowering, out: string, acc: string): void {
  const shift = ctx.type(acc).scale - ctx.s;
  ctx.place(out, ctx.emit(ctx.claim(out), { op: 'ScaleDown', x: acc, shift }));
}

function acc(ctx: Lowering, out: string): string {
  return ctx.fresh(`${out}:acc`);
}

function transposed(ctx: Lowering, h: string, flag: boolean): string {
  const x = ctx.operand(h, ctx.s);
  return flag ? ctx.emit(ctx.fresh(`${h}:T`), { op: 'Transpose', x, perm: [1, 0] }) : x;
}

/** Lower `node` into `ctx`: emits LLIL nodes and places `node.out`. */
export function lowerNode(ctx: Lowering, node: HNode): void {
  const shape = ctx.inferShape(node);
  const s = ctx.s;
  const same = (spec: Parameters<Lowering['emit']>[1]): void => ctx.place(node.out, ctx.emit(ctx.claim(node.out), spec));
  switch (node.op) {
    case 'Conv':
    case 'ConvTranspose': {
      const x = ctx.operand(node.x, s);
      const w = ctx.operand(node.w, s);
      const b = node.b === undefined ? {} : { b: ctx.operand(node.b, 2 * s) };
      const geometry =
        node.op === 'Conv'
          ? { op: node.op, strides: node.strides, pads: node.pads, dilations: node.dilations, groups: node.groups }
          : { op: node.op, strides: node.strides, pads: node.pads, dilations: node.dilations, groups: node.groups, outputPadding: node.outputPadding };
      return rescale(ctx, node.out, ctx.emit(acc(ctx, node.out), { ...geometry, x, w, ...b }));
    }
    case 'MatMul':
    case 'Mul': {
      const [a, b] = [ctx.operand(node.a, s), ctx.operand(node.b, s)];
      return rescale(ctx, node.out, ctx.emit(acc(ctx, node.out), { op: node.op, a, b }));
    }
    case 'Gemm': {
      const a = transposed(ctx, node.a, node.transA);
      const b = transposed(ctx, node.b, node.transB);
      const prod = ctx.emit(acc(ctx, node.out), { op: 'MatMul', a, b });
      if (node.c === undefined) return rescale(ctx, node.out, prod);
      const c = ctx.operand(node.c, 2 * s);
      return rescale(ctx, node.out, ctx.emit(ctx.fresh(`${node.out}:bias`), { op: 'Add', a: prod, b: c }));
    }
    case 'Div': {
      const d = ctx.hDecl(node.b);
      if (d === undefined || d.kind !== 'const') {
        throw new CryptflowError('unsupported', `node '${node.out}' (Div): the divisor '${node.b}' must be a public constant`);
      }
      const r = ctx.derive(`${node.out}:recip`, { kind: 'reciprocal', source: node.b }, d.shape, s);
      return rescale(ctx, node.out, ctx.emit(acc(ctx, node.out), { op: 'Mul', a: ctx.operand(node.a, s), b: r }));
    }
    case 'BatchNorm': {
      const c = ctx.hShape(node.scale);
      const gShape = [...c, ...shape.slice(2).map(() => 1)];
      const gamma = ctx.derive(`${node.out}:gamma`, { kind: 'bn-scale', scale: node.scale, var: node.var, epsilon: node.epsilon }, gShape, s);
      const beta = ctx.derive(
        `${node.out}:beta`,
        { kind: 'bn-shift', scale: node.scale, bias: node.bias, mean: node.mean, var: node.var, epsilon: node.epsilon },
        c,
        2 * s,
      );
      const prod = ctx.emit(acc(ctx, node.out), { op: 'Mul', a: ctx.operand(node.x, s), b: gamma });
      return rescale(ctx, node.out, ctx.emit(ctx.fresh(`${node.out}:shift`), { op: 'BiasAdd', x: prod, b: beta }));
    }
    case 'Add':
    case 'Sub':
      return same({ op: node.op, a: ctx.operand(node.a, s), b: ctx.operand(node.b, s) });
    case 'BiasAdd':
      return same({ op: 'BiasAdd', x: ctx.operand(node.x, s), b: ctx.operand(node.b, s) });
    case 'Concat':
      return same({ op: 'Concat', xs: node.xs.map((x) => ctx.operand(x, s)), axis: node.axis });
    case 'Relu':
    case 'GlobalAvgPool':
      return same({ op: node.op, x: ctx.operand(node.x) });
    case 'MaxPool':
      return same({ op: 'MaxPool', x: ctx.operand(node.x), kernel: node.kernel, strides: node.strides, pads: node.pads });
    case 'AvgPool':
      return same({ op: 'AvgPool', x: ctx.operand(node.x), kernel: node.kernel, strides: node.strides, pads: node.pads, countIncludePad: node.countIncludePad });
    case 'Pad': {
      const x = ctx.operand(node.x);
      const fp = FixedPoint({ ell: ctx.params.ell, scale: ctx.type(x).scale });
      return same({ op: 'Pad', x, pads: node.pads, value: fp.encode(node.value, `pad value of node '${node.out}'`) });
    }
    case 'Reshape':
      return same({ op: 'Reshape', x: ctx.operand(node.x), shape: node.shape });
    case 'Flatten':
      return same({ op: 'Flatten', x: ctx.operand(node.x), axis: node.axis });
    case 'Transpose':
      return same({ op: 'Transpose', x: ctx.operand(node.x), perm: node.perm });
    case 'Squeeze':
      return same({ op: 'Squeeze', x: ctx.operand(node.x), axes: node.axes });
    case 'ArgMax':
      return same({ op: 'ArgMax', x: ctx.operand(node.x), axis: node.axis, keepdims: node.keepdims });
    case 'Softmax':
    case 'Sigmoid': {
      const x = ctx.operand(node.x);
      const post = node.op === 'Softmax' ? { op: node.op, axis: node.axis } : { op: node.op };
      return ctx.place(node.out, ctx.emit(ctx.claim(node.out), { op: 'Reshape', x, shape }), post);
    }
    default:
      return assertNever(node, 'HLIL operator');
  }
}
