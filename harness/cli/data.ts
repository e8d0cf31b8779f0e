/**
 * `cryptflow data synth --kind cxr|ct --sites N --per-site N --seed S --out DIR [--size S]`: a labelled
 * synthetic multi-site data set for `cryptflow validate` (harness/study/synth.ts), marked SYNTHETIC in
 * its README.md and manifest.json.
 */
import { CryptflowError } from '../../spec/errors.js';
import { synthesize } from '../study/synth.js';
import { getChoice, getInteger, getString, type FlagSpec, type ParsedArgs } from './args.js';

export const DATA_FLAGS: Readonly<Record<string, FlagSpec>> = {
  kind: { kind: 'string', help: "'cxr' (chest-X-ray-like PNGs with 3 pathologies) or 'ct' (volumes with organ masks)" },
  sites: { kind: 'integer', help: 'number of simulated sites (default 7)', min: 1, max: 1000 },
  'per-site': { kind: 'integer', help: 'cases per site (default 20)', min: 1, max: 1_000_000 },
  seed: { kind: 'string', help: 'seed of the generator (default "cryptflow-study")' },
  size: {
    kind: 'integer',
    help: 'image side in pixels (default 32 for cxr) or volume side in voxels (default 16 for ct)',
    min: 4,
    max: 1024,
  },
  out: { kind: 'string', help: 'output directory', alias: 'o' },
};

export function dataCommand(args: ParsedArgs): string {
  const [what] = args.positional;
  if (what !== 'synth') throw new CryptflowError('usage', `unknown data subcommand '${what ?? ''}' (synth)`);
  const kind = getChoice(args, 'kind', ['cxr', 'ct'] as const);
  if (kind === undefined) throw new CryptflowError('usage', 'data synth needs --kind cxr|ct');
  const out = getString(args, 'out');
  if (out === undefined) throw new CryptflowError('usage', 'data synth needs --out DIR');
  const o = {
    kind,
    out,
    sites: getInteger(args, 'sites') ?? 7,
    perSite: getInteger(args, 'per-site') ?? 20,
    seed: getString(args, 'seed') ?? 'cryptflow-study',
    size: getInteger(args, 'size') ?? (kind === 'cxr' ? 32 : 16),
  };
  const t0 = performance.now();
  const s = synthesize(o);
  const counts = Object.entries(s.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `wrote ${s.cases} SYNTHETIC ${kind} cases (${o.sites} sites × ${o.perSite}) to ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${kind === 'cxr' ? 'positives' : 'voxels'}: ${counts}; labels in ${out}/labels.csv`;
}
