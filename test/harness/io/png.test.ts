/**
 * PNG decoding (harness/io/png.ts): round trips against an encoder written here that uses every
 * scanline filter (None, Sub, Up, Average, Paeth), every supported colour type and IDAT split into
 * several chunks; the library's own encoder round-trips too; and every malformed or unsupported file
 * is a CryptflowError naming the file and what is wrong, never a stack trace or a sample value.
 */
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import { crc32, decodePng, encodePng } from '../../../harness/io/png.js';
import { raster, type Channels } from '../../../harness/format/raster.js';

const RUNS = process.env['CRYPTFLOW_SLOW'] === '1' ? 400 : 40;
const COLOUR: Record<Channels, number> = { 1: 0, 2: 4, 3: 2, 4: 6 };

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

interface EncodeOptions {
  readonly filters: readonly number[];
  readonly depth?: number;
  readonly colour?: number;
  readonly interlace?: number;
  readonly idatParts?: number;
  readonly extra?: ReadonlyArray<readonly [string, Uint8Array]>;
}

/** An independent PNG encoder: filter type filters[y % n] on row y. */
function encode(width: number, height: number, channels: Channels, samples: Uint8Array, o: EncodeOptions): Uint8Array {
  const bpp = channels;
  const stride = width * bpp;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const f = o.filters[y % o.filters.length] ?? 0;
    raw[y * (stride + 1)] = f;
    for (let i = 0; i < stride; i++) {
      const x = samples[y * stride + i] ?? 0;
      const a = i >= bpp ? (samples[y * stride + i - bpp] ?? 0) : 0;
      const b = y > 0 ? (samples[(y - 1) * stride + i] ?? 0) : 0;
      const c = y > 0 && i >= bpp ? (samples[(y - 1) * stride + i - bpp] ?? 0) : 0;
      const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][f] ?? 0;
      raw[y * (stride + 1) + 1 + i] = (x - pred) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([o.depth ?? 8, o.colour ?? COLOUR[channels], 0, 0, o.interlace ?? 0], 8);
  const z = deflateSync(raw);
  const parts = o.idatParts ?? 1;
  const size = Math.ceil(z.length / parts);
  const idats = Array.from({ length: parts }, (_, k) => chunk('IDAT', z.subarray(k * size, (k + 1) * size)));
  const extra = (o.extra ?? []).map(([t, d]) => chunk(t, d));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...extra,
    ...idats,
    chunk('IEND', new Uint8Array(0)),
  ]);
}

const image = fc
  .record({
    width: fc.integer({ min: 1, max: 9 }),
    height: fc.integer({ min: 1, max: 7 }),
    channels: fc.constantFrom<Channels>(1, 2, 3, 4),
  })
  .chain((d) =>
    fc.record({
      d: fc.constant(d),
      samples: fc.uint8Array({
        minLength: d.width * d.height * d.channels,
        maxLength: d.width * d.height * d.channels,
      }),
    }),
  );

function errorOf(f: () => unknown): CryptflowError {
  try {
    f();
  } catch (e) {
    if (e instanceof CryptflowError) return e;
    throw e;
  }
  throw new Error('expected a CryptflowError');
}

describe('PNG decoding', () => {
  it('round-trips every filter type, colour type and IDAT split of an independent encoder', () => {
    fc.assert(
      fc.property(
        image,
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 3 }),
        ({ d, samples }, filters, idatParts) => {
          const bytes = encode(d.width, d.height, d.channels, samples, {
            filters,
            idatParts,
            extra: [['tEXt', new TextEncoder().encode('Comment\0x')]],
          });
          const r = decodePng(bytes);
          expect([r.width, r.height, r.channels, r.maxval]).toEqual([d.width, d.height, d.channels, 255]);
          expect(Array.from(r.samples)).toEqual(Array.from(samples));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("round-trips the library's own encoder", () => {
    fc.assert(
      fc.property(image, ({ d, samples }) => {
        const r = decodePng(encodePng(raster(d.width, d.height, d.channels, 255, samples)));
        expect(Array.from(r.samples)).toEqual(Array.from(samples));
      }),
      { numRuns: RUNS },
    );
  });

  it('decodes a known 2×2 RGB image with the Paeth filter', () => {
    const samples = Uint8Array.of(10, 20, 30, 200, 100, 0, 0, 255, 128, 7, 7, 7);
    const r = decodePng(encode(2, 2, 3, samples, { filters: [4] }));
    expect(Array.from(r.samples)).toEqual(Array.from(samples));
  });

  const ok = encode(3, 2, 1, Uint8Array.of(1, 2, 3, 4, 5, 6), { filters: [0] });

  it('refuses unsupported images with what is and what is read', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [
        encode(2, 2, 1, new Uint8Array(8), { filters: [0], depth: 16 }),
        /16-bit PNG images are not supported; only 8 bits per sample/,
      ],
      [
        encode(2, 2, 1, new Uint8Array(4), { filters: [0], interlace: 1 }),
        /interlaced \(Adam7\) PNG images are not supported/,
      ],
      [
        encode(2, 2, 1, new Uint8Array(4), { filters: [0], colour: 3, extra: [['PLTE', new Uint8Array(3)]] }),
        /palette PNG images \(colour type 3\) are not supported/,
      ],
      [
        encode(2, 1, 1, new Uint8Array(2), { filters: [0], extra: [['ABCD', new Uint8Array(1)]] }),
        /unknown critical PNG chunk ABCD/,
      ],
    ];
    for (const [bytes, message] of cases) {
      const e = errorOf(() => decodePng(bytes, 'scan.png'));
      expect(e.code).toBe('unsupported');
      expect(e.message).toMatch(/^scan\.png: /);
      expect(e.message).toMatch(message);
    }
  });

  it('reports malformed files as decode errors naming the part', () => {
    const flip = (at: number): Uint8Array => {
      const b = Uint8Array.from(ok);
      b[at] = (b[at] ?? 0) ^ 0xff;
      return b;
    };
    const noIdat = Buffer.concat([ok.subarray(0, 33), Buffer.from(chunk('IEND', new Uint8Array(0)))]);
    const badZlib = encode(2, 1, 1, new Uint8Array(2), { filters: [0] });
    const idatAt = Buffer.from(badZlib).indexOf('IDAT');
    const brokenZlib = Uint8Array.from(badZlib);
    brokenZlib.set([0xff, 0xff], idatAt + 4);
    const crcFixed = Buffer.concat([
      brokenZlib.subarray(0, idatAt - 4),
      chunk('IDAT', brokenZlib.subarray(idatAt + 4, brokenZlib.length - 16)),
      brokenZlib.subarray(brokenZlib.length - 12),
    ]);
    const cases: Array<[Uint8Array, RegExp]> = [
      [Uint8Array.of(1, 2, 3), /not a PNG file \(bad signature\)/],
      [flip(20), /CRC mismatch in chunk IHDR/],
      [ok.subarray(0, ok.length - 20), /truncated PNG/],
      [noIdat, /no IDAT chunk/],
      [crcFixed, /does not inflate/],
      [encode(2, 2, 1, new Uint8Array(4), { filters: [0] }).subarray(0, 8), /no IEND chunk/],
    ];
    for (const [bytes, message] of cases) {
      const e = errorOf(() => decodePng(bytes, 'x.png'));
      expect(e.code).toBe('decode');
      expect(e.message).toMatch(message);
    }
  });

  it('reports a bad filter type and a wrong amount of image data with the row and sizes', () => {
    const raw = Buffer.from([7, 1, 2]);
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(2, 0);
    ihdr.writeUInt32BE(1, 4);
    ihdr.set([8, 0, 0, 0, 0], 8);
    const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const file = (data: Buffer): Uint8Array =>
      Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(data)), chunk('IEND', new Uint8Array(0))]);
    expect(errorOf(() => decodePng(file(raw))).message).toMatch(/row 0 has filter type 7/);
    expect(errorOf(() => decodePng(file(Buffer.from([0, 1])))).message).toMatch(/holds 2 bytes, 2×1 needs 3/);
  });
});
