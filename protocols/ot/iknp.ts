/**
 * 1-out-of-2 OT from IKNP extension (Ishai–Kilian–Nissim–Petrank, CRYPTO 2003, §3, with λ = 128;
 * derandomised chosen and correlated OT as in Asharov–Lindell–Schneider–Zohner, CCS 2013, §5.3, the
 * forms CrypTFlow2/SCI use). After the extension (extension.ts, repetition code C(r) = r·1^λ), the
 * sender holds q_i and q_i ⊕ s, the receiver t_i = q_i ⊕ r_i·s; with H the tweakable correlation-
 * robust hash (hash.ts), truncated to ℓ bits:
 *   random OT      S: (H(i, q_i), H(i, q_i ⊕ s)), R: H(i, t_i); nothing more is sent.
 *   chosen OT      S sends y_i^b = m_i^b ⊕ H(i, q_i ⊕ b·s) (2ℓ bits); R outputs y_i^{r_i} ⊕ H(i, t_i).
 *   correlated OT  S's output x_i = H(i, q_i); S sends y_i = x_i + Δ_i − H(i, q_i ⊕ s) mod 2^ℓ (ℓ bits);
 *                  R outputs H(i, t_i) + r_i·y_i = x_i + r_i·Δ_i.
 * Values are ℓ-bit words as (lo, hi) halves; the masked messages are packed bit-tight (bits.ts).
 */
import { CryptflowError } from '../../spec/errors.js';
import type { PartyContext } from '../common/party.js';
import { halfMasks, packBits, unpackBits } from './bits.js';
import { EXTENSION_MESSAGES, type ExtensionReceiver, type ExtensionSender } from './extension.js';
import { tccr, tweaks } from './hash.js';

/** IKNP's matrix width: λ. */
export const LAMBDA = 128;

/** The sender's full hashes for m OTs: H(i, q_i) at row 2i, H(i, q_i ⊕ s) at row 2i + 1 (4 words each). */
export async function senderHashes(
  ext: ExtensionSender,
  ctx: PartyContext,
  peer: 0 | 1,
  m: number,
): Promise<Uint32Array> {
  const { q, first } = await ext.extend(ctx, peer, m);
  const x = new Uint32Array(8 * m);
  const s = ext.s;
  for (let i = 0; i < m; i++) {
    for (let w = 0; w < 4; w++) {
      const v = q[4 * i + w] as number;
      x[8 * i + w] = v;
      x[8 * i + 4 + w] = v ^ (s[w] as number);
    }
  }
  return tccr(x, tweaks(first, m, 'iknp', ctx.id), 2);
}

/** The receiver's full hashes H(i, t_i) for m OTs with choice bits r (sends the extension matrix). */
export function receiverHashes(ext: ExtensionReceiver, ctx: PartyContext, peer: 0 | 1, r: Uint8Array): Uint32Array {
  const m = r.length;
  const codes = new Uint32Array(4 * m);
  for (let i = 0; i < m; i++) if (r[i] === 1) codes.fill(0xffffffff, 4 * i, 4 * i + 4);
  const { t, first } = ext.extend(ctx, peer, m, codes);
  return tccr(t.subarray(0, 4 * m), tweaks(first, m, 'iknp', peer), 1);
}

/** The sender's pads for m OTs, truncated to ℓ bits (halves). */
export async function senderPads(
  ext: ExtensionSender,
  ctx: PartyContext,
  peer: 0 | 1,
  m: number,
  ell: number,
): Promise<readonly [Uint32Array, Uint32Array]> {
  const h = await senderHashes(ext, ctx, peer, m);
  return [truncate(h, ell, m, 2, 0), truncate(h, ell, m, 2, 1)];
}

/** The receiver's pads for m OTs, truncated to ℓ bits (halves). */
export function receiverPads(
  ext: ExtensionReceiver,
  ctx: PartyContext,
  peer: 0 | 1,
  r: Uint8Array,
  ell: number,
): Uint32Array {
  return truncate(receiverHashes(ext, ctx, peer, r), ell, r.length);
}

/** ℓ-bit halves of n hashes (4 words each): rows offset, offset + stride, … */
export function truncate(h: Uint32Array, ell: number, n: number, stride = 1, offset = 0): Uint32Array {
  const { lo, hi } = halfMasks(ell);
  const out = new Uint32Array(2 * n);
  for (let k = 0, r = 4 * offset; k < n; k++, r += 4 * stride) {
    out[2 * k] = (h[r] as number) & lo;
    out[2 * k + 1] = (h[r + 1] as number) & hi;
  }
  return out;
}

/** Receive n packed ℓ-bit values. */
export async function recvPacked(ctx: PartyContext, peer: 0 | 1, n: number, ell: number): Promise<Uint32Array> {
  const bytes = await ctx.recv(peer, EXTENSION_MESSAGES.masked);
  const want = Math.ceil((n * ell) / 8);
  if (bytes.length !== want)
    throw new CryptflowError(
      'protocol',
      `OT: expected ${want} bytes of masked messages (${n} × ${ell} bits) from P${peer}, got ${bytes.length}`,
    );
  return unpackBits(bytes, n, ell);
}

/** Chosen OT, sender's second step: both masked messages per instance, interleaved, bit-tight. */
export function maskChosen(
  m0: Uint32Array,
  m1: Uint32Array,
  pads: readonly [Uint32Array, Uint32Array],
  ell: number,
): Uint8Array {
  const m = m0.length / 2;
  const y = new Uint32Array(4 * m);
  const [h0, h1] = pads;
  for (let i = 0; i < m; i++) {
    y[4 * i] = (m0[2 * i] as number) ^ (h0[2 * i] as number);
    y[4 * i + 1] = (m0[2 * i + 1] as number) ^ (h0[2 * i + 1] as number);
    y[4 * i + 2] = (m1[2 * i] as number) ^ (h1[2 * i] as number);
    y[4 * i + 3] = (m1[2 * i + 1] as number) ^ (h1[2 * i + 1] as number);
  }
  return packBits(y, ell);
}

/** Chosen OT, receiver's output: y_i^{r_i} ⊕ H(i, t_i). */
export function unmaskChosen(y: Uint32Array, r: Uint8Array, pad: Uint32Array): Uint32Array {
  const out = new Uint32Array(pad.length);
  for (let i = 0; i < r.length; i++) {
    const k = 2 * (2 * i + (r[i] as number));
    out[2 * i] = (y[k] as number) ^ (pad[2 * i] as number);
    out[2 * i + 1] = (y[k + 1] as number) ^ (pad[2 * i + 1] as number);
  }
  return out;
}

/** a + b − c mod 2^ℓ on halves (c absent: a + b). */
export function addSub(a: Uint32Array, b: Uint32Array, c: Uint32Array | null, ell: number): Uint32Array {
  const { lo: lm, hi: hm } = halfMasks(ell);
  const out = new Uint32Array(a.length);
  for (let k = 0; k < a.length; k += 2) {
    let lo = (a[k] as number) + (b[k] as number);
    let hi = (a[k + 1] as number) + (b[k + 1] as number) + (lo > 0xffffffff ? 1 : 0);
    lo >>>= 0;
    if (c !== null) {
      const cl = c[k] as number;
      hi -= (c[k + 1] as number) + (cl > lo ? 1 : 0);
      lo = (lo - cl) >>> 0;
    }
    out[k] = lo & lm;
    out[k + 1] = hi & hm;
  }
  return out;
}

/** Correlated OT, receiver's output: H(i, t_i) + r_i·y_i mod 2^ℓ. */
export function unmaskCorrelated(y: Uint32Array, r: Uint8Array, pad: Uint32Array, ell: number): Uint32Array {
  const chosen = new Uint32Array(y.length);
  for (let i = 0; i < r.length; i++) {
    if (r[i] === 1) {
      chosen[2 * i] = y[2 * i] as number;
      chosen[2 * i + 1] = y[2 * i + 1] as number;
    }
  }
  return addSub(pad, chosen, null, ell);
}
