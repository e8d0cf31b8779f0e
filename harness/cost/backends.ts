/**
 * The backends whose communication `cryptflow cost` and `cryptflow tables` report, by name and
 * convolution policy: Porthos and SecureNN (three parties), CrypTFlow2 (two parties, its OT
 * batches costed by the OT layer's closed forms, spec/cost/ot.ts) and the malicious 3PC (s = 48).
 * Walking costs touches no ring kernel, so the reference kernels are chosen (no WebAssembly to
 * load); the costs do not depend on the kernels.
 */
import { CryptflowError } from '../../spec/errors.js';
import type { Backend } from '../../protocols/common/backend.js';
import type { ConvPolicy } from '../../protocols/securenn-family/three-party.js';
import { porthos } from '../../protocols/porthos/index.js';
import { securenn } from '../../protocols/securenn/index.js';
import { cryptflow2Backend } from '../../protocols/cryptflow2/index.js';
import { cryptflow2HeBackend } from '../../protocols/cryptflow2-he/index.js';
import { malicious3Backend } from '../../protocols/malicious3/index.js';

export type CostBackendName = 'porthos' | 'securenn' | 'cryptflow2' | 'cryptflow2-he' | 'malicious';
export const COST_BACKENDS: readonly CostBackendName[] = [
  'porthos',
  'securenn',
  'cryptflow2',
  'cryptflow2-he',
  'malicious',
];

export const CONV_POLICIES: readonly ConvPolicy[] = ['paper', 'reshaped', 'im2col'];

/** Porthos under a convolution policy (default `paper`), or SecureNN (im2col only). */
export function costBackend(name: CostBackendName, policy?: ConvPolicy): Backend {
  if (name === 'malicious') {
    if (policy !== undefined)
      throw new CryptflowError('usage', `--conv-policy ${policy} is for porthos; malicious has no convolution policy`);
    return malicious3Backend({ kernels: 'reference' });
  }
  if (name === 'cryptflow2') {
    if (policy !== undefined)
      throw new CryptflowError(
        'usage',
        `--conv-policy ${policy} is for porthos; cryptflow2 multiplies by OT, with no convolution policy`,
      );
    return cryptflow2Backend({ kernels: 'reference' });
  }
  if (name === 'cryptflow2-he') {
    if (policy !== undefined)
      throw new CryptflowError(
        'usage',
        `--conv-policy ${policy} is for porthos; cryptflow2-he packs its layers for BFV`,
      );
    return cryptflow2HeBackend({ kernels: 'reference' });
  }
  if (name === 'securenn') {
    if (policy !== undefined && policy !== 'im2col') {
      throw new CryptflowError(
        'usage',
        `SecureNN has only the im2col convolution; --conv-policy ${policy} is for porthos`,
      );
    }
    return securenn({ kernels: 'reference' });
  }
  return porthos({ convPolicy: policy ?? 'paper', kernels: 'reference' });
}
