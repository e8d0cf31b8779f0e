/**
 * The same claims at ℓ = 16 (two bytes per ring element on the wire; p = 19, the least prime above
 * ℓ + 1): Beaver's product and ReLU′ in both variants, each party corrupted.
 */
import { describe } from 'vitest';
import { PORTHOS, SECURENN } from '../../protocols/securenn-family/nonlinear/variant.js';
import { dreluCase, productCase, smallVariant } from '../../harness/security/index.js';
import { securityTests } from './support.js';

describe('security at ℓ = 16, p = 19', () => {
  securityTests(productCase(16));
  for (const v of [PORTHOS, SECURENN]) securityTests(dreluCase(smallVariant(v, 16), 16));
});
