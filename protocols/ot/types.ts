/**
 * The oblivious-transfer layer's contract between two parties (P0 and P1) — what the CrypTFlow2
 * protocols (protocols/cryptflow2/) call, and what protocols/ot/ implements: base OTs once per session,
 * IKNP extension for 1-out-of-2 OT, KKRT/KKOT with a 256-bit Walsh–Hadamard code for 1-out-of-N OT.
 *
 * Conventions (docs COMM-SPEC "2PC"): λ = 128. Messages are ℓ-bit values (1 ≤ ℓ ≤ 64) held in
 * `BigUint64Array`s masked to ℓ bits; choice bits are one per byte (0 or 1) in `Uint8Array`s; 1-out-of-N
 * choices are one per byte in [0, N). Every call is batched: one call, one extension, its messages packed
 * bit-tight on the wire. Both parties make the matching calls in the same order (the sender's `send*`
 * against the receiver's `recv*`), as every party program does.
 *
 * Amortised bits on the wire per OT, both directions summed (spec/cost/ot.ts gives the exact closed
 * forms, padding included):
 *   chosen 1-out-of-2 OT of ℓ-bit messages      λ + 2ℓ
 *   correlated OT of ℓ-bit messages             λ + ℓ
 *   random OT (outputs derived, nothing sent)   λ
 *   chosen 1-out-of-N OT of ℓ-bit messages      2λ + N·ℓ
 */

/** One party's handle on the OT sessions with its peer, in both directions (either may send). */
export interface OtChannel {
  /** Chosen-message 1-out-of-2 OT, as sender: instance i offers (m0[i], m1[i]), each ℓ bits. */
  send2(m0: BigUint64Array, m1: BigUint64Array, ell: number): Promise<void>;
  /** Chosen-message 1-out-of-2 OT, as receiver: gets m_{c[i]}[i]. */
  recv2(choices: Uint8Array, ell: number): Promise<BigUint64Array>;
  /**
   * Correlated OT over Z_{2^ℓ}, as sender: the sender fixes a correlation Δ[i] and gets a random x[i];
   * the receiver gets x[i] + c[i]·Δ[i] mod 2^ℓ. Returns x.
   */
  sendCorrelated(delta: BigUint64Array, ell: number): Promise<BigUint64Array>;
  /** Correlated OT, as receiver: gets x[i] + c[i]·Δ[i] mod 2^ℓ. */
  recvCorrelated(choices: Uint8Array, ell: number): Promise<BigUint64Array>;
  /** Random OT, as sender: `count` instances; the sender gets random (r0[i], r1[i]), nothing is chosen. */
  sendRandom(count: number, ell: number): Promise<readonly [BigUint64Array, BigUint64Array]>;
  /** Random OT, as receiver: gets r_{c[i]}[i]. */
  recvRandom(choices: Uint8Array, ell: number): Promise<BigUint64Array>;
  /**
   * Chosen-message 1-out-of-N OT, as sender: `messages` is count × N, row-major (instance i offers
   * messages[i·N .. i·N + N)), each ℓ bits; 2 ≤ N ≤ 256.
   */
  sendN(n: number, messages: BigUint64Array, ell: number): Promise<void>;
  /** Chosen-message 1-out-of-N OT, as receiver: gets messages[i·N + c[i]]. */
  recvN(n: number, choices: Uint8Array, ell: number): Promise<BigUint64Array>;
}
