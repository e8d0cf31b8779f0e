/**
 * Writing ONNX models: a typed description of a graph → ModelProto bytes (schema.ts), valid for
 * onnxruntime (ir_version and opset_import set, every graph input and output typed). The tests'
 * random graphs and the model zoo build their models with it.
 *
 *   const g = onnxGraph({ opset: 13 });
 *   const x = g.input('x', [1, 3, 8, 8]);
 *   const w = g.weight('w', [4, 3, 3, 3], weights);          // a float32 initializer
 *   const y = g.node('Conv', [x, w], { pads: [1, 1, 1, 1] });  // returns its (first) output
 *   g.output(g.node('Relu', [y]), [1, 4, 8, 8]);
 *   const bytes = g.bytes();
 *
 * Attribute values: a number is INT and a number[] INTS (integers only), a string is STRING;
 * `{ float }`, `{ floats }`, `{ tensor }` and `{ strings }` say the other types. Tensor data goes to
 * raw_data (little-endian) unless `encoding: 'typed'` asks for float_data / int64_data / int32_data.
 */
import { CryptflowError } from '../../../spec/errors.js';
import { numel } from '../../../spec/geometry.js';
import { AttributeType, DataType, ModelProtoType } from './schema.js';

export type OnnxElemType = 'float' | 'int64' | 'int32' | 'bool';

export interface TensorSpec {
  readonly dims: readonly number[];
  /** Default 'float'. */
  readonly type?: OnnxElemType;
  readonly values: ArrayLike<number>;
  /** 'raw' (raw_data, the default) or 'typed' (float_data, int64_data or int32_data). */
  readonly encoding?: 'raw' | 'typed';
}

export type AttrValue =
  | number
  | readonly number[]
  | string
  | { readonly float: number }
  | { readonly floats: readonly number[] }
  | { readonly strings: readonly string[] }
  | { readonly tensor: TensorSpec };

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly domain?: string;
  readonly attrs?: Readonly<Record<string, AttrValue>>;
}

export interface ValueSpec {
  readonly name: string;
  /** Extents; a string is a symbolic dimension (dim_param). Omitted: no shape is written. */
  readonly shape?: ReadonlyArray<number | string>;
  /** Default 'float'. */
  readonly type?: OnnxElemType;
}

export interface OnnxModelSpec {
  /** Default-domain opset; default 17. */
  readonly opset?: number;
  /** Default: the IR version released with that opset. */
  readonly irVersion?: number;
  readonly name?: string;
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  readonly initializers?: ReadonlyArray<readonly [string, TensorSpec]>;
  readonly nodes: readonly NodeSpec[];
  /** Further operator sets to import (e.g. another domain a test refers to). */
  readonly extraOpsets?: ReadonlyArray<{ readonly domain: string; readonly version: number }>;
}

/** IR version released with each opset (onnx/docs/Versioning.md). */
const IR_FOR_OPSET: Readonly<Record<number, number>> = {
  11: 6,
  12: 7,
  13: 7,
  14: 7,
  15: 8,
  16: 8,
  17: 8,
  18: 8,
  19: 9,
  20: 9,
  21: 10,
};

const ELEM: Readonly<Record<OnnxElemType, number>> = {
  float: DataType.FLOAT,
  int64: DataType.INT64,
  int32: DataType.INT32,
  bool: DataType.BOOL,
};

/** A float32 tensor. */
export function floatTensor(
  dims: readonly number[],
  values: ArrayLike<number>,
  encoding: 'raw' | 'typed' = 'raw',
): TensorSpec {
  return { dims, type: 'float', values, encoding };
}

/** An int64 tensor (a 1-D list when `dims` is omitted). */
export function int64Tensor(
  values: readonly number[],
  dims: readonly number[] = [values.length],
  encoding: 'raw' | 'typed' = 'raw',
): TensorSpec {
  return { dims, type: 'int64', values, encoding };
}

function usage(what: string): CryptflowError {
  return new CryptflowError('usage', `onnx writer: ${what}`);
}

function rawBytes(type: OnnxElemType, values: ArrayLike<number>): Uint8Array {
  const width = type === 'int64' ? 8 : type === 'bool' ? 1 : 4;
  const out = new Uint8Array(width * values.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (type === 'float') view.setFloat32(4 * i, v, true);
    else if (type === 'int64') view.setBigInt64(8 * i, BigInt(v), true);
    else if (type === 'int32') view.setInt32(4 * i, v, true);
    else view.setUint8(i, v === 0 ? 0 : 1);
  }
  return out;
}

function tensorObject(name: string, t: TensorSpec): Record<string, unknown> {
  const type = t.type ?? 'float';
  if (t.values.length !== numel(t.dims))
    throw usage(`tensor '${name}' has ${t.values.length} values for dims [${t.dims.join(',')}]`);
  if (type !== 'float' && Array.from(t.values).some((v) => !Number.isSafeInteger(v)))
    throw usage(`tensor '${name}' of type ${type} holds a non-integer`);
  const base = { name, dims: [...t.dims], data_type: ELEM[type] };
  if ((t.encoding ?? 'raw') === 'raw') return { ...base, raw_data: rawBytes(type, t.values) };
  const values = Array.from(t.values);
  if (type === 'float') return { ...base, float_data: values };
  if (type === 'int64') return { ...base, int64_data: values };
  return { ...base, int32_data: values };
}

function isRecord(v: AttrValue): v is Exclude<AttrValue, number | string | readonly number[]> {
  return typeof v === 'object' && !Array.isArray(v);
}

function attributeObject(node: string, name: string, v: AttrValue): Record<string, unknown> {
  const ints = (xs: readonly number[]): number[] => {
    if (xs.some((x) => !Number.isSafeInteger(x)))
      throw usage(`node '${node}' attribute '${name}': integers expected (write { float } or { floats } for floats)`);
    return [...xs];
  };
  if (typeof v === 'number') return { name, type: AttributeType.INT, i: ints([v])[0] };
  if (typeof v === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v) };
  if (!isRecord(v)) return { name, type: AttributeType.INTS, ints: ints(v as readonly number[]) };
  if ('float' in v) return { name, type: AttributeType.FLOAT, f: v.float };
  if ('floats' in v) return { name, type: AttributeType.FLOATS, floats: [...v.floats] };
  if ('strings' in v)
    return { name, type: AttributeType.STRINGS, strings: v.strings.map((s) => new TextEncoder().encode(s)) };
  return { name, type: AttributeType.TENSOR, t: tensorObject(`${name}`, v.tensor) };
}

function valueInfo(v: ValueSpec): Record<string, unknown> {
  const tensor: Record<string, unknown> = { elem_type: ELEM[v.type ?? 'float'] };
  if (v.shape !== undefined)
    tensor['shape'] = { dim: v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) };
  return { name: v.name, type: { tensor_type: tensor } };
}

/** ModelProto bytes for a described model. */
export function encodeOnnx(spec: OnnxModelSpec): Uint8Array {
  const opset = spec.opset ?? 17;
  const irVersion = spec.irVersion ?? IR_FOR_OPSET[opset] ?? 10;
  const graph = {
    name: spec.name ?? 'graph',
    node: spec.nodes.map((n, i) => {
      const name = n.name ?? `${n.op}_${i}`;
      return {
        name,
        op_type: n.op,
        input: [...n.inputs],
        output: [...n.outputs],
        ...(n.domain === undefined ? {} : { domain: n.domain }),
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attributeObject(name, k, v)),
      };
    }),
    initializer: (spec.initializers ?? []).map(([name, t]) => tensorObject(name, t)),
    input: spec.inputs.map(valueInfo),
    output: spec.outputs.map(valueInfo),
  };
  const model = {
    ir_version: irVersion,
    producer_name: 'cryptflow-ts',
    opset_import: [{ domain: '', version: opset }, ...(spec.extraOpsets ?? [])],
    graph,
  };
  const err = ModelProtoType.verify(model);
  if (err !== null) throw usage(`the description does not fit the ONNX schema: ${err}`);
  return ModelProtoType.encode(ModelProtoType.fromObject(model)).finish();
}

export interface NodeOptions {
  readonly name?: string;
  /** Output names, or how many outputs to name automatically (default 1). */
  readonly outputs?: readonly string[] | number;
  readonly domain?: string;
}

export interface OnnxGraphBuilder {
  /** A float32 (or typed) graph input; returns its name. */
  input(name: string, shape: ReadonlyArray<number | string>, type?: OnnxElemType): string;
  /** Any initializer (its name may also be a graph input's: ONNX's default-valued input); returns its name. */
  initializer(name: string, t: TensorSpec): string;
  /** A float32 initializer. */
  weight(name: string, dims: readonly number[], values: ArrayLike<number>): string;
  /** A 1-D int64 initializer (shapes, pads, axes). */
  ints(name: string, values: readonly number[]): string;
  /** A node; returns its first output. */
  node(op: string, inputs: readonly string[], attrs?: Readonly<Record<string, AttrValue>>, opts?: NodeOptions): string;
  /** A node with several outputs; returns them all. */
  nodeOutputs(
    op: string,
    inputs: readonly string[],
    attrs: Readonly<Record<string, AttrValue>>,
    opts: NodeOptions,
  ): string[];
  output(name: string, shape?: ReadonlyArray<number | string>, type?: OnnxElemType): void;
  spec(): OnnxModelSpec;
  bytes(): Uint8Array;
}

/** A fluent builder of one graph (names of node outputs default to `<op>_<n>`). */
export function onnxGraph(
  opts: { readonly opset?: number; readonly irVersion?: number; readonly name?: string } = {},
): OnnxGraphBuilder {
  const inputs: ValueSpec[] = [];
  const outputs: ValueSpec[] = [];
  const initializers: Array<readonly [string, TensorSpec]> = [];
  const nodes: NodeSpec[] = [];
  const names = new Set<string>();
  const claim = (name: string): string => {
    if (names.has(name)) throw usage(`the name '${name}' is already used in this graph`);
    names.add(name);
    return name;
  };
  const fresh = (op: string): string => {
    let i = nodes.length;
    while (names.has(`${op.toLowerCase()}_${i}`)) i++;
    return `${op.toLowerCase()}_${i}`;
  };
  const nodeOutputs = (
    op: string,
    ins: readonly string[],
    attrs: Readonly<Record<string, AttrValue>>,
    o: NodeOptions,
  ): string[] => {
    const outs =
      typeof o.outputs === 'object'
        ? [...o.outputs]
        : Array.from({ length: o.outputs ?? 1 }, (_, k) => (k === 0 ? fresh(op) : `${fresh(op)}_${k}`));
    outs.forEach((x) => x !== '' && claim(x));
    nodes.push({
      op,
      inputs: [...ins],
      outputs: outs,
      attrs,
      ...(o.name === undefined ? {} : { name: o.name }),
      ...(o.domain === undefined ? {} : { domain: o.domain }),
    });
    return outs;
  };
  const spec = (): OnnxModelSpec => ({
    ...(opts.opset === undefined ? {} : { opset: opts.opset }),
    ...(opts.irVersion === undefined ? {} : { irVersion: opts.irVersion }),
    ...(opts.name === undefined ? {} : { name: opts.name }),
    inputs: [...inputs],
    outputs: [...outputs],
    initializers: [...initializers],
    nodes: [...nodes],
  });
  return {
    input: (name, shape, type = 'float') => {
      inputs.push({ name: initializers.some(([n]) => n === name) ? name : claim(name), shape, type });
      return name;
    },
    initializer: (name, t) => {
      initializers.push([inputs.some((i) => i.name === name) ? name : claim(name), t]);
      return name;
    },
    weight: (name, dims, values) => {
      initializers.push([claim(name), floatTensor(dims, values)]);
      return name;
    },
    ints: (name, values) => {
      initializers.push([claim(name), int64Tensor(values)]);
      return name;
    },
    node: (op, ins, attrs = {}, o = {}) => nodeOutputs(op, ins, attrs, o)[0] ?? '',
    nodeOutputs,
    output: (name, shape, type = 'float') => {
      outputs.push({ name, ...(shape === undefined ? {} : { shape }), type });
    },
    spec,
    bytes: () => encodeOnnx(spec()),
  };
}
