/**
 * Trains the default model of `npm start` and writes it with its sample images:
 *
 *   npx tsx scripts/train-default.ts [--out DIR]      (default examples/default)
 *
 * Data: synthetic chest-X-ray-like 32×32 gray images with and without a bright lesion
 * (harness/zoo/synthetic.ts), quantised to 8 bits as a PNG would hold them and normalised
 * ((x − 0.4) / 0.2, a step the exported model carries); a training set and a held-out set from
 * different seeds. Model: the tiny CNN of scripts/train/cnn.ts (conv 3×3 → ReLU → maxpool 2×2 →
 * conv 3×3 → ReLU → global maxpool → flatten → fully connected to 2 classes), trained in float64 with
 * plain minibatch SGD (scripts/train/sgd.ts). Everything is seeded: a rerun writes the same files.
 *
 * Written to DIR: `lesion-cnn.onnx` (float32 weights, Softmax output `prob`), `labels.json`, four
 * samples drawn from a third seed — `sample-lesion.png` and `sample-clear.png` rendered at 64×64 (so
 * `cryptflow run` resizes them), `sample-lesion.pgm` and `sample-clear.pgm` at 32×32 — and
 * `training.json` (settings, per-epoch loss and held-out accuracy, the ONNX check, each sample's
 * float32 prediction through the same preprocessing `cryptflow run` applies).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { floatSem } from '../semantics/float.js';
import { readClientInput } from '../harness/io/client-input.js';
import { loadModel } from '../harness/io/model.js';
import { encodePgm } from '../harness/io/pgm.js';
import { encodePng } from '../harness/io/png.js';
import { grayRaster, renderXray, xrayDataset, xrayScene } from '../harness/zoo/synthetic.js';
import { forward, softmax, type CnnShape } from './train/cnn.js';
import { cnnOnnx } from './train/export.js';
import { accuracy, train, type Example } from './train/sgd.js';

const SHAPE: CnnShape = { height: 32, width: 32, c1: 8, c2: 8, classes: 2 };
const NORM = { mean: 0.4, std: 0.2 } as const;
const LABELS = ['no lesion', 'lesion'];
const SETTINGS = {
  train: 4000,
  heldOut: 1000,
  epochs: 20,
  batch: 16,
  rate: 0.1,
  halveEvery: 7,
  seed: 'cryptflow-default',
} as const;

function outDir(argv: readonly string[]): string {
  const i = argv.indexOf('--out');
  return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : 'examples/default';
}

/** 8-bit quantisation (as the pixels reach the model from a PNG), then the model's normalisation. */
const quantise = (p: Float32Array): Float64Array =>
  Float64Array.from(p, (v) => Math.round(255 * Math.min(1, Math.max(0, v))) / 255);
const normalise = (x: Float64Array): Float64Array => x.map((v) => (v - NORM.mean) / NORM.std);

function examples(seed: string, n: number): { raw: Float64Array; e: Example }[] {
  return xrayDataset(seed, n, SHAPE.height).map((s) => {
    const raw = quantise(s.pixels);
    return { raw, e: { x: normalise(raw), label: s.lesion ? 1 : 0 } };
  });
}

function main(): void {
  const dir = outDir(process.argv.slice(2));
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const trainSet = examples(`${SETTINGS.seed}/train`, SETTINGS.train).map((t) => t.e);
  const heldOutRaw = examples(`${SETTINGS.seed}/held-out`, SETTINGS.heldOut);
  const heldOut = heldOutRaw.map((t) => t.e);
  const rng = seedrandom(`${SETTINGS.seed}/sgd`);
  const { params, epochs } = train(SHAPE, trainSet, heldOut, { ...SETTINGS, rng }, (r) =>
    console.log(
      `epoch ${String(r.epoch).padStart(2)}: mean training loss ${r.loss.toFixed(4)}, held-out accuracy ${(100 * r.accuracy).toFixed(1)}%`,
    ),
  );
  const trainAccuracy = accuracy(SHAPE, params, trainSet);
  const heldOutAccuracy = accuracy(SHAPE, params, heldOut);

  const modelPath = join(dir, 'lesion-cnn.onnx');
  const bytes = cnnOnnx(SHAPE, params, NORM);
  writeFileSync(modelPath, bytes);
  writeFileSync(join(dir, 'labels.json'), `${JSON.stringify(LABELS)}\n`);

  // The ONNX model, as the frontend imports it, computes what the training code computes.
  const model = loadModel(modelPath);
  let maxDiff = 0;
  let agree = 0;
  for (const { raw, e } of heldOutRaw) {
    const prob =
      floatSem(model.program, new Map([['image', Float32Array.from(raw)], ...model.weights])).get('prob') ??
      new Float32Array();
    const want = softmax(forward(SHAPE, params, e.x));
    want.forEach((v, k) => (maxDiff = Math.max(maxDiff, Math.abs(v - (prob[k] as number)))));
    if (((prob[1] as number) > (prob[0] as number) ? 1 : 0) === e.label) agree++;
  }
  if (maxDiff > 1e-4) throw new Error(`the exported ONNX model differs from the trained one by ${maxDiff}`);

  const sampleRng = seedrandom(`${SETTINGS.seed}/samples`);
  const samples: Record<string, unknown>[] = [];
  for (const lesion of [true, false]) {
    const scene = xrayScene(sampleRng, lesion);
    const name = lesion ? 'sample-lesion' : 'sample-clear';
    writeFileSync(join(dir, `${name}.png`), encodePng(grayRaster(renderXray(scene, 64, sampleRng), 64, 64)));
    writeFileSync(join(dir, `${name}.pgm`), encodePgm(grayRaster(renderXray(scene, 32, sampleRng), 32, 32)));
    for (const file of [`${name}.png`, `${name}.pgm`]) {
      const input = readClientInput(join(dir, file), model.program, { layout: 'nchw' });
      const prob =
        floatSem(model.program, new Map([...input.values, ...model.weights])).get('prob') ?? new Float32Array();
      const predicted = (prob[1] as number) > (prob[0] as number) ? 1 : 0;
      samples.push({
        file,
        truth: LABELS[lesion ? 1 : 0],
        predicted: LABELS[predicted],
        probLesion: Number((prob[1] as number).toFixed(4)),
      });
    }
  }
  const report = {
    data: {
      generator: 'harness/zoo/synthetic.ts',
      size: [SHAPE.height, SHAPE.width],
      train: SETTINGS.train,
      heldOut: SETTINGS.heldOut,
      seed: SETTINGS.seed,
      quantised: '8-bit',
    },
    model: {
      architecture: 'normalise-conv3x3(1→8)-relu-maxpool2x2-conv3x3(8→8)-relu-maxpool16x16-flatten-fc(8→2)-softmax',
      normalisation: NORM,
      parameters: Object.values(params).reduce((n, a: Float64Array) => n + a.length, 0),
      bytes: bytes.length,
    },
    sgd: { epochs: SETTINGS.epochs, batch: SETTINGS.batch, rate: SETTINGS.rate, halveEvery: SETTINGS.halveEvery },
    epochs: epochs.map((e) => ({ epoch: e.epoch, loss: Number(e.loss.toFixed(5)), heldOutAccuracy: e.accuracy })),
    trainAccuracy,
    heldOutAccuracy,
    onnxCheck: { heldOutAccuracy: agree / heldOut.length, maxProbDiff: maxDiff },
    samples,
  };
  writeFileSync(join(dir, 'training.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `training accuracy ${(100 * trainAccuracy).toFixed(1)}%, held-out accuracy ${(100 * heldOutAccuracy).toFixed(1)}% (${SETTINGS.heldOut} images)`,
  );
  console.log(
    `wrote ${modelPath} (${bytes.length} bytes), labels and samples to ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  for (const s of samples)
    console.log(
      `  ${String(s['file'])}: ${String(s['truth'])}, predicted ${String(s['predicted'])} (p(lesion) = ${String(s['probLesion'])})`,
    );
}

main();
