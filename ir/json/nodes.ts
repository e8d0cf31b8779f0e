/**
 * io-ts codecs of HLIL and LLIL nodes. Field names are those of ir/hlil.ts and ir/llil.ts; an
 * LLIL node also carries `type` ({ shape, scale, label }); LLIL Pad values are decimal strings of the
 * signed value. Structural only: attribute values are checked by the checker after decoding.
 */
import * as t from 'io-ts';
import { byTag, DecimalBigInt } from '../../spec/codec.js';

const ints = t.readonlyArray(t.number);
const s = t.string;

const convProps = { x: s, w: s, strides: ints, pads: ints, dilations: ints, groups: t.number };
const poolProps = { x: s, kernel: ints, strides: ints, pads: ints };

export const LTypeC = t.type({ shape: ints, scale: t.number, label: t.keyof({ public: null, secret: null }) });

/** The codecs of the operators both IRs share, each node with the `extra` fields. */
function shared<X extends t.Props>(extra: X) {
  const n = <O extends string, P extends t.Props>(op: O, props: P) =>
    t.type({ ...extra, op: t.literal(op), out: s, ...props });
  const withBias = <C extends t.Mixed>(c: C) => t.intersection([c, t.partial({ b: s })]);
  const binary = <O extends 'MatMul' | 'Add' | 'Sub' | 'Mul' | 'Div'>(op: O) => n(op, { a: s, b: s });
  return {
    Conv: withBias(n('Conv', convProps)),
    ConvTranspose: withBias(n('ConvTranspose', { ...convProps, outputPadding: ints })),
    MatMul: binary('MatMul'),
    Add: binary('Add'),
    Sub: binary('Sub'),
    Mul: binary('Mul'),
    BiasAdd: n('BiasAdd', { x: s, b: s }),
    Relu: n('Relu', { x: s }),
    MaxPool: n('MaxPool', poolProps),
    AvgPool: n('AvgPool', { ...poolProps, countIncludePad: t.boolean }),
    GlobalAvgPool: n('GlobalAvgPool', { x: s }),
    Concat: n('Concat', { xs: t.readonlyArray(s), axis: t.number }),
    Reshape: n('Reshape', { x: s, shape: ints }),
    Flatten: n('Flatten', { x: s, axis: t.number }),
    Transpose: n('Transpose', { x: s, perm: ints }),
    Squeeze: n('Squeeze', { x: s, axes: ints }),
    ArgMax: n('ArgMax', { x: s, axis: t.number, keepdims: t.boolean }),
    n,
    binary,
  };
}

const h = shared({});
export const HNodeC = byTag('HNode', 'op', {
  Conv: h.Conv,
  ConvTranspose: h.ConvTranspose,
  MatMul: h.MatMul,
  Gemm: t.intersection([h.n('Gemm', { a: s, b: s, transA: t.boolean, transB: t.boolean }), t.partial({ c: s })]),
  Add: h.Add,
  Sub: h.Sub,
  Mul: h.Mul,
  Div: h.binary('Div'),
  BiasAdd: h.BiasAdd,
  Relu: h.Relu,
  MaxPool: h.MaxPool,
  AvgPool: h.AvgPool,
  GlobalAvgPool: h.GlobalAvgPool,
  BatchNorm: h.n('BatchNorm', { x: s, scale: s, bias: s, mean: s, var: s, epsilon: t.number }),
  Concat: h.Concat,
  Pad: h.n('Pad', { x: s, pads: ints, value: t.number }),
  Reshape: h.Reshape,
  Flatten: h.Flatten,
  Transpose: h.Transpose,
  Squeeze: h.Squeeze,
  ArgMax: h.ArgMax,
  Softmax: h.n('Softmax', { x: s, axis: t.number }),
  Sigmoid: h.n('Sigmoid', { x: s }),
});

const l = shared({ type: LTypeC });
export const LNodeC = byTag('LNode', 'op', {
  Conv: l.Conv,
  ConvTranspose: l.ConvTranspose,
  MatMul: l.MatMul,
  Add: l.Add,
  Sub: l.Sub,
  Mul: l.Mul,
  BiasAdd: l.BiasAdd,
  Relu: l.Relu,
  MaxPool: l.MaxPool,
  AvgPool: l.AvgPool,
  GlobalAvgPool: l.GlobalAvgPool,
  ScaleDown: l.n('ScaleDown', { x: s, shift: t.number }),
  ScaleUp: l.n('ScaleUp', { x: s, shift: t.number }),
  Concat: l.Concat,
  Pad: l.n('Pad', { x: s, pads: ints, value: DecimalBigInt }),
  Reshape: l.Reshape,
  Flatten: l.Flatten,
  Transpose: l.Transpose,
  Squeeze: l.Squeeze,
  ArgMax: l.ArgMax,
});
