/**
 * `npm run study [-- --backend B --per-site N --sites N --out DIR --workers N]`: a small end-to-end
 * validation study on SYNTHETIC data, as the seeds' multi-site study did on real images:
 *
 *   1. `cryptflow data synth --kind cxr` (7 sites × 20 images) and `--kind ct` (7 sites × 3 volumes)
 *      into OUT/data-cxr and OUT/data-ct (kept if already there: same seed, same files);
 *   2. `cryptflow validate` of the multi-label CXR model (examples/cxr, scripts/train-cxr.ts) and of the
 *      small 3D-UNet (examples/ct, scripts/train-ct.ts) under the secure backend (default
 *      porthos), per site, with --resume (an interrupted study continues where it stopped);
 *   3. prints where the reports are. It opens nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../harness/cli/main.js';

function flag(name: string, fallback: string): string {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : fallback;
}

async function step(argv: string[]): Promise<void> {
  console.error(`$ cryptflow ${argv.join(' ')}`);
  const code = await main(argv);
  if (code !== 0) {
    console.error(`study: step failed with exit status ${code}`);
    process.exit(code);
  }
}

async function study(): Promise<void> {
  const out = flag('out', 'study-out');
  const backend = flag('backend', 'porthos');
  const sites = flag('sites', '7');
  const perSite = flag('per-site', '20');
  const ctPerSite = flag('ct-per-site', '3');
  const workers = flag('workers', '1');
  const cxrData = join(out, 'data-cxr');
  const ctData = join(out, 'data-ct');
  const t0 = performance.now();
  if (!existsSync(join(cxrData, 'labels.csv')))
    await step([
      'data',
      'synth',
      '--kind',
      'cxr',
      '--sites',
      sites,
      '--per-site',
      perSite,
      '--seed',
      'cryptflow-study',
      '--out',
      cxrData,
    ]);
  if (!existsSync(join(ctData, 'labels.csv')))
    await step([
      'data',
      'synth',
      '--kind',
      'ct',
      '--sites',
      sites,
      '--per-site',
      ctPerSite,
      '--seed',
      'cryptflow-study',
      '--out',
      ctData,
    ]);
  const common = ['--backend', backend, '--sites', '--resume', '--workers', workers];
  await step(['validate', 'examples/cxr/cxr-multilabel.onnx', '--data', cxrData, '--out', join(out, 'cxr'), ...common]);
  await step(['validate', 'examples/ct/ct-unet3d.onnx', '--data', ctData, '--out', join(out, 'ct'), ...common]);
  console.log(`\nstudy done in ${((performance.now() - t0) / 1000).toFixed(0)} s (SYNTHETIC data). Reports:`);
  for (const k of ['cxr', 'ct'])
    console.log(`  ${join(out, k, 'report.html')}  (${join(out, k, 'report.json')}, ${join(out, k, 'scores.csv')})`);
}

await study();
