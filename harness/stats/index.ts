/** Statistics for validation studies: AUROC with DeLong's variance and test, Kolmogorov–Smirnov, Dice. */
export {
  delong,
  pairedTest,
  structuralComponents,
  type AucEstimate,
  type DelongResult,
  type PairedTest,
} from './delong.js';
export { ksTwoSample, ksExactP, kolmogorovQ, EXACT_LIMIT, type KsResult } from './ks.js';
export { dicePerClass, type DiceScore } from './dice.js';
export { rocCurve, trapezoidArea, type RocPoint } from './roc-curve.js';
export { erfc, normalCdf, normalPdf, normalQuantile, twoSidedP, Z975 } from './normal.js';
export { midranks } from './ranks.js';
