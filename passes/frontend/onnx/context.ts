/**
 * The state of one ONNX import: what each ONNX value name stands for, the HLIL builder the lowerings
 * write into, and the server's weights.
 *
 * An ONNX value is either an HLIL value (a client input or a node result; its shape is the builder's)
 * or a model constant (an initializer or a Constant node's tensor) not yet placed in the program. A
 * constant becomes
 *   - a server-owned HLIL input, its values in `weights`, when a node reads it as data (`data`);
 *   - a public HLIL constant where HLIL requires one (`publicConst`: Div's divisor);
 *   - nothing at all when a node reads it as structure (`constant`: Reshape's shape, Pad's pads,
 *     Squeeze's axes, Clip's bounds), since it then only shapes the program.
 * HLIL names are the ONNX names made valid (`[A-Za-z_][A-Za-z0-9_.:/]*`) and unique; the nodes a
 * lowering adds on the way to an ONNX output are named `output/step`.
 *
 * Softmax and Sigmoid results may only feed outputs (hlil.ts): reading one as data is 'unsupported'.
 */
import { bug, CryptflowError } from '../../../spec/errors.js';
import { numel, showShape, type Shape } from '../../../spec/geometry.js';
import { hlilBuilder, type HlilBuilder } from '../../../ir/builder.js';
import type { HNodeSpec } from '../../../ir/untyped.js';
import { unsupported } from '../model.js';
import type { Attributes } from './attributes.js';
import type { ConstTensor } from './tensor.js';

/** One ONNX node, as the lowerings see it ('' in `inputs` / `outputs` marks an absent optional). */
export interface OnnxNode {
  readonly index: number;
  readonly op: string;
  readonly label: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Attributes;
}

type Value =
  | { readonly kind: 'hlil'; readonly name: string }
  | { readonly kind: 'const'; readonly onnx: string; readonly tensor: ConstTensor };

/** A valid HLIL name for an ONNX name (not yet unique). */
export function hlilName(onnx: string): string {
  const t = onnx.replace(/[^A-Za-z0-9_.:/]/g, '_');
  return /^[A-Za-z_]/.test(t) ? t : `_${t}`;
}

export class Importer {
  readonly b: HlilBuilder = hlilBuilder();
  readonly weights = new Map<string, Float32Array>();
  private readonly values = new Map<string, Value>();
  private readonly taken = new Set<string>();
  private readonly asWeight = new Map<ConstTensor, string>();
  private readonly asPublic = new Map<ConstTensor, string>();
  private readonly finalOnly = new Map<string, string>();

  constructor(readonly opset: number) {}

  /** A fresh HLIL name derived from `base`. */
  fresh(base: string): string {
    const t = hlilName(base);
    let name = t;
    for (let i = 1; this.taken.has(name); i++) name = `${t}_${i}`;
    this.taken.add(name);
    return name;
  }

  has(onnx: string): boolean {
    return this.values.has(onnx);
  }

  /** A client-owned graph input. */
  clientInput(onnx: string, shape: Shape): string {
    const name = this.b.input(this.fresh(onnx), shape, 'client');
    this.values.set(onnx, { kind: 'hlil', name });
    return name;
  }

  /** An initializer or Constant output: placed in the program only when used. */
  constantValue(onnx: string, tensor: ConstTensor): void {
    this.values.set(onnx, { kind: 'const', onnx, tensor });
  }

  private value(onnx: string): Value {
    return this.values.get(onnx) ?? bug(`ONNX value '${onnx}' was not checked to be defined`);
  }

  /** The ONNX name of input i of n; absent ('' or past the end) is a 'parse' error. */
  input(n: OnnxNode, i: number): string {
    const v = n.inputs[i];
    if (v === undefined || v === '')
      throw new CryptflowError('parse', `onnx node '${n.label}' (${n.op}): input ${i} is required but missing`);
    return v;
  }

  optional(n: OnnxNode, i: number): string | undefined {
    const v = n.inputs[i];
    return v === undefined || v === '' ? undefined : v;
  }

  /** The shape of input i of n (a constant's dims, or an HLIL value's shape). */
  shape(n: OnnxNode, i: number): Shape {
    const v = this.value(this.input(n, i));
    return v.kind === 'const' ? v.tensor.dims : this.b.shapeOf(v.name);
  }

  isConstant(n: OnnxNode, i: number): boolean {
    const name = this.optional(n, i);
    return name !== undefined && this.value(name).kind === 'const';
  }

  /** Input i of n as an HLIL value: constants become server weights (once each). */
  data(n: OnnxNode, i: number): string {
    const onnx = this.input(n, i);
    const v = this.value(onnx);
    if (v.kind === 'hlil') {
      const op = this.finalOnly.get(v.name);
      if (op !== undefined) {
        throw this.unsupported(
          n,
          `input '${onnx}' is a ${op} result; ${op} is supported only where its result is a graph output (the client applies it after the reveal)`,
        );
      }
      return v.name;
    }
    return this.weightOf(v.tensor, v.onnx, n);
  }

  private weightOf(t: ConstTensor, onnx: string, n: OnnxNode | null): string {
    const known = this.asWeight.get(t);
    if (known !== undefined) return known;
    const values = this.floatValues(t, onnx, n);
    const name = this.serverWeight(onnx, t.dims, values);
    this.asWeight.set(t, name);
    return name;
  }

  private floatValues(t: ConstTensor, onnx: string, n: OnnxNode | null): Float32Array {
    const where = n === null ? { op: 'output', label: onnx } : { op: n.op, label: n.label };
    if (t.type === 'other')
      throw unsupported(
        'onnx',
        where.op,
        where.label,
        `'${onnx}' has element type ${t.dataType}; only float32 tensors carry data`,
      );
    if (t.type !== 'float')
      throw unsupported(
        'onnx',
        where.op,
        where.label,
        `'${onnx}' holds integers but is used as float data (only float32 tensors carry data)`,
      );
    if (numel(t.dims) === 0 || t.dims.some((d) => d < 1))
      throw unsupported('onnx', where.op, where.label, `'${onnx}' is an empty tensor ${showShape(t.dims)}`);
    let bad = -1;
    for (let i = 0; i < t.values.length && bad < 0; i++) if (!Number.isFinite(t.values[i] as number)) bad = i;
    if (bad >= 0)
      throw unsupported(
        'onnx',
        where.op,
        where.label,
        `'${onnx}' has a non-finite entry at index ${bad} (NaN and ±Inf cannot be encoded)`,
      );
    return t.values;
  }

  /** A new server-owned input holding `values` (weights derived by a lowering, e.g. Gemm's αB). */
  serverWeight(base: string, shape: Shape, values: Float32Array): string {
    const name = this.b.input(this.fresh(base), shape, 'server');
    this.weights.set(name, values);
    return name;
  }

  /** Input i of n as a public HLIL constant (HLIL requires Div's divisor to be one). */
  publicConst(n: OnnxNode, i: number, why: string): string {
    const onnx = this.input(n, i);
    const v = this.value(onnx);
    if (v.kind !== 'const')
      throw this.unsupported(n, `input '${onnx}' must be a constant (an initializer or a Constant node): ${why}`);
    const known = this.asPublic.get(v.tensor);
    if (known !== undefined) return known;
    const name = this.b.const(this.fresh(`${onnx}/public`), v.tensor.dims, this.floatValues(v.tensor, onnx, n));
    this.asPublic.set(v.tensor, name);
    return name;
  }

  /** A public scalar constant of the program (an attribute value a lowering needs as a tensor). */
  publicScalar(base: string, value: number): string {
    return this.b.const(this.fresh(base), [], [value]);
  }

  /** Input i of n as a compile-time constant (structure: shapes, pads, axes, bounds). */
  constant(n: OnnxNode, i: number, what: string): Exclude<ConstTensor, { type: 'other' }> {
    const onnx = this.input(n, i);
    const v = this.value(onnx);
    if (v.kind !== 'const')
      throw this.unsupported(
        n,
        `${what} (input '${onnx}') must be a constant (an initializer or a Constant node), not computed at run time`,
      );
    const t = v.tensor;
    if (t.type === 'other')
      throw this.unsupported(n, `${what} (input '${onnx}') has element type ${t.dataType}, which is not supported`);
    return t;
  }

  /** Input i of n as a list of integers (a constant int64/int32 tensor of rank ≤ 1). */
  ints(n: OnnxNode, i: number, what: string): number[] {
    const t = this.constant(n, i, what);
    if (t.type !== 'int' || t.dims.length > 1)
      throw new CryptflowError(
        'parse',
        `onnx node '${n.label}' (${n.op}): ${what} must be a 1-D integer tensor, got ${t.type} ${showShape(t.dims)}`,
      );
    return [...t.values];
  }

  /** Input i of n as one float (a constant float32 tensor with one element). */
  scalar(n: OnnxNode, i: number, what: string): number {
    const t = this.constant(n, i, what);
    if (t.type !== 'float' || t.values.length !== 1)
      throw new CryptflowError(
        'parse',
        `onnx node '${n.label}' (${n.op}): ${what} must be a float32 scalar, got ${t.type} ${showShape(t.dims)}`,
      );
    return t.values[0] as number;
  }

  /** Add an HLIL node named after `base`; a shape misfit is a 'shape' error naming the ONNX node. */
  emit(n: OnnxNode, spec: HNodeSpec, base: string): string {
    const out = this.fresh(base);
    try {
      return this.b.node(spec, out);
    } catch (e) {
      if (e instanceof CryptflowError && e.code === 'shape') throw this.shapeError(n, e.message);
      throw e;
    }
  }

  /** Emit the node that computes output k of n (named after it) and bind that output. */
  result(n: OnnxNode, spec: HNodeSpec, k = 0): string {
    const out = this.emit(n, spec, this.outputName(n, k));
    this.define(n, k, out);
    if (spec.op === 'Softmax' || spec.op === 'Sigmoid') this.finalOnly.set(out, spec.op);
    return out;
  }

  /** An intermediate node of n's lowering, named `output/step`. */
  step(n: OnnxNode, spec: HNodeSpec, step: string): string {
    return this.emit(n, spec, `${this.outputName(n, 0)}/${step}`);
  }

  outputName(n: OnnxNode, k: number): string {
    return n.outputs[k] ?? bug(`node ${n.label} has no output ${k}`);
  }

  /** Bind output k of n to an existing HLIL value. */
  define(n: OnnxNode, k: number, hlil: string): void {
    this.values.set(this.outputName(n, k), { kind: 'hlil', name: hlil });
  }

  /** Output k of n is input i of n (Identity, Dropout, a Squeeze with nothing to squeeze). */
  alias(n: OnnxNode, k: number, i: number): void {
    this.values.set(this.outputName(n, k), this.value(this.input(n, i)));
  }

  /** Output k of n is a constant computed at import time (Constant). */
  defineConstant(n: OnnxNode, k: number, t: ConstTensor): void {
    const onnx = this.outputName(n, k);
    this.values.set(onnx, { kind: 'const', onnx, tensor: t });
  }

  /** The HLIL value of a graph output (a constant output becomes a server weight). */
  outputValue(onnx: string): string {
    const v = this.value(onnx);
    return v.kind === 'hlil' ? v.name : this.weightOf(v.tensor, v.onnx, null);
  }

  /** Whether an HLIL value is a Softmax/Sigmoid result (it may be output only once, as itself). */
  finalOp(hlil: string): string | undefined {
    return this.finalOnly.get(hlil);
  }

  unsupported(n: OnnxNode, what: string): CryptflowError {
    return unsupported('onnx', n.op, n.label, what);
  }

  shapeError(n: OnnxNode, what: string): CryptflowError {
    return new CryptflowError('shape', `onnx node '${n.label}' (${n.op}): ${what}`);
  }
}
