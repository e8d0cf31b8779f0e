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
 *      P1's share of each read coefficient is −ρ there. How the products are computed (the same
 *      ciphertext either way: NTT and its inverse are exact on every RNS prime):
 *        - a layer whose kernels are monomials (one tap, one channel, one output channel per response:
 *          a 1×1 convolution on a large plane) multiplies in coefficient form, where SEAL's product by
 *          a monomial is a negacyclic shift and a scalar product;
 *        - any other layer takes its queries to NTT form once (each is reused by every response), each
 *          kernel plaintext to NTT form once (plainTransformToNtt at the queries' level), multiplies and
 *          adds pointwise in NTT form and takes each response's sum back with one inverse NTT.
 *      Kernel plaintexts are written into one reusable serialised plaintext (PlainBuffer) with the
 *      layer's tap offsets computed once.
 *   3. P0 decrypts, checks the invariant noise budget is positive (reports it through `onBudget`) and
 *      reads its share: the coefficient, conv(x0, W) + ρ.
 * Several jobs (the tiles of one layer) share the two messages. Two rounds; every SEAL object is
 * deleted before the call returns.
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import type { PartyContext } from '../common/party.js';
import { FIELD41, negP, sampleP } from './field.js';
import { kernelSpan, kernelTaps, outputOffsets, queryPoly, readResponse, writeKernel, type Plan } from './packing.js';
import { DATA_PRIMES, HE_SIZES, plainBuffer, plainCoeffs, RESPONSE_PRIMES } from './seal.js';
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
  const buf = plainBuffer();
  try {
    let q = 0;
    plans.forEach((plan, j) => {
      const x0 = xs[j] ?? bug('a job without its input');
      for (let b = 0; b < plan.shape.batch; b++)
        for (let g = 0; g < plan.shape.groups; g++)
          for (let c = 0; c < plan.chunks; c++) {
            buf.coeffs.set(queryPoly(plan, x0, b, g, c));
            pt.loadArray(context, buf.bytes);
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
      const outs = outputOffsets(plan);
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
            readResponse(plan, plainCoeffs(out.saveArray(none)), y, b, g, o, outs);
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
  const ptNtt = seal.PlainText();
  const level = context.firstParmsId;
  const buf = plainBuffer();
  const ys: BigUint64Array[] = [];
  let [q0, r0] = [0, 0];
  try {
    plans.forEach((plan, j) => {
      const w = ws[j] ?? bug('a job without its weights');
      const { batch, groups } = plan.shape;
      const [taps, outs] = [kernelTaps(plan), outputOffsets(plan)];
      const ntt = kernelSpan(plan, taps) > 1;
      const cts = Array.from({ length: plan.queries }, () => seal.CipherText());
      const accs = Array.from({ length: batch }, () => seal.CipherText());
      const sums = Array.from({ length: ntt ? batch : 0 }, () => seal.CipherText());
      const y = new BigUint64Array(outputSize(plan));
      try {
        cts.forEach((ct, q) => {
          try {
            ct.loadArray(context, query.subarray((q0 + q) * HE_SIZES.query, (q0 + q + 1) * HE_SIZES.query));
          } catch {
            throw new CryptflowError('decode', 'an HE query from P0 is not a valid ciphertext for these parameters');
          }
          if (ntt) evaluator.cipherTransformToNtt(ct, ct);
        });
        for (let g = 0; g < groups; g++)
          for (let o = 0; o < plan.outGroups; o++) {
            for (const acc of accs) encryptor.encryptZero(acc);
            let summed = false;
            for (let c = 0; c < plan.chunks; c++) {
              if (writeKernel(plan, taps, w, g, o, c, buf.coeffs) === 0) continue;
              pt.loadArray(context, buf.bytes);
              if (ntt) evaluator.plainTransformToNtt(pt, level, ptNtt);
              for (let b = 0; b < batch; b++) {
                const ct = cts[(b * groups + g) * plan.chunks + c] ?? bug('query index');
                if (!ntt) {
                  const acc = accs[b] ?? bug('accumulator');
                  evaluator.multiplyPlain(ct, pt, tmp);
                  evaluator.add(acc, tmp, acc);
                } else {
                  const sum = sums[b] ?? bug('NTT accumulator');
                  if (!summed) evaluator.multiplyPlain(ct, ptNtt, sum);
                  else {
                    evaluator.multiplyPlain(ct, ptNtt, tmp);
                    evaluator.add(sum, tmp, sum);
                  }
                }
              }
              summed = true;
            }
            for (let b = 0; b < batch; b++) {
              const acc = accs[b] ?? bug('accumulator');
              if (ntt && summed) {
                const sum = sums[b] ?? bug('NTT accumulator');
                evaluator.cipherTransformFromNtt(sum, sum);
                evaluator.add(acc, sum, acc);
              }
              const rho = sampleP(FIELD41, ctx.own, plan.n);
              buf.coeffs.set(rho);
              pt.loadArray(context, buf.bytes);
              evaluator.addPlain(acc, pt, acc);
              for (let s = RESPONSE_PRIMES; s < DATA_PRIMES; s++) evaluator.cipherModSwitchToNext(acc, acc);
              const bytes = acc.saveArray(none);
              if (bytes.length !== HE_SIZES.response) bug(`a response ciphertext of ${bytes.length} bytes`);
              answer.set(bytes, (r0 + (b * groups + g) * plan.outGroups + o) * HE_SIZES.response);
              readResponse(plan, negP(FIELD41, rho), y, b, g, o, outs);
            }
          }
      } finally {
        for (const ct of [...cts, ...accs, ...sums]) ct.delete();
      }
      q0 += plan.queries;
      r0 += plan.responses;
      ys.push(y);
    });
  } finally {
    for (const obj of [tmp, pt, ptNtt, level]) obj.delete();
  }
  ctx.send(0, answer);
  return ys;
}
