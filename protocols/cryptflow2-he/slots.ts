/**
 * The elementwise HE product of `cryptflow2-he` (a BatchNorm's scale, any Mul of a secret by a
 * server-only tensor): y = x ⊙ w with x shared and w the server's, in SIMD slot packing (Smart and
 * Vercauteren's batching, SEAL's BatchEncoder; p ≡ 1 mod 2N gives N slots), as Gazelle's elementwise
 * products (Juvekar et al., USENIX Security 2018, §4).
 *
 *   1. Both operands are broadcast to the output's shape (P0 its share x0, P1 its w; local).
 *   2. P0 batch-encodes x0 in ⌈n/N⌉ plaintexts of N slots, encrypts each with its secret key (seeded)
 *      and sends them in one message.
 *   3. P1, per ciphertext: acc = Enc_pk(0) + query · encode(w), plus encode(ρ) with ρ uniform in Z_p^N
 *      (ctx.own), switched down to RESPONSE_PRIMES primes; one message back. P1's share is −ρ.
 *   4. P0 decrypts (noise budget checked > 0), decodes the slots: x0 ⊙ w + ρ.
 * Slots and coefficients are in bijection (the CRT/NTT map), so a uniform ρ in the slots is a uniform
 * plaintext polynomial: the client's decryption is uniform whatever w. Two messages, two rounds.
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import type { PartyContext } from '../common/party.js';
import { FIELD41, negP, sampleP } from './field.js';
import { DATA_PRIMES, HE_SIZES, POLY_DEGREE, RESPONSE_PRIMES } from './seal.js';
import type { HeClient, HeServer } from './session.js';

export const slotCiphertexts = (n: number): number => Math.ceil(n / POLY_DEGREE);

const chunk = (v: BigUint64Array, i: number): BigUint64Array => {
  const out = new BigUint64Array(POLY_DEGREE);
  out.set(v.subarray(i * POLY_DEGREE, Math.min(v.length, (i + 1) * POLY_DEGREE)));
  return out;
};

/** P0: its share of x0 ⊙ w (both already broadcast to n elements). */
export async function heSlotsClient(
  ctx: PartyContext,
  he: HeClient,
  x0: BigUint64Array,
  onBudget?: (bits: number) => void,
): Promise<BigUint64Array> {
  const { seal, context, encryptor, decryptor } = he;
  const none = seal.ComprModeType.none;
  const count = slotCiphertexts(x0.length);
  const encoder = seal.BatchEncoder(context);
  const pt = seal.PlainText();
  const query = new Uint8Array(count * HE_SIZES.query);
  try {
    for (let i = 0; i < count; i++) {
      encoder.encode(chunk(x0, i), pt);
      const ser = encryptor.encryptSymmetricSerializable(pt);
      const bytes = ser.saveArray(none);
      ser.delete();
      if (bytes.length !== HE_SIZES.query) bug(`a query ciphertext of ${bytes.length} bytes`);
      query.set(bytes, i * HE_SIZES.query);
    }
    ctx.send(1, query);
    const answer = await ctx.recv(1, 'HE response ciphertexts');
    if (answer.length !== count * HE_SIZES.response)
      throw new CryptflowError(
        'decode',
        `HE responses from P1: expected ${count * HE_SIZES.response} bytes, got ${answer.length}`,
      );
    const y = new BigUint64Array(x0.length);
    const ct = seal.CipherText();
    try {
      for (let i = 0; i < count; i++) {
        try {
          ct.loadArray(context, answer.subarray(i * HE_SIZES.response, (i + 1) * HE_SIZES.response));
        } catch {
          throw new CryptflowError('decode', 'an HE response from P1 is not a valid ciphertext for these parameters');
        }
        const budget = decryptor.invariantNoiseBudget(ct);
        if (budget <= 0) bug('an HE response has no noise budget left');
        onBudget?.(budget);
        decryptor.decrypt(ct, pt);
        const slots = encoder.decodeBigInt(pt, false) as BigUint64Array;
        y.set(slots.subarray(0, Math.min(POLY_DEGREE, x0.length - i * POLY_DEGREE)), i * POLY_DEGREE);
      }
    } finally {
      ct.delete();
    }
    return y;
  } finally {
    pt.delete();
    encoder.delete();
  }
}

/** P1: its share (−ρ) of x0 ⊙ w. */
export async function heSlotsServer(ctx: PartyContext, he: HeServer, w: BigUint64Array): Promise<BigUint64Array> {
  const { seal, context, evaluator, encryptor } = he;
  const none = seal.ComprModeType.none;
  const count = slotCiphertexts(w.length);
  const query = await ctx.recv(0, 'HE query ciphertexts');
  if (query.length !== count * HE_SIZES.query)
    throw new CryptflowError(
      'decode',
      `HE queries from P0: expected ${count * HE_SIZES.query} bytes, got ${query.length}`,
    );
  const encoder = seal.BatchEncoder(context);
  const [ct, acc, pt] = [seal.CipherText(), seal.CipherText(), seal.PlainText()];
  const answer = new Uint8Array(count * HE_SIZES.response);
  const y = new BigUint64Array(w.length);
  try {
    for (let i = 0; i < count; i++) {
      try {
        ct.loadArray(context, query.subarray(i * HE_SIZES.query, (i + 1) * HE_SIZES.query));
      } catch {
        throw new CryptflowError('decode', 'an HE query from P0 is not a valid ciphertext for these parameters');
      }
      encryptor.encryptZero(acc);
      const wi = chunk(w, i);
      if (wi.some((v) => v !== 0n)) {
        encoder.encode(wi, pt);
        evaluator.multiplyPlain(ct, pt, ct);
        evaluator.add(acc, ct, acc);
      }
      const rho = sampleP(FIELD41, ctx.own, POLY_DEGREE);
      encoder.encode(rho, pt);
      evaluator.addPlain(acc, pt, acc);
      for (let s = RESPONSE_PRIMES; s < DATA_PRIMES; s++) evaluator.cipherModSwitchToNext(acc, acc);
      const bytes = acc.saveArray(none);
      if (bytes.length !== HE_SIZES.response) bug(`a response ciphertext of ${bytes.length} bytes`);
      answer.set(bytes, i * HE_SIZES.response);
      y.set(negP(FIELD41, rho).subarray(0, Math.min(POLY_DEGREE, w.length - i * POLY_DEGREE)), i * POLY_DEGREE);
    }
  } finally {
    for (const o of [ct, acc, pt, encoder]) o.delete();
  }
  ctx.send(0, answer);
  return y;
}
