/**
 * zlib decompression (RFC 1950 wrapper around RFC 1951 DEFLATE) in plain TypeScript, synchronous, for
 * the browser platform: the PNG decoder (harness/io/png.ts) inflates its IDAT data through the
 * platform, node:zlib on Node and this in the page. Stored, fixed-Huffman and dynamic-Huffman blocks
 * (§3.2.4–§3.2.7); the Adler-32 check of the wrapper is verified. Malformed data is an 'input' error.
 */
import { CryptflowError } from '../spec/errors.js';

const LEN_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
  8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const bad = (why: string): never => {
  throw new CryptflowError('input', `malformed zlib data: ${why}`);
};

/** A canonical Huffman code (§3.2.2) as counts per length and symbols sorted by code. */
interface Huffman {
  readonly counts: Uint16Array;
  readonly symbols: Uint16Array;
}

function huffman(lengths: ArrayLike<number>): Huffman {
  const counts = new Uint16Array(16);
  for (let i = 0; i < lengths.length; i++) counts[lengths[i] as number] = (counts[lengths[i] as number] as number) + 1;
  counts[0] = 0;
  const offs = new Uint16Array(16);
  for (let l = 1; l < 16; l++) offs[l] = (offs[l - 1] as number) + (counts[l - 1] as number);
  const symbols = new Uint16Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) {
    const l = lengths[i] as number;
    if (l !== 0) {
      symbols[offs[l] as number] = i;
      offs[l] = (offs[l] as number) + 1;
    }
  }
  return { counts, symbols };
}

class Bits {
  private pos = 0;
  private bit = 0;
  private bitCount = 0;

  constructor(private readonly data: Uint8Array) {}

  get offset(): number {
    return this.pos;
  }

  need(n: number): number {
    while (this.bitCount < n) {
      if (this.pos >= this.data.length) bad('the stream ends early');
      this.bit |= (this.data[this.pos++] as number) << this.bitCount;
      this.bitCount += 8;
    }
    const v = this.bit & ((1 << n) - 1);
    this.bit >>>= n;
    this.bitCount -= n;
    return v;
  }

  /** Drop the bits left in the current byte (stored blocks start on a byte boundary). */
  align(): void {
    this.bit = 0;
    this.bitCount = 0;
  }

  bytes(n: number): Uint8Array {
    if (this.pos + n > this.data.length) bad('a stored block runs past the end');
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  decode(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= this.need(1);
      const count = h.counts[len] as number;
      if (code - first < count) return h.symbols[index + code - first] as number;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    return bad('an invalid Huffman code');
  }
}

class Output {
  buf = new Uint8Array(1 << 16);
  len = 0;

  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  push(b: number): void {
    this.grow(1);
    this.buf[this.len++] = b;
  }

  append(b: Uint8Array): void {
    this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  copy(dist: number, n: number): void {
    if (dist > this.len) bad('a back-reference before the start');
    this.grow(n);
    for (let i = 0; i < n; i++, this.len++) this.buf[this.len] = this.buf[this.len - dist] as number;
  }
}

const FIXED_LIT = huffman(Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)));
const FIXED_DIST = huffman(new Array<number>(30).fill(5));

function dynamicCodes(bits: Bits): { lit: Huffman; dist: Huffman } {
  const hlit = bits.need(5) + 257;
  const hdist = bits.need(5) + 1;
  const hclen = bits.need(4) + 4;
  const cl = new Uint8Array(19);
  for (let i = 0; i < hclen; i++) cl[CL_ORDER[i] as number] = bits.need(3);
  const clCode = huffman(cl);
  const lengths = new Uint8Array(hlit + hdist);
  for (let i = 0; i < lengths.length;) {
    const sym = bits.decode(clCode);
    if (sym < 16) lengths[i++] = sym;
    else {
      const [value, n] =
        sym === 16
          ? [i === 0 ? bad('a repeat with no previous length') : (lengths[i - 1] as number), 3 + bits.need(2)]
          : sym === 17
            ? [0, 3 + bits.need(3)]
            : [0, 11 + bits.need(7)];
      if (i + n > lengths.length) bad('code lengths run past their count');
      lengths.fill(value, i, i + n);
      i += n;
    }
  }
  return { lit: huffman(lengths.subarray(0, hlit)), dist: huffman(lengths.subarray(hlit)) };
}

function adler32(b: Uint8Array): number {
  let s1 = 1;
  let s2 = 0;
  for (let i = 0; i < b.length;) {
    const end = Math.min(b.length, i + 5552);
    for (; i < end; i++) {
      s1 += b[i] as number;
      s2 += s1;
    }
    s1 %= 65521;
    s2 %= 65521;
  }
  return ((s2 << 16) | s1) >>> 0;
}

/** Inflate a zlib stream (RFC 1950), checking its header and Adler-32. */
export function inflateZlib(data: Uint8Array): Uint8Array {
  if (data.length < 6) bad(`${data.length} bytes is too short`);
  const cmf = data[0] as number;
  const flg = data[1] as number;
  if ((cmf & 0x0f) !== 8 || ((cmf << 8) | flg) % 31 !== 0) bad('not a zlib header');
  if (flg & 0x20) bad('a preset dictionary is not supported');
  const bits = new Bits(data.subarray(2));
  const out = new Output();
  let final = 0;
  while (final === 0) {
    final = bits.need(1);
    const type = bits.need(2);
    if (type === 0) {
      bits.align();
      const hdr = bits.bytes(4);
      const len = (hdr[0] as number) | ((hdr[1] as number) << 8);
      const nlen = (hdr[2] as number) | ((hdr[3] as number) << 8);
      if ((len ^ 0xffff) !== nlen) bad('a stored block with a bad length');
      out.append(bits.bytes(len));
      continue;
    }
    if (type === 3) bad('a reserved block type');
    const { lit, dist } = type === 1 ? { lit: FIXED_LIT, dist: FIXED_DIST } : dynamicCodes(bits);
    for (;;) {
      const sym = bits.decode(lit);
      if (sym < 256) out.push(sym);
      else if (sym === 256) break;
      else {
        const li = sym - 257;
        if (li >= 29) bad('an invalid length symbol');
        const n = (LEN_BASE[li] as number) + bits.need(LEN_EXTRA[li] as number);
        const di = bits.decode(dist);
        if (di >= 30) bad('an invalid distance symbol');
        out.copy((DIST_BASE[di] as number) + bits.need(DIST_EXTRA[di] as number), n);
      }
    }
  }
  const result = out.buf.slice(0, out.len);
  const tail = data.subarray(2 + bits.offset, 2 + bits.offset + 4);
  if (tail.length < 4) bad('the Adler-32 checksum is missing');
  const want =
    (((tail[0] as number) << 24) | ((tail[1] as number) << 16) | ((tail[2] as number) << 8) | (tail[3] as number)) >>>
    0;
  if (adler32(result) !== want) bad('the Adler-32 checksum does not match');
  return result;
}
