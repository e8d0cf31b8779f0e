/**
 * The two members of the SecureNN family of non-linear 3-party protocols, as a frozen parameter.
 *
 * SecureNN (Wagh, Gupta, Chandran, PoPETs 2019) and Porthos (CrypTFlow §3, §5) run the same
 * algorithms — PrivateCompare, ShareConvert, ComputeMSB, ReLU′, ReLU, MaxPool — and differ in three
 * choices (COMM-SPEC.md):
 *   - the prime p of PrivateCompare's field Z_p (SecureNN 67, Porthos 127);
 *   - whom the helper P2 sends a freshly shared value to in ShareConvert and ComputeMSB: SecureNN
 *     sends both shares; Porthos sends one, the other comes from the PRG that party shares with P2
 *     (for elements [0, ⌊n/2⌋) P0's share is PRG-derived, for the rest P1's);
 *   - whether MaxPool tracks the index of the maximum (SecureNN does, Porthos does not; ArgMax always
 *     does).
 *
 * Which ring widths a variant handles: PrivateCompare's sums c_i lie in {0, …, ℓ + 1} and must be
 * zero in Z_p only when they are zero in Z, so p > ℓ + 1 (ℓ ≤ 65 for p = 67, ℓ ≤ 125 for p = 127:
 * every ℓ ≤ 64 for both). `checkVariant` rejects a width the variant cannot handle.
 */
import { CryptflowError } from '../../../spec/errors.js';
import { Field } from '../../../spec/field.js';
import { checkRingWidth } from '../../../spec/ring.js';

export interface Variant {
  readonly name: 'porthos' | 'securenn';
  /** PrivateCompare's field Z_p (a prime below 256: `Field` checks it). */
  readonly field: Field;
  /** Does P2 send a fresh sharing to both parties, or to one (the other share from a PRG)? */
  readonly helperSendsTo: 'one' | 'both';
  /** Does MaxPool track the index of the maximum? */
  readonly maxPoolIndex: boolean;
}

export const PORTHOS: Variant = Object.freeze({
  name: 'porthos',
  field: Field(127),
  helperSendsTo: 'one',
  maxPoolIndex: false,
});
export const SECURENN: Variant = Object.freeze({
  name: 'securenn',
  field: Field(67),
  helperSendsTo: 'both',
  maxPoolIndex: true,
});

/** Throws a CryptflowError unless the variant's protocols are correct at ring width ℓ. */
export function checkVariant(v: Variant, ell: number): void {
  checkRingWidth(ell);
  const p = v.field.p;
  if (p <= ell + 1) {
    throw new CryptflowError(
      'field-modulus',
      `${v.name}: PrivateCompare over Z_${p} handles ring widths ℓ ≤ ${p - 2} (it needs p > ℓ + 1), got ℓ = ${ell}`,
    );
  }
}
