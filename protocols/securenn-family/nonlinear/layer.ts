/**
 * A variant's non-linear protocols as the `NonlinearLayer` the SecureNN-family backend assembly takes
 * (protocols/securenn-family/three-party.ts): ReLU, MaxPool (the maximum only; SecureNN still pays for its
 * index), ArgMax (the index), and their closed-form costs from spec/cost/nonlinear.ts.
 */
import { argmaxCost, maxPoolCost, reluCost } from '../../../spec/cost/nonlinear.js';
import type { NonlinearLayer } from '../three-party.js';
import { argmax, maxPool } from './max.js';
import { relu } from './relu.js';
import { PORTHOS, SECURENN, type Variant } from './variant.js';

/**
 * The ring widths the property suites run every protocol at. Any 2 ≤ ℓ ≤ min(64, p − 2) works
 * (variant.ts); ℓ = 2 … 8 are checked exhaustively for the building blocks.
 */
export const NONLINEAR_RINGS: readonly number[] = Object.freeze([16, 32, 64]);

export function nonlinearLayer(v: Variant): NonlinearLayer {
  return {
    relu: (ctx, x, n) => relu(ctx, v, n, x),
    maxPool: async (ctx, x, windows, r, k) => (await maxPool(ctx, v, x, windows, r, k)).max,
    argmax: async (ctx, x, r, c) => {
      const { index } = await argmax(ctx, v, x, r, c);
      return index ?? new BigUint64Array(0);
    },
    reluCost: (ell, n) => reluCost(v, ell, n),
    maxPoolCost: (ell, r, k) => maxPoolCost(v, ell, r, k),
    argmaxCost: (ell, r, c) => argmaxCost(v, ell, r, c),
    rings: NONLINEAR_RINGS,
  };
}

export const porthosNonlinear: NonlinearLayer = nonlinearLayer(PORTHOS);
export const securennNonlinear: NonlinearLayer = nonlinearLayer(SECURENN);
