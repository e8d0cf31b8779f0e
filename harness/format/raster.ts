/**
 * A decoded raster image, as the image readers (harness/io/png.ts, pgm.ts) return it: width × height pixels of
 * `channels` interleaved samples each (1 gray, 2 gray + alpha, 3 RGB, 4 RGBA), row-major from the top
 * left, every sample an integer in [0, maxval]. Preprocessing for a model (harness/io/image-input.ts) starts here.
 */
import { bug } from '../../spec/errors.js';

export type Channels = 1 | 2 | 3 | 4;

export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly channels: Channels;
  /** The largest sample value (255 for 8-bit images). */
  readonly maxval: number;
  /** width · height · channels samples, interleaved per pixel. */
  readonly samples: Uint8Array | Uint16Array;
}

/** A raster whose sample count matches its size (a bug otherwise). */
export function raster(
  width: number,
  height: number,
  channels: Channels,
  maxval: number,
  samples: Uint8Array | Uint16Array,
): Raster {
  if (samples.length !== width * height * channels)
    bug(`raster ${width}×${height}×${channels} with ${samples.length} samples`);
  return { width, height, channels, maxval, samples };
}

export function describeRaster(r: Raster): string {
  const kind = ({ 1: 'gray', 2: 'gray+alpha', 3: 'RGB', 4: 'RGBA' } as const)[r.channels];
  return `${r.width}×${r.height} ${kind}`;
}
