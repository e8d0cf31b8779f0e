/**
 * Trains the small multi-label chest-X-ray model of the validation study (`npm run study`) and writes it:
 *
 *   npx tsx scripts/train-cxr.ts [--out DIR]      (default examples/cxr)
 *
 * Data: SYNTHETIC multi-site chest-X-ray-like 32×32 images with three pathologies (nodule, effusion,
 * cardiomegaly; harness/zoo/synthetic-study.ts), from 40 training sites and 10 held-out sites that
 * share no seed with the study's (`cryptflow data synth` seeds its sites from its own --seed), quantised
 * to 8 bits and normalised ((x − 0.4)/0.2, carried by the model). Model: the tiny CNN of
 * scripts/train/cnn.ts with 3 outputs and one sigmoid each, trained with summed binary cross-entropy
 * by minibatch SGD (scripts/train/multilabel.ts). Seeded: a rerun writes the same files.
 *
 * Written to DIR: `cxr-multilabel.onnx` (output `prob` [1, 3], Sigmoid), `labels.json` and
 * `training.json` (settings, per-epoch loss and held-out AUROC per pathology, the ONNX check).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { floatSem } from '../semantics/float.js';
import { loadModel } from '../harness/io/model.js';
import { CXR_PATHOLOGIES, cxrCase, siteProfile } from '../harness/zoo/synthetic-study.js';
import { forward, type CnnShape } from './train/cnn.js';
import { cnnOnnx } from './train/export.js';
import { aurocs, trainMultiLabel, type MultiExample } from './train/multilabel.js';

const SHAPE: CnnShape = { height: 32, width: 32, c1: 8, c2: 12, classes: CXR_PATHOLOGIES.length };
const NORM = { mean: 0.4, std: 0.2 } as const;
const SETTINGS = {
  trainSites: 40,
  heldOutSites: 10,
  perSite: Number(process.env['CXR_PER_SITE'] ?? 80),
  epochs: Number(process.env['CXR_EPOCHS'] ?? 12),
  batch: 16,
  rate: 0.05,
  halveEvery: 5,
  seed: 'cryptflow-cxr',
} as const;

function outDir(argv: readonly string[]): string {
  const i = argv.indexOf('--out');
  return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : 'examples/cxr';
}

function examples(part: string, sites: number): { raw: Float64Array; e: MultiExample }[] {
  const seed = `${SETTINGS.seed}/${part}`;
  return Array.from({ length: sites }, (_, s) => siteProfile(seed, s + 1)).flatMap((site) =>
    Array.from({ length: SETTINGS.perSite }, (_, i) => {
      const c = cxrCase(seed, site, i, SHAPE.height);
      const raw = Float64Array.from(c.pixels, (v) => Math.round(255 * v) / 255);
      return { raw, e: { x: raw.map((v) => (v - NORM.mean) / NORM.std), labels: c.labels } };
    }),
  );
}

function main(): void {
  const dir = outDir(process.argv.slice(2));
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const trainSet = examples('train', SETTINGS.trainSites).map((t) => t.e);
  const heldOutRaw = examples('held-out', SETTINGS.heldOutSites);
  const heldOut = heldOutRaw.map((t) => t.e);
  const rng = seedrandom(`${SETTINGS.seed}/sgd`);
  const { params, epochs } = trainMultiLabel(SHAPE, trainSet, heldOut, { ...SETTINGS, rng }, (r) =>
    console.log(
      `epoch ${String(r.epoch).padStart(2)}: loss ${r.loss.toFixed(4)}, held-out AUROC ${r.auroc.map((a, k) => `${CXR_PATHOLOGIES[k]} ${a.toFixed(3)}`).join(', ')}`,
    ),
  );
  const modelPath = join(dir, 'cxr-multilabel.onnx');
  const bytes = cnnOnnx(SHAPE, params, NORM, 'sigmoid', 'cxr-multilabel');
  writeFileSync(modelPath, bytes);
  writeFileSync(join(dir, 'labels.json'), `${JSON.stringify(CXR_PATHOLOGIES)}\n`);
  const model = loadModel(modelPath);
  let maxDiff = 0;
  for (const { raw, e } of heldOutRaw.slice(0, 200)) {
    const prob =
      floatSem(model.program, new Map([['image', Float32Array.from(raw)], ...model.weights])).get('prob') ??
      new Float32Array();
    forward(SHAPE, params, e.x).forEach(
      (z, k) => (maxDiff = Math.max(maxDiff, Math.abs(1 / (1 + Math.exp(-z)) - (prob[k] as number)))),
    );
  }
  if (maxDiff > 1e-4) throw new Error(`the exported ONNX model differs from the trained one by ${maxDiff}`);
  const report = {
    synthetic: true,
    data: {
      generator: 'harness/zoo/synthetic-study.ts',
      size: [SHAPE.height, SHAPE.width],
      trainSites: SETTINGS.trainSites,
      heldOutSites: SETTINGS.heldOutSites,
      perSite: SETTINGS.perSite,
      seed: SETTINGS.seed,
      labels: CXR_PATHOLOGIES,
    },
    model: {
      architecture: 'normalise-conv3x3(1→8)-relu-maxpool2x2-conv3x3(8→12)-relu-maxpool16x16-flatten-fc(12→3)-sigmoid',
      normalisation: NORM,
      bytes: bytes.length,
    },
    sgd: { epochs: SETTINGS.epochs, batch: SETTINGS.batch, rate: SETTINGS.rate, halveEvery: SETTINGS.halveEvery },
    epochs: epochs.map((e) => ({
      epoch: e.epoch,
      loss: Number(e.loss.toFixed(5)),
      heldOutAuroc: e.auroc.map((a) => Number(a.toFixed(4))),
    })),
    heldOutAuroc: Object.fromEntries(
      aurocs(SHAPE, params, heldOut).map((a, k) => [CXR_PATHOLOGIES[k], Number(a.toFixed(4))]),
    ),
    onnxCheck: { maxProbDiff: maxDiff },
  };
  writeFileSync(join(dir, 'training.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `wrote ${modelPath} (${bytes.length} bytes) in ${((performance.now() - t0) / 1000).toFixed(1)} s; held-out AUROC ${JSON.stringify(report.heldOutAuroc)}`,
  );
}

main();
