/**
 * Ideal functionalities: one F per LLIL operation, defined through the fixed-point semantics.
 *
 * F_op takes the parties' shares of its secret operands (and the public ones in the clear),
 * reconstructs, applies `semantics/fixedSem` to the node, and re-shares the result uniformly between
 * P0 and P1. For the operations that Porthos and SecureNN compute by LOCAL division — ScaleDown
 * (divide by 2^k) and AvgPool / GlobalAvgPool (window sum divided by its public count) — F_op with
 * `truncation: 'local'` outputs a value drawn from the distribution local division induces over a
 * uniform sharing: one of the allowed results of semantics/truncation.ts, never anything else. With
 * `truncation: 'exact'` (a faithful-truncation backend) every F_op is deterministic.
 *
 * `spec` states what any realisation may output for given inputs (the conformance suite checks
 * membership); `sample` is F itself, given its randomness as a PRG.
 */
import { numel } from '../spec/geometry.js';
import { Ring } from '../spec/ring.js';
import type { LNode } from '../ir/llil.js';
import { fixedNode } from '../semantics/fixed.js';
import { kernels, poolWindowCounts } from '../semantics/kernels/index.js';
import type { RingKernels, RingTensor } from '../semantics/kernels/types.js';
import { globalPoolCount, globalPoolGeometry } from '../semantics/tensor.js';
import { localDivideShares, localDivisionAllowed } from '../semantics/truncation.js';
import { operandsOf } from '../ir/traverse.js';

export type Truncation = 'local' | 'exact';

/** What a realisation of F may output: exactly one tensor, or per element a set of allowed values. */
export type OutputSpec =
  | { readonly kind: 'exact'; readonly value: RingTensor }
  | {
      readonly kind: 'local-division';
      /** The exact semantics (the most likely result). */
      readonly exact: RingTensor;
      /** The values each element may take (exact, +1 ulp, and the wrap results). */
      readonly allowed: readonly (readonly bigint[])[];
      /** Per element, the probability of a wrap (|x̃|/2^ℓ of the divided value). */
      readonly wrapProbability: Float64Array;
    };

/** A source of F's randomness (a protocols/common Prg satisfies it). */
export interface Randomness {
  ring(ell: number, n: number): BigUint64Array;
}

export interface Functionality {
  readonly name: string;
  readonly truncation: Truncation;
  spec(ell: number, inputs: readonly RingTensor[]): OutputSpec;
  /** F's output value on these inputs, drawing its randomness from `rng`. */
  sample(ell: number, inputs: readonly RingTensor[], rng: Randomness): RingTensor;
}

export interface IdealOptions {
  readonly truncation?: Truncation;
  readonly kernels?: 'reference' | 'wasm';
}

interface Division {
  /** The dividends (ScaleDown: x itself; pooling: the window sums). */
  readonly dividends: RingTensor;
  readonly divisors: readonly bigint[];
}

function division(ell: number, k: RingKernels, node: LNode, inputs: readonly RingTensor[]): Division | null {
  const x = inputs[0];
  if (x === undefined) return null;
  switch (node.op) {
    case 'ScaleDown':
      return { dividends: x, divisors: new Array<bigint>(x.data.length).fill(1n << BigInt(node.shift)) };
    case 'AvgPool': {
      const sums = k.sumPool(ell, x, node);
      const counts = node.countIncludePad
        ? new Array<number>(sums.data.length).fill(numel(node.kernel))
        : [...poolWindowCounts(x.shape, node)];
      return { dividends: sums, divisors: counts.map(BigInt) };
    }
    case 'GlobalAvgPool': {
      const sums = k.sumPool(ell, x, globalPoolGeometry(x.shape));
      return { dividends: sums, divisors: new Array<bigint>(sums.data.length).fill(BigInt(globalPoolCount(x.shape))) };
    }
    default:
      return null;
  }
}

/** The ideal functionality of one LLIL node. */
export function functionalityOf(node: LNode, options: IdealOptions = {}): Functionality {
  const truncation = options.truncation ?? 'local';
  const k = kernels(options.kernels ?? 'reference');
  const exact = (ell: number, inputs: readonly RingTensor[]): RingTensor => {
    const names = operandsOf(node);
    const env = new Map(names.map((n, i) => [n, inputs[i] as RingTensor]));
    return fixedNode(ell, k, node, env);
  };
  const local = (ell: number, inputs: readonly RingTensor[]): Division | null =>
    truncation === 'local' ? division(ell, k, node, inputs) : null;
  return {
    name: `F_${node.op}${truncation === 'local' && ['ScaleDown', 'AvgPool', 'GlobalAvgPool'].includes(node.op) ? '(local)' : ''}`,
    truncation,
    spec: (ell, inputs) => {
      const value = exact(ell, inputs);
      const div = local(ell, inputs);
      if (div === null) return { kind: 'exact', value };
      const specs = [...div.dividends.data].map((x, i) => localDivisionAllowed(ell, x, div.divisors[i] as bigint));
      return {
        kind: 'local-division',
        exact: value,
        allowed: specs.map((s) => s.allowed),
        wrapProbability: Float64Array.from(specs, (s) => s.wrapProbability),
      };
    },
    sample: (ell, inputs, rng) => {
      const div = local(ell, inputs);
      if (div === null) return exact(ell, inputs);
      const ring = Ring(ell);
      const n = div.dividends.data.length;
      const x0 = rng.ring(ell, n);
      const out = new BigUint64Array(n);
      for (let i = 0; i < n; i++) {
        const x = div.dividends.data[i] as bigint;
        const [y0, y1] = localDivideShares(
          ring,
          x0[i] as bigint,
          ring.sub(x, x0[i] as bigint),
          div.divisors[i] as bigint,
        );
        out[i] = ring.add(y0, y1);
      }
      return { shape: exact(ell, inputs).shape, data: out };
    },
  };
}

/** Does `y` satisfy the spec (every element equal, or in its allowed set)? The first bad index, or −1. */
export function firstViolation(spec: OutputSpec, y: BigUint64Array): number {
  if (spec.kind === 'exact') {
    if (y.length !== spec.value.data.length) return 0;
    return spec.value.data.findIndex((v, i) => v !== y[i]);
  }
  if (y.length !== spec.allowed.length) return 0;
  return spec.allowed.findIndex((set, i) => !set.includes(y[i] as bigint));
}
