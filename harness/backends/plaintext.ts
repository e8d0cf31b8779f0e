/**
 * The `plaintext` backend: the exact fixed-point semantics (semantics/fixed.ts, exact ScaleDown and
 * AvgPool) computed by a trusted party. A REFERENCE POINT, not a secure protocol: P2 sees every
 * secret operand, and the output is returned as the shares (value, 0) — P0's share IS the value — so
 * it claims no uniformity of shares (`uniformShares: false`).
 *
 * Same message flow and therefore the same closed-form cost as the ideal backend (trusted.ts): P0 and
 * P1 send P2 their operand shares, P2 sends the value to P0 and zeros to P1; 2 rounds; nothing when
 * every operand is public. Useful as the deterministic oracle a secure backend's output is compared
 * with, and as a baseline row in cost tables. `plaintext2` (`parties: 2`) is the same computed by P1,
 * with no P2: P0 sends P1 its operand shares, P1 sends P0 the value and keeps 0.
 */
import type { Backend } from '../../protocols/common/backend.js';
import { functionalityOf } from '../../ideal/functionality.js';
import { ALL_RINGS, trustedPartyBackend } from './trusted.js';

export interface PlaintextBackendOptions {
  readonly kernels?: 'reference' | 'wasm';
  /** 3 (default): P2 computes. 2 (`plaintext2`): P1 computes, no P2 exists. */
  readonly parties?: 2 | 3;
}

export function plaintextBackend(options: PlaintextBackendOptions = {}): Backend {
  const impl = options.kernels ?? 'reference';
  const parties = options.parties ?? 3;
  return trustedPartyBackend(
    parties === 3 ? 'plaintext' : 'plaintext2',
    { uniformShares: false, rings: ALL_RINGS, parties },
    {
      compute: (ell, node, inputs, rng) =>
        functionalityOf(node, { truncation: 'exact', kernels: impl }).sample(ell, inputs, rng),
      split: (_ell, y) => [y.slice(), new BigUint64Array(y.length)],
    },
  );
}
