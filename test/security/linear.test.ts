/**
 * The protocols whose code Porthos and SecureNN share — input sharing and reveal, Beaver's product,
 * MatMul, both convolution forms (reshaped: Porthos's; im2col: SecureNN's and Porthos's for small
 * filters), local truncation and SelectShare — each with P0, P1 and P2 corrupted at ℓ = 8:
 * input independence, simulation, and the output claim (check.ts, proofs-notes/security-tests.md).
 */
import { describe } from 'vitest';
import { commonCases } from '../../harness/security/index.js';
import { securityTests } from './support.js';

describe('security of the shared linear protocols at ℓ = 8', () => {
  for (const kase of commonCases(8)) securityTests(kase);
});
