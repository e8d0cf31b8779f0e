/**
 * Range analysis of a float-to-fixed plan (proofs-notes/range-analysis.md): given the server's
 * weights and a stated box [lo, hi] for every client input entry, it bounds, for every value and
 * every output,
 *   - the interval of its real value,
 *   - the COMPOSED error |decode(fixedSem) − floatSem|, entrywise, through the whole program,
 * and reports the values whose ring integers may overflow ℓ bits and the probability that local
 * truncation wraps somewhere (summed over every truncated element).
 *
 * The error is split at the exact real semantics R (analysis-float.ts bounds |floatSem − R| on the
 * HLIL program, analysis-fixed.ts bounds |decode(fixedSem) − R| on the LLIL program, eager or lazy):
 *     |decode(X_v) − F_v| ≤ fixedErr(placement of v) + floatErr(v).
 * Outputs with post-processing are bounded directly: the receiver applies Softmax (½-Lipschitz in ∞)
 * or Sigmoid (¼-Lipschitz) to decode(X) rounded to float32, so with T the bound at the operand x,
 *     Softmax: ½(T + ε(A + E_X) + η) + 2(3n + 2)ε,   Sigmoid: ¼(T + ε(A + E_X) + η) + 6ε.
 * ArgMax outputs are indices: `errorBound` bounds |i_fixed − i_float| (extent − 1, trivially) and
 * `argmaxGap` = 2T bounds max(F_x) − F_x[i_fixed] — the fixed index is a float maximum up to that gap,
 * and equals the float index whenever the float top-1 margin exceeds it.
 *
 * Validity: the bounds hold for every client input in the box when `overflow` is empty
 * (`boundsHold`). They hold for exact ScaleDown and for local truncation alike, except when a local
 * truncation wraps, which happens with probability ≤ `truncation.probability` (a union bound).
 */
import { CryptflowError } from '../../spec/errors.js';
import type { Shape } from '../../spec/geometry.js';
import type { Owner } from '../../ir/common.js';
import type { LPost } from '../../ir/llil.js';
import { declValues, EPS, ETA, floatFacts, orInf, type FloatFact } from './analysis-float.js';
import { fixedFacts, type FixedFact, type OverflowRisk, type TruncationRisk } from './analysis-fixed.js';
import { checkRange, mag, type Iv } from './intervals.js';
import { RowSums } from './linear.js';
import type { FixedPlan, Placement } from './program.js';

export type { OverflowRisk, TruncationRisk } from './analysis-fixed.js';
export type { Iv } from './intervals.js';

export interface InputRange {
  readonly lo: number;
  readonly hi: number;
}

export interface TensorRange {
  /** The HLIL value. */
  readonly name: string;
  readonly shape: Shape;
  /** Encloses every entry of its exact real value R. */
  readonly range: Iv;
  /** Bound on |floatSem − R|. */
  readonly floatError: number;
  /** The LLIL value standing for it, its scale, and the bound on |decode(fixedSem) − R| (absent when not lowered). */
  readonly llil?: { readonly name: string; readonly scale: number; readonly fixedError: number };
  /** Bound on |decode(fixedSem) − floatSem| (absent when not lowered). */
  readonly errorBound?: number;
}

export interface OutputRange {
  readonly name: string;
  readonly to: Owner;
  readonly shape: Shape;
  readonly post?: LPost['op'];
  readonly range: Iv;
  /** Bound on |decoded fixed output − floatSem output| entrywise (for ArgMax: on the index difference). */
  readonly errorBound: number;
  /** ArgMax outputs: floatSem's value at the fixed index is within `argmaxGap` of the float maximum. */
  readonly argmaxGap?: number;
}

export interface TruncationSummary {
  /** Number of truncated elements (Σ over ScaleDowns of their sizes). */
  readonly elements: number;
  /** Σ of per-element wrap probabilities: bounds P(some local truncation wraps). */
  readonly probability: number;
  readonly perScaleDown: readonly TruncationRisk[];
}

export interface RangeReport {
  readonly ell: number;
  readonly scale: number;
  readonly placement: Placement;
  readonly inputRange: InputRange;
  readonly tensors: readonly TensorRange[];
  readonly outputs: readonly OutputRange[];
  /** LLIL values (and pooling window sums, and client inputs) that may leave the signed ℓ-bit range. */
  readonly overflow: readonly OverflowRisk[];
  readonly truncation: TruncationSummary;
  /** True when nothing may overflow: then every bound above holds for every client input in range. */
  readonly boundsHold: boolean;
  /**
   * Comparison inputs that may leave the domain where the Porthos/SecureNN comparison protocols are
   * exact (|x| < 2^{ℓ−2} for ReLU, 2^{ℓ−3} for MaxPool and ArgMax; proofs-notes/securenn-family.md).
   */
  readonly domain: readonly DomainRisk[];
}

export interface DomainRisk {
  /** The comparison node's output and operator, and its operand. */
  readonly node: string;
  readonly op: 'Relu' | 'MaxPool' | 'ArgMax';
  readonly value: string;
  /** Bits a two's-complement integer needs to hold the operand's enclosure, and the bits the protocol allows. */
  readonly bits: number;
  readonly allowed: number;
}

/** Operands of the comparison nodes whose enclosure needs more bits than the 3-party protocols allow. */
function domainRisks(plan: FixedPlan, facts: ReadonlyMap<string, FixedFact>): DomainRisk[] {
  const ell = plan.params.ell;
  const out: DomainRisk[] = [];
  for (const n of plan.program.nodes) {
    if (n.op !== 'Relu' && n.op !== 'MaxPool' && n.op !== 'ArgMax') continue;
    const f = facts.get(n.x);
    if (f === undefined) continue;
    const u = 2 ** f.scale;
    const lo = (f.range.lo - f.err) * u;
    const hi = (f.range.hi + f.err) * u;
    const bits =
      Number.isFinite(lo) && Number.isFinite(hi) ? Math.ceil(Math.log2(Math.max(hi + 1, -lo, 1))) + 1 : Infinity;
    const allowed = n.op === 'Relu' ? ell - 1 : ell - 2;
    if (bits > allowed) out.push({ node: n.out, op: n.op, value: n.x, bits, allowed });
  }
  return out;
}

function fact<T>(m: ReadonlyMap<string, T>, name: string, what: string): T {
  const f = m.get(name);
  if (f === undefined) throw new CryptflowError('type', `range analysis: no ${what} facts for '${name}'`);
  return f;
}

/**
 * Analyse `plan` for client inputs in [inputRange.lo, inputRange.hi] (every entry of every client
 * input) and the server's `weights` (every server input of the HLIL program, by name).
 */
export function analyzeProgram(
  plan: FixedPlan,
  weights: ReadonlyMap<string, Float32Array>,
  inputRange: InputRange,
): RangeReport {
  checkRange(inputRange, 'the client input range');
  const src = plan.source;
  const box: Iv = { lo: inputRange.lo, hi: inputRange.hi };
  const rowSums = new RowSums();
  const floats = floatFacts({ program: src, weights, clientRange: box, rowSums });
  const fixed = fixedFacts(plan, (n) => declValues(src, weights, n), box, rowSums);
  const total = (h: string): { fx: FixedFact; fl: FloatFact; T: number } | undefined => {
    const l = plan.placement.get(h);
    if (l === undefined) return undefined;
    const fx = fact(fixed.facts, l, 'fixed');
    const fl = fact(floats, h, 'float');
    return { fx, fl, T: orInf(fx.err + fl.err) };
  };
  const producer = new Map(src.nodes.map((n) => [n.out, n]));
  // A Softmax/Sigmoid value exists only after the receiver's post-processing: its bound is the output's.
  const postBound = new Map<string, number>();
  const outputs: OutputRange[] = src.outputs.map((o, i) => {
    const lo = plan.program.outputs[i];
    const fl = fact(floats, o.name, 'float');
    const base = { name: o.name, to: o.to, shape: fl.shape, range: fl.range };
    const node = producer.get(o.name);
    if (lo?.post !== undefined && node !== undefined && (node.op === 'Softmax' || node.op === 'Sigmoid')) {
      const x = total(node.x);
      if (x === undefined) throw new CryptflowError('type', `range analysis: '${node.x}' was not lowered`);
      const input = x.T + EPS * (mag(x.fl.range) + x.fx.err) + ETA;
      const n = x.fl.shape[node.op === 'Softmax' ? node.axis : 0] ?? 1;
      const errorBound = node.op === 'Softmax' ? input / 2 + 2 * (3 * n + 2) * EPS : input / 4 + 6 * EPS;
      postBound.set(o.name, orInf(errorBound));
      return { ...base, post: node.op, errorBound: orInf(errorBound) };
    }
    if (node?.op === 'ArgMax') {
      const x = total(node.x);
      const n = fact(floats, node.x, 'float').shape[node.axis] ?? 1;
      return { ...base, errorBound: n - 1, argmaxGap: x === undefined ? Infinity : 2 * x.T };
    }
    const t = total(o.name);
    if (t === undefined) throw new CryptflowError('type', `range analysis: output '${o.name}' was not lowered`);
    return { ...base, errorBound: t.T };
  });
  const tensors: TensorRange[] = [];
  for (const name of [...src.decls.map((d) => d.name), ...src.nodes.map((n) => n.out)]) {
    const fl = fact(floats, name, 'float');
    const t = total(name);
    const l = plan.placement.get(name);
    const post = postBound.get(name);
    if (post !== undefined) {
      tensors.push({ name, shape: fl.shape, range: fl.range, floatError: fl.err, errorBound: post });
      continue;
    }
    tensors.push(
      t === undefined || l === undefined
        ? { name, shape: fl.shape, range: fl.range, floatError: fl.err }
        : {
            name,
            shape: fl.shape,
            range: fl.range,
            floatError: fl.err,
            llil: { name: l, scale: t.fx.scale, fixedError: t.fx.err },
            errorBound: t.T,
          },
    );
  }
  const probability = fixed.truncation.reduce((a, r) => a + r.probability, 0);
  return {
    ell: plan.params.ell,
    scale: plan.params.scale,
    placement: plan.params.placement ?? 'eager',
    inputRange: box,
    tensors,
    outputs,
    overflow: fixed.overflow,
    truncation: {
      elements: fixed.truncation.reduce((a, r) => a + r.elements, 0),
      probability,
      perScaleDown: fixed.truncation,
    },
    boundsHold: fixed.overflow.length === 0,
    domain: domainRisks(plan, fixed.facts),
  };
}
