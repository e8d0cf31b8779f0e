/**
 * Reading a ModelProto: bytes → plain typed records (the shapes of schema.ts's messages as
 * protobufjs's `toObject` gives them, with 64-bit integers as decimal strings), and the few
 * conversions every later step needs (int64 strings → safe integers, node labels for messages).
 *
 * protobufjs throws on truncated input or a bad wire type; those errors become 'parse'
 * CryptflowErrors (`malformed`) saying which part of the file could not be read. Protobuf is
 * permissive, so random bytes may also decode into a message that is merely empty or odd: the checks
 * of the graph (index.ts, graph.ts) then refuse it with a 'parse' error of their own.
 */
import { CryptflowError } from '../../../spec/errors.js';
import { malformed } from '../model.js';
import { ModelProtoType } from './schema.js';

/** An int64 field, as protobufjs's toObject gives it with `longs: String`. */
export type Int64 = string;

export interface RawTensor {
  readonly name?: string;
  readonly dims: readonly Int64[];
  readonly data_type?: number;
  readonly float_data: readonly number[];
  readonly int32_data: readonly number[];
  readonly int64_data: readonly Int64[];
  readonly double_data: readonly number[];
  readonly uint64_data: readonly Int64[];
  readonly string_data: readonly Uint8Array[];
  readonly raw_data?: Uint8Array;
  readonly data_location?: number;
  readonly external_data: readonly unknown[];
}

export interface RawAttribute {
  readonly name?: string;
  readonly ref_attr_name?: string;
  readonly type?: number;
  readonly f?: number;
  readonly i?: Int64;
  readonly s?: Uint8Array;
  readonly t?: RawTensor;
  readonly g?: unknown;
  readonly sparse_tensor?: unknown;
  readonly tp?: unknown;
  readonly floats: readonly number[];
  readonly ints: readonly Int64[];
  readonly strings: readonly Uint8Array[];
  readonly tensors: readonly RawTensor[];
  readonly graphs: readonly unknown[];
}

export interface RawDimension {
  readonly dim_value?: Int64;
  readonly dim_param?: string;
}

export interface RawValueInfo {
  readonly name?: string;
  readonly type?: {
    readonly tensor_type?: {
      readonly elem_type?: number;
      readonly shape?: { readonly dim: readonly RawDimension[] };
    };
  };
}

export interface RawNode {
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly name?: string;
  readonly op_type?: string;
  readonly domain?: string;
  readonly attribute: readonly RawAttribute[];
}

export interface RawGraph {
  readonly node: readonly RawNode[];
  readonly name?: string;
  readonly initializer: readonly RawTensor[];
  readonly sparse_initializer: readonly unknown[];
  readonly input: readonly RawValueInfo[];
  readonly output: readonly RawValueInfo[];
  readonly value_info: readonly RawValueInfo[];
}

export interface RawModel {
  readonly ir_version?: Int64;
  readonly opset_import: ReadonlyArray<{ readonly domain?: string; readonly version?: Int64 }>;
  readonly producer_name?: string;
  readonly graph?: RawGraph;
}

/** Decode ModelProto bytes; truncated or ill-formed protobuf is a 'parse' error. */
export function decodeModel(bytes: Uint8Array): RawModel {
  if (!(bytes instanceof Uint8Array))
    throw new CryptflowError('usage', 'onnx model: expected the model file as a Uint8Array');
  if (bytes.length === 0) throw malformed('onnx', 'ModelProto', 'the file is empty');
  let message: ReturnType<typeof ModelProtoType.decode>;
  try {
    message = ModelProtoType.decode(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : 'undecodable';
    throw malformed(
      'onnx',
      'ModelProto',
      `not a readable protobuf message (${why}; is the file truncated or not an ONNX model?)`,
    );
  }
  // The schema (schema.ts) fixes the shape of this object; RawModel spells it out.
  return ModelProtoType.toObject(message, { longs: String, arrays: true, defaults: false, oneofs: false }) as RawModel;
}

/** An int64 field as a safe integer; `what` names it for the error. */
export function int64(v: Int64 | undefined, what: string, fallback?: number): number {
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw malformed('onnx', what, 'is missing');
  }
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw malformed('onnx', what, `${v} is outside the safe integer range`);
  return n;
}

/** UTF-8 text of a bytes field (attribute strings). */
export function utf8(b: Uint8Array | undefined): string {
  return b === undefined ? '' : new TextDecoder().decode(b);
}

/** How messages name a node: its name, or its position and first output when it has none. */
export function nodeLabel(n: RawNode, index: number): string {
  if (n.name !== undefined && n.name !== '') return n.name;
  return `#${index}${n.output[0] === undefined ? '' : ` → ${n.output[0]}`}`;
}
