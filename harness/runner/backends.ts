/**
 * The backends a run can name (`--backend`), built from their names: the plaintext and ideal
 * reference backends (3-party, with P2 as the trusted party; `plaintext2` and `ideal2` are their
 * 2-party flavours, with P1 as the trusted party and no P2), the 3-party protocols, Porthos (with its
 * convolution policy) and SecureNN, and the 2-party CrypTFlow2 over the OT layer (protocols/ot/). A
 * worker thread builds its party's backend from the name alone (harness/runner/threads.ts). How many
 * parties a run starts is the backend's `claims.parties`.
 *
 * `BACKEND_INFO` is the one place that says what each name is: whether it is a secure protocol (the
 * client accepts only secure ones unless it says otherwise, `--accept`; the others are labelled NOT
 * SECURE wherever they appear), whether its ScaleDown is local truncation (so the wrap probability
 * applies), and whether its parties can run in worker threads. A new backend is one line there and
 * one case in `backendOf`.
 */
import { CryptflowError } from '../../spec/errors.js';
import type { Backend } from '../../protocols/common/backend.js';
import type { ConvPolicy } from '../../protocols/securenn-family/three-party.js';
import { porthos } from '../../protocols/porthos/index.js';
import { securenn } from '../../protocols/securenn/index.js';
import { cryptflow2Backend } from '../../protocols/cryptflow2/index.js';
import { cryptflow2HeBackend } from '../../protocols/cryptflow2-he/index.js';
import { malicious3Backend } from '../../protocols/malicious3/index.js';
import { DEFAULT_S } from '../../protocols/malicious3/rss.js';
import type { Corruption } from '../../protocols/malicious3/wire.js';
import { idealBackend } from '../backends/ideal.js';
import { plaintextBackend } from '../backends/plaintext.js';

export interface BackendInfo {
  /** A secure protocol (true) or a reference point that shows some party the data (false). */
  readonly secure: boolean;
  /** ScaleDown by local truncation, which wraps with a small probability. */
  readonly localTruncation: boolean;
  /** Its parties can run in worker threads (harness/runner/threads.ts). */
  readonly threads: boolean;
  /** One line for help texts. */
  readonly summary: string;
}

export const BACKEND_INFO = {
  plaintext: {
    secure: false,
    localTruncation: false,
    threads: false,
    summary: 'NOT SECURE: the exact fixed-point semantics through a trusted party (it sees the data)',
  },
  ideal: {
    secure: false,
    localTruncation: true,
    threads: false,
    summary: 'NOT SECURE: the ideal functionalities played by P2 as a trusted party (it sees the data)',
  },
  porthos: { secure: true, localTruncation: true, threads: true, summary: 'CrypTFlow Porthos, semi-honest 3PC' },
  securenn: { secure: true, localTruncation: true, threads: true, summary: 'SecureNN, semi-honest 3PC' },
  cryptflow2: {
    secure: true,
    localTruncation: false,
    threads: true,
    summary: 'CrypTFlow2 over OT, semi-honest 2PC (client and server, no helper)',
  },
  'cryptflow2-he': {
    secure: true,
    localTruncation: false,
    threads: true,
    summary: 'CrypTFlow2 with BFV linear layers (SCI_HE) over Z_p, p = 2^41 − 65535, semi-honest 2PC',
  },
  plaintext2: {
    secure: false,
    localTruncation: false,
    threads: false,
    summary: 'NOT SECURE: plaintext with P1 as the trusted party, two parties',
  },
  ideal2: {
    secure: false,
    localTruncation: false,
    threads: false,
    summary: 'NOT SECURE: the ideal functionalities played by P1 as a trusted party, two parties (exact truncation)',
  },
  malicious: {
    secure: true,
    localTruncation: false,
    threads: true,
    summary: `SPDZ-wise replicated 3PC with MACs over Z_2^(ℓ+${DEFAULT_S}): malicious security with abort, honest majority`,
  },
} as const satisfies Readonly<Record<string, BackendInfo>>;

export type BackendName = keyof typeof BACKEND_INFO;
export const BACKENDS = Object.keys(BACKEND_INFO) as readonly BackendName[];
/** The backends a client accepts by default. */
export const SECURE_BACKENDS: readonly BackendName[] = BACKENDS.filter((b) => BACKEND_INFO[b].secure);

/** The backends `--threads` runs: the protocols, not the trusted-party references. */
export const THREADED_BACKENDS: readonly BackendName[] = BACKENDS.filter((b) => BACKEND_INFO[b].threads);

export function backendOf(name: BackendName, convPolicy: ConvPolicy | undefined, corruption?: Corruption): Backend {
  if (corruption !== undefined && name !== 'malicious')
    throw new CryptflowError('usage', `--corrupt applies to the malicious backend, not ${name}`);
  if (convPolicy !== undefined && name !== 'porthos')
    throw new CryptflowError(
      'usage',
      `--conv-policy applies to the porthos backend (${name} ${name === 'securenn' ? 'always uses im2col' : 'has no convolution protocol'})`,
    );
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
    case 'cryptflow2-he':
      return cryptflow2HeBackend();
    case 'malicious':
      return malicious3Backend(corruption === undefined ? {} : { corruption });
  }
}

/** How many parties a run of the named backend has. */
export function partiesOfBackend(name: BackendName): 2 | 3 {
  return backendOf(name, undefined).claims.parties;
}
