/**
 * The subset of TensorFlow's graph messages (tensorflow/core/framework/{graph,node_def,attr_value,
 * tensor,tensor_shape,types,versions}.proto) that a frozen inference graph uses, written here as a
 * proto3 schema and loaded with protobufjs at module load (no code generation). Field numbers and
 * enum values are those of TF's public definitions; fields we never read (device, debug info,
 * function library, resource handles, variants) are left out and skipped as unknown fields.
 *
 * The same message types read both formats: a `.pb` file is the binary GraphDef, and a TF.js
 * graph model's `modelTopology` is the same GraphDef in protobuf's JSON mapping (camelCase keys,
 * enums by name, 64-bit integers as strings, bytes in base64), which `fromObject` accepts. Both
 * paths end in `toObject` with the same options, so the normaliser (graph.ts) sees one plain form.
 */
import protobuf from 'protobufjs';

const TF_GRAPH_PROTO = `
syntax = "proto3";
package tensorflow;

enum DataType {
  DT_INVALID = 0;
  DT_FLOAT = 1;
  DT_DOUBLE = 2;
  DT_INT32 = 3;
  DT_UINT8 = 4;
  DT_INT16 = 5;
  DT_INT8 = 6;
  DT_STRING = 7;
  DT_COMPLEX64 = 8;
  DT_INT64 = 9;
  DT_BOOL = 10;
  DT_QINT8 = 11;
  DT_QUINT8 = 12;
  DT_QINT32 = 13;
  DT_BFLOAT16 = 14;
  DT_QINT16 = 15;
  DT_QUINT16 = 16;
  DT_UINT16 = 17;
  DT_COMPLEX128 = 18;
  DT_HALF = 19;
  DT_RESOURCE = 20;
  DT_VARIANT = 21;
  DT_UINT32 = 22;
  DT_UINT64 = 23;
  DT_FLOAT_REF = 101;
  DT_INT32_REF = 103;
  DT_INT64_REF = 109;
}

message TensorShapeProto {
  message Dim {
    int64 size = 1;
    string name = 2;
  }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}

message TensorProto {
  DataType dtype = 1;
  TensorShapeProto tensor_shape = 2;
  int32 version_number = 3;
  bytes tensor_content = 4;
  repeated float float_val = 5 [packed = true];
  repeated double double_val = 6 [packed = true];
  repeated int32 int_val = 7 [packed = true];
  repeated bytes string_val = 8;
  repeated int64 int64_val = 10 [packed = true];
  repeated bool bool_val = 11 [packed = true];
  repeated int32 half_val = 13 [packed = true];
}

message NameAttrList {
  string name = 1;
  map<string, AttrValue> attr = 2;
}

message AttrValue {
  message ListValue {
    repeated bytes s = 2;
    repeated int64 i = 3 [packed = true];
    repeated float f = 4 [packed = true];
    repeated bool b = 5 [packed = true];
    repeated DataType type = 6 [packed = true];
    repeated TensorShapeProto shape = 7;
    repeated TensorProto tensor = 8;
    repeated NameAttrList func = 9;
  }
  oneof value {
    bytes s = 2;
    int64 i = 3;
    float f = 4;
    bool b = 5;
    DataType type = 6;
    TensorShapeProto shape = 7;
    TensorProto tensor = 8;
    ListValue list = 1;
    NameAttrList func = 10;
    string placeholder = 9;
  }
}

message NodeDef {
  string name = 1;
  string op = 2;
  repeated string input = 3;
  string device = 4;
  map<string, AttrValue> attr = 5;
}

message VersionDef {
  int32 producer = 1;
  int32 min_consumer = 2;
  repeated int32 bad_consumers = 3;
}

message GraphDef {
  repeated NodeDef node = 1;
  int32 version = 3;
  VersionDef versions = 4;
}
`;

const root = protobuf.parse(TF_GRAPH_PROTO, { keepCase: false }).root;

/** tensorflow.GraphDef as a protobufjs reflected type. */
export const graphDefType: protobuf.Type = root.lookupType('tensorflow.GraphDef');

/** DataType enum values the frontend reads (types.proto). */
export const DT = Object.freeze({ FLOAT: 1, DOUBLE: 2, INT32: 3, INT64: 9, BOOL: 10, HALF: 19 });

/** Name of a DataType value, for messages ('DT_FLOAT', or the number when unknown). */
export function dataTypeName(code: number): string {
  const e = root.lookupEnum('tensorflow.DataType');
  return e.valuesById[code] ?? `DataType ${code}`;
}

/** The one plain form both formats are converted to (enums as numbers, int64 as numbers). */
const PLAIN: protobuf.IConversionOptions = {
  longs: Number,
  enums: Number,
  arrays: true,
  oneofs: true,
  defaults: false,
};

/** Binary GraphDef → plain object. Throws protobufjs errors on malformed bytes (callers wrap them). */
export function decodeGraphDefPlain(bytes: Uint8Array): unknown {
  return graphDefType.toObject(graphDefType.decode(bytes), PLAIN);
}

/** GraphDef in protobuf's JSON mapping (TF.js modelTopology) → the same plain object. */
export function graphDefJsonToPlain(json: Record<string, unknown>): unknown {
  return graphDefType.toObject(graphDefType.fromObject(json), PLAIN);
}

/** GraphDef in protobuf's JSON mapping → binary GraphDef (for tools and tests that write models). */
export function encodeGraphDefJson(json: Record<string, unknown>): Uint8Array {
  return graphDefType.encode(graphDefType.fromObject(json)).finish();
}
