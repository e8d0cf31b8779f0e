/**
 * The OT layer's bit plumbing against naive definitions: the w × m' transpose (bit by bit), ℓ-bit
 * packing (a round trip, and the exact bit layout), the Walsh–Hadamard code (any two codewords differ
 * in exactly 128 of 256 bits), and the fixed-key hash's batching (one call over many blocks equals
 * block-by-block calls).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HADAMARD, packBits, transpose, unpackBits, wordView } from '../../../protocols/ot/bits.js';
import { tccr, tweaks } from '../../../protocols/ot/hash.js';

const bit = (w: Uint32Array, i: number): number => ((w[i >>> 5] as number) >>> (i & 31)) & 1;

describe('OT bits', () => {
  it('transpose moves bit (column j, row i) to (row i, column j)', () => {
    fc.assert(
      fc.property(fc.constantFrom(128, 256), fc.integer({ min: 1, max: 3 }), fc.integer(), (w, blocks, seed) => {
        const mp = 32 * blocks;
        const cols = Uint32Array.from({ length: (w * mp) / 32 }, (_, k) => Math.imul(k + seed, 0x9e3779b1) >>> 0);
        const rows = transpose(cols, w, mp);
        for (let j = 0; j < w; j += 7) {
          for (let i = 0; i < mp; i++)
            expect(bit(rows.subarray((i * w) / 32), j)).toBe(bit(cols.subarray((j * mp) / 32), i));
        }
      }),
      { numRuns: 10 },
    );
  });

  it('packing is bit-tight and round-trips at every ℓ', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { maxLength: 40 }),
        (ell, vs) => {
          const values = BigUint64Array.from(vs, (v) => v & ((1n << BigInt(ell)) - 1n));
          const words = new Uint32Array(values.buffer);
          const packed = packBits(words, ell);
          expect(packed.length).toBe(Math.ceil((values.length * ell) / 8));
          let acc = 0n;
          values.forEach((v, i) => (acc |= v << BigInt(i * ell)));
          const naive = Uint8Array.from({ length: packed.length }, (_, b) => Number((acc >> BigInt(8 * b)) & 0xffn));
          expect(packed).toEqual(naive);
          expect(new BigUint64Array(unpackBits(packed, values.length, ell).buffer)).toEqual(values);
        },
      ),
    );
  });

  it('word views of aligned and unaligned byte strings read the same little-endian words', () => {
    const bytes = Uint8Array.from({ length: 13 }, (_, i) => i + 1);
    const aligned = wordView(bytes.subarray(4, 12));
    const unaligned = wordView(bytes.subarray(1, 9));
    expect(Array.from(aligned)).toEqual([0x08070605, 0x0c0b0a09]);
    expect(Array.from(unaligned)).toEqual([0x05040302, 0x09080706]);
    expect(aligned.buffer).toBe(bytes.buffer);
  });

  it('Walsh–Hadamard codewords pairwise differ in exactly 128 bits', () => {
    const weight = (a: number, b: number): number => {
      let d = 0;
      for (let k = 0; k < 256; k++) d += bit(HADAMARD.subarray(8 * a), k) ^ bit(HADAMARD.subarray(8 * b), k);
      return d;
    };
    for (let a = 0; a < 256; a += 17) for (let b = a + 1; b < 256; b += 5) expect(weight(a, b)).toBe(128);
    expect(HADAMARD.subarray(0, 8).every((w) => w === 0)).toBe(true);
  });

  it('the hash is the same in one batch as block by block, and tweaks separate instances', () => {
    const n = 37;
    const x = Uint32Array.from({ length: 4 * n }, (_, k) => k * 77);
    const tw = tweaks(5, n, 'iknp', 1);
    const batch = tccr(x, tw, 1);
    for (let k = 0; k < n; k++)
      expect(tccr(x.slice(4 * k, 4 * k + 4), tw.slice(4 * k, 4 * k + 4), 1)).toEqual(batch.slice(4 * k, 4 * k + 4));
    const same = Uint32Array.from({ length: 8 }, (_, k) => k % 4);
    const two = tccr(same, tweaks(0, 2, 'iknp', 0), 1);
    expect(two.slice(0, 4)).not.toEqual(two.slice(4, 8));
    expect(tccr(same.slice(0, 4), tweaks(0, 1, 'kkrt', 0), 1)).not.toEqual(two.slice(0, 4));
  });
});
