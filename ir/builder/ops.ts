/**
 * Convenience methods shared by the HLIL and LLIL builders: the operators both IRs have with the
 * same fields. Attributes default to ONNX defaults (strides and dilations 1, no padding, one group,
 * pooling strides equal to the kernel), sized from the spatial rank of x.
 */
import type { Shape } from '../../spec/geometry.js';
import type { ConvAttrs, ConvTransposeAttrs, PoolAttrs } from '../common.js';
import type { LNodeSpec } from '../untyped.js';

/** The operators common to both IRs with identical fields (Pad differs in its value's type). */
export type CommonSpec = Exclude<LNodeSpec, { readonly op: 'Pad' | 'ScaleDown' | 'ScaleUp' }>;

export type ConvOptions = Partial<ConvAttrs> & { readonly b?: string };
export type ConvTransposeOptions = Partial<ConvTransposeAttrs> & { readonly b?: string };
export type PoolOptions = Pick<PoolAttrs, 'kernel'> & Partial<PoolAttrs>;

export interface CommonOps {
  conv(x: string, w: string, opts?: ConvOptions): string;
  convTranspose(x: string, w: string, opts?: ConvTransposeOptions): string;
  matmul(a: string, b: string): string;
  add(a: string, b: string): string;
  sub(a: string, b: string): string;
  mul(a: string, b: string): string;
  biasAdd(x: string, b: string): string;
  relu(x: string): string;
  maxPool(x: string, opts: PoolOptions): string;
  avgPool(x: string, opts: PoolOptions & { readonly countIncludePad?: boolean }): string;
  globalAvgPool(x: string): string;
  concat(xs: readonly string[], axis: number): string;
  reshape(x: string, shape: Shape): string;
  flatten(x: string, axis?: number): string;
  transpose(x: string, perm?: readonly number[]): string;
  squeeze(x: string, axes: readonly number[]): string;
  argmax(x: string, axis: number, keepdims?: boolean): string;
}

export function commonOps(add: (spec: CommonSpec) => string, shapeOf: (name: string) => Shape): CommonOps {
  const k = (x: string): number => Math.max(shapeOf(x).length - 2, 0);
  const ones = (x: string): number[] => new Array<number>(k(x)).fill(1);
  const zeros = (n: number): number[] => new Array<number>(n).fill(0);
  const bias = (b: string | undefined): { b: string } | Record<string, never> => (b === undefined ? {} : { b });
  const pool = (x: string, o: PoolOptions): PoolAttrs => ({
    kernel: o.kernel,
    strides: o.strides ?? o.kernel,
    pads: o.pads ?? zeros(2 * k(x)),
  });
  return {
    conv: (x, w, o = {}) =>
      add({
        op: 'Conv',
        x,
        w,
        ...bias(o.b),
        strides: o.strides ?? ones(x),
        pads: o.pads ?? zeros(2 * k(x)),
        dilations: o.dilations ?? ones(x),
        groups: o.groups ?? 1,
      }),
    convTranspose: (x, w, o = {}) =>
      add({
        op: 'ConvTranspose',
        x,
        w,
        ...bias(o.b),
        strides: o.strides ?? ones(x),
        pads: o.pads ?? zeros(2 * k(x)),
        dilations: o.dilations ?? ones(x),
        groups: o.groups ?? 1,
        outputPadding: o.outputPadding ?? zeros(k(x)),
      }),
    matmul: (a, b) => add({ op: 'MatMul', a, b }),
    add: (a, b) => add({ op: 'Add', a, b }),
    sub: (a, b) => add({ op: 'Sub', a, b }),
    mul: (a, b) => add({ op: 'Mul', a, b }),
    biasAdd: (x, b) => add({ op: 'BiasAdd', x, b }),
    relu: (x) => add({ op: 'Relu', x }),
    maxPool: (x, o) => add({ op: 'MaxPool', x, ...pool(x, o) }),
    avgPool: (x, o) => add({ op: 'AvgPool', x, ...pool(x, o), countIncludePad: o.countIncludePad ?? false }),
    globalAvgPool: (x) => add({ op: 'GlobalAvgPool', x }),
    concat: (xs, axis) => add({ op: 'Concat', xs, axis }),
    reshape: (x, shape) => add({ op: 'Reshape', x, shape }),
    flatten: (x, axis = 1) => add({ op: 'Flatten', x, axis }),
    transpose: (x, perm) => add({ op: 'Transpose', x, perm: perm ?? shapeOf(x).map((_, i, s) => s.length - 1 - i) }),
    squeeze: (x, axes) => add({ op: 'Squeeze', x, axes }),
    argmax: (x, axis, keepdims = true) => add({ op: 'ArgMax', x, axis, keepdims }),
  };
}

/** Fresh names t0, t1, … that skip names already taken. */
export function freshNames(taken: { has(name: string): boolean }): () => string {
  let i = 0;
  return () => {
    while (taken.has(`t${i}`)) i++;
    return `t${i++}`;
  };
}
