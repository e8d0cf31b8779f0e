/**
 * The conformance suite (harness/conformance) over the malicious backend at small rings and small s
 * (s = 8: Z_{2^{ℓ+8}}; every operator at ℓ = 8, six of them again at ℓ = 16), exact truncation: every
 * LLIL operator against its ideal functionality, shares independent of the values, metered bytes and
 * rounds = spec/cost/malicious3.ts on every link, adversarial delivery orders. An average pool whose
 * divisor d breaks ℓ·d ≤ 2^{ℓ−1} (division.ts) is 'unsupported' (reported as such by the suite).
 */
import { describeConformance } from '../../../harness/conformance/vitest.js';
import { malicious3Backend } from '../../../protocols/malicious3/index.js';
import { llilOpProgram } from '../../arbitraries/llil.js';

const slow = process.env['CRYPTFLOW_SLOW'] === '1' ? 10 : 1;

const base = {
  programs: llilOpProgram,
  scheduledRuns: 1 * slow,
  truncation: 'exact',
} as const;

// Every operator at ℓ = 8; the non-linear ones and two products again at ℓ = 16 (the suite's time).
describeConformance(
  { ...malicious3Backend({ s: 8 }), name: 'malicious(s = 8)' },
  { ...base, runs: 4 * slow, shareRuns: 32 * slow, ells: [8] },
);
describeConformance(
  { ...malicious3Backend({ s: 8 }), name: 'malicious(s = 8)' },
  {
    ...base,
    runs: 3 * slow,
    shareRuns: 32 * slow,
    ells: [16],
    ops: ['Relu', 'ScaleDown', 'MaxPool', 'GlobalAvgPool', 'Conv', 'Mul'],
  },
);
