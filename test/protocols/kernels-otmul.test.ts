/**
 * The OT-based linear layers' wasm loops (protocols/kernels/otmul.ts) against their plain TypeScript
 * references on generated inputs: bit-tight packing and unpacking at every width 1 … 64 (round trip
 * included), the vector COT's corrections and outputs, the per-bit accumulation (both signs, every
 * shift, repeated output indices) and the choice bits; plus the 32-bit-half helpers against BigInt.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatherWords, maskedWords, otMulKernels } from '../../protocols/kernels/otmul.js';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-wasm.js'], { stdio: 'ignore' });
});

const wasm = otMulKernels('wasm');
const ref = otMulKernels('reference');
const words = (n: number): fc.Arbitrary<BigUint64Array> =>
  fc
    .array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { minLength: n, maxLength: n })
    .map((a) => BigUint64Array.from(a));
const word64 = fc.integer({ min: 0, max: 40 }).chain(words);
const width = fc.integer({ min: 1, max: 64 });

describe('OT-product kernels: wasm ≡ TypeScript reference', () => {
  it('pack and unpack w-bit values, and the round trip', () => {
    fc.assert(
      fc.property(word64, width, (v, w) => {
        const packed = ref.packWords(v, w);
        expect(wasm.packWords(v, w)).toEqual(packed);
        const back = ref.unpackWords(packed, v.length, w);
        expect(wasm.unpackWords(packed, v.length, w)).toEqual(back);
        expect(back).toEqual(maskedWords(v, w));
      }),
    );
  });

  it('vector COT corrections and outputs', () => {
    const batch = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 8 }).chain((lens) => {
      const n = lens.reduce((s, l) => s + l, 0);
      return fc.tuple(
        fc.constant(Int32Array.from(lens)),
        words(n),
        words(n),
        words(n),
        fc.uint8Array({ minLength: lens.length, maxLength: lens.length, max: 1 }),
        width,
      );
    });
    fc.assert(
      fc.property(batch, ([lens, g0, g1, delta, choices, w]) => {
        expect(wasm.vcotCorrect(g0, g1, delta, w)).toEqual(ref.vcotCorrect(g0, g1, delta, w));
        expect(wasm.vcotOutput(g0, g1, lens, choices, w)).toEqual(ref.vcotOutput(g0, g1, lens, choices, w));
      }),
    );
  });

  it('accumulate a cross term into the output (both signs, every shift)', () => {
    const job = fc
      .integer({ min: 1, max: 6 })
      .chain((outSize) =>
        fc
          .integer({ min: 0, max: 30 })
          .chain((n) =>
            fc.tuple(
              words(outSize),
              fc.array(fc.integer({ min: 0, max: outSize - 1 }), { minLength: n, maxLength: n }),
              words(n),
              fc.integer({ min: 0, max: 63 }),
              fc.boolean(),
            ),
          ),
      );
    fc.assert(
      fc.property(job, ([acc, outs, got, k, negate]) => {
        const out = Int32Array.from(outs);
        const order = Int32Array.from(outs.map((_, j) => outs.length - 1 - j));
        const a = acc.slice();
        const b = acc.slice();
        wasm.accumulateTerms(a, out, order, got, k, negate);
        ref.accumulateTerms(b, out, order, got, k, negate);
        expect(a).toEqual(b);
      }),
    );
  });

  it('choice bits of one bit position; gathered and reduced words', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 20 })
          .chain((n) => fc.tuple(words(n), fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 30 }), width)),
        ([src, idx, w]) => {
          const i = Int32Array.from(idx);
          expect(wasm.bitsAt(src, i, w - 1)).toEqual(ref.bitsAt(src, i, w - 1));
          expect(gatherWords(src, i)).toEqual(BigUint64Array.from(idx, (e) => src[e] as bigint));
          expect(maskedWords(src, w)).toEqual(src.map((v) => BigInt.asUintN(w, v)));
        },
      ),
    );
  });
});
