/**
 * The backend interface: one party program per LLIL operation, implemented by every backend —
 * `plaintext` and `ideal` (harness/backends/), Porthos, SecureNN, and later 2PC and malicious ones.
 * The runner (harness) walks an LLIL program and, on every party, calls `run` for each node with that
 * party's view of the operands; the conformance suite (harness/conformance/) checks any Backend against
 * the ideal functionalities (ideal/) and its own declared costs.
 *
 * A party's view of a value (`Held`): secret values as its additive share (P2 holds an empty array and
 * knows the shape; a `RingShare`), public values (LLIL constants and what is derived only from them) in the clear.
 */
import type { Shape } from '../../spec/geometry.js';
import type { Cost } from '../../spec/cost/types.js';
import type { LNode } from '../../ir/llil.js';
import type { PartyContext, PartyId } from './party.js';
import type { RingShare } from './sharing.js';

export type Held =
  | { readonly kind: 'secret'; readonly shape: Shape; readonly share: RingShare }
  | { readonly kind: 'public'; readonly shape: Shape; readonly data: BigUint64Array };

/** The static view of an operand the cost functions need: its shape and whether it is secret. */
export interface OperandType {
  readonly shape: Shape;
  readonly secret: boolean;
}

/** What a backend claims about its outputs, so the conformance suite checks exactly those claims. */
export interface BackendClaims {
  /**
   * Each output share alone is distributed independently of the secret values (false for
   * `plaintext`). Uniform where the functionality re-shares; local truncation, for one, leaves shares
   * whose top bits are sign bits — still independent of the values.
   */
  readonly uniformShares: boolean;
  /** The ring widths the backend runs at. */
  readonly rings: readonly number[];
  /**
   * How many parties run it: 3 (P0 client, P1 server, P2 helper: the SecureNN family, `plaintext`,
   * `ideal`) or 2 (P0 and P1 alone, no helper: the CrypTFlow2 backends). A 2-party backend's programs
   * never address P2, and the runner starts no P2 for it.
   */
  readonly parties: 2 | 3;
}

/**
 * A backend whose sharing is not the 2-out-of-2 additive one of sharing.ts (the malicious 3PC:
 * authenticated replicated shares on every party, input sharing and reveal that talk and check). The
 * runner and the conformance suite use it, when present, instead of `shareInput`, `reveal` and the
 * P0 + P1 reconstruction. Both protocol steps run in the 'io' phase.
 */
export interface OwnSharing {
  share(ctx: PartyContext, owner: 0 | 1, shape: Shape, value: BigUint64Array | undefined): Promise<Held>;
  reveal(ctx: PartyContext, x: Held, to: PartyId): Promise<BigUint64Array | null>;
  /** The value the parties' views (P0, P1, P2) of a secret stand for, and P0's and P1's views as Z_{2^ℓ} shares. */
  reconstruct(
    ell: number,
    views: readonly Held[],
  ): { readonly value: BigUint64Array; readonly shares: readonly [BigUint64Array, BigUint64Array] };
}

export interface Backend {
  readonly name: string;
  readonly claims: BackendClaims;
  /** Present when the backend brings its own sharing (see `OwnSharing`). */
  readonly sharing?: OwnSharing;
  /** The party program for one LLIL node (every party calls it, in program order). */
  run(ctx: PartyContext, node: LNode, operands: readonly Held[]): Promise<Held>;
  /** The closed-form communication of `run` for this node, operand types and ℓ (spec/cost/). */
  cost(node: LNode, operands: readonly OperandType[], ell: number): Cost;
  /**
   * The domain on which `run` realises the node's functionality: a bound B such that the result is
   * right whenever every secret operand satisfies −B ≤ signed(x) < B (absent: the whole ring). Porthos
   * and SecureNN compare by the sign of a difference, so ReLU needs B = 2^{ℓ−2}, MaxPool and ArgMax
   * B = 2^{ℓ−3}; the compiler's range analysis must keep values inside.
   */
  domain?(node: LNode, ell: number): bigint | undefined;
}
