/**
 * `cryptflow data synth`: write a labelled synthetic multi-site data set (harness/zoo/synthetic-study.ts)
 * in the layout `cryptflow validate` reads:
 *
 *   DIR/README.md        says in its first line that the data are SYNTHETIC, and how they were made
 *   DIR/manifest.json    {"synthetic": true, kind, generator, seed, sites, perSite, size, labels, sites[…]}
 *   DIR/labels.csv       case,site,file,<one 0/1 column per pathology>   (cxr)
 *                        case,site,file,mask                              (ct: mask = a .npy of class indices)
 *   DIR/site-K/…         the images (8-bit PNG) or volumes (.npy float64 [1,1,S,S,S]) and masks (.npy int32 [S,S,S])
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CryptflowError } from '../../spec/errors.js';
import { encodeNpy } from '../io/npy.js';
import { encodePng } from '../io/png.js';
import { grayRaster } from '../zoo/synthetic.js';
import { CT_CLASSES, CXR_PATHOLOGIES, ctCase, cxrCase, siteProfile } from '../zoo/synthetic-study.js';

export interface SynthOptions {
  readonly kind: 'cxr' | 'ct';
  readonly sites: number;
  readonly perSite: number;
  readonly seed: string;
  readonly out: string;
  readonly size: number;
}

export interface SynthSummary {
  readonly cases: number;
  /** Positives per pathology (cxr) or voxels per class (ct). */
  readonly counts: Readonly<Record<string, number>>;
}

function write(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw new CryptflowError('input', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`);
  }
}

function readme(o: SynthOptions, summary: SynthSummary): string {
  return [
    '# SYNTHETIC DATA — not patient data, not for clinical use',
    '',
    `Made by \`cryptflow data synth --kind ${o.kind} --sites ${o.sites} --per-site ${o.perSite} --seed ${o.seed} --size ${o.size}\``,
    `(generator: harness/zoo/synthetic-study.ts). ${summary.cases} cases from ${o.sites} simulated sites; each site has its`,
    'own intensity gain, offset, contrast (gamma) and noise, and (cxr) its own prevalence of each pathology.',
    '',
    o.kind === 'cxr'
      ? `Labels (labels.csv, 0/1): ${CXR_PATHOLOGIES.join(', ')}. Positives: ${CXR_PATHOLOGIES.map((p) => `${p} ${summary.counts[p] ?? 0}`).join(', ')}.`
      : `Masks (labels.csv column \`mask\`, .npy int32): ${CT_CLASSES.map((c, i) => `${i} ${c}`).join(', ')}.`,
    '',
    'Run a study on it: `cryptflow validate MODEL --data THIS_DIR --backend porthos --sites --out REPORT_DIR`.',
    '',
  ].join('\n');
}

export function synthesize(o: SynthOptions): SynthSummary {
  if (o.sites < 1 || o.perSite < 1)
    throw new CryptflowError('usage', 'data synth needs --sites ≥ 1 and --per-site ≥ 1');
  mkdirSync(o.out, { recursive: true });
  const rows: string[] = [
    o.kind === 'cxr' ? ['case', 'site', 'file', ...CXR_PATHOLOGIES].join(',') : 'case,site,file,mask',
  ];
  const counts: Record<string, number> = {};
  const profiles = Array.from({ length: o.sites }, (_, s) => siteProfile(o.seed, s + 1));
  for (const site of profiles) {
    const dir = `site-${site.site}`;
    mkdirSync(join(o.out, dir), { recursive: true });
    for (let i = 0; i < o.perSite; i++) {
      const name = `s${site.site}-${String(i + 1).padStart(4, '0')}`;
      if (o.kind === 'cxr') {
        const c = cxrCase(o.seed, site, i, o.size);
        const file = `${dir}/${name}.png`;
        write(join(o.out, file), encodePng(grayRaster(c.pixels, o.size, o.size)));
        c.labels.forEach(
          (l, k) => (counts[CXR_PATHOLOGIES[k] as string] = (counts[CXR_PATHOLOGIES[k] as string] ?? 0) + l),
        );
        rows.push([name, `site-${site.site}`, file, ...c.labels].join(','));
      } else {
        const c = ctCase(o.seed, site, i, o.size);
        const file = `${dir}/${name}.npy`;
        const mask = `${dir}/${name}.mask.npy`;
        write(join(o.out, file), encodeNpy([1, 1, o.size, o.size, o.size], c.volume, '<f8'));
        write(join(o.out, mask), encodeNpy([o.size, o.size, o.size], c.mask, '<i4'));
        for (const v of c.mask) counts[CT_CLASSES[v] as string] = (counts[CT_CLASSES[v] as string] ?? 0) + 1;
        rows.push([name, `site-${site.site}`, file, mask].join(','));
      }
    }
  }
  const summary = { cases: o.sites * o.perSite, counts };
  write(join(o.out, 'labels.csv'), `${rows.join('\n')}\n`);
  const manifest = {
    synthetic: true,
    notice: 'SYNTHETIC DATA — not patient data, not for clinical use',
    kind: o.kind,
    generator: 'harness/zoo/synthetic-study.ts',
    seed: o.seed,
    sites: o.sites,
    perSite: o.perSite,
    size: o.size,
    labels: o.kind === 'cxr' ? [...CXR_PATHOLOGIES] : [...CT_CLASSES],
    counts,
    siteProfiles: profiles,
  };
  write(join(o.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  write(join(o.out, 'README.md'), readme(o, summary));
  return summary;
}
