/**
 * PGM (Netpbm gray map) decoding for client images, and an encoder for the default model's samples.
 *
 * Format (netpbm pgm(5)): magic `P2` (plain: samples as ASCII decimals) or `P5` (raw: binary samples),
 * then width, height and maxval as ASCII decimals separated by whitespace, `#` comments running to
 * the end of a line allowed between them; for P5 exactly one whitespace byte follows maxval and the
 * samples are 1 byte each (maxval < 256) or 2 bytes big-endian (maxval ≥ 256). 1 ≤ maxval ≤ 65535;
 * every sample must be ≤ maxval. Only the first image of a multi-image file is read. Errors name the
 * file and the field, never a sample value.
 */
import { CryptflowError } from '../../spec/errors.js';
import { raster, type Raster } from '../format/raster.js';

function decodeError(where: string, message: string): CryptflowError {
  return new CryptflowError('decode', `${where}: ${message}`);
}

const isSpace = (b: number): boolean =>
  b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;

/** A cursor over the header's ASCII tokens (and a plain file's samples). */
class Tokens {
  at = 2;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly where: string,
  ) {}

  private skip(): void {
    const b = this.bytes;
    while (this.at < b.length) {
      const c = b[this.at] as number;
      if (isSpace(c)) this.at++;
      else if (c === 0x23) while (this.at < b.length && b[this.at] !== 0x0a && b[this.at] !== 0x0d) this.at++;
      else return;
    }
  }

  /** The next decimal number; `what` names the field in errors. */
  number(what: string): number {
    this.skip();
    const start = this.at;
    while (
      this.at < this.bytes.length &&
      (this.bytes[this.at] as number) >= 0x30 &&
      (this.bytes[this.at] as number) <= 0x39
    )
      this.at++;
    if (this.at === start)
      throw decodeError(
        this.where,
        this.at >= this.bytes.length
          ? `truncated PGM: the file ends before the ${what}`
          : `malformed PGM: the ${what} is not a decimal number`,
      );
    const end = this.at < this.bytes.length ? (this.bytes[this.at] as number) : 0x20;
    if (!isSpace(end) && end !== 0x23)
      throw decodeError(this.where, `malformed PGM: the ${what} is not a decimal number`);
    const v = Number(new TextDecoder().decode(this.bytes.subarray(start, this.at)));
    if (!Number.isSafeInteger(v)) throw decodeError(this.where, `malformed PGM: the ${what} is too large`);
    return v;
  }
}

export function isPgm(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x50 && (bytes[1] === 0x32 || bytes[1] === 0x35);
}

/** Decode a P2 or P5 PGM file's bytes; `where` names it in errors. */
export function decodePgm(bytes: Uint8Array, where = 'PGM image'): Raster {
  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] !== undefined && [0x31, 0x33, 0x34, 0x36].includes(bytes[1])) {
    throw new CryptflowError(
      'unsupported',
      `${where}: Netpbm P${String.fromCharCode(bytes[1])} images are not supported; only gray maps (PGM, P2 or P5) are read`,
    );
  }
  if (!isPgm(bytes)) throw decodeError(where, 'not a PGM file (it does not start with P2 or P5)');
  const plain = bytes[1] === 0x32;
  const t = new Tokens(bytes, where);
  const width = t.number('width');
  const height = t.number('height');
  const maxval = t.number('maxval');
  if (width < 1 || height < 1 || width > 2 ** 14 || height > 2 ** 14)
    throw new CryptflowError(
      'unsupported',
      `${where}: PGM size ${width}×${height} is not supported (1 to 16384 pixels per side)`,
    );
  if (maxval < 1 || maxval > 65535) throw decodeError(where, `malformed PGM: maxval ${maxval} is outside 1..65535`);
  const n = width * height;
  const samples = maxval < 256 ? new Uint8Array(n) : new Uint16Array(n);
  if (plain) {
    for (let i = 0; i < n; i++) {
      const v = t.number(`sample ${i}`);
      if (v > maxval) throw decodeError(where, `malformed PGM: sample ${i} exceeds maxval ${maxval}`);
      samples[i] = v;
    }
    return raster(width, height, 1, maxval, samples);
  }
  const start = t.at + 1;
  const wide = maxval >= 256;
  const need = n * (wide ? 2 : 1);
  if (bytes.length < start + need)
    throw decodeError(
      where,
      `truncated PGM: ${width}×${height} at maxval ${maxval} needs ${need} bytes of samples, the file holds ${Math.max(0, bytes.length - start)}`,
    );
  for (let i = 0; i < n; i++) {
    const v = wide
      ? ((bytes[start + 2 * i] as number) << 8) | (bytes[start + 2 * i + 1] as number)
      : (bytes[start + i] as number);
    if (v > maxval) throw decodeError(where, `malformed PGM: sample ${i} exceeds maxval ${maxval}`);
    samples[i] = v;
  }
  return raster(width, height, 1, maxval, samples);
}

/** Encode a gray raster as a raw (P5) PGM. */
export function encodePgm(r: Raster): Uint8Array {
  if (r.channels !== 1) throw new CryptflowError('usage', 'encodePgm writes gray images (1 channel)');
  const header = new TextEncoder().encode(`P5\n${r.width} ${r.height}\n${r.maxval}\n`);
  const wide = r.maxval >= 256;
  const out = new Uint8Array(header.length + r.samples.length * (wide ? 2 : 1));
  out.set(header);
  r.samples.forEach((v, i) => {
    if (wide) out.set([v >> 8, v & 0xff], header.length + 2 * i);
    else out[header.length + i] = v;
  });
  return out;
}
