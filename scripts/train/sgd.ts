/**
 * Plain minibatch SGD for the tiny CNN (cnn.ts): shuffle each epoch (seeded), average the gradients
 * over a minibatch, step with a learning rate that halves every `halveEvery` epochs; report the mean
 * training loss and the held-out accuracy after each epoch.
 */
import {
  backward,
  initParams,
  predict,
  sgdStep,
  zeroParams,
  PARAM_NAMES,
  type CnnParams,
  type CnnShape,
} from './cnn.js';

export interface Example {
  readonly x: Float64Array;
  readonly label: number;
}

export interface SgdOptions {
  readonly epochs: number;
  readonly batch: number;
  readonly rate: number;
  readonly halveEvery: number;
  /** Uniform [0, 1) draws (seeded) for the initialisation and the shuffles. */
  readonly rng: () => number;
}

export interface EpochReport {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
}

export function accuracy(s: CnnShape, p: CnnParams, data: readonly Example[]): number {
  return data.filter((e) => predict(s, p, e.x) === e.label).length / Math.max(1, data.length);
}

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());
}

/**
 * Minibatch SGD over `trainSet`: parameters drawn from N(0, 1) by `o.rng` (scaled by initParams), a
 * Fisher–Yates shuffle per epoch, the rate halved every `o.halveEvery` epochs, gradients averaged
 * per batch. `lossGrad` adds one example's gradient to `grad` and returns its loss; `report` makes
 * the epoch's record from the mean loss.
 */
export function sgdLoop<E, R>(
  s: CnnShape,
  trainSet: readonly E[],
  o: SgdOptions,
  lossGrad: (params: CnnParams, e: E, grad: CnnParams) => number,
  report: (epoch: number, loss: number, params: CnnParams) => R,
  log: (r: R) => void,
): { params: CnnParams; epochs: R[] } {
  const params = initParams(s, () => normal(o.rng));
  const order = trainSet.map((_, i) => i);
  const epochs: R[] = [];
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
      for (const i of batch) loss += lossGrad(params, trainSet[i] as E, grad);
      for (const name of PARAM_NAMES) grad[name].forEach((g, k, a) => (a[k] = g / batch.length));
      sgdStep(params, grad, rate);
    }
    const r = report(epoch, loss / order.length, params);
    epochs.push(r);
    log(r);
  }
  return { params, epochs };
}

export function train(
  s: CnnShape,
  trainSet: readonly Example[],
  heldOut: readonly Example[],
  o: SgdOptions,
  log: (r: EpochReport) => void = () => undefined,
): { params: CnnParams; epochs: EpochReport[] } {
  return sgdLoop(
    s,
    trainSet,
    o,
    (params, e, grad) => backward(s, params, e.x, e.label, grad),
    (epoch, loss, params) => ({ epoch, loss, accuracy: accuracy(s, params, heldOut) }),
    log,
  );
}
