/**
 * NumPy `.npy` files (numpy.lib.format, versions 1.0, 2.0 and 3.0) as client inputs.
 *
 * Layout: the magic `\x93NUMPY`, a major and minor version byte, the header length (uint16 LE in
 * 1.0, uint32 LE in 2.0 and 3.0), then the header — a Python dict literal with 'descr', 'fortran_order'
 * and 'shape' — and the raw data. Read: little-endian (or byte-order-free) float32, float64 and
 * signed or unsigned 8/16/32/64-bit integers and bool, in C order. Big-endian data, Fortran order,
 * float16, complex, strings, objects and structured dtypes are clear 'unsupported' errors; a short or
 * overlong data section and a malformed header are 'decode' errors. Values become float64 (int64
 * beyond 2^53 rounds); errors name the file and the field, never a value.
 */
import { CryptflowError } from '../../spec/errors.js';
import { numel, type Shape } from '../../spec/geometry.js';

const MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59);

export interface NpyArray {
  readonly shape: Shape;
  /** The dtype as written (e.g. '<f4'). */
  readonly descr: string;
  readonly values: Float64Array;
}

type Reader = (view: DataView, offset: number) => number;

const READERS: Readonly<Record<string, { readonly size: number; readonly read: Reader }>> = {
  f4: { size: 4, read: (v, o) => v.getFloat32(o, true) },
  f8: { size: 8, read: (v, o) => v.getFloat64(o, true) },
  i1: { size: 1, read: (v, o) => v.getInt8(o) },
  i2: { size: 2, read: (v, o) => v.getInt16(o, true) },
  i4: { size: 4, read: (v, o) => v.getInt32(o, true) },
  i8: { size: 8, read: (v, o) => Number(v.getBigInt64(o, true)) },
  u1: { size: 1, read: (v, o) => v.getUint8(o) },
  u2: { size: 2, read: (v, o) => v.getUint16(o, true) },
  u4: { size: 4, read: (v, o) => v.getUint32(o, true) },
  u8: { size: 8, read: (v, o) => Number(v.getBigUint64(o, true)) },
  b1: { size: 1, read: (v, o) => (v.getUint8(o) === 0 ? 0 : 1) },
};

function decodeError(where: string, message: string): CryptflowError {
  return new CryptflowError('decode', `${where}: ${message}`);
}

function unsupported(where: string, message: string): CryptflowError {
  return new CryptflowError(
    'unsupported',
    `${where}: ${message}; .npy inputs are little-endian float32, float64, integer or bool arrays in C order`,
  );
}

export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

function field(header: string, key: string, value: string, where: string): RegExpExecArray {
  const m = new RegExp(`['"]${key}['"]\\s*:\\s*${value}`).exec(header);
  if (m === null) throw decodeError(where, `malformed .npy header: no valid '${key}' entry`);
  return m;
}

/** The reader for a dtype, or an error saying why it is not read. */
function readerOf(descr: string, where: string): { readonly size: number; readonly read: Reader } {
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  if (m === null) throw unsupported(where, `dtype '${descr}' is not a plain numeric type`);
  const [, order, kind, size] = m as unknown as [string, string, string, string];
  const r = READERS[`${kind}${size}`];
  if (r === undefined) throw unsupported(where, `dtype '${descr}' is not read`);
  if (order === '>' && r.size > 1) throw unsupported(where, `dtype '${descr}' is big-endian`);
  if (order === '=' && r.size > 1)
    throw unsupported(where, `dtype '${descr}' has native byte order (numpy writes '<' or '>')`);
  return r;
}

/** Parse a `.npy` file's bytes; `where` names it in errors. */
export function decodeNpy(bytes: Uint8Array, where = '.npy file'): NpyArray {
  if (!isNpy(bytes)) throw decodeError(where, 'not a .npy file (bad magic string)');
  if (bytes.length < 10) throw decodeError(where, 'truncated .npy file: the header length is missing');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6] as number;
  if (major < 1 || major > 3)
    throw unsupported(where, `.npy format version ${major}.${bytes[7] ?? 0} is not read (1.0 to 3.0 are)`);
  const [lengthAt, lengthSize] = major === 1 ? [8, 2] : [8, 4];
  if (bytes.length < lengthAt + lengthSize)
    throw decodeError(where, 'truncated .npy file: the header length is missing');
  const headerLength = lengthSize === 2 ? view.getUint16(lengthAt, true) : view.getUint32(lengthAt, true);
  const dataAt = lengthAt + lengthSize + headerLength;
  if (bytes.length < dataAt) throw decodeError(where, `truncated .npy file: the header needs ${headerLength} bytes`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(lengthAt + lengthSize, dataAt),
  );
  if (!/^\s*\{[\s\S]*\}\s*$/.test(header)) throw decodeError(where, 'malformed .npy header: not a dict literal');
  if (/['"]descr['"]\s*:\s*\[/.test(header)) throw unsupported(where, 'structured (record) dtypes are not read');
  const descr = field(header, 'descr', `['"]([^'"]*)['"]`, where)[1] ?? '';
  const fortran = field(header, 'fortran_order', '(True|False)', where)[1] === 'True';
  const dims = (field(header, 'shape', '\\(([^)]*)\\)', where)[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (dims.some((d) => !/^\d+L?$/.test(d)))
    throw decodeError(where, `malformed .npy header: shape (${dims.join(', ')}) is not a tuple of sizes`);
  const shape = dims.map((d) => Number.parseInt(d, 10));
  if (shape.some((d) => !Number.isSafeInteger(d)))
    throw decodeError(where, 'malformed .npy header: a shape extent is too large');
  const { size, read } = readerOf(descr, where);
  if (fortran && shape.filter((d) => d > 1).length > 1)
    throw unsupported(where, 'the array is in Fortran (column-major) order');
  const n = numel(shape);
  const need = n * size;
  if (bytes.length - dataAt !== need) {
    throw decodeError(
      where,
      `${bytes.length - dataAt < need ? 'truncated' : 'overlong'} .npy data: shape (${shape.join(', ')}) of '${descr}' needs ${need} bytes, the file holds ${bytes.length - dataAt}`,
    );
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = read(view, dataAt + i * size);
  return { shape, descr, values };
}

/**
 * Write an array as `.npy` version 1.0, C order: '<i4' for integers (class indices), '<f8' otherwise.
 * The header is padded with spaces to a multiple of 64 bytes, ending in a newline, as numpy writes it.
 */
export function encodeNpy(shape: Shape, values: ArrayLike<number>, dtype: '<i4' | '<f8'): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0] ?? 0},` : shape.join(', ');
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = MAGIC.length + 4 + dict.length + 1;
  const header = `${dict}${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const size = dtype === '<i4' ? 4 : 8;
  const out = new Uint8Array(MAGIC.length + 4 + header.length + size * values.length);
  out.set(MAGIC, 0);
  out.set([1, 0, header.length & 0xff, header.length >> 8], MAGIC.length);
  out.set(new TextEncoder().encode(header), MAGIC.length + 4);
  const view = new DataView(out.buffer, MAGIC.length + 4 + header.length);
  for (let i = 0; i < values.length; i++) {
    if (dtype === '<i4') view.setInt32(i * 4, values[i] as number, true);
    else view.setFloat64(i * 8, values[i] as number, true);
  }
  return out;
}
