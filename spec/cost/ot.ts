/**
 * Closed-form costs of the OT layer (protocols/ot/), per call, per directed link, exactly as metered.
 * λ = 128. For a call of m ≥ 1 instances with ℓ-bit messages, sender S and receiver R:
 *
 *   call                        R → S (extension matrix)   S → R (masked messages)   rounds
 *   chosen 1-out-of-2 (send2)   16·m bytes  (λ bits/OT)    ⌈2·m·ℓ / 8⌉ bytes          2
 *   correlated (sendCorrelated) 16·m bytes                 ⌈m·ℓ / 8⌉ bytes            2
 *   random (sendRandom)         16·m bytes                 nothing                    1
 *   1-out-of-N (sendN)          32·m bytes  (2λ bits/OT)   ⌈m·N·ℓ / 8⌉ bytes          2
 *
 * Padding rule: none on the wire. The extension matrix travels as m rows of λ (or 2λ) bits, which
 * are whole bytes for every m; internally the transpose rounds m up to a multiple of 32 rows, whose
 * padding rows are neither sent nor used. The masked messages of a call are one message packed
 * bit-tight (ℓ-bit values back to back), so the only rounding is the final ⌈bits/8⌉ per call. A
 * call above 2^16 instances runs in chunks of 2^16 (protocols/ot/channel.ts, CHUNK): every full
 * chunk's messages are whole bytes, so the bytes and rounds are still those above (only the message
 * count grows).
 * Hence bits per OT are exactly λ + 2ℓ, λ + ℓ, λ and 2λ + N·ℓ up to < 8 bits per call — COMM-SPEC's
 * amortised figures. A call with m = 0 sends nothing and takes no round.
 *
 * Setup (the 'setup' phase, reported apart; the published 2PC figures exclude it), both directions at
 * once: λ = 128 Chou–Orlandi base OTs per direction (one 32-byte point, then 128 points, each way),
 * then KKRT's 2λ = 256 column seeds per direction from IKNP random OTs of the opposite direction
 * (a 256-row extension matrix, 16 bytes a row, each way): 32 + 128·32 + 256·16 = 8,224 bytes on each
 * of P0→P1 and P1→P0, 3 rounds.
 */
import { chain, costOf, NOTHING, step, type Schedule } from './nonlinear.js';
import { type Cost } from './types.js';

export const OT_LAMBDA = 128;
/** KKRT's Walsh–Hadamard code length (2λ). */
export const OT_CODE_BITS = 2 * OT_LAMBDA;
/** Base OTs per direction: λ, IKNP's columns (KKRT's 2λ column seeds are extended from them). */
export const BASE_OTS = OT_LAMBDA;
/** Bytes of one ristretto255 point. */
export const POINT_BYTES = 32;

type Two = 0 | 1;
const other = (p: Two): Two => (p === 0 ? 1 : 0);

function extension(sender: Two, count: number, width: number, masked: number): Schedule {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`OT count must be a non-negative integer, got ${count}`);
  if (count === 0) return NOTHING;
  const matrix = step([other(sender), sender, (count * width) / 8]);
  return masked === 0 ? matrix : chain(matrix, step([sender, other(sender), Math.ceil(masked / 8)]));
}

/** Chosen 1-out-of-2 OT of ℓ-bit messages, `count` instances, `sender` sends. */
export function ot2Schedule(sender: Two, count: number, ell: number): Schedule {
  return extension(sender, count, OT_LAMBDA, 2 * count * ell);
}

/** Correlated OT over Z_{2^ℓ}. */
export function cotSchedule(sender: Two, count: number, ell: number): Schedule {
  return extension(sender, count, OT_LAMBDA, count * ell);
}

/** Random OT (ℓ-bit outputs; nothing but the matrix is sent). */
export function rotSchedule(sender: Two, count: number): Schedule {
  return extension(sender, count, OT_LAMBDA, 0);
}

/** Chosen 1-out-of-N OT of ℓ-bit messages (KKRT, 2 ≤ N ≤ 256). */
export function otNSchedule(sender: Two, count: number, n: number, ell: number): Schedule {
  return extension(sender, count, OT_CODE_BITS, count * n * ell);
}

/** The session's base OTs, both directions at once (metered under 'setup'). */
export function otSetupSchedule(): Schedule {
  const first = POINT_BYTES;
  const second = BASE_OTS * POINT_BYTES;
  const seeds = (OT_CODE_BITS * OT_LAMBDA) / 8;
  return chain(
    step([0, 1, first], [1, 0, first]),
    step([0, 1, second], [1, 0, second]),
    step([0, 1, seeds], [1, 0, seeds]),
  );
}

export const ot2Cost = (count: number, ell: number, sender: Two): Cost => costOf(ot2Schedule(sender, count, ell));
export const cotCost = (count: number, ell: number, sender: Two): Cost => costOf(cotSchedule(sender, count, ell));
/** ℓ does not change a random OT's traffic; it is taken for symmetry with the others. */
export const rotCost = (count: number, _ell: number, sender: Two): Cost => costOf(rotSchedule(sender, count));
export const otNCost = (count: number, n: number, ell: number, sender: Two): Cost =>
  costOf(otNSchedule(sender, count, n, ell));
export const otSetupCost = (): Cost => costOf(otSetupSchedule());

/** Amortised bits per OT, both directions (COMM-SPEC "2PC"). */
export const amortisedBits = {
  ot2: (ell: number): number => OT_LAMBDA + 2 * ell,
  cot: (ell: number): number => OT_LAMBDA + ell,
  rot: (): number => OT_LAMBDA,
  otN: (n: number, ell: number): number => OT_CODE_BITS + n * ell,
} as const;
