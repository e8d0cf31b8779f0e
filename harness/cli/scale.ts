/**
 * `cryptflow scale MODEL --calibration DIR|FILE [--range 8..24] [--plot FILE.svg] [--json]
 *  [--bitlen L --placement eager|lazy --input-range lo..hi --max-failure P] [HLIL pass flags]`
 *
 * Scale selection (passes/float-to-fixed/scale.ts) on the optimised model: one row per scale with the
 * measured top-1 agreement and errors on the calibration inputs and what the range analysis predicts,
 * the chosen scale and the rule that chose it; optionally an SVG plot of error against scale. The
 * chosen scale's P(local truncation wraps) is at most --max-failure, 1e-6 by default (the threshold
 * `run` fails above), so the recommendation is one `run` accepts.
 */
import { writeFileSync } from 'node:fs';
import { CryptflowError } from '../../spec/errors.js';
import { sweepScales, type ScaleSweep } from '../../passes/float-to-fixed/scale.js';
import { readCalibration } from '../io/calibration.js';
import { scalePlotSvg } from '../io/svg-plot.js';
import { getInteger, getRange, getString, type FlagSpec, type ParsedArgs } from './args.js';
import { HLIL_FLAGS, loadAndOptimize, placementFlag } from './compile.js';
import { maxFailureOf, probabilityText } from './safety.js';

export const SCALE_FLAGS: Readonly<Record<string, FlagSpec>> = {
  calibration: {
    kind: 'string',
    help: 'client inputs: a JSON file (one object, or an array of them) or a directory of such files',
  },
  range: { kind: 'string', help: 'scales to try, lo..hi (default 8..24)' },
  plot: { kind: 'string', help: 'write an SVG plot of error against scale to FILE' },
  json: { kind: 'boolean', help: 'print the sweep as one JSON object' },
  'max-failure': {
    kind: 'string',
    help: 'require P(local truncation wraps) ≤ P for the chosen scale (default 1e-6, as `run` checks)',
  },
  'input-range': {
    kind: 'string',
    help: 'range lo..hi of every client input entry, for the analysis (default: that of the calibration inputs)',
  },
  ...HLIL_FLAGS,
};

const num = (x: number | undefined): string =>
  x === undefined ? '-' : !Number.isFinite(x) ? String(x) : x === 0 ? '0' : x.toExponential(2);

export function runScale(path: string, args: ParsedArgs): ScaleSweep {
  const cal = getString(args, 'calibration');
  if (cal === undefined)
    throw new CryptflowError('usage', 'scale needs --calibration DIR|FILE (client inputs to measure on)');
  const range = getRange(args, 'range', true) ?? { lo: 8, hi: 24 };
  const maxFailure = maxFailureOf(getString(args, 'max-failure'));
  const { model } = loadAndOptimize(path, args);
  if (model.missingWeights.length > 0) {
    throw new CryptflowError(
      'usage',
      `scale selection runs the model: give the weights of ${model.missingWeights.map((n) => `'${n}'`).join(', ')} with --weights FILE`,
    );
  }
  const calibration = readCalibration(cal, model.program);
  const inputRange = getRange(args, 'input-range');
  return sweepScales(model, calibration, {
    scales: [range.lo, range.hi],
    ell: getInteger(args, 'bitlen') ?? 64,
    placement: placementFlag(args),
    ...(inputRange === undefined ? {} : { inputRange }),
    maxFailure,
  });
}

export function writePlot(args: ParsedArgs, sweep: ScaleSweep): void {
  const plot = getString(args, 'plot');
  if (plot === undefined) return;
  try {
    writeFileSync(plot, scalePlotSvg(sweep));
  } catch (e) {
    throw new CryptflowError(
      'input',
      `cannot write the plot ${plot}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`,
    );
  }
}

export function formatSweep(s: ScaleSweep): string {
  const head = `scale sweep: ℓ = ${s.ell}, ${s.placement} placement, ${s.samples} calibration input(s), client inputs in [${s.inputRange.lo}, ${s.inputRange.hi}]`;
  const cols = ['scale', 'top-1', 'max |err|', 'mean |err|', 'bound', 'overflow', 'P(wrap)'];
  const rows = s.rows.map((r) =>
    r.status === 'refused'
      ? [String(r.scale), `refused: ${r.note ?? ''}`]
      : [
          String(r.scale),
          r.top1Agreement === undefined ? '-' : `${(100 * r.top1Agreement).toFixed(1)}%`,
          num(r.maxAbsError),
          num(r.meanAbsError),
          num(r.errorBound),
          r.predictedOverflow ? `may (${r.overflowValues ?? 0})` : 'no',
          r.truncationFailure === undefined ? '-' : probabilityText(r.truncationFailure),
        ],
  );
  const widths = cols.map((c, i) =>
    Math.max(c.length, ...rows.filter((r) => r.length === cols.length).map((r) => (r[i] ?? '').length)),
  );
  const line = (r: readonly string[]): string =>
    r.length === cols.length
      ? r.map((v, i) => v.padStart(widths[i] ?? 0)).join('  ')
      : `${(r[0] ?? '').padStart(widths[0] ?? 0)}  ${r[1] ?? ''}`;
  const best = s.best === null ? `best scale: none — ${s.note ?? ''}` : `best scale: ${s.best}`;
  return [head, line(cols), ...rows.map(line), best, `rule: ${s.rule}`].join('\n');
}
