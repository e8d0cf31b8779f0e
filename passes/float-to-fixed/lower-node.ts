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
 * With lazy placement (context.ts) "then ScaleDown(s)" is deferred while the product flows through
 * scale-preserving operators: they then work at 2s, and Add/Sub/BiasAdd/Concat align their other
 * operands to the highest scale (ScaleUp, or a declaration encoded at that scale).
 * The error each lowering introduces is bounded in proofs-notes/fixed-point.md (passes/float-to-fixed/
 * bounds.ts computes it).
 */
import { match, P } from 'ts-pattern';
import { CryptflowError } from '../../spec/errors.js';
import { FixedPoint } from '../../spec/fixed.js';
import type { HNode } from '../../ir/hlil.js';
import type { LNodeSpec } from '../../ir/untyped.js';
import type { Lowering } from './context.js';

/** A value at a scale above s, then an exact ScaleDown(s) named after the HLIL value. */
function rescale(ctx: Lowering, out: string, acc: string): void {
  const shift = ctx.type(acc).scale - ctx.s;
  ctx.place(out, ctx.emit(ctx.claim(out), { op: 'ScaleDown', x: acc, shift }));
}

function acc(ctx: Lowering, out: string, hint = 'acc'): string {
  return ctx.fresh(`${out}:${hint}`);
}

/** The last node of a product's lowering (at 2s): kept pending (lazy placement) or truncated to s. */
function finish(ctx: Lowering, out: string, spec: LNodeSpec, hint = 'acc'): void {
  if (ctx.keepsPending(out)) return ctx.place(out, ctx.emit(ctx.claim(out), spec));
  return rescale(ctx, out, ctx.emit(acc(ctx, out, hint), spec));
}

/** A scale-preserving operator whose result is at scale t: above s it stays pending or is truncated. */
function preserving(ctx: Lowering, out: string, spec: LNodeSpec, t: number): void {
  if (t > ctx.s && !ctx.keepsPending(out)) return rescale(ctx, out, ctx.emit(ctx.fresh(`${out}:s${t}`), spec));
  return ctx.place(out, ctx.emit(ctx.claim(out), spec));
}

/** The scale at which an Add/Sub/BiasAdd/Concat works: s, or (lazy) the highest scale of its operands. */
function alignScale(ctx: Lowering, operands: readonly string[]): number {
  return ctx.lazy ? Math.max(ctx.s, ...operands.map((h) => ctx.scaleOf(h))) : ctx.s;
}

function transposed(ctx: Lowering, h: string, flag: boolean): string {
  const x = ctx.operand(h, ctx.s);
  return flag ? ctx.emit(ctx.fresh(`${h}:T`), { op: 'Transpose', x, perm: [1, 0] }) : x;
}

/** Lower `node` into `ctx`: emits LLIL nodes and places `node.out`. */
export function lowerNode(ctx: Lowering, node: HNode): void {
  const shape = ctx.inferShape(node);
  const s = ctx.s;
  const same = (spec: Parameters<Lowering['emit']>[1]): void =>
    ctx.place(node.out, ctx.emit(ctx.claim(node.out), spec));
  return match(node)
    .with({ op: P.union('Conv', 'ConvTranspose') }, (node) => {
      const x = ctx.operand(node.x, s);
      const w = ctx.operand(node.w, s);
      const b = node.b === undefined ? {} : { b: ctx.operand(node.b, 2 * s) };
      const geometry =
        node.op === 'Conv'
          ? { op: node.op, strides: node.strides, pads: node.pads, dilations: node.dilations, groups: node.groups }
          : {
              op: node.op,
              strides: node.strides,
              pads: node.pads,
              dilations: node.dilations,
              groups: node.groups,
              outputPadding: node.outputPadding,
            };
      return finish(ctx, node.out, { ...geometry, x, w, ...b });
    })
    .with({ op: P.union('MatMul', 'Mul') }, (node) => {
      const [a, b] = [ctx.operand(node.a, s), ctx.operand(node.b, s)];
      return finish(ctx, node.out, { op: node.op, a, b });
    })
    .with({ op: 'Gemm' }, (node) => {
      const a = transposed(ctx, node.a, node.transA);
      const b = transposed(ctx, node.b, node.transB);
      if (node.c === undefined) return finish(ctx, node.out, { op: 'MatMul', a, b });
      const prod = ctx.emit(acc(ctx, node.out), { op: 'MatMul', a, b });
      return finish(ctx, node.out, { op: 'Add', a: prod, b: ctx.operand(node.c, 2 * s) }, 'bias');
    })
    .with({ op: 'Div' }, (node) => {
      const d = ctx.hDecl(node.b);
      if (d === undefined || d.kind !== 'const') {
        throw new CryptflowError(
          'unsupported',
          `node '${node.out}' (Div): the divisor '${node.b}' must be a public constant`,
        );
      }
      const r = ctx.derive(`${node.out}:recip`, { kind: 'reciprocal', source: node.b }, d.shape, s);
      return finish(ctx, node.out, { op: 'Mul', a: ctx.operand(node.a, s), b: r });
    })
    .with({ op: 'BatchNorm' }, (node) => {
      const c = ctx.hShape(node.scale);
      const gShape = [...c, ...shape.slice(2).map(() => 1)];
      const gamma = ctx.derive(
        `${node.out}:gamma`,
        { kind: 'bn-scale', scale: node.scale, var: node.var, epsilon: node.epsilon },
        gShape,
        s,
      );
      const beta = ctx.derive(
        `${node.out}:beta`,
        { kind: 'bn-shift', scale: node.scale, bias: node.bias, mean: node.mean, var: node.var, epsilon: node.epsilon },
        c,
        2 * s,
      );
      const prod = ctx.emit(acc(ctx, node.out), { op: 'Mul', a: ctx.operand(node.x, s), b: gamma });
      return finish(ctx, node.out, { op: 'BiasAdd', x: prod, b: beta }, 'shift');
    })
    .with({ op: P.union('Add', 'Sub') }, (node) => {
      const t = alignScale(ctx, [node.a, node.b]);
      return preserving(ctx, node.out, { op: node.op, a: ctx.operand(node.a, t), b: ctx.operand(node.b, t) }, t);
    })
    .with({ op: 'BiasAdd' }, (node) => {
      const t = alignScale(ctx, [node.x, node.b]);
      return preserving(ctx, node.out, { op: 'BiasAdd', x: ctx.operand(node.x, t), b: ctx.operand(node.b, t) }, t);
    })
    .with({ op: 'Concat' }, (node) => {
      const t = alignScale(ctx, node.xs);
      return preserving(ctx, node.out, { op: 'Concat', xs: node.xs.map((x) => ctx.operand(x, t)), axis: node.axis }, t);
    })
    .with({ op: P.union('Relu', 'GlobalAvgPool') }, (node) => {
      const x = ctx.operand(node.x);
      return preserving(ctx, node.out, { op: node.op, x }, ctx.type(x).scale);
    })
    .with({ op: 'MaxPool' }, (node) => {
      const x = ctx.operand(node.x);
      return preserving(
        ctx,
        node.out,
        { op: 'MaxPool', x, kernel: node.kernel, strides: node.strides, pads: node.pads },
        ctx.type(x).scale,
      );
    })
    .with({ op: 'AvgPool' }, (node) => {
      const x = ctx.operand(node.x);
      const spec: LNodeSpec = {
        op: 'AvgPool',
        x,
        kernel: node.kernel,
        strides: node.strides,
        pads: node.pads,
        countIncludePad: node.countIncludePad,
      };
      return preserving(ctx, node.out, spec, ctx.type(x).scale);
    })
    .with({ op: 'Pad' }, (node) => {
      const x = ctx.operand(node.x);
      const t = ctx.type(x).scale;
      const fp = FixedPoint({ ell: ctx.params.ell, scale: t });
      return preserving(
        ctx,
        node.out,
        { op: 'Pad', x, pads: node.pads, value: fp.encode(node.value, `pad value of node '${node.out}'`) },
        t,
      );
    })
    .with({ op: 'Reshape' }, (node) => {
      const x = ctx.operand(node.x);
      return preserving(ctx, node.out, { op: 'Reshape', x, shape: node.shape }, ctx.type(x).scale);
    })
    .with({ op: 'Flatten' }, (node) => {
      const x = ctx.operand(node.x);
      return preserving(ctx, node.out, { op: 'Flatten', x, axis: node.axis }, ctx.type(x).scale);
    })
    .with({ op: 'Transpose' }, (node) => {
      const x = ctx.operand(node.x);
      return preserving(ctx, node.out, { op: 'Transpose', x, perm: node.perm }, ctx.type(x).scale);
    })
    .with({ op: 'Squeeze' }, (node) => {
      const x = ctx.operand(node.x);
      return preserving(ctx, node.out, { op: 'Squeeze', x, axes: node.axes }, ctx.type(x).scale);
    })
    .with({ op: 'ArgMax' }, (node) =>
      same({ op: 'ArgMax', x: ctx.operand(node.x), axis: node.axis, keepdims: node.keepdims }),
    )
    .with({ op: P.union('Softmax', 'Sigmoid') }, (node) => {
      const x = ctx.operand(node.x);
      const post = node.op === 'Softmax' ? { op: node.op, axis: node.axis } : { op: node.op };
      return ctx.place(node.out, ctx.emit(ctx.claim(node.out), { op: 'Reshape', x, shape }), post);
    })
    .exhaustive();
}
