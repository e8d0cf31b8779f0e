/**
 * Synthetic chest-X-ray-like images, with and without a lesion: the training and sample data of the
 * default model (`npm start`, scripts/train-default.ts). Test data, not medicine: seeded
 * (seedrandom), so the same seed gives the same images on every machine.
 *
 * A scene is drawn once, in coordinates u (left → right) and v (top → bottom) in [0, 1], and can be
 * rendered at any size (the samples ship at two sizes to exercise the resize in preprocessing):
 *   - a dark background and a bright torso (an ellipse with soft edges);
 *   - two darker lung fields (ellipses) either side of the bright mediastinum;
 *   - ribs: faint bright arcs across the lungs (a sharpened sine in v bent by (u − ½)²);
 *   - with a lesion: a bright Gaussian nodule centred inside one lung (radius and contrast drawn from
 *     ranges that make some lesions faint);
 *   - global brightness and contrast jitter, then per-pixel Gaussian noise; values clipped to [0, 1].
 */
import seedrandom from 'seedrandom';
import { raster, type Raster } from '../format/raster.js';

export type Rng = () => number;

export interface Ellipse {
  readonly cu: number;
  readonly cv: number;
  readonly ru: number;
  readonly rv: number;
}

export interface XrayScene {
  readonly lesion: boolean;
  readonly background: number;
  readonly torso: Ellipse;
  readonly torsoLevel: number;
  readonly lungs: readonly [Ellipse, Ellipse];
  readonly lungLevel: number;
  readonly ribPeriod: number;
  readonly ribPhase: number;
  readonly ribLevel: number;
  /** The nodule: centre, radius (standard deviation) and added brightness. */
  readonly nodule: { readonly u: number; readonly v: number; readonly r: number; readonly level: number } | null;
  readonly gain: number;
  readonly offset: number;
  readonly noise: number;
}

const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();

/** A standard normal draw (Box–Muller). */
export function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Soft inside-ness of an ellipse: ≈1 inside, ≈0 outside, a smooth edge of width `edge`. */
function inside(e: Ellipse, u: number, v: number, edge: number): number {
  const d = Math.sqrt(((u - e.cu) / e.ru) ** 2 + ((v - e.cv) / e.rv) ** 2);
  return 1 / (1 + Math.exp((d - 1) / edge));
}

/** Draw a scene (see the file header). */
export function xrayScene(rng: Rng, lesion: boolean): XrayScene {
  const shift = uniform(rng, -0.04, 0.04);
  const torso: Ellipse = {
    cu: 0.5 + shift,
    cv: uniform(rng, 0.52, 0.58),
    ru: uniform(rng, 0.38, 0.46),
    rv: uniform(rng, 0.44, 0.52),
  };
  const lungV = uniform(rng, 0.42, 0.5);
  const lung = (side: -1 | 1): Ellipse => ({
    cu: 0.5 + shift + side * uniform(rng, 0.16, 0.2),
    cv: lungV + uniform(rng, -0.02, 0.02),
    ru: uniform(rng, 0.11, 0.15),
    rv: uniform(rng, 0.24, 0.3),
  });
  const lungs = [lung(-1), lung(1)] as const;
  let nodule: XrayScene['nodule'] = null;
  if (lesion) {
    const l = lungs[rng() < 0.5 ? 0 : 1];
    const a = uniform(rng, 0, 2 * Math.PI);
    const d = 0.7 * Math.sqrt(rng());
    nodule = {
      u: l.cu + d * l.ru * Math.cos(a),
      v: l.cv + d * l.rv * Math.sin(a),
      r: uniform(rng, 0.03, 0.06),
      level: uniform(rng, 0.2, 0.45),
    };
  }
  return {
    lesion,
    background: uniform(rng, 0.02, 0.1),
    torso,
    torsoLevel: uniform(rng, 0.55, 0.7),
    lungs,
    lungLevel: uniform(rng, 0.3, 0.42),
    ribPeriod: uniform(rng, 0.085, 0.11),
    ribPhase: rng(),
    ribLevel: uniform(rng, 0.05, 0.12),
    nodule,
    gain: uniform(rng, 0.85, 1.15),
    offset: uniform(rng, -0.05, 0.05),
    noise: uniform(rng, 0.015, 0.04),
  };
}

/** Render a scene at size × size pixels (row-major, values in [0, 1]); `rng` draws the noise. */
export function renderXray(s: XrayScene, size: number, rng: Rng): Float32Array {
  const out = new Float32Array(size * size);
  const edge = 0.04;
  for (let y = 0; y < size; y++) {
    const v = (y + 0.5) / size;
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size;
      const body = inside(s.torso, u, v, edge);
      const lungs = Math.max(inside(s.lungs[0], u, v, edge), inside(s.lungs[1], u, v, edge));
      let p = s.background + body * (s.torsoLevel - s.background);
      p -= lungs * (s.torsoLevel - s.lungLevel);
      const rib = Math.sin(2 * Math.PI * ((v + 0.6 * (u - 0.5) ** 2) / s.ribPeriod + s.ribPhase));
      p += lungs * s.ribLevel * Math.max(0, rib) ** 4;
      if (s.nodule !== null) {
        const d2 = (u - s.nodule.u) ** 2 + (v - s.nodule.v) ** 2;
        p += s.nodule.level * Math.exp(-d2 / (2 * s.nodule.r ** 2));
      }
      p = s.gain * p + s.offset + s.noise * gaussian(rng);
      out[y * size + x] = Math.min(1, Math.max(0, p));
    }
  }
  return out;
}

export interface XraySample {
  readonly scene: XrayScene;
  readonly pixels: Float32Array;
  readonly lesion: boolean;
}

/** `count` samples of size × size from `seed`, lesion or not with probability ½ each. */
export function xrayDataset(seed: string, count: number, size: number): XraySample[] {
  const rng = seedrandom(seed);
  return Array.from({ length: count }, () => {
    const lesion = rng() < 0.5;
    const scene = xrayScene(rng, lesion);
    return { scene, lesion, pixels: renderXray(scene, size, rng) };
  });
}

/** Quantise [0, 1] pixels to an 8-bit gray raster. */
export function grayRaster(pixels: Float32Array, width: number, height: number): Raster {
  return raster(
    width,
    height,
    1,
    255,
    Uint8Array.from(pixels, (p) => Math.round(255 * Math.min(1, Math.max(0, p)))),
  );
}
