/**
 * Image preprocessing (harness/io/image-input.ts): bilinear resize with half-pixel centres on cases
 * worked out by hand (identity, 2×2 → 4×4, halving = 2 × 2 block means, constants stay constant,
 * results stay within the source's range), channel conversion, normalisation and the NCHW / NHWC
 * layouts; and the client-input reader (client-input.ts) choosing JSON, .npy or image and refusing
 * what does not fit the model.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import { parseHlil } from '../../../ir/text.js';
import type { HProgram } from '../../../ir/hlil.js';
import { readClientInput } from '../../../harness/io/client-input.js';
import { decodeImage, imageTensor, resizeBilinear } from '../../../harness/io/image-input.js';
import { encodePgm } from '../../../harness/io/pgm.js';
import { encodePng } from '../../../harness/io/png.js';
import { raster } from '../../../harness/format/raster.js';

const RUNS = process.env['CRYPTFLOW_SLOW'] === '1' ? 400 : 40;
const dir = mkdtempSync(join(tmpdir(), 'cryptflow-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const close = (a: ArrayLike<number>, b: readonly number[]): void => {
  expect(a.length).toBe(b.length);
  b.forEach((x, i) => expect(a[i]).toBeCloseTo(x, 6));
};

function errorOf(f: () => unknown): CryptflowError {
  try {
    f();
  } catch (e) {
    if (e instanceof CryptflowError) return e;
    throw e;
  }
  throw new Error('expected a CryptflowError');
}

function program(text: string): HProgram {
  const r = parseHlil(text);
  if (r._tag === 'Left') throw new Error('bad test program');
  return r.right;
}

describe('bilinear resize (half-pixel centres)', () => {
  it('is the identity at the same size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.infiniteStream(fc.float({ min: 0, max: 1, noNaN: true })),
        (w, h, s) => {
          const src = Float32Array.from(s.take(w * h));
          expect(Array.from(resizeBilinear(src, w, h, w, h))).toEqual(Array.from(src));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('upscales 2×2 to 4×4 as worked out by hand', () => {
    // Output x reads the source at (x + ½)/2 − ½ = −¼ (clamped to 0), ¼, ¾, 1¼ (clamped to 1).
    const out = resizeBilinear(Float32Array.of(0, 1, 2, 3), 2, 2, 4, 4);
    close(out, [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]);
  });

  it('halving averages 2 × 2 blocks; a 3×1 row to 2×1 reads at ¼ and 1¾', () => {
    const src = Float32Array.from({ length: 16 }, (_, i) => i);
    close(resizeBilinear(src, 4, 4, 2, 2), [2.5, 4.5, 10.5, 12.5]);
    close(resizeBilinear(Float32Array.of(0, 4, 8), 3, 1, 2, 1), [1, 7]);
  });

  it('keeps constants constant and stays within the source range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.infiniteStream(fc.float({ min: 0, max: 1, noNaN: true })),
        (w, h, ow, oh, s) => {
          const src = Float32Array.from(s.take(w * h));
          const out = resizeBilinear(src, w, h, ow, oh);
          const [lo, hi] = [Math.min(...src), Math.max(...src)];
          expect(out.every((v) => v >= lo - 1e-6 && v <= hi + 1e-6)).toBe(true);
          expect(resizeBilinear(new Float32Array(w * h).fill(0.375), w, h, ow, oh).every((v) => v === 0.375)).toBe(
            true,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('image tensors', () => {
  const rgb = raster(2, 1, 3, 255, Uint8Array.of(255, 0, 0, 0, 0, 255));

  it('converts RGB to luma, gray to three channels, drops alpha', () => {
    close(imageTensor(rgb, [1, 1, 1, 2], { layout: 'nchw' }, 'x').values, [0.299, 0.114]);
    const gray = raster(2, 1, 2, 255, Uint8Array.of(51, 0, 102, 255));
    close(imageTensor(gray, [1, 3, 1, 2], { layout: 'nchw' }, 'x').values, [0.2, 0.4, 0.2, 0.4, 0.2, 0.4]);
  });

  it('lays out NCHW and NHWC, rank 3 and 2, and normalises per channel', () => {
    close(imageTensor(rgb, [1, 3, 1, 2], { layout: 'nchw' }, 'x').values, [1, 0, 0, 0, 0, 1]);
    close(imageTensor(rgb, [1, 1, 2, 3], { layout: 'nhwc' }, 'x').values, [1, 0, 0, 0, 0, 1]);
    close(imageTensor(rgb, [3, 1, 2], { layout: 'nchw' }, 'x').values, [1, 0, 0, 0, 0, 1]);
    close(imageTensor(rgb, [1, 2], { layout: 'nchw' }, 'x').values, [0.299, 0.114]);
    close(
      imageTensor(rgb, [1, 3, 1, 2], { layout: 'nchw', mean: [0.5], std: [0.5, 0.25, 1] }, 'x').values,
      [1, -1, -2, -2, -0.5, 0.5],
    );
  });

  it('refuses inputs an image cannot fill, naming the shape', () => {
    expect(errorOf(() => imageTensor(rgb, [2, 3, 1, 2], { layout: 'nchw' }, 'a.png')).message).toMatch(
      /a\.png: .*shape \[2,3,1,2\]; the batch extent is 2/,
    );
    expect(errorOf(() => imageTensor(rgb, [1, 1, 1, 3, 2], { layout: 'nchw' }, 'a.png')).message).toMatch(
      /rank 5 is not an image/,
    );
    expect(errorOf(() => imageTensor(rgb, [1, 2, 4, 4], { layout: 'nchw' }, 'a.png')).message).toMatch(
      /has 2 channels; images feed models with 1 \(gray\) or 3 \(RGB\)/,
    );
    expect(errorOf(() => imageTensor(rgb, [1, 3, 1, 2], { layout: 'nchw', mean: [0, 0] }, 'a.png')).message).toMatch(
      /--mean needs 1 or 3 values/,
    );
    expect(errorOf(() => imageTensor(rgb, [1, 3, 1, 2], { layout: 'nchw', std: [0] }, 'a.png')).message).toMatch(
      /--std values must be positive/,
    );
  });

  it('decodes by signature and refuses other files', () => {
    expect(decodeImage(encodePgm(raster(1, 1, 1, 255, Uint8Array.of(9))), 'a').samples[0]).toBe(9);
    expect(errorOf(() => decodeImage(Uint8Array.of(0xff, 0xd8, 0xff), 'photo.jpg')).message).toMatch(
      /photo\.jpg: not a PNG or PGM image/,
    );
  });
});

describe('client input files', () => {
  const image = program(
    'hlil\ninput image : f32[1,1,4,4] @client\ninput w : f32[1,1,4,4] @server\ny = Mul(image, w)\noutput y -> client\n',
  );
  const two = program('hlil\ninput a : f32[2] @client\ninput b : f32[2] @client\ny = Add(a, b)\noutput y -> client\n');
  const file = (name: string, bytes: Uint8Array | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('reads an image with the documented preprocessing (resize, scale to [0, 1])', () => {
    const png = file('eight.png', encodePng(raster(8, 8, 1, 255, new Uint8Array(64).fill(51))));
    const r = readClientInput(png, image, { layout: 'nchw' });
    expect(r.form).toBe('image');
    close(
      r.values.get('image') ?? [],
      Array.from({ length: 16 }, () => 0.2),
    );
    expect(r.note).toMatch(
      /8×8 gray image → 1 channel\(s\), resized bilinear to 4×4, scaled to \[0, 1\], NCHW \[1,1,4,4\] → 'image'/,
    );
  });

  it('reads JSON and .npy by extension or content, refusing server inputs and wrong shapes', () => {
    const json = file('in.json', JSON.stringify({ image: Array.from({ length: 16 }, (_, i) => i / 16) }));
    expect(readClientInput(json, image, { layout: 'nchw' }).values.get('image')?.length).toBe(16);
    const weights = file(
      'both.json',
      JSON.stringify({ image: new Array(16).fill(0), w: new Array(16).fill(0.123456) }),
    );
    const e = errorOf(() => readClientInput(weights, image, { layout: 'nchw' }));
    expect(e.message).toMatch(/'w' is a server input; the client's input file holds only client inputs/);
    expect(e.message).not.toContain('0.123456');
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 4), }";
    const npyBytes = (shape: string, n: number): Uint8Array => {
      const h = header.replace('(4, 4)', shape);
      const pad = ' '.repeat((64 - ((10 + h.length + 1) % 64)) % 64);
      const text = `${h}${pad}\n`;
      const out = new Uint8Array(10 + text.length + 4 * n);
      out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 0xff, text.length >> 8]);
      out.set(new TextEncoder().encode(text), 10);
      return out;
    };
    expect(readClientInput(file('sq.npy', npyBytes('(4, 4)', 16)), image, { layout: 'nchw' }).note).toMatch(
      /NumPy array \[4,4\] of '<f4' → 'image' \[1,1,4,4\]/,
    );
    expect(readClientInput(file('noext', npyBytes('(1, 4, 4)', 16)), image, { layout: 'nchw' }).form).toBe('npy');
    expect(
      errorOf(() => readClientInput(file('bad.npy', npyBytes('(2, 8)', 16)), image, { layout: 'nchw' })).message,
    ).toMatch(/has shape \[2,8\] \(16 values\); the model's client input 'image' has shape \[1,1,4,4\]/);
    expect(errorOf(() => readClientInput(file('b.npy', npyBytes('(2,)', 2)), two, { layout: 'nchw' })).message).toMatch(
      /fills one input, the model has 2 client inputs \('a', 'b'\); give a JSON file/,
    );
  });

  it('refuses image options for non-images, unknown files and missing files', () => {
    const json = file('x.json', JSON.stringify({ a: [1, 2], b: [3, 4] }));
    expect(
      errorOf(() => readClientInput(json, two, { layout: 'nchw', mean: [0.5], imageOptionsGiven: true })).code,
    ).toBe('usage');
    expect(
      errorOf(() => readClientInput(file('x.bin', Uint8Array.of(0, 1, 2)), two, { layout: 'nchw' })).message,
    ).toMatch(/unknown input file type/);
    expect(errorOf(() => readClientInput(join(dir, 'missing.png'), two, { layout: 'nchw' })).message).toMatch(
      /cannot read input file .*missing\.png: ENOENT/,
    );
  });
});
