/**
 * LLIL: the fixed-point program over Z_{2^ℓ} (CrypTFlow §4, Fig. 3b) that the backends run.
 *
 * Every value carries an explicit type: shape, fixed-point scale s (the value v stands for the real
 * signed(v)/2^s) and a label — 'secret' (additively shared between the client and the server in a
 * secure backend) or 'public' (known to every party). Inputs are secret and owned by a party;
 * constants are public. A node's label is 'secret' exactly when one of its operands is; the checker
 * recomputes every annotation and rejects a program whose written types disagree.
 *
 * Float-level BatchNorm, Div, Gemm, Softmax and Sigmoid do not exist here: float-to-fixed lowers the
 * first three, and the last two become a post-processing step on a revealed output, applied in the
 * clear by the party that receives it.
 */
import type { AvgPoolAttrs, ConvAttrs, ConvTransposeAttrs, Owner, PoolAttrs, Shape } from './common.js';

export type Label = 'public' | 'secret';

export interface LType {
  readonly shape: Shape;
  readonly scale: number;
  readonly label: Label;
}

export interface LInputDecl {
  readonly kind: 'input';
  readonly name: string;
  readonly shape: Shape;
  readonly scale: number;
  readonly owner: Owner;
}

export interface LConstDecl {
  readonly kind: 'const';
  readonly name: string;
  readonly shape: Shape;
  readonly scale: number;
  /** Ring elements, reduced mod 2^ℓ. */
  readonly values: BigUint64Array;
}

export type LDecl = LInputDecl | LConstDecl;

interface N<Op extends string> {
  readonly op: Op;
  readonly out: string;
  /** The type of `out`, written explicitly (checked, never trusted). */
  readonly type: LType;
}

/** Convolution; the output scale is scale(x) + scale(w); b (if any) must be at that scale. */
export interface LConv extends N<'Conv'>, ConvAttrs {
  readonly x: string;
  readonly w: string;
  readonly b?: string;
}
export interface LConvTranspose extends N<'ConvTranspose'>, ConvTransposeAttrs {
  readonly x: string;
  readonly w: string;
  readonly b?: string;
}
/** a[m,k]·b[k,n], output scale scale(a) + scale(b). */
export interface LMatMul extends N<'MatMul'> {
  readonly a: string;
  readonly b: string;
}
/** Add/Sub: operands at equal scales, NumPy broadcasting. Mul: scales add. */
export interface LBinary extends N<'Add' | 'Sub' | 'Mul'> {
  readonly a: string;
  readonly b: string;
}
export interface LBiasAdd extends N<'BiasAdd'> {
  readonly x: string;
  readonly b: string;
}
export interface LRelu extends N<'Relu'> {
  readonly x: string;
}
export interface LMaxPool extends N<'MaxPool'>, PoolAttrs {
  readonly x: string;
}
/** Window sum divided by the (public) window count: ⌊Σ / count⌋ on signed values. */
export interface LAvgPool extends N<'AvgPool'>, AvgPoolAttrs {
  readonly x: string;
}
export interface LGlobalAvgPool extends N<'GlobalAvgPool'> {
  readonly x: string;
}
/** ScaleDown(x, k): ⌊signed(x) / 2^k⌋, output scale scale(x) − k (CrypTFlow Fig. 3b). */
export interface LScaleDown extends N<'ScaleDown'> {
  readonly x: string;
  readonly shift: number;
}
/** ScaleUp(x, k): x·2^k mod 2^ℓ, output scale scale(x) + k. */
export interface LScaleUp extends N<'ScaleUp'> {
  readonly x: string;
  readonly shift: number;
}
export interface LConcat extends N<'Concat'> {
  readonly xs: readonly string[];
  readonly axis: number;
}
/** Constant-mode padding with a public ring element (at the scale of x). */
export interface LPad extends N<'Pad'> {
  readonly x: string;
  readonly pads: readonly number[];
  readonly value: bigint;
}
export interface LReshape extends N<'Reshape'> {
  readonly x: string;
  readonly shape: Shape;
}
export interface LFlatten extends N<'Flatten'> {
  readonly x: string;
  readonly axis: number;
}
export interface LTranspose extends N<'Transpose'> {
  readonly x: string;
  readonly perm: readonly number[];
}
export interface LSqueeze extends N<'Squeeze'> {
  readonly x: string;
  readonly axes: readonly number[];
}
/** Index of the first maximum (by signed value) along axis; output scale 0. */
export interface LArgMax extends N<'ArgMax'> {
  readonly x: string;
  readonly axis: number;
  readonly keepdims: boolean;
}

export type LNode =
  | LConv
  | LConvTranspose
  | LMatMul
  | LBinary
  | LBiasAdd
  | LRelu
  | LMaxPool
  | LAvgPool
  | LGlobalAvgPool
  | LScaleDown
  | LScaleUp
  | LConcat
  | LPad
  | LReshape
  | LFlatten
  | LTranspose
  | LSqueeze
  | LArgMax;

export type LOp = LNode['op'];

/** Clear post-processing applied by the receiving party after the reveal. */
export type LPost = { readonly op: 'Softmax'; readonly axis: number } | { readonly op: 'Sigmoid' };

export interface LOutput {
  readonly name: string;
  readonly to: Owner;
  readonly post?: LPost;
}

export interface LProgram {
  readonly ir: 'llil';
  /** Ring width ℓ of every value. */
  readonly ell: number;
  readonly decls: readonly LDecl[];
  readonly nodes: readonly LNode[];
  readonly outputs: readonly LOutput[];
}
