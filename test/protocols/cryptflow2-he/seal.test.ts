/**
 * The BFV parameter set of cryptflow2-he (protocols/cryptflow2-he/seal.ts, spec/cost/cryptflow2-he.ts):
 * the prime is SEAL's batching prime for N = 8192 at 41 bits, the context is 128-bit secure by SEAL's
 * own check, the serialised sizes pinned in spec/ are what SEAL writes (re-measured here), and the
 * coefficient-form plaintext layout written by hand round-trips through SEAL.
 */
import { describe, expect, it } from 'vitest';
import { HE_BYTES, HE_DRELU_BITS, HE_FIELD_BITS, HE_POLY_DEGREE } from '../../../spec/cost/cryptflow2-he.js';
import { FIELD41, P41 } from '../../../protocols/cryptflow2-he/field.js';
import {
  bfvContext,
  DATA_PRIMES,
  plainBytes,
  plainCoeffs,
  RESPONSE_PRIMES,
  sealLibrary,
} from '../../../protocols/cryptflow2-he/seal.js';

describe('cryptflow2-he BFV parameters', () => {
  it('p = 2^41 − 65535 is prime, ≡ 1 mod 2N, and SEAL picks it as the 41-bit batching prime', async () => {
    const seal = await sealLibrary();
    const m = seal.PlainModulus.Batching(HE_POLY_DEGREE, 41);
    expect(m.value).toBe(P41);
    expect(m.isPrime).toBe(true);
    m.delete();
    expect(P41).toBe((1n << 41n) - 65535n);
    expect(P41 % BigInt(2 * HE_POLY_DEGREE)).toBe(1n);
    expect(FIELD41.bits).toBe(HE_FIELD_BITS);
    expect(HE_DRELU_BITS).toBe(43);
  });

  it('the context is valid at 128-bit security with the default modulus (5 primes, 218 bits)', async () => {
    const seal = await sealLibrary();
    const context = bfvContext(seal);
    expect(context.parametersSet()).toBe(true);
    const key = context.keyContextData;
    const bits = key.parms.coeffModulus.reduce((s: number, q: bigint) => s + q.toString(2).length, 0);
    expect(key.parms.coeffModulus.length).toBe(DATA_PRIMES + 1);
    expect(bits).toBe(218);
    expect(key.totalCoeffModulusBitCount).toBe(218);
    key.delete();
    context.delete();
  });

  it('the pinned serialised sizes are what SEAL writes (public key, seeded query, response at 2 primes)', async () => {
    const seal = await sealLibrary();
    const context = bfvContext(seal);
    const none = seal.ComprModeType.none;
    const keygen = seal.KeyGenerator(context);
    const sk = keygen.secretKey();
    const pk = keygen.createPublicKey();
    const seeded = keygen.createPublicKeySerializable();
    expect(seeded.saveArray(none).length).toBe(HE_BYTES.publicKey);
    const enc = seal.Encryptor(context, pk, sk);
    const dec = seal.Decryptor(context, sk);
    const ev = seal.Evaluator(context);
    const pt = seal.PlainText();
    const coeffs = BigUint64Array.from({ length: HE_POLY_DEGREE }, (_, i) => (BigInt(i) * 1234567891n) % P41);
    pt.loadArray(context, plainBytes(coeffs));
    const q = enc.encryptSymmetricSerializable(pt);
    const qb = q.saveArray(none);
    expect(qb.length).toBe(HE_BYTES.query);
    const ct = seal.CipherText();
    ct.loadArray(context, qb);
    ev.multiplyPlain(ct, pt, ct);
    for (let s = RESPONSE_PRIMES; s < DATA_PRIMES; s++) ev.cipherModSwitchToNext(ct, ct);
    expect(ct.saveArray(none).length).toBe(HE_BYTES.response);
    // A full-size product of two random-looking polynomials still decrypts: budget left, in bits.
    expect(dec.invariantNoiseBudget(ct)).toBeGreaterThan(20);
    for (const o of [keygen, sk, pk, seeded, enc, dec, ev, pt, q, ct, context]) o.delete();
  });

  it('the hand-written coefficient layout round-trips through SEAL', async () => {
    const seal = await sealLibrary();
    const context = bfvContext(seal);
    const pt = seal.PlainText();
    pt.loadArray(context, plainBytes(BigUint64Array.from([5n, 0n, P41 - 1n])));
    expect(pt.toPolynomial()).toBe(`${(P41 - 1n).toString(16).toUpperCase()}x^2 + 5`);
    const back = plainCoeffs(pt.saveArray(seal.ComprModeType.none));
    expect(back.length).toBe(HE_POLY_DEGREE);
    expect([...back.subarray(0, 4)]).toEqual([5n, 0n, P41 - 1n, 0n]);
    expect(() => plainCoeffs(new Uint8Array(10))).toThrow(/SEAL layout/);
    pt.delete();
    context.delete();
  });
});
