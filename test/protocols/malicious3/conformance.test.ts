/**
 * The conformance suite (harness/conformance) over the malicious backend at small rings and small s
 * (s = 8: Z_{2^{ℓ+8}}), exact truncation: every LLIL operator against its ideal functionality, shares
 * independent of the values, metered bytes = spec/cost/malicious3.ts on every link, adversarial
 * delivery orders. Average pools with a count that is not a power of two are 'unsupported' (reported
 * as such by the suite).
 */
import { describeConformance } from '../../../harness/conformance/vitest.js';
import { malicious3Backend } from '../../../protocols/malicious3/index.js';
import { llilOpProgram } from '../../arbitraries/llil.js';

const slow = process.env['CRYPTFLOW_SLOW'] === '1' ? 10 : 1;

describeConformance(
  { ...malicious3Backend({ s: 8 }), name: 'malicious(s = 8)' },
  {
    programs: llilOpProgram,
    runs: 4 * slow,
    shareRuns: 48 * slow,
    scheduledRuns: 1 * slow,
    truncation: 'exact',
    ells: [8, 16],
  },
);
