/**
 * A variant's non-linear protocols as the `NonlinearLayer` the SecureNN-family backend assembly takes
 * (protocols/securenn-family/three-party.ts): ReLU, MaxPool (the maximum only; SecureNN still pays for its
 * index), ArgMax (the index), and their closed-form costs from spec/cost/nonlinear.ts.
 */
import { argmaxCost, maxPoolCost, reluCost } from '../../../spec/cost/nonlinear.js';
import type { NonlinearLayer } from '../three-party.js';
import { bug } from '../../../spec/errors.js';
import { argmaxHelper, argmaxHolder, maxPoolHelper, maxPoolHolder } from './max.js';
import { reluHelper, reluHolder } from './relu.js';
import { PORTHOS, SECURENN, type Variant } from './variant.js';

/**
 * The ring widths the property suites run every protocol at. Any 2 ≤ ℓ ≤ min(64, p − 2) works
 * (variant.ts); ℓ = 2 … 8 are checked exhaustively for the building blocks.
 */
export const NONLINEAR_RINGS: readonly number[] = Object.freeze([16, 32, 64]);

export function nonlinearLayer(v: Variant): NonlinearLayer {
  return {
    holder: {
      relu: (ctx, x, n) => reluHolder(ctx, v, n, x),
      maxPool: async (ctx, x, windows, r, k) => (await maxPoolHolder(ctx, v, x, windows, r, k)).max,
      argmax: async (ctx, x, r, c) => (await argmaxHolder(ctx, v, x, r, c)).index ?? bug('ArgMax tracks the index'),
    },
    helper: {
      relu: (ctx, n) => reluHelper(ctx, v, n),
      maxPool: (ctx, windows, r, k) => maxPoolHelper(ctx, v, windows, r, k),
      argmax: (ctx, r, c) => argmaxHelper(ctx, v, r, c),
    },
    reluCost: (ell, n) => reluCost(v, ell, n),
    maxPoolCost: (ell, r, k) => maxPoolCost(v, ell, r, k),
    argmaxCost: (ell, r, c) => argmaxCost(v, ell, r, c),
    rings: NONLINEAR_RINGS,
  };
}

export const porthosNonlinear: NonlinearLayer = nonlinearLayer(PORTHOS);
export const securennNonlinear: NonlinearLayer = nonlinearLayer(SECURENN);
