/**
 * The `ideal` backend: the ideal functionalities of ideal/functionality.ts run by a trusted party.
 * A REFERENCE POINT, not a secure protocol (P2 sees the secret operands in the clear).
 *
 * Flow (trusted.ts): P0 and P1 send P2 their shares of the secret operands; P2 reconstructs, applies
 * F_op = `functionalityOf(node, { truncation })`.sample with its own PRG — so ScaleDown, AvgPool and
 * GlobalAvgPool under 'local' truncation output a value drawn exactly as local division over a
 * uniform sharing would — and re-shares the output UNIFORMLY (P0's share from P2's PRG, P1's the
 * difference). Each output share alone is therefore uniform and independent of every value, which is
 * what it claims. Costs: P0→P2 and P1→P2 b·Σ|secret operands|, P2→P0 and P2→P1 b·|out|, 2 rounds;
 * nothing when every operand is public.
 */
import { Ring } from '../../spec/ring.js';
import type { Backend } from '../../protocols/common/backend.js';
import { subMod } from '../../semantics/kernels/words.js';
import { functionalityOf, type Truncation } from '../../ideal/functionality.js';
import { ALL_RINGS, trustedPartyBackend } from './trusted.js';

export interface IdealBackendOptions {
  /** Which functionality to realise for local-division ops (default 'local', as Porthos/SecureNN). */
  readonly truncation?: Truncation;
  readonly kernels?: 'reference' | 'wasm';
}

export function idealBackend(options: IdealBackendOptions = {}): Backend {
  const truncation = options.truncation ?? 'local';
  const impl = options.kernels ?? 'reference';
  return trustedPartyBackend(
    truncation === 'local' ? 'ideal' : 'ideal(exact truncation)',
    { uniformShares: true, rings: ALL_RINGS, parties: 3 },
    {
      compute: (ell, node, inputs, rng) => functionalityOf(node, { truncation, kernels: impl }).sample(ell, inputs, rng),
      split: (ell, y, rng) => {
        const s0 = rng.ring(ell, y.length);
        return [s0, subMod(Ring(ell), y, s0)];
      },
    },
  );
}
