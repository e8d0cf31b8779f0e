/**
 * Weight transforms: what a data owner computes from its OWN plaintext values before encoding them
 * (CrypTFlow §2: the server holds the weights; folding them needs no secure computation).
 *
 * A derived LLIL input names a transform of HLIL declarations. The transform is evaluated in binary64
 * on the float32 values, then encoded at the input's scale (spec/fixed.ts, round to nearest even).
 * Every source of a transform is either an input of one owner or a public constant, so exactly one
 * party (or, for constants only, the compiler) can evaluate it.
 *   - encode:      v
 *   - bn-scale:    γ' = γ / √(σ² + fl(ε))          (per channel; ε rounded to float32 as floatSem does)
 *   - bn-shift:    β' = β − γ'·μ
 *   - reciprocal:  1 / c                           (Div by a public constant)
 * The HLIL BatchNorm pass (passes/hlil/batchnorm.ts) computes γ', β' with these same transforms, and
 * folds them into a convolution with `foldIntoConv` (W'[o,…] = γ'[o]·W[o,…], b' = γ'·b + β').
 */
import { assertNever, CryptflowError } from '../../spec/errors.js';
import type { Shape } from '../../spec/geometry.js';
import type { Owner } from '../../ir/common.js';

export type WeightTransform =
  | { readonly kind: 'encode'; readonly source: string }
  | { readonly kind: 'bn-scale'; readonly scale: string; readonly var: string; readonly epsilon: number }
  | {
      readonly kind: 'bn-shift';
      readonly scale: string;
      readonly bias: string;
      readonly mean: string;
      readonly var: string;
      readonly epsilon: number;
    }
  | { readonly kind: 'reciprocal'; readonly source: string };

/** An LLIL input (owner) or constant ('public') defined as a transform of HLIL declarations. */
export interface DerivedValue {
  readonly name: string;
  readonly owner: Owner | 'public';
  readonly shape: Shape;
  readonly scale: number;
  readonly transform: WeightTransform;
}

export function transformSources(t: WeightTransform): readonly string[] {
  switch (t.kind) {
    case 'encode':
    case 'reciprocal':
      return [t.source];
    case 'bn-scale':
      return [t.scale, t.var];
    case 'bn-shift':
      return [t.scale, t.bias, t.mean, t.var];
    default:
      return assertNever(t, 'weight transform');
  }
}

function bnScale(g: number, v: number, epsilon: number): number {
  return g / Math.sqrt(v + Math.fround(epsilon));
}

/** Evaluate a transform in binary64; `get` returns the float32 values of an HLIL declaration. */
export function applyTransform(t: WeightTransform, get: (name: string) => Float32Array): Float64Array {
  const at = (a: Float32Array, i: number): number => a[i] as number;
  switch (t.kind) {
    case 'encode':
      return new Float64Array(get(t.source));
    case 'reciprocal': {
      const c = get(t.source);
      return Float64Array.from(c, (x) => {
        if (x === 0)
          throw new CryptflowError('unsupported', `division by the constant '${t.source}', which has a zero entry`);
        return 1 / x;
      });
    }
    case 'bn-scale': {
      const [g, v] = [get(t.scale), get(t.var)];
      return Float64Array.from(g, (_, i) => bnScale(at(g, i), at(v, i), t.epsilon));
    }
    case 'bn-shift': {
      const [g, b, m, v] = [get(t.scale), get(t.bias), get(t.mean), get(t.var)];
      return Float64Array.from(g, (_, i) => at(b, i) - bnScale(at(g, i), at(v, i), t.epsilon) * at(m, i));
    }
    default:
      return assertNever(t, 'weight transform');
  }
}

/**
 * BatchNorm folded into the convolution that feeds it (binary64): W'[o, …] = γ'[o]·W[o, …] and
 * b'[o] = γ'[o]·b[o] + β'[o] (b = 0 when the convolution has no bias), for W of shape [CO, …].
 */
export function foldIntoConv(
  w: ArrayLike<number>,
  b: ArrayLike<number> | undefined,
  gammaPrime: ArrayLike<number>,
  betaPrime: ArrayLike<number>,
): { readonly w: Float64Array; readonly b: Float64Array } {
  const co = gammaPrime.length;
  const per = w.length / co;
  const at = (a: ArrayLike<number>, i: number): number => a[i] as number;
  return {
    w: Float64Array.from({ length: w.length }, (_, i) => at(w, i) * at(gammaPrime, Math.floor(i / per))),
    b: Float64Array.from(
      { length: co },
      (_, o) => at(gammaPrime, o) * (b === undefined ? 0 : at(b, o)) + at(betaPrime, o),
    ),
  };
}
