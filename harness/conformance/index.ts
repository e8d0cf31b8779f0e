/**
 * The conformance suite's public surface: plug any `Backend` in with `checkBackend` (verdicts as
 * data) or `describeConformance` (vitest tests). See README.md.
 */
export {
  ALL_OPS,
  DEFAULT_ELLS,
  checkBackend,
  checkGroup,
  conformanceRings,
  correctness,
  costMismatch,
  failuresOf,
} from './suite.js';
export type { CheckName, ConformanceOptions, ConformanceReport, GroupReport, Verdict } from './suite.js';
export {
  caseFromProgram,
  caseInputs,
  caseOperandTypes,
  withSecretFills,
  type Case,
  type CaseOperand,
  type ValueMode,
} from './cases.js';
export { runCase, type Observation, type Outcome } from './run.js';
