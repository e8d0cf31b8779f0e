/**
 * Multi-label training of the tiny CNN (cnn.ts): one sigmoid per label and the summed binary
 * cross-entropy, whose gradient with respect to logit k is σ(z_k) − y_k; minibatch SGD as in sgd.ts
 * (seeded shuffles, averaged gradients, the rate halving every `halveEvery` epochs). Reports the mean
 * training loss and the held-out AUROC per label (harness/stats/delong.ts) after each epoch.
 */
import { delong } from '../../harness/stats/delong.js';
import {
  backwardFromLogits,
  forward,
  forwardTrace,
  initParams,
  sgdStep,
  zeroParams,
  PARAM_NAMES,
  type CnnParams,
  type CnnShape,
} from './cnn.js';
import type { SgdOptions } from './sgd.js';

export interface MultiExample {
  readonly x: Float64Array;
  readonly labels: readonly number[];
}

export interface MultiEpoch {
  readonly epoch: number;
  readonly loss: number;
  readonly auroc: readonly number[];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function probabilities(s: CnnShape, p: CnnParams, x: Float64Array): number[] {
  return Array.from(forward(s, p, x), sigmoid);
}

/** Held-out AUROC per label (NaN where a class is missing). */
export function aurocs(s: CnnShape, p: CnnParams, data: readonly MultiExample[]): number[] {
  const probs = data.map((e) => probabilities(s, p, e.x));
  return Array.from({ length: s.classes }, (_, k) => {
    const labels = data.map((e) => e.labels[k] as number);
    try {
      return delong(labels, [probs.map((q) => q[k] as number)]).aucs[0]?.auroc ?? NaN;
    } catch {
      return NaN;
    }
  });
}

export function backwardMulti(s: CnnShape, p: CnnParams, e: MultiExample, grad: CnnParams): number {
  const t = forwardTrace(s, p, e.x);
  let loss = 0;
  const dz = Float64Array.from(t.logits, (z, k) => {
    const y = e.labels[k] as number;
    const q = sigmoid(z);
    loss -= y * Math.log(Math.max(q, 1e-300)) + (1 - y) * Math.log(Math.max(1 - q, 1e-300));
    return q - y;
  });
  backwardFromLogits(s, p, t, dz, grad);
  return loss;
}

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());
}

export function trainMultiLabel(
  s: CnnShape,
  trainSet: readonly MultiExample[],
  heldOut: readonly MultiExample[],
  o: SgdOptions,
  log: (r: MultiEpoch) => void = () => undefined,
): { params: CnnParams; epochs: MultiEpoch[] } {
  const params = initParams(s, () => normal(o.rng));
  const order = trainSet.map((_, i) => i);
  const epochs: MultiEpoch[] = [];
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(o.rng() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const rate = o.rate / 2 ** Math.floor((epoch - 1) / o.halveEvery);
    let loss = 0;
    for (let start = 0; start < order.length; start += o.batch) {
      const grad = zeroParams(s);
      const batch = order.slice(start, start + o.batch);
      for (const i of batch) loss += backwardMulti(s, params, trainSet[i] as MultiExample, grad);
      for (const name of PARAM_NAMES) grad[name].forEach((g, k, a) => (a[k] = g / batch.length));
      sgdStep(params, grad, rate);
    }
    const r = { epoch, loss: loss / order.length, auroc: aurocs(s, params, heldOut) };
    epochs.push(r);
    log(r);
  }
  return { params, epochs };
}
