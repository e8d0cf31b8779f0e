/**
 * The `ideal` backend: the ideal functionalities of ideal/functionality.ts run by a trusted party.
 * A REFERENCE POINT, not a secure protocol (P2 sees the secret operands in the clear).
 *
 * Flow (trusted.ts): P0 and P1 send P2 their shares of the secret operands; P2 reconstructs, applies
 * F_op = `functionalityOf(node, { truncation })`.sample with its own PRG — so ScaleDown, AvgPool and
 * GlobalAvgPool under 'local' truncation output a value drawn exactly as local division over a
 * uniform sharing would — and re-shares the output UNIFORMLY (P0's share from P2's PRG, P1's the
 * difference). Each output share alone is therefore uniform and independent of every value, which is
 * what it claims. `ideal2` (`parties: 2`) is the same with P1 as the trusted party and no P2: the
 * ideal world of the 2-party backends, with exact truncation by default (CrypTFlow2's is faithful). Costs: P0→P2 and P1→P2 b·Σ|secret operands|, P2→P0 and P2→P1 b·|out|, 2 rounds;
 * nothing when every operand is public.
 */
import { Ring } from '../../spec/ring.js';
import type { Backend } from '../../protocols/common/backend.js';
import { subMod } from '../../semantics/kernels/words.js';
import { functionalityOf, type Truncation } from '../../ideal/functionality.js';
import { ALL_RINGS, trustedPartyBackend } from './trusted.js';

export interface IdealBackendOptions {
  /**
   * Which functionality to realise for local-division ops (default: 'local' with 3 parties, as
   * Porthos/SecureNN; 'exact' with 2, as CrypTFlow2's faithful truncation).
   */
  readonly truncation?: Truncation;
  readonly kernels?: 'reference' | 'wasm';
  /** 3 (default): P2 is the trusted party. 2: P1 is, and no P2 exists (`ideal2`, the 2PC reference). */
  readonly parties?: 2 | 3;
}

/** The backend's name: `ideal` / `ideal2` under its default truncation, the other one in parentheses. */
function idealName(parties: 2 | 3, truncation: Truncation): string {
  const base = parties === 3 ? 'ideal' : 'ideal2';
  const usual: Truncation = parties === 3 ? 'local' : 'exact';
  return truncation === usual ? base : `${base}(${truncation} truncation)`;
}

export function idealBackend(options: IdealBackendOptions = {}): Backend {
  const parties = options.parties ?? 3;
  const truncation = options.truncation ?? (parties === 3 ? 'local' : 'exact');
  const impl = options.kernels ?? 'reference';
  return trustedPartyBackend(
    idealName(parties, truncation),
    { uniformShares: true, rings: ALL_RINGS, parties },
    {
      compute: (ell, node, inputs, rng) =>
        functionalityOf(node, { truncation, kernels: impl }).sample(ell, inputs, rng),
      split: (ell, y, rng) => {
        const s0 = rng.ring(ell, y.length);
        return [s0, subMod(Ring(ell), y, s0)];
      },
    },
  );
}
