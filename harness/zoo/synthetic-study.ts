/**
 * Synthetic multi-site data for validation studies (`cryptflow data synth`, harness/study/synth.ts):
 * chest-X-ray-like images with several pathologies, and CT-like volumes with organ masks. Test data,
 * not medicine: seeded (seedrandom), every case reproducible from (seed, site, index).
 *
 * Sites differ as scanners and populations do: each site draws its own gain, offset, gamma (contrast)
 * and noise level, applied after the anatomy is rendered, and its own prevalence factor per pathology
 * (×0.6 to ×1.4 of the base prevalence).
 *
 * CXR (harness/zoo/synthetic.ts's scene, rendered noise-free and then):
 *   - nodule (base prevalence 0.30): the scene's bright Gaussian nodule in one lung;
 *   - effusion (0.20): fluid in the base of one lung, a bright layer with a soft meniscus;
 *   - cardiomegaly (0.15): the heart shadow (always drawn) wider, 0.16–0.20 instead of 0.10–0.13.
 * CT (a volume D = H = W = size, coordinates in [0, 1]³): a body cylinder of soft tissue, a spine, a
 *   liver (class 1) and two kidneys (class 2) as jittered ellipsoids with their own intensities; the
 *   mask labels each voxel 0 background/other, 1 liver, 2 kidney (kidney over liver where both).
 */
import seedrandom from 'seedrandom';
import { gaussian, renderXray, xrayScene, type Rng } from './synthetic.js';

export const CXR_PATHOLOGIES = ['nodule', 'effusion', 'cardiomegaly'] as const;
export const CXR_PREVALENCE = [0.3, 0.2, 0.15] as const;
export const CT_CLASSES = ['background', 'liver', 'kidney'] as const;

export interface SiteProfile {
  readonly site: number;
  readonly gain: number;
  readonly offset: number;
  readonly gamma: number;
  readonly noise: number;
  /** Per-pathology prevalence (CXR), base × the site's factor. */
  readonly prevalence: readonly number[];
}

const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();
const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

export function siteProfile(seed: string, site: number): SiteProfile {
  const rng = seedrandom(`${seed}/site/${site}`);
  return {
    site,
    gain: uniform(rng, 0.8, 1.2),
    offset: uniform(rng, -0.06, 0.06),
    gamma: uniform(rng, 0.8, 1.25),
    noise: uniform(rng, 0.01, 0.045),
    prevalence: CXR_PREVALENCE.map((p) => p * uniform(rng, 0.6, 1.4)),
  };
}

function siteTransform(p: number, s: SiteProfile, rng: Rng): number {
  return clamp01(s.gain * clamp01(p) ** s.gamma + s.offset + s.noise * gaussian(rng));
}

export interface CxrCase {
  /** 0/1 per pathology, in CXR_PATHOLOGIES order. */
  readonly labels: readonly number[];
  /** size × size pixels in [0, 1], row-major. */
  readonly pixels: Float32Array;
}

const ellipse = (u: number, v: number, cu: number, cv: number, ru: number, rv: number): number =>
  ((u - cu) / ru) ** 2 + ((v - cv) / rv) ** 2;
const soft = (d: number, edge: number): number => 1 / (1 + Math.exp((Math.sqrt(d) - 1) / edge));

export function cxrCase(seed: string, site: SiteProfile, index: number, size: number): CxrCase {
  const rng = seedrandom(`${seed}/cxr/${site.site}/${index}`);
  const labels = site.prevalence.map((p) => (rng() < p ? 1 : 0));
  const scene = xrayScene(rng, labels[0] === 1);
  const base = renderXray({ ...scene, gain: 1, offset: 0, noise: 0 }, size, rng);
  const cardio = labels[2] === 1;
  const heart = {
    cu: scene.torso.cu - 0.03,
    cv: uniform(rng, 0.6, 0.66),
    ru: cardio ? uniform(rng, 0.16, 0.2) : uniform(rng, 0.1, 0.13),
    rv: uniform(rng, 0.12, 0.15),
  };
  const lung = scene.lungs[rng() < 0.5 ? 0 : 1];
  const fluidTop = lung.cv + lung.rv * uniform(rng, 0.1, 0.5);
  const fluidLevel = uniform(rng, 0.18, 0.35);
  const pixels = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    const v = (y + 0.5) / size;
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size;
      let p = base[y * size + x] as number;
      p += 0.14 * soft(ellipse(u, v, heart.cu, heart.cv, heart.ru, heart.rv), 0.05);
      if (labels[1] === 1)
        p +=
          (fluidLevel * soft(ellipse(u, v, lung.cu, lung.cv, lung.ru, lung.rv), 0.04)) /
          (1 + Math.exp(-(v - fluidTop) / 0.02));
      pixels[y * size + x] = siteTransform(p, site, rng);
    }
  }
  return { labels, pixels };
}

export interface CtCase {
  /** size³ voxels in [0, 1], index (z·size + y)·size + x. */
  readonly volume: Float32Array;
  /** The organ mask, CT_CLASSES indices. */
  readonly mask: Int32Array;
}

interface Ellipsoid {
  readonly c: readonly [number, number, number];
  readonly r: readonly [number, number, number];
}

const inEllipsoid = (e: Ellipsoid, x: number, y: number, z: number): number =>
  ((x - e.c[0]) / e.r[0]) ** 2 + ((y - e.c[1]) / e.r[1]) ** 2 + ((z - e.c[2]) / e.r[2]) ** 2;

export function ctCase(seed: string, site: SiteProfile, index: number, size: number): CtCase {
  const rng = seedrandom(`${seed}/ct/${site.site}/${index}`);
  const j = (v: number, d: number): number => v + uniform(rng, -d, d);
  const liver: Ellipsoid = {
    c: [j(0.36, 0.04), j(0.45, 0.04), j(0.5, 0.05)],
    r: [j(0.2, 0.03), j(0.17, 0.03), j(0.3, 0.04)],
  };
  const kidneys: Ellipsoid[] = [0.3, 0.7].map((cx) => ({
    c: [j(cx, 0.03), j(0.66, 0.03), j(0.5, 0.08)],
    r: [j(0.09, 0.015), j(0.08, 0.015), j(0.16, 0.03)],
  }));
  const body = { cx: j(0.5, 0.03), cy: j(0.5, 0.03), rx: j(0.42, 0.03), ry: j(0.36, 0.03) };
  const [tissue, liverLevel, kidneyLevel] = [
    uniform(rng, 0.35, 0.45),
    uniform(rng, 0.55, 0.65),
    uniform(rng, 0.72, 0.82),
  ];
  const volume = new Float32Array(size ** 3);
  const mask = new Int32Array(size ** 3);
  for (let z = 0; z < size; z++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const [u, v, w] = [(x + 0.5) / size, (y + 0.5) / size, (z + 0.5) / size];
        const i = (z * size + y) * size + x;
        let p = 0.05;
        if (ellipse(u, v, body.cx, body.cy, body.rx, body.ry) < 1) p = tissue;
        if (ellipse(u, v, body.cx, body.cy + 0.24, 0.06, 0.06) < 1) p = 0.95;
        if (inEllipsoid(liver, u, v, w) < 1) [p, mask[i]] = [liverLevel, 1];
        if (kidneys.some((k) => inEllipsoid(k, u, v, w) < 1)) [p, mask[i]] = [kidneyLevel, 2];
        volume[i] = siteTransform(p, site, rng);
      }
    }
  }
  return { volume, mask };
}
