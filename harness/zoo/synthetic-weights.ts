/**
 * Seeded stand-ins for trained weights: one fast generator per model (seedrandom's Alea, about 150 ms
 * for ResNet50's 25 M values), drawn in layer order, so a model's bytes depend only on its seed.
 *
 *   he(n, fanIn)      uniform on ±√(6 / fanIn): the He initialisation, which keeps the variance of a
 *                     ReLU network's activations of order one from layer to layer;
 *   uniform(n, a)     uniform on ±a (biases);
 *   batchNorm(C)      γ ∈ [0.8, 1.2], β ∈ ±0.1, μ ∈ ±0.1, σ² ∈ [0.8, 1.2] per channel.
 * These are synthetic model data, not protocol randomness: they are the server's plaintext weights
 * before sharing, and never touch shares or masks (those come from AES-CTR, protocols/common/prg.ts).
 * The file sits with the other synthetic-data generators (harness/zoo/synthetic*), where
 * docs/ARCHITECTURE.md allows seeded test-data randomness.
 */
import seedrandom from 'seedrandom';

export interface BatchNormParams {
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly mean: Float32Array;
  readonly var: Float32Array;
}

export interface WeightSource {
  he(n: number, fanIn: number): Float32Array;
  uniform(n: number, a: number): Float32Array;
  batchNorm(c: number): BatchNormParams;
}

export function weightSource(seed: string): WeightSource {
  const next = seedrandom.alea(seed);
  const around = (n: number, centre: number, a: number): Float32Array => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = centre + a * (2 * next() - 1);
    return out;
  };
  return {
    he: (n, fanIn) => around(n, 0, Math.sqrt(6 / fanIn)),
    uniform: (n, a) => around(n, 0, a),
    batchNorm: (c) => ({
      gamma: around(c, 1, 0.2),
      beta: around(c, 0, 0.1),
      mean: around(c, 0, 0.1),
      var: around(c, 1, 0.2),
    }),
  };
}

/**
 * Weights that carry only their shapes: every entry of a layer the same valid value (the midpoint of
 * what `weightSource` would draw from; σ² = γ = 1). For callers that read a model's structure and never
 * its values — `cryptflow cost` walks only shapes — at a fraction of the cost of drawing 25 M values.
 */
export function shapeOnlyWeights(): WeightSource {
  const fill = (n: number, v: number): Float32Array => new Float32Array(n).fill(v);
  return {
    he: (n, fanIn) => fill(n, Math.sqrt(6 / fanIn) / 2),
    uniform: (n, a) => fill(n, a / 2),
    batchNorm: (c) => ({ gamma: fill(c, 1), beta: fill(c, 0), mean: fill(c, 0), var: fill(c, 1) }),
  };
}
