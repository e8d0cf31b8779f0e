/**
 * When a result of `cryptflow run` may be wrong, and how that is said: the checks behind exit status
 * 3 (`UNSAFE_EXIT`), and the one way probability bounds are printed.
 *
 * A run's output may be wrong when
 *   - the client's input leaves the range the range analysis assumed (`--input-range`): no bound
 *     covers it;
 *   - a value may overflow ℓ bits for inputs in that range (the bounds are void);
 *   - a ReLU/MaxPool/ArgMax input may leave the domain where the 3-party comparisons are exact;
 *   - the union bound on P(some local truncation wraps) exceeds `--max-failure` (default 1e-6), for
 *     backends whose ScaleDown is local truncation;
 *   - an output lies outside its compile-time bound.
 * `run` then prints the result as usual, and exits 3 with one line per reason saying what to change;
 * `--allow-unsafe` turns that into warnings (exit 0). A union bound ≥ 1 guarantees nothing and is
 * printed as "no guarantee", never as a number above 1.
 */
import { CryptflowError } from '../../spec/errors.js';
import { BACKEND_INFO, backendOf, type InferenceResult } from '../runner/inference.js';

/** Exit status of a run whose output may be wrong. */
export const UNSAFE_EXIT = 3;
export const DEFAULT_MAX_FAILURE = 1e-6;

export type SafetyKind = 'input-range' | 'overflow' | 'field-range' | 'domain' | 'truncation' | 'outside-bound';

export interface SafetyIssue {
  readonly kind: SafetyKind;
  readonly message: string;
}

/** A run's output may be wrong; the CLI exits with UNSAFE_EXIT. */
export class UnsafeResult extends CryptflowError {
  constructor(readonly issues: readonly SafetyIssue[]) {
    super(
      'input',
      `the result may be wrong (exit status ${UNSAFE_EXIT}; --allow-unsafe makes this a warning):\n${issues.map((i) => `  - ${i.message}`).join('\n')}`,
    );
  }
}

/** A probability bound as printed: "no guarantee" when it is ≥ 1 (or not finite). */
export function probabilityText(p: number): string {
  if (!(p < 1)) return 'no guarantee';
  return p === 0 ? '0' : p.toExponential(2);
}

/** "P(some local truncation wraps) ≤ 4.62e-7", or "…: no guarantee (the union bound is ≥ 1)". */
export function wrapClause(p: number): string {
  return p < 1
    ? `P(some local truncation wraps) ≤ ${probabilityText(p)}`
    : 'P(some local truncation wraps): no guarantee (the union bound is ≥ 1)';
}

/** A threshold as given: 1e-6, 0.01. */
export function thresholdText(p: number): string {
  return p > 0 && p < 1e-3 ? p.toExponential() : String(p);
}

/** A probability bound for JSON: never above 1. */
export function probabilityValue(p: number): number {
  return p < 1 ? p : 1;
}

/** `--max-failure P` (default 1e-6). */
export function maxFailureOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_FAILURE;
  const p = Number(text);
  if (text.trim() === '' || !(p >= 0 && p <= 1))
    throw new CryptflowError('usage', `option --max-failure needs a probability in [0, 1], got '${text}'`);
  return p;
}

export interface Range {
  readonly lo: number;
  readonly hi: number;
}

const e = (x: number): string =>
  Number.isFinite(x)
    ? x === 0
      ? '0'
      : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5
        ? String(Number(x.toPrecision(4)))
        : x.toExponential(2)
    : String(x);

/** Every reason the run's output may be wrong (empty: every output is within its guarantee). */
export function safetyIssues(
  r: InferenceResult,
  o: { readonly maxFailure: number; readonly actual: Range },
): SafetyIssue[] {
  const out: SafetyIssue[] = [];
  const s = r.plan.params.scale;
  const analysed = r.range.inputRange;
  const fix = `lower --scale (now ${s}; \`cryptflow scale\` picks one) or bring the input into a smaller range`;
  if (o.actual.lo < analysed.lo || o.actual.hi > analysed.hi) {
    out.push({
      kind: 'input-range',
      message: `the input reaches [${e(o.actual.lo)}, ${e(o.actual.hi)}], outside the range the analysis assumed [${e(analysed.lo)}, ${e(analysed.hi)}]: no bound covers it; widen --input-range or rescale the input (--mean/--std for images)`,
    });
  }
  if (r.range.overflow.length > 0) {
    const first = r.range.overflow[0];
    out.push({
      kind: 'overflow',
      message: `${r.range.overflow.length} value(s) may overflow ℓ = ${r.plan.program.ell} bits for inputs in [${e(analysed.lo)}, ${e(analysed.hi)}] (first: '${first?.value ?? ''}', needs ${first?.bits ?? '?'} bits): ${fix}`,
    });
  }
  const field = r.fieldOverflow ?? [];
  if (field.length > 0) {
    const first = field[0];
    out.push({
      kind: 'field-range',
      message: `${field.length} value(s) may leave the range of cryptflow2-he's field (±2^39 inside ±(p − 1)/2, p = 2^41 − 65535) for inputs in [${e(analysed.lo)}, ${e(analysed.hi)}] (first: '${first?.value ?? ''}', needs ${first?.bits ?? '?'} bits): ${fix}`,
    });
  }
  // The analysis flags operands outside the tightest (SecureNN-family) domain; each backend's own
  // `domain` says which of them matter for it (CrypTFlow2's ReLU, for one, is exact on the whole ring).
  const backend = backendOf(r.backend, undefined);
  const ell = r.plan.program.ell;
  const risks = r.range.domain.flatMap((d) => {
    const node = r.plan.program.nodes.find((n) => n.out === d.node);
    const bound = node === undefined ? undefined : backend.domain?.(node, ell);
    const allowed = bound === undefined ? Infinity : bound.toString(2).length;
    return d.bits > allowed ? [{ ...d, allowed }] : [];
  });
  if (risks.length > 0) {
    const first = risks[0];
    out.push({
      kind: 'domain',
      message: `${risks.length} comparison input(s) may leave the domain where the ${r.backend} comparisons are exact (first: ${first?.op ?? ''} '${first?.node ?? ''}', needs ${first?.bits ?? '?'} bits, allowed ${first?.allowed ?? '?'}): ${fix}`,
    });
  }
  const p = r.range.truncation.probability;
  if (BACKEND_INFO[r.backend].localTruncation && !(p <= o.maxFailure)) {
    out.push({
      kind: 'truncation',
      message: `${wrapClause(p)}, above --max-failure ${thresholdText(o.maxFailure)}: ${fix}, or accept more risk with --max-failure`,
    });
  }
  for (const x of r.outputs) {
    if (x.withinBound) continue;
    const what =
      x.boundKind === 'argmax-gap'
        ? `the float32 score at the secure index is more than ${e(x.bound)} below the float32 maximum`
        : `max |secure − float32| = ${e(x.maxAbsDiff)} exceeds its compile-time bound ${e(x.bound)}`;
    out.push({ kind: 'outside-bound', message: `output '${x.name}': ${what}; ${fix}` });
  }
  return out;
}

/** The smallest and largest entry of the client's inputs. */
export function rangeOf(inputs: ReadonlyMap<string, Float32Array>): Range {
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of inputs.values()) for (const x of v) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
  return Number.isFinite(lo) ? { lo, hi } : { lo: 0, hi: 0 };
}
