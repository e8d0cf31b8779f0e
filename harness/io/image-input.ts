/**
 * From an image file to a model's client input tensor: the preprocessing `cryptflow run` documents.
 *
 *   1. Decode (PNG, png.ts; PGM, pgm.ts), chosen by the file's first bytes.
 *   2. Channels to the model's C: alpha is dropped; gray → RGB repeats the gray value; RGB → gray is
 *      the luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601). C must be 1 or 3.
 *   3. Scale samples to [0, 1] (divide by maxval).
 *   4. Resize to the model's H × W by bilinear interpolation with half-pixel centres (the convention
 *      of OpenCV's INTER_LINEAR, PIL and TensorFlow 2 without antialiasing): output pixel (y, x) reads
 *      the source at ((y + ½)·inH/outH − ½, (x + ½)·inW/outW − ½), clamped to the edge pixels. Same
 *      size is the identity; halving averages 2 × 2 blocks.
 *   5. Normalise per channel: (v − mean[c]) / std[c] (defaults 0 and 1, i.e. [0, 1]).
 *   6. Lay out as NCHW (ONNX models) or NHWC (TensorFlow models), batch 1; a rank-3 input is the same
 *      without the batch axis, a rank-2 input is H × W with C = 1.
 *
 * Only an image-shaped input takes an image: an input one pixel high (or wide) takes only an image
 * that is one pixel high (or wide) — an input like [1,784] is a vector, and a 28 × 28 image is not
 * squashed into one row of it. With `--flatten` (`flatImageTensor`) the image instead fills any input with
 * as many values as it has samples: at its own size, gray (W·H values) or RGB (3·W·H, channel-planar
 * for nchw, interleaved for nhwc), scaled and normalised as above, no resizing.
 */
import { CryptflowError } from '../../spec/errors.js';
import { showShape, type Shape } from '../../spec/geometry.js';
import { decodePgm } from './pgm.js';
import { decodePng, isPng } from './png.js';
import { describeRaster, type Raster } from '../format/raster.js';

export type Layout = 'nchw' | 'nhwc';

export interface ImagePreprocessing {
  readonly layout: Layout;
  /** Per-channel mean (one value for every channel, or one per channel); default 0. */
  readonly mean?: readonly number[];
  /** Per-channel standard deviation; default 1. */
  readonly std?: readonly number[];
}

/** Decode an image file's bytes (PNG or PGM, by its signature). */
export function decodeImage(bytes: Uint8Array, where: string): Raster {
  if (isPng(bytes)) return decodePng(bytes, where);
  if (bytes.length >= 2 && bytes[0] === 0x50 && (bytes[1] ?? 0) >= 0x31 && (bytes[1] ?? 0) <= 0x36)
    return decodePgm(bytes, where);
  throw new CryptflowError(
    'unsupported',
    `${where}: not a PNG or PGM image (unknown signature); images are read as 8-bit PNG or PGM`,
  );
}

/** Planar float channels in [0, 1], converted to `c` channels (see step 2). */
export function planes(r: Raster, c: number, where: string): Float32Array[] {
  const n = r.width * r.height;
  const colour = r.channels >= 3;
  const sample = (i: number, k: number): number => (r.samples[i * r.channels + k] as number) / r.maxval;
  if (c === 1) {
    const g = new Float32Array(n);
    for (let i = 0; i < n; i++)
      g[i] = colour ? 0.299 * sample(i, 0) + 0.587 * sample(i, 1) + 0.114 * sample(i, 2) : sample(i, 0);
    return [g];
  }
  if (c === 3) return [0, 1, 2].map((k) => Float32Array.from({ length: n }, (_, i) => sample(i, colour ? k : 0)));
  throw new CryptflowError(
    'unsupported',
    `${where}: the model's image input has ${c} channels; images feed models with 1 (gray) or 3 (RGB) channels`,
  );
}

/** Bilinear resize of one plane with half-pixel centres (step 4). */
export function resizeBilinear(src: Float32Array, inW: number, inH: number, outW: number, outH: number): Float32Array {
  const out = new Float32Array(outW * outH);
  const coord = (o: number, inN: number, outN: number): [number, number, number] => {
    const s = Math.min(Math.max((o + 0.5) * (inN / outN) - 0.5, 0), inN - 1);
    const i0 = Math.floor(s);
    return [i0, Math.min(i0 + 1, inN - 1), s - i0];
  };
  for (let y = 0; y < outH; y++) {
    const [y0, y1, fy] = coord(y, inH, outH);
    for (let x = 0; x < outW; x++) {
      const [x0, x1, fx] = coord(x, inW, outW);
      const at = (yy: number, xx: number): number => src[yy * inW + xx] as number;
      const top = at(y0, x0) + fx * (at(y0, x1) - at(y0, x0));
      const bottom = at(y1, x0) + fx * (at(y1, x1) - at(y1, x0));
      out[y * outW + x] = top + fy * (bottom - top);
    }
  }
  return out;
}

/** C, H, W of an image input of `shape` in `layout`, or an error saying what image inputs look like. */
export function imageGeometry(
  shape: Shape,
  layout: Layout,
  where: string,
): { readonly c: number; readonly h: number; readonly w: number } {
  const bad = (why: string): CryptflowError =>
    new CryptflowError(
      'input',
      `${where}: the model's client input has shape ${showShape(shape)}; ${why} (an image feeds an input of shape [1,C,H,W] (nchw), [1,H,W,C] (nhwc), [C,H,W], [H,W,C] or [H,W])`,
    );
  const dims =
    shape.length === 4
      ? shape[0] === 1
        ? shape.slice(1)
        : null
      : shape.length === 3
        ? shape
        : shape.length === 2
          ? null
          : undefined;
  if (dims === undefined) throw bad(`rank ${shape.length} is not an image`);
  if (dims === null && shape.length === 4) throw bad(`the batch extent is ${shape[0] ?? '?'}, one image fills batch 1`);
  if (dims === null) return { c: 1, h: shape[0] ?? 0, w: shape[1] ?? 0 };
  const [a, b, c] = dims as [number, number, number];
  return layout === 'nchw' ? { c: a, h: b, w: c } : { c, h: a, w: b };
}

/** An input one pixel high or wide takes only an image that is: anything else is not image-shaped. */
function checkImageShaped(r: Raster, shape: Shape, g: { readonly h: number; readonly w: number }, where: string): void {
  if ((g.h > 1 || r.height === 1) && (g.w > 1 || r.width === 1)) return;
  throw new CryptflowError(
    'input',
    `${where}: the model's client input has shape ${showShape(shape)}, which is not image-shaped: read as an image it is ${g.h} pixel(s) high and ${g.w} wide, and this ${r.width}×${r.height} image would be squashed into it. To feed the image's pixels as one flat vector, give --flatten`,
  );
}

function perChannel(values: readonly number[] | undefined, c: number, fallback: number, flag: string): number[] {
  if (values === undefined) return Array.from({ length: c }, () => fallback);
  if (values.length === 1) return Array.from({ length: c }, () => values[0] as number);
  if (values.length !== c)
    throw new CryptflowError('usage', `--${flag} needs 1 or ${c} values (one per channel), got ${values.length}`);
  return [...values];
}

/** `--flatten`: the image at its own size, gray or RGB as the input's size asks, as one vector. */
export function flatImageTensor(
  r: Raster,
  shape: Shape,
  pre: ImagePreprocessing,
  where: string,
): { readonly values: Float32Array; readonly note: string } {
  const n = shape.reduce((a, b) => a * b, 1);
  const px = r.width * r.height;
  const c = n === px ? 1 : n === 3 * px ? 3 : 0;
  if (c === 0) {
    throw new CryptflowError(
      'input',
      `${where}: --flatten uses the image at its own size, ${r.width}×${r.height} = ${px} pixels, so it fills an input of ${px} (gray) or ${3 * px} (RGB) values; the model's client input has shape ${showShape(shape)} (${n} values)`,
    );
  }
  const mean = perChannel(pre.mean, c, 0, 'mean');
  const std = perChannel(pre.std, c, 1, 'std');
  if (std.some((s) => !(s > 0) || !Number.isFinite(s)))
    throw new CryptflowError('usage', '--std values must be positive');
  const ps = planes(r, c, where);
  const values = new Float32Array(n);
  for (let k = 0; k < c; k++) {
    const p = ps[k] as Float32Array;
    for (let i = 0; i < px; i++)
      values[pre.layout === 'nchw' ? k * px + i : i * c + k] =
        ((p[i] as number) - (mean[k] as number)) / (std[k] as number);
  }
  const order =
    c === 1 ? 'row-major' : pre.layout === 'nchw' ? 'channel-planar, row-major' : 'row-major, channels interleaved';
  return {
    values,
    note: `${describeRaster(r)} image → ${c} channel(s), scaled to [0, 1], flattened (--flatten, ${order}) to ${showShape(shape)}`,
  };
}

/** The model input tensor for an image (steps 2-6), with a line describing what was done. */
export function imageTensor(
  r: Raster,
  shape: Shape,
  pre: ImagePreprocessing,
  where: string,
): { readonly values: Float32Array; readonly note: string } {
  const { c, h, w } = imageGeometry(shape, pre.layout, where);
  checkImageShaped(r, shape, { h, w }, where);
  const mean = perChannel(pre.mean, c, 0, 'mean');
  const std = perChannel(pre.std, c, 1, 'std');
  if (std.some((s) => !(s > 0) || !Number.isFinite(s)))
    throw new CryptflowError('usage', '--std values must be positive');
  const resized = planes(r, c, where).map((p) =>
    p.length === h * w && r.width === w ? p : resizeBilinear(p, r.width, r.height, w, h),
  );
  const values = new Float32Array(c * h * w);
  for (let k = 0; k < c; k++) {
    const p = resized[k] as Float32Array;
    const [m, s] = [mean[k] as number, std[k] as number];
    for (let i = 0; i < h * w; i++)
      values[pre.layout === 'nchw' || shape.length === 2 ? k * h * w + i : i * c + k] = ((p[i] as number) - m) / s;
  }
  const sized = r.width === w && r.height === h ? `${w}×${h}` : `resized bilinear to ${w}×${h}`;
  const norm =
    pre.mean === undefined && pre.std === undefined
      ? 'scaled to [0, 1]'
      : `scaled to [0, 1], normalised (v − mean) / std`;
  return {
    values,
    note: `${describeRaster(r)} image → ${c} channel(s), ${sized}, ${norm}, ${shape.length === 2 ? 'H×W' : pre.layout.toUpperCase()} ${showShape(shape)}`,
  };
}
