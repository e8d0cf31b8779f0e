/**
 * HLIL: the float-level program the frontends produce (CrypTFlow §4, Fig. 3a).
 *
 * Every value is a float32 tensor of known shape (ArgMax yields indices as float32 integers).
 * Inputs are owned by a party: the client's input image, the server's weights; their values are
 * bound at run time, never stored in the program. Constants are public and carry their values.
 * Softmax and Sigmoid may only feed declared outputs (the client applies them in the clear).
 *
 * The union is closed: adding an operator fails to compile wherever it is not handled.
 */
import type { AvgPoolAttrs, ConvAttrs, ConvTransposeAttrs, Owner, PoolAttrs, Shape } from './common.js';

export interface HInputDecl {
  readonly kind: 'input';
  readonly name: string;
  readonly shape: Shape;
  readonly owner: Owner;
}

export interface HConstDecl {
  readonly kind: 'const';
  readonly name: string;
  readonly shape: Shape;
  readonly values: Float32Array;
}

export type HDecl = HInputDecl | HConstDecl;

interface N<Op extends string> {
  readonly op: Op;
  readonly out: string;
}

export interface HConv extends N<'Conv'>, ConvAttrs {
  readonly x: string;
  readonly w: string;
  readonly b?: string;
}
export interface HConvTranspose extends N<'ConvTranspose'>, ConvTransposeAttrs {
  readonly x: string;
  readonly w: string;
  readonly b?: string;
}
/** 2-D matrix product a[m,k]·b[k,n]. */
export interface HMatMul extends N<'MatMul'> {
  readonly a: string;
  readonly b: string;
}
/** op(a)·op(b) + c with op = transpose when the flag is set; c broadcasts to [m,n] (alpha = beta = 1). */
export interface HGemm extends N<'Gemm'> {
  readonly a: string;
  readonly b: string;
  readonly c?: string;
  readonly transA: boolean;
  readonly transB: boolean;
}
/** Elementwise with NumPy broadcasting. For Div the divisor must be a public constant. */
export interface HBinary extends N<'Add' | 'Sub' | 'Mul' | 'Div'> {
  readonly a: string;
  readonly b: string;
}
/** x[N,C,…] + b[C] along axis 1. */
export interface HBiasAdd extends N<'BiasAdd'> {
  readonly x: string;
  readonly b: string;
}
export interface HRelu extends N<'Relu'> {
  readonly x: string;
}
export interface HMaxPool extends N<'MaxPool'>, PoolAttrs {
  readonly x: string;
}
export interface HAvgPool extends N<'AvgPool'>, AvgPoolAttrs {
  readonly x: string;
}
export interface HGlobalAvgPool extends N<'GlobalAvgPool'> {
  readonly x: string;
}
/** Inference batch norm over axis 1: scale·(x − mean)/√(var + ε) + bias. */
export interface HBatchNorm extends N<'BatchNorm'> {
  readonly x: string;
  readonly scale: string;
  readonly bias: string;
  readonly mean: string;
  readonly var: string;
  readonly epsilon: number;
}
export interface HConcat extends N<'Concat'> {
  readonly xs: readonly string[];
  readonly axis: number;
}
/** Constant-mode padding; pads = [begin_0, …, begin_{r−1}, end_0, …, end_{r−1}] over all r axes. */
export interface HPad extends N<'Pad'> {
  readonly x: string;
  readonly pads: readonly number[];
  readonly value: number;
}
export interface HReshape extends N<'Reshape'> {
  readonly x: string;
  readonly shape: Shape;
}
/** ONNX Flatten: [d_0 ⋯ d_{axis−1}, d_axis ⋯ d_{r−1}] → 2-D. */
export interface HFlatten extends N<'Flatten'> {
  readonly x: string;
  readonly axis: number;
}
export interface HTranspose extends N<'Transpose'> {
  readonly x: string;
  readonly perm: readonly number[];
}
export interface HSqueeze extends N<'Squeeze'> {
  readonly x: string;
  readonly axes: readonly number[];
}
export interface HArgMax extends N<'ArgMax'> {
  readonly x: string;
  readonly axis: number;
  readonly keepdims: boolean;
}
export interface HSoftmax extends N<'Softmax'> {
  readonly x: string;
  readonly axis: number;
}
export interface HSigmoid extends N<'Sigmoid'> {
  readonly x: string;
}

export type HNode =
  | HConv
  | HConvTranspose
  | HMatMul
  | HGemm
  | HBinary
  | HBiasAdd
  | HRelu
  | HMaxPool
  | HAvgPool
  | HGlobalAvgPool
  | HBatchNorm
  | HConcat
  | HPad
  | HReshape
  | HFlatten
  | HTranspose
  | HSqueeze
  | HArgMax
  | HSoftmax
  | HSigmoid;

export type HOp = HNode['op'];

export interface HOutput {
  readonly name: string;
  readonly to: Owner;
}

export interface HProgram {
  readonly ir: 'hlil';
  readonly decls: readonly HDecl[];
  readonly nodes: readonly HNode[];
  readonly outputs: readonly HOutput[];
}
