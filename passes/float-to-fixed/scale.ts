/**
 * Scale selection (the paper's "sweep", CrypTFlow §5): compile the model at every scale s in a range,
 * run fixedSem and floatSem on calibration inputs, and measure, per scale,
 *   - top-1 agreement: for outputs with a class axis — an ArgMax output (the indices must be equal), or
 *     an output of shape [C] or [N, C] with C > 1 (arg-max along the last axis, first maximum) — the
 *     fraction of (sample, row) pairs on which fixed and float agree;
 *   - the largest and the mean |decoded fixed − float| over every entry of the other outputs;
 *   - what the range analysis predicts (analysis.ts) for the stated client-input box: whether any
 *     value may overflow ℓ bits, the largest output error bound, and the summed probability that local
 *     truncation wraps.
 * A scale at which float-to-fixed or the encoding of a weight or calibration input fails (2s ≥ ℓ, a
 * value out of range) is listed as refused with the reason.
 *
 * Rule for the best scale: among scales that compiled and whose analysis predicts no overflow (and,
 * with `maxFailure`, whose truncation-wrap probability is at most that), the highest top-1 agreement
 * (when there is a class output), then the lowest max error, then the smaller scale (more headroom).
 * None qualifies → no best scale, and the sweep says why.
 */
import { CryptflowError } from '../../spec/errors.js';
import type { HProgram } from '../../ir/hlil.js';
import { floatSem } from '../../semantics/float.js';
import { fixedSem } from '../../semantics/fixed.js';
import { decodeOutputs } from '../../semantics/decode.js';
import { analyzeProgram, type InputRange } from './analysis.js';
import { checkRange } from './intervals.js';
import { encodeInputs, floatToFixed, type Placement } from './program.js';

export interface ScaleModel {
  readonly program: HProgram;
  readonly weights: ReadonlyMap<string, Float32Array>;
}

export interface ScaleSweepOptions {
  /** Inclusive range of scales (default [8, 24]). */
  readonly scales?: readonly [number, number];
  /** Ring width ℓ (default 64). */
  readonly ell?: number;
  readonly placement?: Placement;
  /** The client-input box for the analysis (default: the hull of the calibration inputs). */
  readonly inputRange?: InputRange;
  readonly kernels?: 'reference' | 'wasm';
  /** Also require the summed truncation-wrap probability to be at most this (default: not required). */
  readonly maxFailure?: number;
}

export interface ScaleRow {
  readonly scale: number;
  readonly status: 'ok' | 'refused';
  /** Why a scale was refused. */
  readonly note?: string;
  /** Fraction of class decisions that agree (absent without a class output). */
  readonly top1Agreement?: number;
  readonly maxAbsError?: number;
  readonly meanAbsError?: number;
  /** Largest analysed error bound over the non-ArgMax outputs. */
  readonly errorBound?: number;
  readonly predictedOverflow?: boolean;
  /** Number of values the analysis says may overflow. */
  readonly overflowValues?: number;
  /** Summed per-element probability that local truncation wraps (one run of the program). */
  readonly truncationFailure?: number;
}

export interface ScaleSweep {
  readonly ell: number;
  readonly placement: Placement;
  readonly inputRange: InputRange;
  readonly samples: number;
  readonly rows: readonly ScaleRow[];
  readonly best: number | null;
  readonly rule: string;
  /** Why there is no best scale. */
  readonly note?: string;
}

export const SCALE_RULE =
  'highest top-1 agreement, then lowest max error, then the smaller scale, among scales with no predicted overflow';

/** Hull of every client-input entry of the calibration samples. */
export function calibrationRange(samples: readonly ReadonlyMap<string, Float32Array>[]): InputRange {
  let [lo, hi] = [Infinity, -Infinity];
  for (const s of samples) {
    for (const v of s.values()) {
      for (const x of v) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
  }
  return Number.isFinite(lo) ? { lo, hi } : { lo: 0, hi: 0 };
}

interface Comparison {
  agree: number;
  decisions: number;
  maxAbs: number;
  sumAbs: number;
  entries: number;
}

/** Arg-max along the last axis (first maximum) of an output of shape [C] or [N, C], C > 1. */
function classDecisions(shape: readonly number[], v: ArrayLike<number>): number[] | null {
  const c = shape[shape.length - 1] ?? 1;
  if (shape.length < 1 || shape.length > 2 || c < 2) return null;
  const rows = v.length / c;
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let j = 1; j < c; j++) if ((v[r * c + j] as number) > (v[r * c + best] as number)) best = j;
    return best;
  });
}

function compareOutputs(
  p: HProgram,
  shapeOf: (n: string) => readonly number[],
  float: ReadonlyMap<string, Float32Array>,
  fixed: ReadonlyMap<string, Float64Array>,
  acc: Comparison,
): void {
  const argmaxOut = new Set(p.nodes.filter((n) => n.op === 'ArgMax').map((n) => n.out));
  for (const o of p.outputs) {
    const f = float.get(o.name) ?? new Float32Array();
    const x = fixed.get(o.name) ?? new Float64Array();
    if (argmaxOut.has(o.name)) {
      f.forEach((v, i) => {
        acc.decisions++;
        if (v === x[i]) acc.agree++;
      });
      continue;
    }
    const df = classDecisions(shapeOf(o.name), f);
    const dx = classDecisions(shapeOf(o.name), x);
    if (df !== null && dx !== null) {
      df.forEach((v, i) => {
        acc.decisions++;
        if (v === dx[i]) acc.agree++;
      });
    }
    f.forEach((v, i) => {
      const d = Math.abs(v - (x[i] as number));
      acc.maxAbs = Math.max(acc.maxAbs, Number.isNaN(d) ? Infinity : d);
      acc.sumAbs += d;
      acc.entries++;
    });
  }
}

export function sweepScales(
  model: ScaleModel,
  calibration: readonly ReadonlyMap<string, Float32Array>[],
  opts: ScaleSweepOptions = {},
): ScaleSweep {
  const [from, to] = opts.scales ?? [8, 24];
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from) {
    throw new CryptflowError('usage', `the scale range must be integers 0 ≤ from ≤ to, got ${from}..${to}`);
  }
  if (calibration.length === 0)
    throw new CryptflowError('input', 'scale selection needs at least one calibration input');
  const ell = opts.ell ?? 64;
  const placement = opts.placement ?? 'eager';
  const inputRange = opts.inputRange ?? calibrationRange(calibration);
  checkRange(inputRange, 'the client input range');
  const p = model.program;
  const runs = calibration.map((client) => {
    const all = new Map([...client, ...model.weights]);
    return { all, float: floatSem(p, all) };
  });
  const shapes = new Map<string, readonly number[]>();
  const shapeOf = (n: string): readonly number[] => shapes.get(n) ?? [];
  const rows: ScaleRow[] = [];
  for (let s = from; s <= to; s++) {
    try {
      const plan = floatToFixed(p, { ell, scale: s, placement });
      const report = analyzeProgram(plan, model.weights, inputRange);
      report.tensors.forEach((t) => shapes.set(t.name, t.shape));
      const acc: Comparison = { agree: 0, decisions: 0, maxAbs: 0, sumAbs: 0, entries: 0 };
      for (const r of runs) {
        const fixedRaw = fixedSem(plan.program, encodeInputs(plan, r.all), { kernels: opts.kernels ?? 'wasm' });
        const decoded = decodeOutputs(plan.program, fixedRaw);
        const fixed = new Map(
          p.outputs.map((o, i) => [o.name, decoded.get(plan.program.outputs[i]?.name ?? '') ?? new Float64Array()]),
        );
        compareOutputs(p, shapeOf, r.float, fixed, acc);
      }
      const bounds = report.outputs.filter((o) => o.argmaxGap === undefined).map((o) => o.errorBound);
      rows.push({
        scale: s,
        status: 'ok',
        ...(acc.decisions > 0 ? { top1Agreement: acc.agree / acc.decisions } : {}),
        maxAbsError: acc.maxAbs,
        meanAbsError: acc.entries > 0 ? acc.sumAbs / acc.entries : 0,
        errorBound: bounds.length > 0 ? Math.max(...bounds) : 0,
        predictedOverflow: !report.boundsHold,
        overflowValues: report.overflow.length,
        truncationFailure: report.truncation.probability,
      });
    } catch (e) {
      if (!(e instanceof CryptflowError) || e.code === 'usage') throw e;
      rows.push({ scale: s, status: 'refused', note: e.message });
    }
  }
  const maxFailure = opts.maxFailure ?? Infinity;
  const eligible = rows.filter(
    (r) => r.status === 'ok' && r.predictedOverflow === false && (r.truncationFailure ?? Infinity) <= maxFailure,
  );
  const better = (a: ScaleRow, b: ScaleRow): boolean => {
    const [ta, tb] = [a.top1Agreement ?? 0, b.top1Agreement ?? 0];
    if (ta !== tb) return ta > tb;
    const [ma, mb] = [a.maxAbsError ?? Infinity, b.maxAbsError ?? Infinity];
    if (ma !== mb) return ma < mb;
    return a.scale < b.scale;
  };
  const best = eligible.reduce<ScaleRow | null>((acc, r) => (acc === null || better(r, acc) ? r : acc), null);
  const rule =
    opts.maxFailure === undefined ? SCALE_RULE : `${SCALE_RULE} and P(truncation wraps) ≤ ${opts.maxFailure}`;
  const base = { ell, placement, inputRange, samples: calibration.length, rows, rule };
  if (best !== null) return { ...base, best: best.scale };
  const compiled = rows.filter((r) => r.status === 'ok');
  const note =
    compiled.length === 0
      ? 'no scale in the range compiled'
      : compiled.some((r) => r.predictedOverflow === false)
        ? `no scale free of predicted overflow has P(truncation wraps) ≤ ${maxFailure}`
        : `every scale that compiled may overflow ℓ = ${ell} bits for inputs in [${inputRange.lo}, ${inputRange.hi}] (a wider ring, a smaller scale range, or a tighter input range may help)`;
  return { ...base, best: null, note };
}
