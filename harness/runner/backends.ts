/**
 * The backends a run can name (`--backend`), built from their names: the plaintext and ideal
 * reference backends and the two 3-party protocols, Porthos (with its convolution policy) and
 * SecureNN. A worker thread builds its party's backend from the name alone (harness/runner/threads.ts).
 */
import { CryptflowError } from '../../spec/errors.js';
import type { Backend } from '../../protocols/common/backend.js';
import type { ConvPolicy } from '../../protocols/securenn-family/three-party.js';
import { porthos } from '../../protocols/porthos/index.js';
import { securenn } from '../../protocols/securenn/index.js';
import { idealBackend } from '../backends/ideal.js';
import { plaintextBackend } from '../backends/plaintext.js';

export const BACKENDS = ['plaintext', 'ideal', 'porthos', 'securenn'] as const;
export type BackendName = (typeof BACKENDS)[number];

export function backendOf(name: BackendName, convPolicy: ConvPolicy | undefined): Backend {
  if (convPolicy !== undefined && name !== 'porthos') throw new CryptflowError('usage', `--conv-policy applies to the porthos backend (${name} ${name === 'securenn' ? 'always uses im2col' : 'has no convolution protocol'})`);
  switch (name) {
    case 'plaintext':
      return plaintextBackend({ kernels: 'wasm' });
    case 'ideal':
      return idealBackend({ kernels: 'wasm' });
    case 'porthos':
      return porthos(convPolicy === undefined ? {} : { convPolicy });
    case 'securenn':
      return securenn();
  }
}
