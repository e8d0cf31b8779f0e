/**
 * The backends a run can name (`--backend`), built from their names: the plaintext and ideal
 * reference backends (3-party, with P2 as the trusted party; `plaintext2` and `ideal2` are their
 * 2-party flavours, with P1 as the trusted party and no P2), the 3-party protocols, Porthos (with its
 * convolution policy) and SecureNN, and the 2-party CrypTFlow2 over the OT layer (protocols/ot/). A
 * worker thread builds its party's backend from the name alone (harness/runner/threads.ts). How many
 * parties a run starts is the backend's `claims.parties`.
 */
import { CryptflowError } from '../../spec/errors.js';
import type { Backend } from '../../protocols/common/backend.js';
import type { ConvPolicy } from '../../protocols/common/three-party.js';
import { porthos } from '../../protocols/porthos/index.js';
import { securenn } from '../../protocols/securenn/index.js';
import { cryptflow2Backend } from '../../protocols/cryptflow2/index.js';
import { idealBackend } from '../backends/ideal.js';
import { plaintextBackend } from '../backends/plaintext.js';

export const BACKENDS = ['plaintext', 'ideal', 'porthos', 'securenn', 'cryptflow2', 'plaintext2', 'ideal2'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The backends `--threads` runs: the protocols, not the trusted-party references. */
export const THREADED_BACKENDS: readonly BackendName[] = ['porthos', 'securenn', 'cryptflow2'];

export function backendOf(name: BackendName, convPolicy: ConvPolicy | undefined): Backend {
  if (convPolicy !== undefined && name !== 'porthos') throw new CryptflowError('usage', `--conv-policy applies to the porthos backend (${name} ${name === 'securenn' ? 'always uses im2col' : 'has no convolution protocol'})`);
  switch (name) {
    case 'plaintext':
      return plaintextBackend({ kernels: 'wasm' });
    case 'ideal':
      return idealBackend({ kernels: 'wasm' });
    case 'plaintext2':
      return plaintextBackend({ kernels: 'wasm', parties: 2 });
    case 'ideal2':
      return idealBackend({ kernels: 'wasm', parties: 2 });
    case 'porthos':
      return porthos(convPolicy === undefined ? {} : { convPolicy });
    case 'securenn':
      return securenn();
    case 'cryptflow2':
      return cryptflow2Backend();
  }
}

/** How many parties a run of the named backend has. */
export function partiesOfBackend(name: BackendName): 2 | 3 {
  return backendOf(name, undefined).claims.parties;
}
