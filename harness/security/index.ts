/**
 * Simulation-based security tests of the SecureNN-family protocols (issue 8): the view recorder, typed
 * views, simulators, the chi-square family, the protocol cases, the planted leaks and exact
 * enumeration. test/security/ drives them; proofs-notes/security-tests.md says what each establishes.
 */
export { checkParty, labelPrg, realViews, DEFAULT_SAMPLES, VERDICT_ALPHA } from './check.js';
export type {
  Claim,
  Output,
  OutputClaim,
  PartySetup,
  RealViews,
  SecurityCase,
  SecurityOptions,
  Verdict,
  Which,
} from './check.js';
export * from './cases.js';
export * from './simulators.js';
export * from './typed.js';
export * from './stats.js';
export * from './view.js';
export * from './leaks.js';
export * from './exact.js';
export * from './bias.js';
export * from './power.js';
export * from './structure.js';
export * from './knowledge.js';
