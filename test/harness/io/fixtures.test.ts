/**
 * The input readers against files written by independent writers (test/harness/io/fixtures/,
 * MANIFEST.md says how each was made): `.npy` files written by NumPy, PNG files written by libpng
 * (Netpbm's pnmtopng) with every row filter, stored and maximal deflate, gray, gray + alpha, RGB and
 * RGBA. Each must decode to what manifest.json records, or raise the recorded CryptflowError class
 * (16-bit, sub-byte, palette and interlaced PNGs; big-endian, Fortran-order, float16, complex, string and
 * record `.npy`). The PNGs are also decoded by fast-png, which must agree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode as fastDecode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import { decodeNpy } from '../../../harness/io/npy.js';
import { decodePng } from '../../../harness/io/png.js';

const DIR = join(import.meta.dirname, 'fixtures');

interface Fixture {
  readonly file: string;
  readonly kind: 'npy' | 'png';
  readonly made: string;
  readonly expect: 'ok' | 'unsupported' | 'decode';
  readonly shape?: number[];
  readonly descr?: string;
  readonly values?: number[];
  readonly width?: number;
  readonly height?: number;
  readonly channels?: number;
  readonly maxval?: number;
  readonly samples?: number[];
}

const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as {
  readonly fixtures: readonly Fixture[];
};
const bytesOf = (f: Fixture): Uint8Array => new Uint8Array(readFileSync(join(DIR, f.file)));

function expectError(run: () => unknown, code: string, file: string): void {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(CryptflowError);
  expect((caught as CryptflowError).code).toBe(code);
  expect((caught as CryptflowError).message).toContain(file);
}

describe('readers against independently written files', () => {
  it('the manifest lists both kinds, successes and refusals', () => {
    const kinds = new Set(manifest.fixtures.map((f) => `${f.kind}:${f.expect}`));
    expect([...kinds].sort()).toEqual(['npy:ok', 'npy:unsupported', 'png:ok', 'png:unsupported']);
  });

  describe.each(manifest.fixtures.filter((f) => f.kind === 'npy'))('NumPy wrote $file', (f) => {
    it(`${f.made} → ${f.expect}`, () => {
      if (f.expect !== 'ok') return expectError(() => decodeNpy(bytesOf(f), f.file), f.expect, f.file);
      const a = decodeNpy(bytesOf(f), f.file);
      expect(a.shape).toEqual(f.shape);
      expect(a.descr).toBe(f.descr);
      expect([...a.values]).toEqual(f.values);
    });
  });

  describe.each(manifest.fixtures.filter((f) => f.kind === 'png'))('libpng wrote $file', (f) => {
    it(`${f.made} → ${f.expect}`, () => {
      const bytes = bytesOf(f);
      if (f.expect !== 'ok') return expectError(() => decodePng(bytes, f.file), f.expect, f.file);
      const r = decodePng(bytes, f.file);
      expect({ width: r.width, height: r.height, channels: r.channels, maxval: r.maxval }).toEqual({
        width: f.width,
        height: f.height,
        channels: f.channels,
        maxval: f.maxval,
      });
      expect([...r.samples]).toEqual(f.samples);
      const other = fastDecode(bytes, { checkCrc: true });
      expect([other.width, other.height, other.channels, other.depth]).toEqual([r.width, r.height, r.channels, 8]);
      expect([...other.data]).toEqual([...r.samples]);
    });
  });
});
