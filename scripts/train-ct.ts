/**
 * Trains the small 3-D segmentation model of the validation study and writes it:
 *
 *   npx tsx scripts/train-ct.ts [--out DIR]      (default examples/ct)
 *
 * Data: SYNTHETIC CT-like 16³ volumes with organ masks (background/other, liver, kidney;
 * harness/zoo/synthetic-study.ts) from 20 training sites and 5 held-out sites seeded apart from any
 * `cryptflow data synth` run, normalised ((x − 0.5)/0.25, carried by the model). Model and training:
 * the small 3D-UNet of scripts/train/unet3d.ts. Seeded: a rerun writes the same files.
 *
 * Written to DIR: `ct-unet3d.onnx` (input `volume` [1,1,16,16,16]; outputs `logits` [1,3,16,16,16] and
 * `segmentation` = ArgMax over the classes [1,16,16,16]), `labels.json` (class names) and
 * `training.json` (settings, per-epoch loss, held-out Dice per class, the ONNX check).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { floatSemAll } from '../semantics/float.js';
import { loadModel } from '../harness/io/model.js';
import { onnxGraph } from '../passes/frontend/onnx/writer.js';
import { dicePerClass } from '../harness/stats/dice.js';
import { CT_CLASSES, ctCase, siteProfile } from '../harness/zoo/synthetic-study.js';
import { trainUnet, unetPredict, type SegExample, type UnetParams, type UnetShape } from './train/unet3d.js';

const SHAPE: UnetShape = { size: 16, c1: 4, c2: 8, classes: CT_CLASSES.length };
const NORM = { mean: 0.5, std: 0.25 } as const;
const SETTINGS = {
  trainSites: 20,
  heldOutSites: 5,
  perSite: Number(process.env['CT_PER_SITE'] ?? 8),
  epochs: Number(process.env['CT_EPOCHS'] ?? 20),
  batch: 4,
  rate: Number(process.env['CT_RATE'] ?? 0.1),
  seed: 'cryptflow-ct',
} as const;

function outDir(argv: readonly string[]): string {
  const i = argv.indexOf('--out');
  return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : 'examples/ct';
}

function examples(part: string, sites: number): { raw: Float64Array; e: SegExample }[] {
  const seed = `${SETTINGS.seed}/${part}`;
  return Array.from({ length: sites }, (_, s) => siteProfile(seed, s + 1)).flatMap((site) =>
    Array.from({ length: SETTINGS.perSite }, (_, i) => {
      const c = ctCase(seed, site, i, SHAPE.size);
      const raw = Float64Array.from(c.volume);
      return { raw, e: { x: raw.map((v) => (v - NORM.mean) / NORM.std), y: c.mask } };
    }),
  );
}

function unetOnnx(s: UnetShape, p: UnetParams): Uint8Array {
  const g = onnxGraph({ opset: 13, name: 'ct-unet3d' });
  const n = s.size;
  const same = { kernel_shape: [3, 3, 3], pads: [1, 1, 1, 1, 1, 1] };
  const volume = g.input('volume', [1, 1, n, n, n]);
  const centred = g.node('Sub', [volume, g.weight('norm.mean', [1], [NORM.mean])], {}, { name: 'centre' });
  const x = g.node('Div', [centred, g.weight('norm.std', [1], [NORM.std])], {}, { name: 'scale' });
  const skip = g.node(
    'Relu',
    [
      g.node('Conv', [x, g.weight('enc1.w', [s.c1, 1, 3, 3, 3], p.e1w), g.weight('enc1.b', [s.c1], p.e1b)], same, {
        name: 'enc1',
      }),
    ],
    {},
    { name: 'enc1.relu' },
  );
  const pool = g.node('MaxPool', [skip], { kernel_shape: [2, 2, 2], strides: [2, 2, 2] }, { name: 'pool' });
  const e2 = g.node(
    'Relu',
    [
      g.node(
        'Conv',
        [pool, g.weight('enc2.w', [s.c2, s.c1, 3, 3, 3], p.e2w), g.weight('enc2.b', [s.c2], p.e2b)],
        same,
        { name: 'enc2' },
      ),
    ],
    {},
    { name: 'enc2.relu' },
  );
  const up = g.node(
    'ConvTranspose',
    [e2, g.weight('up.w', [s.c2, s.c1, 2, 2, 2], p.upw), g.weight('up.b', [s.c1], p.upb)],
    { kernel_shape: [2, 2, 2], strides: [2, 2, 2] },
    { name: 'up' },
  );
  const cat = g.node('Concat', [up, skip], { axis: 1 }, { name: 'concat' });
  const d = g.node(
    'Relu',
    [
      g.node('Conv', [cat, g.weight('dec.w', [s.c1, 2 * s.c1, 3, 3, 3], p.dw), g.weight('dec.b', [s.c1], p.db)], same, {
        name: 'dec',
      }),
    ],
    {},
    { name: 'dec.relu' },
  );
  const logits = g.node(
    'Conv',
    [d, g.weight('head.w', [s.classes, s.c1, 1, 1, 1], p.hw), g.weight('head.b', [s.classes], p.hb)],
    { kernel_shape: [1, 1, 1] },
    { name: 'head', outputs: ['logits'] },
  );
  g.node('ArgMax', [logits], { axis: 1, keepdims: 0 }, { name: 'argmax', outputs: ['segmentation'] });
  g.output('logits', [1, s.classes, n, n, n]);
  g.output('segmentation', [1, n, n, n], 'int64');
  return g.bytes();
}

function meanDice(s: UnetShape, p: UnetParams, data: readonly SegExample[]): number[] {
  const sums = new Float64Array(s.classes);
  for (const e of data)
    dicePerClass(unetPredict(s, p, e.x), e.y, s.classes).forEach((d, k) => (sums[k] = (sums[k] as number) + d.dice));
  return Array.from(sums, (v) => Number((v / data.length).toFixed(4)));
}

function main(): void {
  const dir = outDir(process.argv.slice(2));
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const train = examples('train', SETTINGS.trainSites).map((t) => t.e);
  const heldOutRaw = examples('held-out', SETTINGS.heldOutSites);
  const heldOut = heldOutRaw.map((t) => t.e);
  const epochs: { epoch: number; loss: number }[] = [];
  const params = trainUnet(SHAPE, train, { ...SETTINGS, rng: seedrandom(`${SETTINGS.seed}/sgd`) }, (epoch, loss) => {
    epochs.push({ epoch, loss: Number(loss.toFixed(5)) });
    console.log(`epoch ${String(epoch).padStart(2)}: weighted loss ${loss.toFixed(4)}`);
  });
  const dice = meanDice(SHAPE, params, heldOut);
  const modelPath = join(dir, 'ct-unet3d.onnx');
  const bytes = unetOnnx(SHAPE, params);
  writeFileSync(modelPath, bytes);
  writeFileSync(join(dir, 'labels.json'), `${JSON.stringify(CT_CLASSES)}\n`);
  const model = loadModel(modelPath);
  let mismatched = 0;
  for (const { raw, e } of heldOutRaw.slice(0, 5)) {
    const out = floatSemAll(
      model.program,
      new Map([['volume', Float32Array.from(raw)], ...model.weights]),
      new Set(['segmentation']),
    ).get('segmentation');
    const want = unetPredict(SHAPE, params, e.x);
    want.forEach((v, i) => (mismatched += out?.data[i] === v ? 0 : 1));
  }
  const report = {
    synthetic: true,
    data: {
      generator: 'harness/zoo/synthetic-study.ts',
      size: SHAPE.size,
      trainSites: SETTINGS.trainSites,
      heldOutSites: SETTINGS.heldOutSites,
      perSite: SETTINGS.perSite,
      seed: SETTINGS.seed,
      classes: CT_CLASSES,
    },
    model: {
      architecture: `3D-UNet: normalise-conv3d3³(1→${SHAPE.c1})-relu[skip]-maxpool2³-conv3d3³(${SHAPE.c1}→${SHAPE.c2})-relu-convtranspose2³/2(${SHAPE.c2}→${SHAPE.c1})-concat[up,skip]-conv3d3³(${2 * SHAPE.c1}→${SHAPE.c1})-relu-conv3d1³(${SHAPE.c1}→3)-argmax`,
      normalisation: NORM,
      bytes: bytes.length,
    },
    sgd: {
      epochs: SETTINGS.epochs,
      batch: SETTINGS.batch,
      rate: SETTINGS.rate,
      momentum: 0.9,
      classWeights: 'mean-1, ∝ 1/√frequency',
    },
    epochs,
    heldOutDice: Object.fromEntries(dice.map((d, k) => [CT_CLASSES[k], d])),
    onnxCheck: { voxelsDisagreeing: mismatched, of: 5 * SHAPE.size ** 3 },
  };
  writeFileSync(join(dir, 'training.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `wrote ${modelPath} (${bytes.length} bytes) in ${((performance.now() - t0) / 1000).toFixed(1)} s; held-out Dice ${JSON.stringify(report.heldOutDice)}; ONNX vs trained: ${mismatched} voxels differ`,
  );
}

main();
