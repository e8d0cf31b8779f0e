/**
 * Chosen-message 1-out-of-N OT, N ≤ 256: KKRT (Kolesnikov–Kumaresan–Rosulek–Trieu, CCS 2016, §4)
 * with the 256-bit Walsh–Hadamard code, as in KKOT (Kolesnikov–Kumaresan, CRYPTO 2013) and
 * CrypTFlow2/SCI. After the 256-column extension (extension.ts) the sender holds q_i and the receiver
 * t_i = q_i ⊕ (C(r_i) ∧ s); H is the 256-bit tweakable hash (hash.ts), truncated to ℓ bits.
 *   1. (extension) R sends u_i, 2λ = 256 bits per instance.
 *   2. S sends y_i^v = m_i^v ⊕ H(i, q_i ⊕ (C(v) ∧ s)) for v < N (N·ℓ bits, bit-tight).
 *   3. R outputs y_i^{r_i} ⊕ H(i, t_i).
 * Any two codewords differ in 128 positions, so for v ≠ r_i the pad hides 128 unknown bits of s.
 */
import type { PartyContext } from '../common/party.js';
import { HADAMARD, packBits } from './bits.js';
import type { ExtensionReceiver, ExtensionSender } from './extension.js';
import { tweaks, wideHash } from './hash.js';
import { recvPacked, truncate } from './iknp.js';

/** KKRT's matrix width: the Walsh–Hadamard code length, 2λ. */
export const KKRT_WIDTH = 256;

/** Instances hashed per batch: bounds the sender's memory to about CHUNK·N·64 bytes at a time. */
const CHUNK = 2048;

/** Sender: m instances of N messages (halves, row-major), masked and sent. */
export async function sendKkrt(
  ext: ExtensionSender,
  ctx: PartyContext,
  peer: 0 | 1,
  n: number,
  m: number,
  messages: Uint32Array,
  ell: number,
): Promise<void> {
  const { q, first } = await ext.extend(ctx, peer, m);
  const cs = new Uint32Array(8 * n);
  for (let v = 0; v < n; v++)
    for (let w = 0; w < 8; w++) cs[8 * v + w] = (HADAMARD[8 * v + w] as number) & (ext.s[w] as number);
  const tw = tweaks(first, m, 'kkrt', ctx.id);
  const y = new Uint32Array(2 * m * n);
  for (let i0 = 0; i0 < m; i0 += CHUNK) {
    const i1 = Math.min(m, i0 + CHUNK);
    const lo = new Uint32Array(4 * (i1 - i0) * n);
    const hi = new Uint32Array(lo.length);
    for (let i = i0, k = 0; i < i1; i++) {
      for (let v = 0; v < n; v++) {
        for (let w = 0; w < 4; w++, k++) {
          lo[k] = (q[8 * i + w] as number) ^ (cs[8 * v + w] as number);
          hi[k] = (q[8 * i + 4 + w] as number) ^ (cs[8 * v + 4 + w] as number);
        }
      }
    }
    y.set(truncate(wideHash(lo, hi, tw.subarray(4 * i0, 4 * i1), n), ell, (i1 - i0) * n), 2 * i0 * n);
  }
  for (let k = 0; k < y.length; k++) y[k] = (y[k] as number) ^ (messages[k] as number);
  ctx.send(peer, packBits(y, ell));
}

/** Receiver, first step: send the matrix for choices r < N; returns the pads H(i, t_i) (halves). */
export function kkrtReceiverPads(
  ext: ExtensionReceiver,
  ctx: PartyContext,
  peer: 0 | 1,
  r: Uint8Array,
  ell: number,
): Uint32Array {
  const m = r.length;
  const codes = new Uint32Array(8 * m);
  for (let i = 0; i < m; i++) codes.set(HADAMARD.subarray(8 * (r[i] as number), 8 * (r[i] as number) + 8), 8 * i);
  const { t, first } = ext.extend(ctx, peer, m, codes);
  const lo = new Uint32Array(4 * m);
  const hi = new Uint32Array(4 * m);
  for (let i = 0; i < m; i++) {
    for (let w = 0; w < 4; w++) {
      lo[4 * i + w] = t[8 * i + w] as number;
      hi[4 * i + w] = t[8 * i + 4 + w] as number;
    }
  }
  return truncate(wideHash(lo, hi, tweaks(first, m, 'kkrt', peer), 1), ell, m);
}

/** Receiver, second step: the sender's masked messages, unmasked at the choices (halves). */
export async function kkrtUnmask(
  ctx: PartyContext,
  peer: 0 | 1,
  n: number,
  r: Uint8Array,
  pad: Uint32Array,
  ell: number,
): Promise<Uint32Array> {
  const m = r.length;
  const y = await recvPacked(ctx, peer, m * n, ell);
  const out = pad.slice();
  for (let i = 0; i < m; i++) {
    const k = 2 * (i * n + (r[i] as number));
    out[2 * i] = (out[2 * i] as number) ^ (y[k] as number);
    out[2 * i + 1] = (out[2 * i + 1] as number) ^ (y[k + 1] as number);
  }
  return out;
}
