/**
 * One case of a validation study: read the image (harness/io/client-input.ts, with the preprocessing of
 * `cryptflow run`), run secure inference (harness/runner/inference.ts: the secure run, the plaintext
 * fixed point and the float32 model on the same input), and reduce the outputs to a `CaseRecord`:
 *
 *   - classification: the first value output (probabilities after Softmax/Sigmoid). With as many entries
 *     as label columns, entry k scores label k (one sigmoid per pathology); with 2 entries and one label
 *     column, entry 1 scores it (a softmax over absent/present); without labels every entry is kept.
 *   - segmentation: an ArgMax output with as many entries as the case's mask has voxels; Dice per class
 *     (harness/stats/dice.ts) of secure vs plaintext fixed point and of each vs the mask.
 */
import { readFileSync } from 'node:fs';
import { CryptflowError } from '../../spec/errors.js';
import { totalBytes } from '../../spec/cost/types.js';
import { readClientInput, type ClientInputOptions } from '../io/client-input.js';
import { decodeNpy } from '../io/npy.js';
import {
  secureInference,
  type InferenceOptions,
  type InferenceResult,
  type OutputResult,
  type ServerModel,
} from '../runner/inference.js';
import { dicePerClass } from '../stats/dice.js';
import type { StudyCase } from './cases.js';
import type { CaseRecord, Scores, SegmentationDice } from './results.js';

export interface CaseOptions {
  readonly inference: Omit<InferenceOptions, 'seed' | 'onProgress'>;
  /** A replayable run: each case's PRG keys derive from `${seed}/${case}`. */
  readonly seed?: string;
  readonly input: ClientInputOptions;
  readonly labelNames: readonly string[];
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

function pick(v: ArrayLike<number>, idx: readonly number[]): number[] {
  return idx.map((k) => v[k] as number);
}

function scoredEntries(o: OutputResult, labels: number): number[] {
  const k = o.secure.length;
  if (labels === 0) return Array.from({ length: k }, (_, i) => i);
  if (labels === k) return Array.from({ length: k }, (_, i) => i);
  if (labels === 1 && k === 2) return [1];
  throw new CryptflowError(
    'input',
    `output '${o.name}' has ${k} entries for ${labels} label column(s): give one column per entry (sigmoid per pathology), or one column for a 2-class softmax`,
  );
}

function readMask(path: string, voxels: number): Int32Array {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new CryptflowError('input', `cannot read mask ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`);
  }
  const a = decodeNpy(bytes, path);
  if (a.values.length !== voxels)
    throw new CryptflowError('input', `mask ${path} has ${a.values.length} voxels, the segmentation ${voxels}`);
  return Int32Array.from(a.values);
}

function segmentation(r: InferenceResult, c: StudyCase): SegmentationDice | null {
  const seg = r.outputs.find((o) => o.boundKind === 'argmax-gap' && o.secure.length > 1);
  if (seg === undefined) return null;
  const truth = c.mask === null ? null : readMask(c.mask, seg.secure.length);
  const logits = r.outputs.find(
    (o) =>
      o.boundKind === 'value' &&
      o.shape.length >= 2 &&
      o.secure.length % seg.secure.length === 0 &&
      o.secure.length > seg.secure.length,
  );
  let classes = logits === undefined ? 0 : logits.secure.length / seg.secure.length;
  for (const v of [seg.secure, seg.fixed, seg.float, ...(truth === null ? [] : [truth])])
    for (const x of v) classes = Math.max(classes, x + 1);
  const dice = (a: ArrayLike<number>, b: ArrayLike<number>): number[] => dicePerClass(a, b, classes).map((d) => d.dice);
  let same = 0;
  seg.secure.forEach((x, i) => (same += x === seg.fixed[i] ? 1 : 0));
  return {
    secureVsFixed: dice(seg.secure, seg.fixed),
    secureVsTruth: truth === null ? null : dice(seg.secure, truth),
    fixedVsTruth: truth === null ? null : dice(seg.fixed, truth),
    floatVsTruth: truth === null ? null : dice(seg.float, truth),
    agreement: same / seg.secure.length,
  };
}

export async function runCase(model: ServerModel, c: StudyCase, o: CaseOptions): Promise<CaseRecord> {
  const input = readClientInput(c.path, model.program, o.input);
  const r = await secureInference(model, input.values, {
    ...o.inference,
    ...(o.seed === undefined ? {} : { seed: `${o.seed}/${c.id}` }),
  });
  const dice = segmentation(r, c);
  const cls = dice === null ? r.outputs.find((o2) => o2.boundKind === 'value') : undefined;
  let scores: Scores | null = null;
  let diffs = { fixed: 0, float: 0 };
  if (cls !== undefined) {
    const idx = scoredEntries(cls, o.labelNames.length);
    scores = { float: pick(cls.float, idx), fixed: pick(cls.fixed, idx), secure: pick(cls.secure, idx) };
    diffs = { fixed: maxAbs(cls.secure, cls.fixed), float: maxAbs(cls.secure, cls.float) };
  } else if (dice === null) {
    throw new CryptflowError(
      'input',
      'the model has neither a value output to score nor an ArgMax segmentation output',
    );
  } else {
    const seg = r.outputs.find((o2) => o2.boundKind === 'argmax-gap') as OutputResult;
    diffs = { fixed: maxAbs(seg.secure, seg.fixed), float: maxAbs(seg.secure, seg.float) };
  }
  return {
    case: c.id,
    site: c.site,
    file: c.rel,
    labels: c.labels,
    scores,
    dice,
    maxAbsSecureFixed: diffs.fixed,
    maxAbsSecureFloat: diffs.float,
    withinBound: r.outputs.every((x) => x.withinBound),
    bytes: totalBytes(r.links),
    rounds: r.rounds,
    seconds: r.seconds,
  };
}
