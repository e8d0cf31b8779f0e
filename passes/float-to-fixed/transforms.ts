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
      return Float64Array.from(get(t.source));
    case 'reciprocal': {
      const c = get(t.source);
      return Float64Array.from(c, (x) => {
        if (x === 0) throw new CryptflowError('unsupported', `division by the constant '${t.source}', which has a zero entry`);
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
