/**
 * The backend interface: one party program per LLIL operation, implemented by every backend —
 * `plaintext` and `ideal` (harness/backends/), Porthos, SecureNN, and later 2PC and malicious ones.
 * The runner (harness) walks an LLIL program and, on every party, calls `run` for each node with that
 * party's view of the operands; the conformance suite (harness/conformance/) checks any Backend against
 * the ideal functionalities (ideal/) and its own declared costs.
 *
 * A party's view of a value (`Held`): secret values as its additive share (P2 holds an empty array and
 * knows the shape; a `RingShare`), public values (LLIL constants and what is derived only from them) in the clear.
 *
 * A secret may carry `owner`: the backend holds it in the clear at that party (its share is the value)
 * and the other holder's share is 0, which is public knowledge from the program (the value is a
 * function of that owner's inputs and public constants alone, `OperandType.owner`). Only a backend that
 * enters inputs in this form (`Backend.input`) sets it; local operations keep it where it stays true
 * and drop it otherwise. Without the marker a secret is a general additive sharing.
 */
import type { Shape } from '../../spec/geometry.js';
import type { Cost } from '../../spec/cost/types.js';
import type { LNode } from '../../ir/llil.js';
import type { PartyContext, PartyId } from './party.js';
import type { RingShare } from './sharing.js';

export type Held =
  | { readonly kind: 'secret'; readonly shape: Shape; readonly share: RingShare; readonly owner?: 0 | 1 }
  | { readonly kind: 'public'; readonly shape: Shape; readonly data: BigUint64Array };

/** The static view of an operand the cost functions need: its shape and whether it is secret. */
export interface OperandType {
  readonly shape: Shape;
  readonly secret: boolean;
  /**
   * Set when the value is secret and a function of one owner's inputs (P0 the client's, P1 the
   * server's) and public constants alone: that party could compute it in the clear. Derived from the
   * program (harness/cost/walk.ts operandTypes); backends that do not enter inputs in the clear ignore it.
   */
  readonly owner?: 0 | 1;
  /**
   * Secret, but computed from the server's inputs (the model's weights) and public values alone — a
   * server input itself, or a node all of whose secret operands are such values. cryptflow2-he keeps
   * these in the clear at P1 (besides their shares) and multiplies by them there. Absent: false. Where `owner` is derived too, serverOnly ≡ owner === 1.
   */
  readonly serverOnly?: boolean;
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
 * A backend whose sharing is not the 2-out-of-2 additive one of sharing.ts over Z_{2^ℓ}: cryptflow2-he
 * (additive over a prime field, P0 and P1) and the malicious 3PC (authenticated replicated shares on
 * every party, input sharing and reveal that talk and check). The runner and the conformance suite use
 * it, when present, instead of `shareInput`, `reveal` and the P0 + P1 reconstruction. Inputs and
 * revealed outputs stay ring-encoded on both sides of the hook; only the shares in between differ.
 * Communication of `share` and `reveal` belongs to the 'io' phase.
 */
export interface ShareCodec {
  /** Share an input owned by P0 or P1 (the owner passes `value`); every party calls it. */
  share(ctx: PartyContext, owner: 0 | 1, shape: Shape, value: BigUint64Array | undefined): Held | Promise<Held>;
  /** Reveal a secret to `to`; the ring-encoded value at `to`, null elsewhere. */
  reveal(ctx: PartyContext, x: Held, to: PartyId): Promise<BigUint64Array | null>;
  /**
   * What the parties' views (P0, P1 and, where it runs, P2) of a secret output stand for (mod 2^ℓ),
   * P0's and P1's views as ℓ-bit values whose bits are uniform when the shares are (the share tests),
   * and what is malformed about the views (never with values; empty when nothing is).
   */
  reconstruct(
    ell: number,
    views: readonly Held[],
  ): {
    readonly value: BigUint64Array;
    readonly shares: readonly [BigUint64Array, BigUint64Array];
    readonly problems: readonly string[];
  };
}

export interface Backend {
  readonly name: string;
  readonly claims: BackendClaims;
  /**
   * How an owner's input enters the run (every party calls it, in declaration order; the owner passes
   * `value`). Absent: `shareInput` (protocols/common/sharing.ts), a zero-cost re-randomised sharing.
   * A backend that returns the clear form (`owner` set: the owner holds the value, the other 0) must
   * cost its nodes by `OperandType.owner` accordingly.
   */
  input?(ctx: PartyContext, owner: 0 | 1, shape: Shape, value?: BigUint64Array): Held;
  /** Shares other than additive over Z_{2^ℓ} (cryptflow2-he, malicious; see `ShareCodec`). */
  readonly sharing?: ShareCodec;
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
