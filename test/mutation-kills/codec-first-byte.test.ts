/**
 * Mutation kills for protocols/common/codec.ts, firstByteAtLeast's word-at-a-time guard (line 132,
 * column 7: ConditionalExpression → true twice, LogicalOperator → ||, EqualityOperator → p < 1).
 * The word scan is only sound for 1 ≤ p ≤ 128: with p = −128 its per-byte addend 256 carries out of
 * every byte, so a word of zero bytes is not flagged although every byte is ≥ p. The guard must keep
 * such a p on the plain byte loop, which names byte 0.
 */
import { describe, expect, it } from 'vitest';
import { firstByteAtLeast } from '../../protocols/common/codec.js';

describe('codec: firstByteAtLeast with a bound outside 1 … 128', () => {
  it('names byte 0 of an aligned run of zero bytes when p = −128 (every byte is ≥ p)', () => {
    const bytes = new Uint8Array(9);
    expect(bytes.byteOffset % 4).toBe(0);
    expect(firstByteAtLeast(bytes, -128)).toBe(0);
  });

  it('names byte 0 of a zero-byte view starting at buffer offset 4 when p = −128', () => {
    const bytes = new Uint8Array(16).subarray(4, 13);
    expect(firstByteAtLeast(bytes, -128)).toBe(0);
  });

  it('still finds the first byte ≥ p inside 1 … 128 (p = 7, byte 6 of an aligned array)', () => {
    expect(firstByteAtLeast(Uint8Array.of(0, 1, 2, 3, 4, 5, 9, 7, 0), 7)).toBe(6);
    expect(firstByteAtLeast(new Uint8Array(12), 7)).toBe(-1);
  });

  // Open (2026-12-08): for a non-integer p in 1 … 128 the word scan is unsound, e.g.
  // firstByteAtLeast(Uint8Array.of(101, 101, 101, 0), 100.5) gives −1, not 0. No caller reaches it (every
  // caller passes a prime field's p), and the fix (the guard also requiring Number.isInteger(p)) changes
  // the source, so it waits for a codec.ts rerun (56 min here); it also settles 8 survivors of line 132–145.
  it.todo('refuses or scans byte by byte a non-integer p (the word scan is exact only for whole p)');
});
