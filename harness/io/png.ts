/**
 * PNG (ISO/IEC 15948, W3C PNG 2nd edition) decoding for client images, and a minimal encoder for the
 * sample images the default model ships with.
 *
 * Decoding: the signature, then chunks (length, type, data, CRC-32 over type and data — checked); IHDR
 * first; the IDAT data concatenated and inflated (zlib, node:zlib); each scanline's filter undone
 * (None, Sub, Up, Average, Paeth — PNG §9). Supported: bit depth 8, colour types 0 (gray), 2 (RGB),
 * 4 (gray + alpha), 6 (RGBA), no interlacing. Everything else (palette, 16-bit or sub-byte depths,
 * Adam7) is a clear 'unsupported' error naming what the file is and what is read; a broken file is a
 * 'decode' error naming the chunk or the row. Ancillary chunks are skipped.
 */
import { platform } from '../../platform/index.js';
import { CryptflowError } from '../../spec/errors.js';
import { raster, type Channels, type Raster } from '../format/raster.js';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

const CHANNELS: Readonly<Record<number, Channels>> = { 0: 1, 2: 3, 4: 2, 6: 4 };
const COLOUR_NAMES: Readonly<Record<number, string>> = {
  0: 'gray',
  2: 'RGB',
  3: 'palette',
  4: 'gray+alpha',
  6: 'RGBA',
};

const CRC_TABLE = ((): Uint32Array => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (PNG §5.5, ISO 3309) of the bytes. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function decodeError(where: string, message: string): CryptflowError {
  return new CryptflowError('decode', `${where}: ${message}`);
}

interface Chunk {
  readonly type: string;
  readonly data: Uint8Array;
}

function* chunks(bytes: Uint8Array, where: string): Generator<Chunk> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = SIGNATURE.length;
  while (at < bytes.length) {
    if (at + 12 > bytes.length)
      throw decodeError(where, `truncated PNG: a chunk header at byte ${at} runs past the end`);
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw decodeError(where, `malformed PNG: bad chunk type at byte ${at + 4}`);
    if (at + 12 + length > bytes.length)
      throw decodeError(where, `truncated PNG: chunk ${type} runs past the end of the file`);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length))
      throw decodeError(where, `corrupt PNG: CRC mismatch in chunk ${type}`);
    yield { type, data };
    if (type === 'IEND') return;
    at += 12 + length;
  }
  throw decodeError(where, 'truncated PNG: no IEND chunk');
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undo the per-scanline filters (PNG §9.2) of 8-bit data with `bpp` bytes per pixel. */
function unfilter(data: Uint8Array, width: number, height: number, bpp: number, where: string): Uint8Array {
  const stride = width * bpp;
  if (data.length !== height * (stride + 1)) {
    throw decodeError(
      where,
      `corrupt PNG: image data holds ${data.length} bytes, ${width}×${height} needs ${height * (stride + 1)}`,
    );
  }
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)] as number;
    const src = data.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    const up = (i: number): number => (y === 0 ? 0 : (out[row - stride + i] as number));
    const left = (i: number): number => (i < bpp ? 0 : (out[row + i - bpp] as number));
    const upLeft = (i: number): number => (y === 0 || i < bpp ? 0 : (out[row - stride + i - bpp] as number));
    for (let i = 0; i < stride; i++) {
      const x = src[i] as number;
      let predicted: number;
      switch (filter) {
        case 0:
          predicted = 0;
          break;
        case 1:
          predicted = left(i);
          break;
        case 2:
          predicted = up(i);
          break;
        case 3:
          predicted = (left(i) + up(i)) >> 1;
          break;
        case 4:
          predicted = paeth(left(i), up(i), upLeft(i));
          break;
        default:
          throw decodeError(where, `corrupt PNG: row ${y} has filter type ${filter} (0-4 exist)`);
      }
      out[row + i] = (x + predicted) & 0xff;
    }
  }
  return out;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= SIGNATURE.length && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Decode a PNG file's bytes (see the file header for what is supported); `where` names it in errors. */
export function decodePng(bytes: Uint8Array, where = 'PNG image'): Raster {
  if (!isPng(bytes)) throw decodeError(where, 'not a PNG file (bad signature)');
  let header: { width: number; height: number; channels: Channels } | null = null;
  const idat: Uint8Array[] = [];
  for (const c of chunks(bytes, where)) {
    if (header === null && c.type !== 'IHDR')
      throw decodeError(where, `malformed PNG: the first chunk is ${c.type}, not IHDR`);
    if (c.type === 'IHDR') {
      if (header !== null) throw decodeError(where, 'malformed PNG: a second IHDR chunk');
      if (c.data.length !== 13) throw decodeError(where, `malformed PNG: IHDR holds ${c.data.length} bytes, not 13`);
      const v = new DataView(c.data.buffer, c.data.byteOffset, 13);
      const [width, height] = [v.getUint32(0), v.getUint32(4)];
      const [depth, colour, compression, filter, interlace] = [8, 9, 10, 11, 12].map((i) => v.getUint8(i)) as [
        number,
        number,
        number,
        number,
        number,
      ];
      if (width === 0 || height === 0 || width > 2 ** 14 || height > 2 ** 14)
        throw decodeError(where, `unsupported PNG size ${width}×${height} (1 to 16384 pixels per side)`);
      const ch = CHANNELS[colour];
      const kind = COLOUR_NAMES[colour];
      if (kind === undefined) throw decodeError(where, `malformed PNG: colour type ${colour} does not exist`);
      if (ch === undefined)
        throw new CryptflowError(
          'unsupported',
          `${where}: ${kind} PNG images (colour type ${colour}) are not supported; save it as 8-bit gray, RGB or RGBA`,
        );
      if (depth !== 8)
        throw new CryptflowError(
          'unsupported',
          `${where}: ${depth}-bit PNG images are not supported; only 8 bits per sample are read`,
        );
      if (compression !== 0 || filter !== 0)
        throw decodeError(
          where,
          `malformed PNG: compression method ${compression}, filter method ${filter} (only 0 exists)`,
        );
      if (interlace !== 0)
        throw new CryptflowError(
          'unsupported',
          `${where}: interlaced (Adam7) PNG images are not supported; save it without interlacing`,
        );
      header = { width, height, channels: ch };
    } else if (c.type === 'IDAT') idat.push(c.data);
    else if (c.type === 'PLTE' || c.type === 'IEND' || (c.type.charCodeAt(0) & 0x20) !== 0) continue;
    else throw new CryptflowError('unsupported', `${where}: unknown critical PNG chunk ${c.type}`);
  }
  if (header === null) throw decodeError(where, 'malformed PNG: no IHDR chunk');
  if (idat.length === 0) throw decodeError(where, 'malformed PNG: no IDAT chunk (no image data)');
  let inflated: Uint8Array;
  try {
    inflated = platform.inflate(concat(idat));
  } catch {
    throw decodeError(where, 'corrupt PNG: the image data does not inflate (zlib stream broken)');
  }
  const { width, height, channels } = header;
  return raster(width, height, channels, 255, unfilter(inflated, width, height, channels, where));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encode an 8-bit raster as a PNG (filter None on every row, one IDAT). */
export function encodePng(r: Raster): Uint8Array {
  if (r.maxval !== 255 || !(r.samples instanceof Uint8Array))
    throw new CryptflowError('usage', 'encodePng writes 8-bit images (maxval 255, Uint8Array samples)');
  const colour = ({ 1: 0, 2: 4, 3: 2, 4: 6 } as const)[r.channels];
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, r.width);
  v.setUint32(4, r.height);
  ihdr.set([8, colour, 0, 0, 0], 8);
  const stride = r.width * r.channels;
  const raw = new Uint8Array(r.height * (stride + 1));
  for (let y = 0; y < r.height; y++) raw.set(r.samples.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const parts = [
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', platform.deflate(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  return concat(parts);
}
