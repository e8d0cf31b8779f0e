/**
 * Trains the small 3-D segmentation model of the validation study and writes it:
 *
 *   npx tsx scripts/train-ct.ts [--out DIR]      (default examples/ct)
 *
 * Data: SYNTHETIC CT-like 16³ volumes with organ masks (background/other, liver, kidney;
 * harness/zoo/synthetic-study.ts) from 20 training sites and 5 held-out sites seeded apart from any
 * `cryptflow data synth` run, normalised ((x − 0.5)/0.25, carried by the model). Model and training:
 * scripts/train/seg3d.ts. Seeded: a rerun writes the same files.
 *
 * Written to DIR: `ct-seg3d.onnx` (input `volume` [1,1,16,16,16]; outputs `logits` [1,3,16,16,16] and
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
import { neighbours, segPredict, trainSeg, type SegExample, type SegParams, type SegShape } from './train/seg3d.js';

const SHAPE: SegShape = { size: 16, hidden: 6, classes: CT_CLASSES.length };
const NORM = { mean: 0.5, std: 0.25 } as const;
const SETTINGS = { trainSites: 20, heldOutSites: 5, perSite: Number(process.env['CT_PER_SITE'] ?? 8), epochs: Number(process.env['CT_EPOCHS'] ?? 15), batch: 4, rate: 0.2, seed: 'cryptflow-ct' } as const;

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

function segOnnx(s: SegShape, p: SegParams): Uint8Array {
  const g = onnxGraph({ opset: 13, name: 'ct-seg3d' });
  const n = s.size;
  const volume = g.input('volume', [1, 1, n, n, n]);
  const centred = g.node('Sub', [volume, g.weight('norm.mean', [1], [NORM.mean])], {}, { name: 'centre' });
  const x = g.node('Div', [centred, g.weight('norm.std', [1], [NORM.std])], {}, { name: 'scale' });
  const c1 = g.node('Conv', [x, g.weight('conv1.w', [s.hidden, 1, 3, 3, 3], p.w1), g.weight('conv1.b', [s.hidden], p.b1)], { kernel_shape: [3, 3, 3], pads: [1, 1, 1, 1, 1, 1] }, { name: 'conv1' });
  const r1 = g.node('Relu', [c1], {}, { name: 'relu1' });
  const logits = g.node('Conv', [r1, g.weight('head.w', [s.classes, s.hidden, 1, 1, 1], p.w2), g.weight('head.b', [s.classes], p.b2)], { kernel_shape: [1, 1, 1] }, { name: 'head', outputs: ['logits'] });
  g.node('ArgMax', [logits], { axis: 1, keepdims: 0 }, { name: 'argmax', outputs: ['segmentation'] });
  g.output('logits', [1, s.classes, n, n, n]);
  g.output('segmentation', [1, n, n, n], 'int64');
  return g.bytes();
}

function meanDice(s: SegShape, p: SegParams, data: readonly SegExample[]): number[] {
  const nb = neighbours(s.size);
  const sums = new Float64Array(s.classes);
  for (const e of data) dicePerClass(segPredict(s, p, e.x, nb), e.y, s.classes).forEach((d, k) => (sums[k] = (sums[k] as number) + d.dice));
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
  const params = trainSeg(SHAPE, train, { ...SETTINGS, rng: seedrandom(`${SETTINGS.seed}/sgd`) }, (epoch, loss) => {
    epochs.push({ epoch, loss: Number(loss.toFixed(5)) });
    console.log(`epoch ${String(epoch).padStart(2)}: weighted loss ${loss.toFixed(4)}`);
  });
  const dice = meanDice(SHAPE, params, heldOut);
  const modelPath = join(dir, 'ct-seg3d.onnx');
  const bytes = segOnnx(SHAPE, params);
  writeFileSync(modelPath, bytes);
  writeFileSync(join(dir, 'labels.json'), `${JSON.stringify(CT_CLASSES)}\n`);
  const model = loadModel(modelPath);
  const nb = neighbours(SHAPE.size);
  let mismatched = 0;
  for (const { raw, e } of heldOutRaw.slice(0, 5)) {
    const out = floatSemAll(model.program, new Map([['volume', Float32Array.from(raw)], ...model.weights]), new Set(['segmentation'])).get('segmentation');
    const want = segPredict(SHAPE, params, e.x, nb);
    want.forEach((v, i) => (mismatched += out?.data[i] === v ? 0 : 1));
  }
  const report = {
    synthetic: true,
    data: { generator: 'harness/zoo/synthetic-study.ts', size: SHAPE.size, trainSites: SETTINGS.trainSites, heldOutSites: SETTINGS.heldOutSites, perSite: SETTINGS.perSite, seed: SETTINGS.seed, classes: CT_CLASSES },
    model: { architecture: `normalise-conv3d3x3x3(1→${SHAPE.hidden})-relu-conv3d1x1x1(${SHAPE.hidden}→3)-argmax`, normalisation: NORM, bytes: bytes.length },
    sgd: { epochs: SETTINGS.epochs, batch: SETTINGS.batch, rate: SETTINGS.rate, momentum: 0.9 },
    epochs,
    heldOutDice: Object.fromEntries(dice.map((d, k) => [CT_CLASSES[k], d])),
    onnxCheck: { voxelsDisagreeing: mismatched, of: 5 * SHAPE.size ** 3 },
  };
  writeFileSync(join(dir, 'training.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${modelPath} (${bytes.length} bytes) in ${((performance.now() - t0) / 1000).toFixed(1)} s; held-out Dice ${JSON.stringify(report.heldOutDice)}; ONNX vs trained: ${mismatched} voxels differ`);
}

main();
