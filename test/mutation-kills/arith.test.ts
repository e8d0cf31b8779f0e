/**
 * Mutation kills for protocols/securenn-family/nonlinear/arith.ts, exhaustively on small moduli.
 *
 *   - every vector operation keeps its entries REDUCED below the modulus (the module's stated
 *     convention) at the boundaries the protocol suites rarely hit: x − x, −0, 2^ℓ − 1 read modulo
 *     2^ℓ − 1, XOR with a public bit of the shares 0 and 1;
 *   - XOR with a public bit follows the stated convention (P0 outputs 1 − s_0, P1 outputs −s_1 where
 *     β = 1) and reconstructs t ⊕ β;
 *   - `permutations` is Fisher–Yates with EXACT rejection sampling: over every pair of accepted bytes
 *     each of the 3! permutations of three positions comes out exactly equally often; a byte at or
 *     above the rejection limit is skipped; an exhausted byte pool is refilled; k = 256 is allowed and
 *     257 is a defect;
 *   - mismatched lengths are defects (InvariantViolation) naming both lengths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../../spec/errors.js';
import { permutations, toOdd, wraps, xorPublicBit } from '../../protocols/securenn-family/nonlinear/arith.js';
import { addMod, negMod, subMod, type Modulus } from '../../semantics/kernels/words.js';
import { OddRing } from '../../spec/field.js';
import { Ring } from '../../spec/ring.js';
import { Prg } from '../../protocols/common/prg.js';

const range = (m: bigint): bigint[] => Array.from({ length: Number(m) }, (_, i) => BigInt(i));
const mod = (x: bigint, m: bigint): bigint => ((x % m) + m) % m;

/** A PRG stand-in that hands out a scripted byte stream (permutations only calls `bytes`). */
function scripted(stream: readonly number[]): Prg {
  let at = 0;
  const fake = {
    bytes(n: number): Uint8Array {
      if (at + n > stream.length) throw new Error(`script exhausted: ${n} bytes asked at ${at} of ${stream.length}`);
      const out = Uint8Array.from(stream.slice(at, at + n));
      at += n;
      return out;
    },
  };
  return fake as unknown as Prg;
}

describe('reduced results at the boundaries', () => {
  it.each([OddRing(3), Ring(3), OddRing(7)])(
    '$kind, ℓ = $ell: addMod, subMod, negMod are exact and reduced for every pair',
    (R) => {
      const m = R.modulus;
      const xs = range(m);
      for (const x of xs) {
        const a = BigUint64Array.from(xs.map(() => x));
        const b = BigUint64Array.from(xs);
        expect([...addMod(R, a, b)]).toEqual(xs.map((y) => mod(x + y, m)));
        expect([...subMod(R, a, b)]).toEqual(xs.map((y) => mod(x - y, m)));
      }
      expect([...negMod(R, BigUint64Array.from(xs))]).toEqual(xs.map((x) => mod(-x, m)));
    },
  );

  it.each([2, 3, 5, 8])('ℓ = %i: toOdd reads every Z_{2^ℓ} entry modulo 2^ℓ − 1', (ell) => {
    const xs = range(1n << BigInt(ell));
    expect([...toOdd(OddRing(ell), BigUint64Array.from(xs))]).toEqual(xs.map((x) => x % OddRing(ell).modulus));
  });

  it.each<Modulus & { readonly modulus: bigint }>([OddRing(3), Ring(3), OddRing(6), Ring(6)])(
    '$kind, ℓ = $ell: XOR with a public bit, every share and bit, both parties',
    (R) => {
      const m = R.modulus;
      const xs = range(m);
      const s = BigUint64Array.from(xs);
      for (const beta of [0, 1]) {
        const bits = new Uint8Array(xs.length).fill(beta);
        expect([...xorPublicBit(R, 0, s, bits)]).toEqual(xs.map((x) => (beta === 0 ? x : mod(1n - x, m))));
        expect([...xorPublicBit(R, 1, s, bits)]).toEqual(xs.map((x) => (beta === 0 ? x : mod(-x, m))));
      }
      for (const t of [0n, 1n]) {
        for (const s0 of xs) {
          const s1 = mod(t - s0, m);
          for (const beta of [0, 1]) {
            const y0 = xorPublicBit(R, 0, BigUint64Array.of(s0), [beta])[0] as bigint;
            const y1 = xorPublicBit(R, 1, BigUint64Array.of(s1), [beta])[0] as bigint;
            expect(mod(y0 + y1, m)).toBe(t ^ BigInt(beta));
          }
        }
      }
    },
  );

  it('wraps marks exactly the pairs whose integer sum reaches the modulus', () => {
    const m = 8n;
    const xs = range(m);
    for (const x of xs) {
      const got = wraps(Ring(3), BigUint64Array.from(xs.map(() => x)), BigUint64Array.from(xs));
      expect([...got]).toEqual(xs.map((y) => (x + y >= m ? 1 : 0)));
    }
  });
});

/** The draw as the protocol states it, one byte at a time from a scripted stream (the reference). */
function referencePermutations(stream: readonly number[], n: number, k: number): Uint8Array {
  const poolSize = Math.max(64, 2 * n * k);
  let base = 0;
  let at = 0;
  const next = (): number => {
    if (at === poolSize) {
      base += poolSize;
      at = 0;
    }
    return stream[base + at++] as number;
  };
  const out = new Uint8Array(n * k);
  for (let e = 0; e < n; e++) {
    for (let i = 0; i < k; i++) out[e * k + i] = i;
    for (let i = k - 1; i > 0; i--) {
      const m = i + 1;
      let b = next();
      while (b >= 256 - (256 % m)) b = next();
      const j = b % m;
      [out[e * k + i], out[e * k + j]] = [out[e * k + j] as number, out[e * k + i] as number];
    }
  }
  return out;
}

describe('permutations: Fisher–Yates with exact rejection', () => {
  it('the wasm kernel with its JavaScript refill path draws exactly what the reference draws', () => {
    // Streams heavy in rejected bytes (≥ 192 is rejected for every m in 3…64 that does not divide 256)
    // exhaust the 2·n·k pool inside elements, so chunks stop early and refills happen mid-element.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 2, max: 64 }),
        fc.integer({ min: 0, max: 255 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        (n, k, seed, heavy) => {
          let s = seed + 1;
          const stream = Array.from({ length: 40 * n * k + 4096 }, () => {
            s = (s * 1103515245 + 12345) % 2147483648;
            return s / 2147483648 < heavy ? 252 + (s % 4) : s % 256;
          });
          expect(permutations(scripted(stream), n, k)).toEqual(referencePermutations(stream, n, k));
        },
      ),
      { numRuns: 60 },
    );
  });

  const FILL = new Array<number>(62).fill(0);

  it('k = 3: every accepted byte pair, each permutation exactly 255·256/6 times', () => {
    const counts = new Map<string, number>();
    for (let b1 = 0; b1 < 255; b1++) {
      for (let b2 = 0; b2 < 256; b2++) {
        const key = [...permutations(scripted([b1, b2, ...FILL]), 1, 3)].join('');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    expect([...counts.keys()].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
    for (const c of counts.values()) expect(c).toBe((255 * 256) / 6);
  });

  it('a byte at the rejection limit (255 for three positions) is skipped; 255 is accepted for two', () => {
    for (const [b1, b2] of [
      [0, 0],
      [4, 1],
      [200, 255],
    ] as const) {
      const plain = [...permutations(scripted([b1, b2, ...FILL]), 1, 3)];
      expect([...permutations(scripted([255, b1, b2, ...FILL.slice(1)]), 1, 3)]).toEqual(plain);
      expect([...permutations(scripted([255, 255, 255, b1, b2, ...FILL.slice(3)]), 1, 3)]).toEqual(plain);
    }
  });

  it('an exhausted byte pool is refilled with the next bytes of the stream', () => {
    const plain = [...permutations(scripted([7, 9, ...FILL]), 1, 3)];
    const rejected = new Array<number>(64).fill(255);
    expect([...permutations(scripted([...rejected, 7, 9, ...FILL]), 1, 3)]).toEqual(plain);
  });

  it('several blocks draw one stream; k = 256 is allowed; k = 257 is a defect', () => {
    const out = permutations(new Prg(new Uint8Array(16).fill(3)), 5, 256);
    for (let e = 0; e < 5; e++)
      expect([...out.subarray(e * 256, (e + 1) * 256)].sort((a, b) => a - b)).toEqual(
        Array.from({ length: 256 }, (_, i) => i),
      );
    expect(() => permutations(new Prg(new Uint8Array(16)), 1, 257)).toThrow(InvariantViolation);
    expect(() => permutations(new Prg(new Uint8Array(16)), 1, 257)).toThrow('permutation of 257 > 256 positions');
  });
});

describe('length mismatches are defects', () => {
  it('element-wise operations and XOR name both lengths', () => {
    const a = new BigUint64Array(2);
    const b = new BigUint64Array(3);
    for (const f of [() => addMod(Ring(3), a, b), () => subMod(Ring(3), a, b), () => wraps(Ring(3), a, b)]) {
      expect(f).toThrow(InvariantViolation);
      expect(f).toThrow('element-wise operation on 2 and 3 entries');
    }
    expect(() => xorPublicBit(Ring(3), 0, a, [1, 0, 1])).toThrow('XOR of 2 shares with 3 public bits');
  });
});
