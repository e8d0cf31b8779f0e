/**
 * The protocols' wasm kernels (protocols/kernels/wasm.ts) against their plain TypeScript references,
 * on generated inputs: PrivateCompare's message (`messageReference`, private-compare.ts) for both
 * parties, every β and r including the special r = 2^ℓ − 1 with β = 1, ℓ ∈ {1, …, 64} and the primes the
 * variants use; Z_p rejection sampling (`sampleReference`, prg.ts) for every modulus and offset the
 * PRG allows; and the permutations (`permutationsReference`, arith.ts), both the pooled wasm path as
 * the protocols call it and one pool window at a time.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareMessage, permuteFromPool, sampleBytes, type CompareInputs } from '../../protocols/kernels/wasm.js';
import { compareTables, messageReference } from '../../protocols/securenn-family/nonlinear/private-compare.js';
import { permutations, permutationsReference } from '../../protocols/securenn-family/nonlinear/arith.js';
import { Prg, rejectionTable, REJECTED, sampleReference } from '../../protocols/common/prg.js';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-wasm.js'], { stdio: 'ignore' });
});

/** A permutation of {0, …, k − 1} from k sort keys. */
const permutation = (k: number): fc.Arbitrary<number[]> =>
  fc.array(fc.double({ noNaN: true }), { minLength: k, maxLength: k }).map((keys) =>
    keys
      .map((key, i) => ({ key, i }))
      .sort((a, b) => a.key - b.key || a.i - b.i)
      .map((x) => x.i),
  );

const compareCase: fc.Arbitrary<CompareInputs> = fc
  .record({
    j: fc.constantFrom<0 | 1>(0, 1),
    p: fc.constantFrom(67, 71, 101, 127, 251),
    ell: fc.integer({ min: 1, max: 64 }),
    n: fc.integer({ min: 0, max: 6 }),
  })
  .chain(({ j, p, ell, n }) => {
    const top = (1n << BigInt(ell)) - 1n;
    const bytes = (max: number, len: number): fc.Arbitrary<Uint8Array> =>
      fc.array(fc.integer({ min: 0, max }), { minLength: len, maxLength: len }).map((a) => Uint8Array.from(a));
    return fc.record({
      j: fc.constant(j),
      p: fc.constant(p),
      ell: fc.constant(ell),
      n: fc.constant(n),
      xBits: bytes(p - 1, n * ell),
      // r: uniform, or the edges 0 and 2^ℓ − 1 (the special element when β = 1).
      r: fc
        .array(fc.oneof(fc.bigInt({ min: 0n, max: top }), fc.constantFrom(0n, top)), { minLength: n, maxLength: n })
        .map((a) => BigUint64Array.from(a)),
      beta: bytes(1, n),
      s: fc
        .array(fc.integer({ min: 1, max: p - 1 }), { minLength: n * ell, maxLength: n * ell })
        .map((a) => Uint8Array.from(a)),
      z: bytes(p - 1, n * ell),
      pi: fc.array(permutation(ell), { minLength: n, maxLength: n }).map((blocks) => Uint8Array.from(blocks.flat())),
    });
  });

describe('protocol kernels: wasm ≡ TypeScript reference', () => {
  it('PrivateCompare message for P0 and P1', () => {
    fc.assert(
      fc.property(compareCase, (inp) => {
        const { red, mul } = compareTables(inp.p, inp.ell);
        expect(compareMessage(inp, red, mul)).toEqual(messageReference(inp));
      }),
    );
  });

  it('the reference message reconstructs to β ⊕ (x > r): some position sums to 0 exactly then', () => {
    fc.assert(
      fc.property(
        compareCase,
        fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: 6, maxLength: 6 }),
        (inp, xs) => {
          const { p, ell, n } = inp;
          const mask = (1n << BigInt(ell)) - 1n;
          // P0's bit shares are the drawn ones; P1's make them sum to the bits of x.
          const x = xs.slice(0, n).map((v) => v & mask);
          const x1 = inp.xBits.map((s0, i) => (Number((x[Math.floor(i / ell)]! >> BigInt(i % ell)) & 1n) - s0 + p) % p);
          const d0 = messageReference({ ...inp, j: 0 });
          const d1 = messageReference({ ...inp, j: 1, xBits: x1 });
          for (let e = 0; e < n; e++) {
            let zero = false;
            for (let k = e * ell; k < (e + 1) * ell; k++) zero ||= ((d0[k] as number) + (d1[k] as number)) % p === 0;
            expect(zero ? 1 : 0).toBe((inp.beta[e] as number) ^ (x[e]! > inp.r[e]! ? 1 : 0));
          }
        },
      ),
    );
  });

  it('Z_p rejection sampling for every modulus and offset', () => {
    const sampling = fc
      .integer({ min: 1, max: 256 })
      .chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: 0, max: 256 - p })));
    fc.assert(
      fc.property(
        sampling,
        // Past 16 bytes the kernel runs 16 lanes at a time; up to 600 it stops inside or after a chunk.
        fc.uint8Array({ maxLength: 600 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 10 }),
        ([p, offset], src, size, from0) => {
          const from = Math.min(from0, size);
          const fast = new Uint8Array(size);
          const slow = new Uint8Array(size);
          const kept = sampleBytes(src, p, offset, fast, from);
          expect(kept).toBe(sampleReference(src, p, offset, slow, from));
          expect(fast).toEqual(slow);
        },
      ),
    );
  });

  it('permutations as the protocols draw them (pooled wasm with refills) ≡ one byte at a time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 70 }),
        fc.string({ maxLength: 8 }),
        (n, k, seed) => {
          const key = new Uint8Array(16).map((_, i) => seed.charCodeAt(i % Math.max(1, seed.length)) + i);
          const stream = new Prg(key);
          let buf: Uint8Array = new Uint8Array(0);
          let at = 0;
          const next = (): number => {
            if (at === buf.length) [buf, at] = [stream.bytes(256), 0];
            return buf[at++] as number;
          };
          expect(permutations(new Prg(key), n, k)).toEqual(permutationsReference(next, n, k));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('permutations from one finite pool window: completed elements and pool position', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 2, max: 40 }),
        fc.uint8Array({ maxLength: 300 }),
        (n, k, pool) => {
          const table = new Uint16Array((k + 1) * 256).fill(REJECTED);
          for (let m = 2; m <= k; m++) table.set(rejectionTable(m), m << 8);
          const out = new Uint8Array(n * k);
          const { done, at } = permuteFromPool({ pool, at: 0, table, out, from: 0, n, k });
          // The reference over the same bytes: the most whole elements the pool holds, and the bytes they read.
          let expected: Uint8Array = new Uint8Array(0);
          let readThrough = 0;
          for (let e = 1; e <= n; e++) {
            let pos = 0;
            const next = (): number => {
              if (pos === pool.length) throw new RangeError('pool used up');
              return pool[pos++] as number;
            };
            try {
              expected = permutationsReference(next, e, k);
            } catch {
              break;
            }
            readThrough = pos;
          }
          expect(done).toBe(expected.length / k);
          expect(at).toBe(readThrough);
          expect(out.subarray(0, done * k)).toEqual(expected);
        },
      ),
    );
  });
});
