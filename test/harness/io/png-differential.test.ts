/**
 * Our PNG decoder (harness/io/png.ts) against a maintained one (fast-png, with CRC checks on), on
 * generated and fuzzed files:
 *   - structured: random 8-bit gray, gray + alpha, RGB and RGBA images whose rows carry random filter
 *     bytes (every filter, and sometimes an invalid one), deflated at a random level, the IDAT split
 *     into several chunks, ancillary chunks before and after — both decoders must return the same
 *     samples, or both refuse when a filter byte is invalid;
 *   - fast-png's own encoder: whatever it writes in a supported format, we read to the same samples;
 *   - mutated: valid files (libpng-written fixtures and structured ones) with bytes overwritten, cut
 *     short, or a chunk's data changed with its CRC recomputed (so the damage reaches zlib and the
 *     filters) — ours either refuses with a CryptflowError or returns exactly what fast-png returns.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { decode as fastDecode, encode as fastEncode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import { crc32, decodePng } from '../../../harness/io/png.js';

const SLOW = process.env['CRYPTFLOW_SLOW'] === '1';
const RUNS = SLOW ? 1000 : 60;
const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const COLOUR: Readonly<Record<number, number>> = { 1: 0, 2: 4, 3: 2, 4: 6 };

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

interface Image {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  /** One filter byte per row (0–4 valid). */
  readonly filters: readonly number[];
  readonly rows: Uint8Array;
  readonly level: number;
  readonly idatParts: number;
  readonly textBefore: boolean;
  readonly textAfter: boolean;
}

const image = (invalidFilters: boolean): fc.Arbitrary<Image> =>
  fc
    .record({
      width: fc.integer({ min: 1, max: 12 }),
      height: fc.integer({ min: 1, max: 8 }),
      channels: fc.integer({ min: 1, max: 4 }),
    })
    .chain(({ width, height, channels }) =>
      fc.record({
        width: fc.constant(width),
        height: fc.constant(height),
        channels: fc.constant(channels),
        filters: fc.array(fc.integer({ min: 0, max: invalidFilters ? 255 : 4 }), {
          minLength: height,
          maxLength: height,
        }),
        rows: fc.uint8Array({ minLength: width * height * channels, maxLength: width * height * channels }),
        level: fc.integer({ min: 0, max: 9 }),
        idatParts: fc.integer({ min: 1, max: 3 }),
        textBefore: fc.boolean(),
        textAfter: fc.boolean(),
      }),
    );

function build(im: Image): Uint8Array {
  const stride = im.width * im.channels;
  const raw = new Uint8Array(im.height * (stride + 1));
  for (let y = 0; y < im.height; y++) {
    raw[y * (stride + 1)] = im.filters[y] as number;
    raw.set(im.rows.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const z = new Uint8Array(deflateSync(raw, { level: im.level }));
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, im.width);
  new DataView(ihdr.buffer).setUint32(4, im.height);
  ihdr.set([8, COLOUR[im.channels] as number, 0, 0, 0], 8);
  const cut = Math.ceil(z.length / im.idatParts);
  const idats = Array.from({ length: im.idatParts }, (_, i) => chunk('IDAT', z.subarray(i * cut, (i + 1) * cut)));
  const text = chunk('tEXt', Buffer.from('Comment\0made by png-differential.test.ts', 'latin1'));
  const parts = [
    SIGNATURE,
    chunk('IHDR', ihdr),
    ...(im.textBefore ? [text] : []),
    ...idats,
    ...(im.textAfter ? [text] : []),
    chunk('IEND', new Uint8Array(0)),
  ];
  return Uint8Array.from(Buffer.concat(parts));
}

type Outcome =
  | { readonly ok: true; readonly shape: readonly number[]; readonly samples: readonly number[] }
  | { readonly ok: false; readonly error: unknown };

function ours(bytes: Uint8Array): Outcome {
  try {
    const r = decodePng(bytes, 'fuzzed.png');
    return { ok: true, shape: [r.width, r.height, r.channels, r.maxval], samples: [...r.samples] };
  } catch (error) {
    return { ok: false, error };
  }
}

function theirs(bytes: Uint8Array): Outcome {
  try {
    const r = fastDecode(bytes, { checkCrc: true });
    return { ok: true, shape: [r.width, r.height, r.channels, 2 ** r.depth - 1], samples: [...r.data] };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Ours refuses with a CryptflowError naming the file, or agrees with fast-png sample for sample. */
function expectRefusedOrSame(bytes: Uint8Array): boolean {
  const a = ours(bytes);
  if (!a.ok) {
    expect(a.error).toBeInstanceOf(CryptflowError);
    expect(['decode', 'unsupported']).toContain((a.error as CryptflowError).code);
    expect((a.error as CryptflowError).message).toMatch(/^fuzzed\.png: /);
    return false;
  }
  const b = theirs(bytes);
  expect(b.ok).toBe(true);
  if (b.ok) expect(a).toEqual(b);
  return true;
}

const FIXTURES = join(import.meta.dirname, 'fixtures', 'png');
const REAL = [
  'gray8-adaptive.png',
  'gray8-paeth.png',
  'gray8-level0.png',
  'rgb8.png',
  'gray-alpha8.png',
  'rgba8.png',
].map((f) => new Uint8Array(readFileSync(join(FIXTURES, f))));

describe('PNG decoding: ours ≡ fast-png', () => {
  it('structured images with every filter, split IDATs and ancillary chunks decode the same', () => {
    fc.assert(
      fc.property(image(false), (im) => {
        const bytes = build(im);
        const [a, b] = [ours(bytes), theirs(bytes)];
        expect(a.ok && b.ok).toBe(true);
        expect(a).toEqual(b);
      }),
      { numRuns: RUNS },
    );
  });

  it('an invalid filter byte is refused by both', () => {
    fc.assert(
      fc.property(image(true), (im) => {
        const bytes = build(im);
        const bad = im.filters.some((f) => f > 4);
        const [a, b] = [ours(bytes), theirs(bytes)];
        expect(a.ok).toBe(!bad);
        if (!a.ok) expect((a.error as CryptflowError).code).toBe('decode');
        if (a.ok) expect(a).toEqual(b);
      }),
      { numRuns: RUNS },
    );
  });

  it("fast-png's encoder: every supported image it writes reads back the same", () => {
    const arb = fc
      .record({
        width: fc.integer({ min: 1, max: 16 }),
        height: fc.integer({ min: 1, max: 16 }),
        channels: fc.integer({ min: 1, max: 4 }),
      })
      .chain((s) =>
        fc.tuple(
          fc.constant(s),
          fc.uint8Array({ minLength: s.width * s.height * s.channels, maxLength: s.width * s.height * s.channels }),
        ),
      );
    fc.assert(
      fc.property(arb, ([s, data]) => {
        const bytes = fastEncode({ width: s.width, height: s.height, channels: s.channels, depth: 8, data });
        const r = decodePng(bytes);
        expect([r.width, r.height, r.channels, r.maxval]).toEqual([s.width, s.height, s.channels, 255]);
        expect([...r.samples]).toEqual([...data]);
      }),
      { numRuns: RUNS },
    );
  });

  it('mutated files: refused with a CryptflowError, or decoded exactly as fast-png decodes them', () => {
    const seed = fc.oneof(fc.constantFrom(...REAL), image(false).map(build));
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('overwrite' as const),
        at: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      }),
      fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
      fc.record({
        kind: fc.constant('chunk' as const),
        which: fc.nat(),
        at: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
      }),
    );
    let decoded = 0;
    fc.assert(
      fc.property(seed, mutation, (bytes, m) => {
        const b = bytes.slice();
        let out: Uint8Array = b;
        if (m.kind === 'overwrite') for (const [at, v] of m.at) b[at % b.length] = v;
        else if (m.kind === 'truncate') out = b.subarray(0, m.keep % b.length);
        else {
          // Change one byte of some chunk's data and recompute its CRC, so the checks downstream see it.
          const starts: number[] = [];
          for (let at = 8; at + 12 <= b.length;) {
            const len = new DataView(b.buffer).getUint32(at);
            if (len > 0) starts.push(at);
            at += 12 + len;
          }
          const start = starts[m.which % starts.length] as number;
          const len = new DataView(b.buffer).getUint32(start);
          b[start + 8 + (m.at % len)] = m.value;
          new DataView(b.buffer).setUint32(start + 8 + len, crc32(b.subarray(start + 4, start + 8 + len)));
        }
        if (expectRefusedOrSame(out)) decoded++;
      }),
      { numRuns: 4 * RUNS },
    );
    // Some mutations leave a decodable file (a changed sample in a stored block, an ancillary chunk):
    // the comparison above must have run on those, not only on refusals.
    expect(decoded).toBeGreaterThan(0);
  });
});
