/**
 * The HE linear layer of `cryptflow2-he` (SCI_HE, Rathee et al., CCS 2020, §6; Gazelle's masking,
 * Juvekar et al., USENIX Security 2018, §4): y = conv(x, W) with x = x0 + x1 shared over Z_p and W the
 * server's plaintext weights. The HE part computes conv(x0, W); the server adds conv(x1, W) locally.
 *
 *   1. P0 packs its share x0 into Q query polynomials (packing.ts), encrypts each with its secret key
 *      (seeded) and sends them in one message: Q · HE_SIZES.query bytes.
 *   2. P1, for each of the R responses: acc = Enc_pk(0) + Σ_chunks query · kernel (plaintext
 *      products), adds a mask polynomial ρ with all N coefficients uniform in Z_p (ctx.own), switches
 *      down to RESPONSE_PRIMES primes and sends the R responses in one message: R · HE_SIZES.response.
 *      P1's share of each read coefficient is −ρ there.
 *   3. P0 decrypts, checks the invariant noise budget is positive (reports it through `onBudget`) and
 *      reads its share: the coefficient, conv(x0, W) + ρ.
 * Several jobs (the tiles of one layer) share the two messages. Two rounds; every SEAL object is
 * deleted before the call returns.
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import type { PartyContext } from '../common/party.js';
import { FIELD41, negP, sampleP } from './field.js';
import { kernelPoly, queryPoly, readResponse, type Plan } from './packing.js';
import { DATA_PRIMES, HE_SIZES, plainBytes, plainCoeffs, RESPONSE_PRIMES } from './seal.js';
import type { HeClient, HeServer } from './session.js';

const outputSize = (plan: Plan): number =>
  plan.shape.batch * plan.shape.groups * plan.shape.mg * plan.shape.output.reduce((a, b) => a * b, 1);

/**
 * P0: its shares of conv(x0, W) for every job (a layer, or the tiles of one), all queries in one
 * message; x0 laid out [B, G·Cg, …input]; budgets (bits) go to `onBudget`.
 */
export async function heLinearClient(
  ctx: PartyContext,
  he: HeClient,
  plans: readonly Plan[],
  xs: readonly BigUint64Array[],
  onBudget?: (bits: number) => void,
): Promise<BigUint64Array[]> {
  const { seal, context, encryptor, decryptor } = he;
  const none = seal.ComprModeType.none;
  const queries = plans.reduce((s, p) => s + p.queries, 0);
  const responses = plans.reduce((s, p) => s + p.responses, 0);
  const query = new Uint8Array(queries * HE_SIZES.query);
  const pt = seal.PlainText();
  try {
    let q = 0;
    plans.forEach((plan, j) => {
      const x0 = xs[j] ?? bug('a job without its input');
      for (let b = 0; b < plan.shape.batch; b++)
        for (let g = 0; g < plan.shape.groups; g++)
          for (let c = 0; c < plan.chunks; c++) {
            pt.loadArray(context, plainBytes(queryPoly(plan, x0, b, g, c)));
            const ser = encryptor.encryptSymmetricSerializable(pt);
            const bytes = ser.saveArray(none);
            ser.delete();
            if (bytes.length !== HE_SIZES.query) bug(`a query ciphertext of ${bytes.length} bytes`);
            query.set(bytes, q++ * HE_SIZES.query);
          }
    });
  } finally {
    pt.delete();
  }
  ctx.send(1, query);
  const answer = await ctx.recv(1, 'HE response ciphertexts');
  if (answer.length !== responses * HE_SIZES.response)
    throw new CryptflowError(
      'decode',
      `HE responses from P1: expected ${responses * HE_SIZES.response} bytes, got ${answer.length}`,
    );
  const ct = seal.CipherText();
  const out = seal.PlainText();
  try {
    let r = 0;
    return plans.map((plan) => {
      const y = new BigUint64Array(outputSize(plan));
      for (let b = 0; b < plan.shape.batch; b++)
        for (let g = 0; g < plan.shape.groups; g++)
          for (let o = 0; o < plan.outGroups; o++) {
            try {
              ct.loadArray(context, answer.subarray(r * HE_SIZES.response, (r + 1) * HE_SIZES.response));
            } catch {
              throw new CryptflowError(
                'decode',
                'an HE response from P1 is not a valid ciphertext for these parameters',
              );
            }
            r++;
            const budget = decryptor.invariantNoiseBudget(ct);
            if (budget <= 0) bug('an HE response has no noise budget left (parameters too small for the layer)');
            onBudget?.(budget);
            decryptor.decrypt(ct, out);
            readResponse(plan, plainCoeffs(out.saveArray(none)), y, b, g, o);
          }
      return y;
    });
  } finally {
    ct.delete();
    out.delete();
  }
}

/** P1: its shares (−ρ) of conv(x0, W) for every job, W laid out [G·Mg, Cg, …kernel] as field elements. */
export async function heLinearServer(
  ctx: PartyContext,
  he: HeServer,
  plans: readonly Plan[],
  ws: readonly BigUint64Array[],
): Promise<BigUint64Array[]> {
  const { seal, context, evaluator, encryptor } = he;
  const none = seal.ComprModeType.none;
  const queries = plans.reduce((s, p) => s + p.queries, 0);
  const responses = plans.reduce((s, p) => s + p.responses, 0);
  const query = await ctx.recv(0, 'HE query ciphertexts');
  if (query.length !== queries * HE_SIZES.query)
    throw new CryptflowError(
      'decode',
      `HE queries from P0: expected ${queries * HE_SIZES.query} bytes, got ${query.length}`,
    );
  const answer = new Uint8Array(responses * HE_SIZES.response);
  const tmp = seal.CipherText();
  const pt = seal.PlainText();
  const ys: BigUint64Array[] = [];
  let [q0, r0] = [0, 0];
  try {
    plans.forEach((plan, j) => {
      const w = ws[j] ?? bug('a job without its weights');
      const { batch, groups } = plan.shape;
      const cts = Array.from({ length: plan.queries }, () => seal.CipherText());
      const accs = Array.from({ length: batch }, () => seal.CipherText());
      const y = new BigUint64Array(outputSize(plan));
      try {
        cts.forEach((ct, q) => {
          try {
            ct.loadArray(context, query.subarray((q0 + q) * HE_SIZES.query, (q0 + q + 1) * HE_SIZES.query));
          } catch {
            throw new CryptflowError('decode', 'an HE query from P0 is not a valid ciphertext for these parameters');
          }
        });
        for (let g = 0; g < groups; g++)
          for (let o = 0; o < plan.outGroups; o++) {
            for (const acc of accs) encryptor.encryptZero(acc);
            for (let c = 0; c < plan.chunks; c++) {
              const k = kernelPoly(plan, w, g, o, c);
              if (k.every((v) => v === 0n)) continue;
              pt.loadArray(context, plainBytes(k));
              for (let b = 0; b < batch; b++) {
                evaluator.multiplyPlain(cts[(b * groups + g) * plan.chunks + c] ?? bug('query index'), pt, tmp);
                const acc = accs[b] ?? bug('accumulator');
                evaluator.add(acc, tmp, acc);
              }
            }
            for (let b = 0; b < batch; b++) {
              const acc = accs[b] ?? bug('accumulator');
              const rho = sampleP(FIELD41, ctx.own, plan.n);
              pt.loadArray(context, plainBytes(rho));
              evaluator.addPlain(acc, pt, acc);
              for (let s = RESPONSE_PRIMES; s < DATA_PRIMES; s++) evaluator.cipherModSwitchToNext(acc, acc);
              const bytes = acc.saveArray(none);
              if (bytes.length !== HE_SIZES.response) bug(`a response ciphertext of ${bytes.length} bytes`);
              answer.set(bytes, (r0 + (b * groups + g) * plan.outGroups + o) * HE_SIZES.response);
              readResponse(plan, negP(FIELD41, rho), y, b, g, o);
            }
          }
      } finally {
        for (const ct of cts) ct.delete();
        for (const acc of accs) acc.delete();
      }
      q0 += plan.queries;
      r0 += plan.responses;
      ys.push(y);
    });
  } finally {
    tmp.delete();
    pt.delete();
  }
  ctx.send(0, answer);
  return ys;
}
