/**
 * The edges of an ONNX graph: which opset the model imports, the static shapes of its inputs, and the
 * declared shapes of its outputs (checked against what the import inferred).
 *
 * Shapes must be static. A symbolic or missing extent (`dim_param`, e.g. a batch dimension 'N') is
 * 'unsupported' and names the input, unless the caller fixes it: `batch` fixes a symbolic extent on
 * axis 0, `dims` fixes named symbolic extents wherever they occur.
 */
import { CryptflowError } from '../../../spec/errors.js';
import { showShape, type Shape } from '../../../spec/geometry.js';
import { malformed, unsupported } from '../model.js';
import { int64, type RawModel, type RawValueInfo } from './proto.js';
import { DataType, dataTypeName } from './schema.js';

export const MIN_OPSET = 11;
export const MAX_OPSET = 21;

export interface ShapeOptions {
  /** The extent of a symbolic (or unknown) axis 0 of a graph input, e.g. 1 for one image. */
  readonly batch?: number;
  /** Extents for named symbolic dimensions (`dim_param`). */
  readonly dims?: Readonly<Record<string, number>>;
}

/** The version of the default-domain operator set the model imports (11 to 21). */
export function defaultOpset(model: RawModel): number {
  const entries = model.opset_import.filter((o) => o.domain === undefined || o.domain === '' || o.domain === 'ai.onnx');
  if (entries.length === 0) throw malformed('onnx', 'opset_import', 'has no entry for the default ONNX domain');
  if (entries.length > 1) throw malformed('onnx', 'opset_import', 'imports the default ONNX domain more than once');
  const v = int64(entries[0]?.version, 'opset_import version');
  if (v < MIN_OPSET || v > MAX_OPSET) {
    throw new CryptflowError(
      'unsupported',
      `onnx model: default-domain opset ${v} is not supported (opsets ${MIN_OPSET} to ${MAX_OPSET} are; convert the model with onnx.version_converter)`,
    );
  }
  return v;
}

function checkExtent(v: number, what: string): number {
  if (!Number.isSafeInteger(v) || v < 1)
    throw new CryptflowError('usage', `onnx import: ${what} must be a positive integer, got ${v}`);
  return v;
}

/** The static shape of a float32 graph input. */
export function inputShape(info: RawValueInfo, opts: ShapeOptions): Shape {
  const name = info.name ?? '';
  const tensor = info.type?.tensor_type;
  if (tensor === undefined)
    throw unsupported('onnx', 'graph input', name, 'is not a tensor (sequences, maps and optionals are not supported)');
  const elem = tensor.elem_type ?? 0;
  if (elem !== DataType.FLOAT)
    throw unsupported(
      'onnx',
      'graph input',
      name,
      `has element type ${dataTypeName(elem)}; graph inputs must be float32`,
    );
  if (tensor.shape === undefined)
    throw unsupported('onnx', 'graph input', name, 'has no shape (unknown rank); static shapes are required');
  return tensor.shape.dim.map((d, i) => {
    if (d.dim_value !== undefined) {
      const v = int64(d.dim_value, `graph input '${name}' dim ${i}`);
      if (v >= 1) return v;
      if (v < 0) throw malformed('onnx', `graph input '${name}'`, `dim ${i} is negative`);
      throw unsupported('onnx', 'graph input', name, `dim ${i} is 0 (empty tensors are not supported)`);
    }
    const param = d.dim_param ?? '';
    const fixed = param === '' ? undefined : opts.dims?.[param];
    if (fixed !== undefined) return checkExtent(fixed, `dims['${param}']`);
    if (i === 0 && opts.batch !== undefined) return checkExtent(opts.batch, 'batch');
    const what = param === '' ? 'unknown' : `symbolic ('${param}')`;
    throw unsupported(
      'onnx',
      'graph input',
      name,
      `dim ${i} is ${what}; static shapes are required (fix it with the batch or dims option)`,
    );
  });
}

/** A declared output shape (where static) must equal the inferred one. */
export function checkOutputShape(info: RawValueInfo, inferred: Shape): void {
  const dims = info.type?.tensor_type?.shape?.dim;
  if (dims === undefined) return;
  const name = info.name ?? '';
  const bad =
    dims.length !== inferred.length ||
    dims.some(
      (d, i) => d.dim_value !== undefined && int64(d.dim_value, `graph output '${name}' dim ${i}`) !== inferred[i],
    );
  if (bad) {
    const declared = `[${dims.map((d) => (d.dim_value !== undefined ? d.dim_value : (d.dim_param ?? '?'))).join(',')}]`;
    throw new CryptflowError(
      'shape',
      `onnx graph output '${name}': declared shape ${declared} disagrees with the inferred ${showShape(inferred)}`,
    );
  }
}
