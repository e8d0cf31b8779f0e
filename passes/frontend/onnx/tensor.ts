/**
 * TensorProto → a constant tensor: float32 values (FLOAT) or integers (INT64, INT32, BOOL as 0/1),
 * from the typed field or from raw_data (fixed-width little-endian, as onnx.proto requires). External
 * data is refused as 'unsupported'; a value count that does not match the dims, or raw_data of the
 * wrong length, is a 'parse' error. Messages name the tensor, never its values.
 */
import { numel, type Shape } from '../../../spec/geometry.js';
import { malformed, unsupported } from '../model.js';
import { int64, type RawTensor } from './proto.js';
import { DataType, dataTypeName } from './schema.js';

/**
 * A decoded constant. Tensors of other element types are kept as 'other' (so that an unused one
 * does no harm) and refused by whichever node reads them.
 */
export type ConstTensor =
  | { readonly type: 'float'; readonly dims: Shape; readonly values: Float32Array }
  | { readonly type: 'int'; readonly dims: Shape; readonly values: readonly number[] }
  | { readonly type: 'other'; readonly dims: Shape; readonly dataType: string };

function rawView(raw: Uint8Array, width: number, count: number, where: string): DataView {
  if (raw.length !== width * count) {
    throw malformed(
      'onnx',
      where,
      `raw_data holds ${raw.length} bytes, expected ${width * count} (${count} elements of ${width} bytes)`,
    );
  }
  return new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
}

function checkCount(got: number, want: number, where: string): void {
  if (got !== want) throw malformed('onnx', where, `holds ${got} values but its dims give ${want} elements`);
}

/** Decode one TensorProto; `owner` and `label` say where it sits (e.g. 'initializer', 'w'). */
export function decodeTensor(t: RawTensor, owner: string, label: string): ConstTensor {
  const where = `${owner} '${label}'`;
  if (t.data_location === 1 || t.external_data.length > 0) {
    throw unsupported(
      'onnx',
      owner,
      label,
      'tensor data stored outside the model file (external data) is not supported; save the model with its weights inside',
    );
  }
  const dims = t.dims.map((d, i) => {
    const v = int64(d, `${where} dims[${i}]`);
    if (v < 0) throw malformed('onnx', where, `dims[${i}] is negative`);
    return v;
  });
  const n = numel(dims);
  const raw = t.raw_data !== undefined && t.raw_data.length > 0 ? t.raw_data : undefined;
  const code = t.data_type ?? 0;
  switch (code) {
    case DataType.FLOAT: {
      if (raw === undefined) {
        checkCount(t.float_data.length, n, where);
        return { type: 'float', dims, values: Float32Array.from(t.float_data) };
      }
      const view = rawView(raw, 4, n, where);
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = view.getFloat32(4 * i, true);
      return { type: 'float', dims, values };
    }
    case DataType.INT64: {
      if (raw === undefined) {
        checkCount(t.int64_data.length, n, where);
        return { type: 'int', dims, values: t.int64_data.map((v, i) => int64(v, `${where} int64_data[${i}]`)) };
      }
      const view = rawView(raw, 8, n, where);
      const values: number[] = [];
      for (let i = 0; i < n; i++) values.push(int64(view.getBigInt64(8 * i, true).toString(), `${where} element ${i}`));
      return { type: 'int', dims, values };
    }
    case DataType.INT32:
    case DataType.BOOL: {
      if (raw === undefined) {
        checkCount(t.int32_data.length, n, where);
        return { type: 'int', dims, values: [...t.int32_data] };
      }
      const width = code === DataType.BOOL ? 1 : 4;
      const view = rawView(raw, width, n, where);
      const values: number[] = [];
      for (let i = 0; i < n; i++) values.push(width === 1 ? view.getUint8(i) : view.getInt32(4 * i, true));
      return { type: 'int', dims, values };
    }
    default: {
      if (code === 0) throw malformed('onnx', where, 'has no data_type');
      return { type: 'other', dims, dataType: dataTypeName(code) };
    }
  }
}
