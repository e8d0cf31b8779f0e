/**
 * Porthos's non-linear protocols (PrivateCompare, ShareConvert, ComputeMSB, ReLU′, ReLU, MaxPool,
 * ArgMax) at ℓ = 8 with p = 11, each with P0, P1 and P2 corrupted: input independence, simulation and
 * the output claim (check.ts, proofs-notes/security-tests.md).
 */
import { describe } from 'vitest';
import { PORTHOS } from '../../protocols/securenn-family/nonlinear/variant.js';
import { variantCases } from '../../harness/security/index.js';
import { securityTests } from './support.js';

describe('security of the Porthos non-linear protocols at ℓ = 8, p = 11', () => {
  for (const kase of variantCases(PORTHOS, 8)) securityTests(kase);
});
