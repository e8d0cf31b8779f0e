/**
 * Mutation kills for protocols/securenn-family/nonlinear/private-compare.ts, `anyZeroSum` (P2's zero
 * test), from a targeted run on 2026-12-07: the survivors of line 68 that take the word-at-a-time path
 * when only ONE of d0, d1 is 4-byte aligned (`d0.byteOffset % 4 === 0` → `true` or `!== 0`, and the
 * same for d1). In the protocol d0 and d1 are two different parties' messages, so their alignments
 * are independent; test/protocols/byte-fast-paths.test.ts shifts both by the same amount. Every
 * pair of alignments must give the definition: element e is 1 iff d0[k] + d1[k] ≡ 0 (mod p) for one
 * of its entries.
 */
import { describe, expect, it } from 'vitest';
import { anyZeroSum } from '../../protocols/securenn-family/nonlinear/private-compare.js';

const P = 67;
const ELL = 16;
const N = 3;

/** `v` copied into a fresh buffer at byte offset `shift`. */
function at(v: Uint8Array, shift: number): Uint8Array {
  const out = new Uint8Array(v.length + shift).subarray(shift);
  out.set(v);
  return out;
}

describe("P2's zero test, for every pair of alignments of the two messages", () => {
  const d0 = Uint8Array.from({ length: N * ELL }, (_, i) => (i * 23 + 5) % P);
  // Element 0 has a sum of p (entry 3), element 2 a sum of 0 (entry 40, both 0); no other sum is 0 mod p.
  const d1 = d0.map((x, i) => (i === 3 ? P - x : (P - x + 1 + (i % 7)) % P));
  d0[40] = 0;
  d1[40] = 0;
  const want = new Uint8Array(N);
  for (let k = 0; k < N * ELL; k++)
    if (((d0[k] as number) + (d1[k] as number)) % P === 0) want[Math.floor(k / ELL)] = 1;

  it('the fixture has one element without a zero sum', () => {
    expect([...want]).toEqual([1, 0, 1]);
  });

  it.each([0, 1, 2, 3].flatMap((s0) => [0, 1, 2, 3].map((s1) => ({ s0, s1 }))))(
    'd0 at offset $s0, d1 at offset $s1',
    ({ s0, s1 }) => {
      expect(anyZeroSum(at(d0, s0), at(d1, s1), P, N, ELL)).toEqual(want);
    },
  );
});
