/**
 * PGM decoding (harness/io/pgm.ts): plain (P2) and raw (P5) files from an encoder written here, with
 * comments and odd whitespace, 8- and 16-bit samples; the library's encoder round-trips; malformed and
 * unsupported files are CryptflowErrors naming the file and the field, never a sample value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import { decodePgm, encodePgm } from '../../../harness/io/pgm.js';
import { raster } from '../../../harness/format/raster.js';

const RUNS = process.env['CRYPTFLOW_SLOW'] === '1' ? 400 : 40;

/** P2 or P5 bytes, with a comment in the header and `sep` between header fields. */
function encode(
  plain: boolean,
  width: number,
  height: number,
  maxval: number,
  samples: readonly number[],
  sep = ' ',
): Uint8Array {
  const header = `P${plain ? 2 : 5}\n# written by the test\n${width}${sep}${height}\n# maxval next\n${maxval}`;
  if (plain) return new TextEncoder().encode(`${header}\n${samples.join(sep)}\n`);
  const wide = maxval >= 256;
  const body = new Uint8Array(samples.length * (wide ? 2 : 1));
  samples.forEach((v, i) => (wide ? body.set([v >> 8, v & 0xff], 2 * i) : (body[i] = v)));
  return Uint8Array.from([...new TextEncoder().encode(`${header}\n`), ...body]);
}

const gray = fc
  .record({
    width: fc.integer({ min: 1, max: 9 }),
    height: fc.integer({ min: 1, max: 7 }),
    maxval: fc.oneof(fc.constant(255), fc.integer({ min: 1, max: 65535 })),
  })
  .chain((d) =>
    fc.record({
      d: fc.constant(d),
      samples: fc.array(fc.integer({ min: 0, max: d.maxval }), {
        minLength: d.width * d.height,
        maxLength: d.width * d.height,
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

describe('PGM decoding', () => {
  it('round-trips P2 and P5 files of any maxval from an independent encoder', () => {
    fc.assert(
      fc.property(gray, fc.boolean(), fc.constantFrom(' ', '\t', '\n  ', '\r\n'), ({ d, samples }, plain, sep) => {
        const r = decodePgm(encode(plain, d.width, d.height, d.maxval, samples, sep));
        expect([r.width, r.height, r.channels, r.maxval]).toEqual([d.width, d.height, 1, d.maxval]);
        expect(Array.from(r.samples)).toEqual(samples);
      }),
      { numRuns: RUNS },
    );
  });

  it("round-trips the library's encoder", () => {
    fc.assert(
      fc.property(gray, ({ d, samples }) => {
        const s = d.maxval >= 256 ? Uint16Array.from(samples) : Uint8Array.from(samples);
        const r = decodePgm(encodePgm(raster(d.width, d.height, 1, d.maxval, s)));
        expect(Array.from(r.samples)).toEqual(samples);
      }),
      { numRuns: RUNS },
    );
  });

  it('reports malformed and unsupported files with the field, never a sample', () => {
    const text = (s: string): Uint8Array => new TextEncoder().encode(s);
    const cases: Array<[Uint8Array, string, RegExp]> = [
      [text('P6\n2 2\n255\n'), 'unsupported', /Netpbm P6 images are not supported; only gray maps/],
      [text('GIF89a'), 'decode', /not a PGM file/],
      [text('P2\n2 2\n'), 'decode', /truncated PGM: the file ends before the maxval/],
      [text('P2\n2 x\n255\n'), 'decode', /the height is not a decimal number/],
      [text('P2\n2 2\n0\n'), 'decode', /maxval 0 is outside 1..65535/],
      [text('P2\n2 1\n100\n7 4321\n'), 'decode', /sample 1 exceeds maxval 100/],
      [text('P2\n2 2\n255\n1 2 3\n'), 'decode', /the file ends before the sample 3/],
      [Uint8Array.from([...text('P5\n3 2\n255\n'), 1, 2, 3]), 'decode', /needs 6 bytes of samples, the file holds 3/],
      [Uint8Array.from([...text('P5\n1 1\n300\n'), 0x7f, 0xff]), 'decode', /sample 0 exceeds maxval 300/],
      [text('P5\n0 2\n255\n'), 'unsupported', /PGM size 0×2 is not supported/],
    ];
    for (const [bytes, code, message] of cases) {
      const e = errorOf(() => decodePgm(bytes, 'scan.pgm'));
      expect([e.code, e.message]).toEqual([code, expect.stringMatching(message)]);
      expect(e.message).toMatch(/^scan\.pgm: /);
      expect(e.message).not.toContain('4321');
    }
  });
});
