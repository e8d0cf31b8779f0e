/**
 * Exact communication of the CrypTFlow2 protocols over the real OT layer (protocols/ot/): a random
 * sequence of protocol calls in one session meters, on every link, exactly the closed forms of
 * spec/cost/cryptflow2.ts composed with spec/cost/ot.ts (compute phase), the base OTs exactly
 * otSetupCost (setup phase), and rounds exactly the chained schedules'; outputs reconstruct to the
 * ideal functionalities. And the closed forms give COMM-SPEC's documented per-element figures.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  argmaxSchedule,
  b2aSchedule,
  costOf,
  divideSchedule,
  dreluSchedule,
  maxPoolSchedule,
  millBits,
  millSchedule,
  muxSchedule,
  otLayerCosts,
  productSchedule,
  reluBits,
  reluSchedule,
  truncSchedule,
  type Schedule,
} from '../../../spec/cost/cryptflow2.js';
import { otSetupCost, otSetupSchedule } from '../../../spec/cost/ot.js';
import { chain } from '../../../spec/cost/nonlinear.js';
import { totalBytes } from '../../../spec/cost/types.js';
import { millionaire } from '../../../protocols/cryptflow2/millionaire.js';
import { drelu } from '../../../protocols/cryptflow2/drelu.js';
import { b2a } from '../../../protocols/cryptflow2/b2a.js';
import { mux } from '../../../protocols/cryptflow2/mux.js';
import { argmax, maxPool, relu } from '../../../protocols/cryptflow2/nonlinear.js';
import { divide, truncate } from '../../../protocols/cryptflow2/division.js';
import { otProduct } from '../../../protocols/cryptflow2/product.js';
import { matmulCounts, matmulTerms, mulTerms } from '../../../protocols/cryptflow2/terms.js';
import { referenceKernels } from '../../../semantics/kernels/index.js';
import { fB2a, fDiv, fDrelu, fMill, fMux, fTrunc } from '../../../ideal/cryptflow2.js';
import { Prg } from '../../../protocols/common/prg.js';
import type { PartyContext } from '../../../protocols/common/party.js';
import type { OtChannel } from '../../../protocols/ot/types.js';
import { reluWords } from '../../../semantics/kernels/words.js';
import { addShares, run2, runs, shareBits, shareRing, xor } from './support.js';

const M = otLayerCosts;

/** One protocol call: its schedule, its party program, and the check of its reconstructed output. */
interface Call {
  readonly name: string;
  readonly schedule: Schedule;
  run(ctx: PartyContext, ot: OtChannel): Promise<Uint8Array | BigUint64Array>;
  check(a: Uint8Array | BigUint64Array, b: Uint8Array | BigUint64Array): void;
}

function makeCall(kind: number, ell: number, n: number, salt: number): Call {
  const prg = new Prg(new Uint8Array(16).fill(salt & 255));
  const vals = prg.ring(ell, n);
  const small = vals.map((v) => BigInt.asUintN(ell, BigInt.asIntN(ell - 3, v)));
  const bits = prg.bytes(n).map((v) => v & 1);
  const arith =
    (want: readonly bigint[]) =>
    (a: Uint8Array | BigUint64Array, b: Uint8Array | BigUint64Array): void =>
      expect(addShares(ell, a as BigUint64Array, b as BigUint64Array)).toEqual(want);
  switch (kind % 11) {
    case 0: {
      const w = 1 + (salt % ell);
      const [a, b] = [vals.map((v) => BigInt.asUintN(w, v)), prg.ring(ell, n).map((v) => BigInt.asUintN(w, v))];
      return {
        name: `Mill(${w})`,
        schedule: millSchedule(M, n, w),
        run: (ctx, ot) => millionaire(ctx, ot, ctx.id === 0 ? a : b, w),
        check: (x, y) => expect(xor(x as Uint8Array, y as Uint8Array)).toEqual([...fMill(w, a, b)]),
      };
    }
    case 1:
      return {
        name: 'DReLU',
        schedule: dreluSchedule(M, n, ell),
        run: (ctx, ot) => drelu(ctx, ot, shareRing(ctx, ell, [...vals]), ell),
        check: (x, y) => expect(xor(x as Uint8Array, y as Uint8Array)).toEqual([...fDrelu(ell, vals)]),
      };
    case 2:
      return {
        name: 'B2A',
        schedule: b2aSchedule(M, n, ell),
        run: (ctx, ot) => b2a(ctx, ot, shareBits(ctx, bits), ell),
        check: arith([...fB2a(ell, bits)]),
      };
    case 3:
      return {
        name: 'MUX',
        schedule: muxSchedule(M, n, ell),
        run: (ctx, ot) => mux(ctx, ot, shareBits(ctx, bits), shareRing(ctx, ell, [...vals]), ell),
        check: arith([...fMux(ell, bits, vals)]),
      };
    case 4:
      return {
        name: 'ReLU',
        schedule: reluSchedule(M, n, ell),
        run: (ctx, ot) => relu(ctx, ot, shareRing(ctx, ell, [...vals]), ell),
        check: arith([...reluWords(ell, vals)]),
      };
    case 5: {
      const windows = Int32Array.from({ length: n }, (_, i) => i);
      const best = [...small].map((v) => BigInt.asIntN(ell, v)).reduce((m, v) => (v > m ? v : m));
      return {
        name: `MaxPool(1×${n})`,
        schedule: maxPoolSchedule(M, 1, n, ell),
        run: (ctx, ot) => maxPool(ctx, ot, shareRing(ctx, ell, [...small]), windows, 1, n, ell),
        check: arith([BigInt.asUintN(ell, best)]),
      };
    }
    case 6: {
      const signed = [...small].map((v) => BigInt.asIntN(ell, v));
      const best = signed.reduce((m, v) => (v > m ? v : m));
      return {
        name: `ArgMax(1×${n})`,
        schedule: argmaxSchedule(M, 1, n, ell),
        run: (ctx, ot) => argmax(ctx, ot, shareRing(ctx, ell, [...small]), 1, n, ell),
        check: arith([BigInt(signed.indexOf(best))]),
      };
    }
    case 7: {
      const s = salt % (ell + 1);
      const want =
        s >= ell
          ? [...vals].map((v) => (BigInt.asIntN(ell, v) < 0n ? BigInt.asUintN(ell, -1n) : 0n))
          : [...fTrunc(ell, vals, s)];
      return {
        name: `Trunc(${s})`,
        schedule: truncSchedule(M, n, s, ell),
        run: (ctx, ot) => truncate(ctx, ot, shareRing(ctx, ell, [...vals]), s, ell),
        check: arith(want),
      };
    }
    case 8: {
      const ds = Array.from({ length: n }, (_, i) => BigInt(1 + ((salt + 7 * i) % 50)));
      return {
        name: 'Div',
        schedule: divideSchedule(M, ds, ell),
        run: (ctx, ot) => divide(ctx, ot, shareRing(ctx, ell, [...vals]), ds, ell),
        check: arith([...fDiv(ell, vals, ds)]),
      };
    }
    case 10: {
      const [m, k, c] = [2, n, 3];
      const a = prg.ring(ell, m * k);
      const b = prg.ring(ell, k * c);
      const local = (x: BigUint64Array, y: BigUint64Array): BigUint64Array =>
        referenceKernels.matmul(ell, x, y, m, k, c);
      return {
        name: `MatMul(${m}×${k}×${c})`,
        schedule: productSchedule(M, matmulCounts(m, k, c), ell),
        run: (ctx, ot) =>
          otProduct(
            ctx,
            ot,
            matmulTerms(m, k, c),
            shareRing(ctx, ell, [...a]),
            shareRing(ctx, ell, [...b]),
            local,
            ell,
          ),
        check: arith([...referenceKernels.matmul(ell, a, b, m, k, c)]),
      };
    }
    default: {
      const other = prg.ring(ell, n);
      const terms = mulTerms([n], [n]);
      const local = (x: BigUint64Array, y: BigUint64Array): BigUint64Array =>
        x.map((v, i) => BigInt.asUintN(ell, v * (y[i] as bigint)));
      return {
        name: 'Product',
        schedule: productSchedule(M, { terms: n, ux: n, uy: n }, ell),
        run: (ctx, ot) =>
          otProduct(ctx, ot, terms, shareRing(ctx, ell, [...vals]), shareRing(ctx, ell, [...other]), local, ell),
        check: arith([...vals].map((v, i) => BigInt.asUintN(ell, v * (other[i] as bigint)))),
      };
    }
  }
}

describe('CrypTFlow2 over the real OT layer: metered = closed form, exactly', () => {
  it('a random sequence of calls in one session: compute bytes per link, setup bytes and rounds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(8, 16, 32, 64),
        fc.array(fc.tuple(fc.nat(10), fc.integer({ min: 1, max: 9 }), fc.nat()), { minLength: 1, maxLength: 5 }),
        fc.string(),
        async (ell, specs, seed) => {
          const calls = specs.map(([k, n, salt]) => makeCall(k, ell, n, salt));
          const { p0, p1, meter } = await run2(
            ell,
            seed,
            async (ctx, ot) => {
              const outs: (Uint8Array | BigUint64Array)[] = [];
              for (const c of calls) outs.push(await c.run(ctx, ot));
              return outs;
            },
            'real',
          );
          calls.forEach((c, i) => c.check(p0[i] as Uint8Array, p1[i] as Uint8Array));
          const compute = costOf(chain(...calls.map((c) => c.schedule)));
          expect(meter.links).toEqual(compute.links);
          expect(meter.setup).toEqual(otSetupCost().links);
          expect(meter.rounds).toBe(costOf(chain(otSetupSchedule(), ...calls.map((c) => c.schedule))).rounds);
        },
      ),
      { numRuns: runs(3) },
    );
  });
});

describe('linear layers over the real OT layer', () => {
  it('MatMul in the vector-COT form (2U < T) and Mul in the scalar form: exact bytes per link and rounds', async () => {
    for (const ell of [8, 64]) {
      const calls = [makeCall(10, ell, 5, 1), makeCall(9, ell, 3, 2)];
      const { p0, p1, meter } = await run2(
        ell,
        'linear',
        async (ctx, ot) => [await calls[0]!.run(ctx, ot), await calls[1]!.run(ctx, ot)],
        'real',
      );
      calls.forEach((c, i) => c.check(p0[i] as BigUint64Array, p1[i] as BigUint64Array));
      expect(meter.links).toEqual(costOf(chain(...calls.map((c) => c.schedule))).links);
      expect(meter.rounds).toBe(costOf(chain(otSetupSchedule(), ...calls.map((c) => c.schedule))).rounds);
    }
  });
});

describe('the documented closed forms (COMM-SPEC "2PC")', () => {
  it('Mill(ℓ) = 288q + 148T: 724, 1,744, 3,932, 3,932, 8,456, 8,456 bits at ℓ = 8, 16, 31, 32, 63, 64', () => {
    expect([8, 16, 31, 32, 63, 64].map(millBits)).toEqual([724, 1744, 3932, 3932, 8456, 8456]);
  });

  it('ReLU(ℓ) = Mill(ℓ−1) + 2(λ + 2ℓ): 2,064 … 8,968 bits at ℓ = 16 … 64', () => {
    expect([16, 24, 32, 37, 41, 48, 64].map(reluBits)).toEqual([2064, 3116, 4316, 4772, 5372, 6568, 8968]);
  });

  it('the exact per-call forms meet the amortised figures: n = 8·k comparisons cost n·Mill(w) bits exactly', () => {
    for (const w of [7, 8, 15, 16, 31, 32, 63, 64]) {
      const n = 8000;
      expect(8 * totalBytes(costOf(millSchedule(M, n, w)).links)).toBe(n * millBits(w));
      expect(8 * totalBytes(costOf(reluSchedule(M, n, w + 1)).links)).toBe(n * reluBits(w + 1));
    }
  });

  it('small batches pay only the per-message rounding to whole bytes (stated padding rule)', () => {
    for (const w of [8, 31, 64]) {
      for (const n of [1, 3, 7]) {
        const bits = 8 * totalBytes(costOf(millSchedule(M, n, w)).links);
        const messages = 2 + 2 * Math.ceil(Math.log2(Math.ceil(w / 4)));
        expect(bits - n * millBits(w)).toBeGreaterThanOrEqual(0);
        expect(bits - n * millBits(w)).toBeLessThan(8 * messages + 144);
      }
    }
  });
});
