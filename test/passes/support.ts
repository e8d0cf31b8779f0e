/**
 * Shared by the float-to-fixed suites: input arbitraries for HLIL programs, and one run of a one-node
 * program through both semantics (floatSem, and float-to-fixed + encodeInputs + fixedSem + decode),
 * classified as 'encode-refused', 'overflow-flagged' or 'compared' with the entrywise errors.
 */
import fc from 'fast-check';
import { CryptflowError } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import { Ring } from '../../spec/ring.js';
import type { HNode, HProgram } from '../../ir/hlil.js';
import { floatSem } from '../../semantics/float.js';
import { fixedSem } from '../../semantics/fixed.js';
import { decodeOutputs } from '../../semantics/decode.js';
import { encodeInputs, floatToFixed, type FixedPlan } from '../../passes/float-to-fixed/program.js';
import { overflowCheck, type Interval } from '../../passes/float-to-fixed/overflow.js';
import { errorBound } from '../../passes/float-to-fixed/bounds.js';

export type Values = 'grid' | 'any';

/** Float32 inputs for every input declaration: magnitudes ≤ mag; 'grid' = multiples of 2^−s. */
export function inputsArb(
  p: HProgram,
  s: number,
  mag: number,
  values: Values,
): fc.Arbitrary<Map<string, Float32Array>> {
  const entries = p.decls.flatMap((d) => (d.kind === 'input' ? [d] : []));
  const unit = 2 ** -s;
  const entry =
    values === 'grid'
      ? fc.integer({ min: -Math.floor(mag / unit), max: Math.floor(mag / unit) }).map((k) => k * unit)
      : fc.float({ min: Math.fround(-mag), max: Math.fround(mag), noNaN: true, noDefaultInfinity: true });
  return fc
    .tuple(...entries.map((d) => fc.array(entry, { minLength: numel(d.shape), maxLength: numel(d.shape) })))
    .map((arrays) => new Map(entries.map((d, i) => [d.name, Float32Array.from(arrays[i] ?? [])])));
}

export function maxAbs(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, Math.abs(xs[i] as number));
  return m;
}

export function declValues(p: HProgram, inputs: ReadonlyMap<string, Float32Array>, name: string): Float32Array {
  const d = p.decls.find((x) => x.name === name);
  const v = d?.kind === 'const' ? d.values : inputs.get(name);
  if (v === undefined) throw new Error(`test: no values for ${name}`);
  return v;
}

/** max |1/c| (Div) or max |γ/√(σ² + fl(ε))| (BatchNorm): the magnitude of the derived weight. */
export function derivedMag(p: HProgram, node: HNode, inputs: ReadonlyMap<string, Float32Array>): number | undefined {
  const v = (n: string): Float32Array => declValues(p, inputs, n);
  if (node.op === 'Div') return maxAbs(Array.from(v(node.b), (c) => 1 / c));
  if (node.op === 'BatchNorm') {
    const g = v(node.scale);
    const va = v(node.var);
    return maxAbs(Array.from(g, (x, i) => x / Math.sqrt((va[i] as number) + Math.fround(node.epsilon))));
  }
  return undefined;
}

export type Run =
  | { readonly kind: 'encode-refused'; readonly error: CryptflowError }
  | { readonly kind: 'overflow-flagged'; readonly wrong: boolean }
  | {
      readonly kind: 'compared';
      readonly plan: FixedPlan;
      readonly raw: ReadonlyMap<string, BigUint64Array>;
      readonly fixed: ReadonlyMap<string, Float64Array>;
      readonly float: ReadonlyMap<string, Float32Array>;
      readonly bound: number;
    };

/** The interval of the signed values of a ring tensor. */
export function ringRange(ell: number, v: BigUint64Array): Interval {
  const ring = Ring(ell);
  let [lo, hi] = [ring.maxSigned, ring.minSigned];
  for (const x of v) {
    const a = ring.signed(x);
    if (a < lo) lo = a;
    if (a > hi) hi = a;
  }
  return { lo, hi };
}

/** Run a one-node HLIL program both ways at (ℓ, s). */
export function runBoth(p: HProgram, inputs: ReadonlyMap<string, Float32Array>, ell: number, s: number): Run {
  const node = p.nodes[0];
  if (node === undefined || p.nodes.length !== 1) throw new Error('test: expected a one-node program');
  const plan = floatToFixed(p, { ell, scale: s });
  let enc: Map<string, BigUint64Array>;
  try {
    enc = encodeInputs(plan, inputs);
  } catch (e) {
    if (e instanceof CryptflowError && e.code === 'fixed-range') return { kind: 'encode-refused', error: e };
    throw e;
  }
  const inBounds = new Map([...enc].map(([k, v]) => [k, ringRange(ell, v)]));
  const float = floatSem(p, inputs);
  const raw = fixedSem(plan.program, enc);
  const fixed = decodeOutputs(plan.program, raw);
  const shapeOf = (n: string): readonly number[] => p.decls.find((d) => d.name === n)?.shape ?? [];
  const dm = derivedMag(p, node, inputs);
  const bound = errorBound(node, s, {
    mag: (n) => maxAbs(declValues(p, inputs, n)),
    shapeOf,
    ...(dm === undefined ? {} : { derivedMag: dm }),
  });
  if (overflowCheck(plan.program, inBounds).flags.length > 0) {
    const wrong = [...float].some(([k, v]) =>
      v.some((x, i) => Math.abs(x - ((fixed.get(k) ?? [])[i] ?? NaN)) > bound || Number.isNaN(x)),
    );
    return { kind: 'overflow-flagged', wrong };
  }
  return { kind: 'compared', plan, raw, fixed, float, bound };
}

/** Largest entrywise |fixed − float| over the outputs. */
export function maxError(r: Extract<Run, { kind: 'compared' }>): number {
  let m = 0;
  for (const [k, f] of r.float) {
    const x = r.fixed.get(k);
    if (x === undefined) return Infinity;
    f.forEach((v, i) => {
      m = Math.max(m, Math.abs(v - (x[i] as number)));
    });
  }
  return m;
}
