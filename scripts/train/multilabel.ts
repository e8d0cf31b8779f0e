/**
 * Multi-label training of the tiny CNN (cnn.ts): one sigmoid per label and the summed binary
 * cross-entropy, whose gradient with respect to logit k is σ(z_k) − y_k; minibatch SGD as in sgd.ts
 * (seeded shuffles, averaged gradients, the rate halving every `halveEvery` epochs). Reports the mean
 * training loss and the held-out AUROC per label (harness/stats/delong.ts) after each epoch.
 */
import { delong } from '../../harness/stats/delong.js';
import { backwardFromLogits, forward, forwardTrace, type CnnParams, type CnnShape } from './cnn.js';
import { sgdLoop, type SgdOptions } from './sgd.js';

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

export function trainMultiLabel(
  s: CnnShape,
  trainSet: readonly MultiExample[],
  heldOut: readonly MultiExample[],
  o: SgdOptions,
  log: (r: MultiEpoch) => void = () => undefined,
): { params: CnnParams; epochs: MultiEpoch[] } {
  return sgdLoop(
    s,
    trainSet,
    o,
    (params, e, grad) => backwardMulti(s, params, e, grad),
    (epoch, loss, params) => ({ epoch, loss, auroc: aurocs(s, params, heldOut) }),
    log,
  );
}
