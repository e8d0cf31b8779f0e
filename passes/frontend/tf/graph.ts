/**
 * A TensorFlow graph as the translator sees it: nodes with their op, their data inputs (control
 * inputs `^name` dropped, `name:k` split into node and output index) and typed attributes; constant
 * tensors decoded to float32 or integer values with their shapes.
 *
 * Built from the plain object that schema.ts produces for either format. Everything that is not as
 * TF's messages say (a dimension that is not an integer, tensor content of the wrong length, a node
 * without a name) is a 'parse' error naming the node and field. Tensors of a dtype the frontend does
 * not compute with (double, half, bool, string, …) are kept as `other` and refused only if used.
 * Float attributes are float32 in TF's messages; the JSON form's doubles are rounded to float32 so
 * that both formats read the same values.
 */
import { numel } from '../../../spec/geometry.js';
import { malformed, type ModelFormat } from '../model.js';
import { DT } from './schema.js';

/** Dimensions of a shape; −1 marks an unknown extent; null an unknown rank. */
export type TfDims = readonly number[] | null;

export type TfTensor =
  | { readonly kind: 'float'; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly kind: 'int'; readonly shape: readonly number[]; readonly data: readonly number[] }
  | { readonly kind: 'other'; readonly shape: readonly number[]; readonly dtype: number };

export interface TfList {
  readonly s: readonly string[];
  readonly i: readonly number[];
  readonly f: readonly number[];
  readonly b: readonly boolean[];
  readonly type: readonly number[];
  readonly shape: readonly TfDims[];
}

export type TfAttr =
  | { readonly kind: 's'; readonly value: string }
  | { readonly kind: 'i'; readonly value: number }
  | { readonly kind: 'f'; readonly value: number }
  | { readonly kind: 'b'; readonly value: boolean }
  | { readonly kind: 'type'; readonly value: number }
  | { readonly kind: 'shape'; readonly value: TfDims }
  | { readonly kind: 'tensor'; readonly value: TfTensor }
  | { readonly kind: 'list'; readonly value: TfList }
  | { readonly kind: 'other' };

export interface TfInput {
  readonly node: string;
  readonly index: number;
}

export interface TfNode {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly TfInput[];
  readonly attrs: ReadonlyMap<string, TfAttr>;
}

export interface TfGraph {
  readonly nodes: readonly TfNode[];
}

type Obj = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const utf8 = new TextDecoder('utf-8', { fatal: false });

class Reader {
  constructor(
    readonly format: ModelFormat,
    readonly where: string,
  ) {}
  fail(field: string, why: string): never {
    throw malformed(this.format, `${this.where}: ${field}`, why);
  }
  int(v: unknown, field: string): number {
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    return this.fail(field, 'expected an integer');
  }
  num(v: unknown, field: string): number {
    return typeof v === 'number' ? v : this.fail(field, 'expected a number');
  }
  bytes(v: unknown, field: string): Uint8Array {
    return v instanceof Uint8Array ? v : this.fail(field, 'expected bytes');
  }
  str(v: unknown, field: string): string {
    return typeof v === 'string' ? v : this.fail(field, 'expected a string');
  }
}

function dims(r: Reader, v: unknown, field: string): TfDims {
  if (!isObj(v)) return [];
  if (v['unknownRank'] === true) return null;
  return arr(v['dim']).map((d, i) => {
    const size = isObj(d) ? (d['size'] ?? 0) : 0;
    const n = r.int(size, `${field}.dim[${i}].size`);
    if (n < -1) r.fail(`${field}.dim[${i}].size`, `extent ${n} is below −1`);
    return n;
  });
}

const ELEM_BYTES: Readonly<Record<number, number>> = { [DT.FLOAT]: 4, [DT.INT32]: 4, [DT.INT64]: 8 };

/** Values of a repeated field, filled to `n` as TF does (last value repeated; none → zeros). */
function filled<T>(r: Reader, vals: readonly T[], n: number, zero: T, field: string): T[] {
  if (vals.length > n) r.fail(field, `holds ${vals.length} values for a tensor of ${n} elements`);
  const last = vals.length === 0 ? zero : (vals[vals.length - 1] as T);
  return Array.from({ length: n }, (_, i) => (i < vals.length ? (vals[i] as T) : last));
}

function fromContent(r: Reader, dtype: number, content: Uint8Array, n: number, field: string): Float32Array | number[] {
  const size = ELEM_BYTES[dtype] ?? 0;
  if (content.length !== n * size) r.fail(field, `has ${content.length} bytes, expected ${n} × ${size}`);
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  if (dtype === DT.FLOAT) return Float32Array.from({ length: n }, (_, i) => view.getFloat32(4 * i, true));
  if (dtype === DT.INT32) return Array.from({ length: n }, (_, i) => view.getInt32(4 * i, true));
  return Array.from({ length: n }, (_, i) => Number(view.getBigInt64(8 * i, true)));
}

/** A TensorProto (plain form) → TfTensor. */
function readTensor(r: Reader, v: unknown, field: string): TfTensor {
  if (!isObj(v)) return r.fail(field, 'expected a tensor');
  const dtype = r.int(v['dtype'] ?? 0, `${field}.dtype`);
  const shapeDims = dims(r, v['tensorShape'], `${field}.tensorShape`);
  if (shapeDims === null || shapeDims.some((d) => d < 0))
    return r.fail(`${field}.tensorShape`, 'a constant tensor needs a fully known shape');
  const shape = [...shapeDims];
  const n = numel(shape);
  if (dtype !== DT.FLOAT && dtype !== DT.INT32 && dtype !== DT.INT64) return { kind: 'other', shape, dtype };
  const content = v['tensorContent'];
  if (content !== undefined && r.bytes(content, `${field}.tensorContent`).length > 0) {
    const data = fromContent(r, dtype, content as Uint8Array, n, `${field}.tensorContent`);
    return data instanceof Float32Array ? { kind: 'float', shape, data } : { kind: 'int', shape, data };
  }
  if (dtype === DT.FLOAT) {
    const vals = arr(v['floatVal']).map((x, i) => r.num(x, `${field}.floatVal[${i}]`));
    return { kind: 'float', shape, data: Float32Array.from(filled(r, vals, n, 0, `${field}.floatVal`)) };
  }
  const key = dtype === DT.INT32 ? 'intVal' : 'int64Val';
  const vals = arr(v[key]).map((x, i) => r.int(x, `${field}.${key}[${i}]`));
  return { kind: 'int', shape, data: filled(r, vals, n, 0, `${field}.${key}`) };
}

function readList(r: Reader, v: unknown, field: string): TfList {
  const o = isObj(v) ? v : {};
  return {
    s: arr(o['s']).map((x, i) => utf8.decode(r.bytes(x, `${field}.s[${i}]`))),
    i: arr(o['i']).map((x, i) => r.int(x, `${field}.i[${i}]`)),
    f: arr(o['f']).map((x, i) => Math.fround(r.num(x, `${field}.f[${i}]`))),
    b: arr(o['b']).map((x) => x === true),
    type: arr(o['type']).map((x, i) => r.int(x, `${field}.type[${i}]`)),
    shape: arr(o['shape']).map((x, i) => dims(r, x, `${field}.shape[${i}]`)),
  };
}

function readAttr(r: Reader, v: unknown, field: string): TfAttr {
  if (!isObj(v)) return r.fail(field, 'expected an AttrValue');
  switch (v['value']) {
    case 's':
      return { kind: 's', value: utf8.decode(r.bytes(v['s'], `${field}.s`)) };
    case 'i':
      return { kind: 'i', value: r.int(v['i'], `${field}.i`) };
    case 'f':
      return { kind: 'f', value: Math.fround(r.num(v['f'], `${field}.f`)) };
    case 'b':
      return { kind: 'b', value: v['b'] === true };
    case 'type':
      return { kind: 'type', value: r.int(v['type'], `${field}.type`) };
    case 'shape':
      return { kind: 'shape', value: dims(r, v['shape'], `${field}.shape`) };
    case 'tensor':
      return { kind: 'tensor', value: readTensor(r, v['tensor'], `${field}.tensor`) };
    case 'list':
      return { kind: 'list', value: readList(r, v['list'], `${field}.list`) };
    default:
      return { kind: 'other' };
  }
}

/** `name`, `name:k` or `^name` (a control input, dropped). */
function readInput(r: Reader, v: unknown, field: string): TfInput | null {
  const s = r.str(v, field);
  if (s.startsWith('^')) return null;
  const m = /^(.+?)(?::(\d+))?$/.exec(s);
  if (m === null || m[1] === undefined) return r.fail(field, 'expected a node name, optionally with :output');
  return { node: m[1], index: m[2] === undefined ? 0 : Number(m[2]) };
}

/** The plain GraphDef of schema.ts → TfGraph; node names must be non-empty and unique. */
export function readGraph(format: ModelFormat, plain: unknown): TfGraph {
  const g = isObj(plain) ? plain : {};
  const seen = new Set<string>();
  const nodes = arr(g['node']).map((n, k): TfNode => {
    const o = isObj(n) ? n : {};
    const r0 = new Reader(format, `node ${k}`);
    const name = r0.str(o['name'] ?? '', 'name');
    if (name === '') r0.fail('name', 'a node must have a name');
    if (seen.has(name)) r0.fail('name', `node name '${name}' appears twice`);
    seen.add(name);
    const r = new Reader(format, `node '${name}'`);
    const op = r.str(o['op'] ?? '', 'op');
    if (op === '') r.fail('op', 'a node must have an op');
    const inputs = arr(o['input']).flatMap((x, i) => readInput(r, x, `input[${i}]`) ?? []);
    const attrObj = isObj(o['attr']) ? o['attr'] : {};
    const attrs = new Map(
      Object.entries(attrObj).map(([key, val]) => [key, readAttr(r, val, `attr '${key}'`)] as const),
    );
    return { name, op, inputs, attrs };
  });
  return { nodes };
}
