/**
 * Local truncation (semantics/truncation.ts): exhaustive over every x and every sharing at small ℓ,
 * statistical at ℓ = 32. The counts of proofs-notes/truncation.md must be met EXACTLY, not within a
 * tolerance; at ℓ = 32 frequencies must lie within 5 standard deviations of the exact probabilities.
 */
import { describe, expect, it } from 'vitest';
import { Ring } from '../../spec/ring.js';
import { CryptflowError } from '../../spec/errors.js';
import {
  classifyTruncation,
  isAllowedTruncation,
  localTruncateShares,
  localTruncationAllowed,
} from '../../semantics/truncation.js';

/** Enumerate all 2^ℓ sharings of x and count how often each allowed outcome occurs. */
function enumerate(ell: number, x: bigint, k: number): { counts: Map<string, bigint>; disallowed: number } {
  const ring = Ring(ell);
  const spec = localTruncationAllowed(ell, x, k);
  const counts = new Map<string, bigint>();
  let disallowed = 0;
  for (let x0 = 0n; x0 < ring.modulus; x0++) {
    const [y0, y1] = localTruncateShares(ring, x0, ring.sub(x, x0), k);
    const y = ring.add(y0, y1);
    if (!isAllowedTruncation(spec, y)) disallowed++;
    const key = y.toString();
    counts.set(key, (counts.get(key) ?? 0n) + 1n);
  }
  return { counts, disallowed };
}

function expectedByValue(ell: number, x: bigint, k: number): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (const o of localTruncationAllowed(ell, x, k).outcomes) {
    if (o.count === 0n) continue;
    const key = o.value.toString();
    m.set(key, (m.get(key) ?? 0n) + o.count);
  }
  return m;
}

describe('local truncation: exhaustive', () => {
  it.each([
    { ell: 8, ks: [0, 1, 2, 3, 4, 5, 6, 7] },
    { ell: 10, ks: [1, 4, 9] },
  ])('ℓ=$ell: every x, every sharing, k ∈ $ks: results allowed, counts equal the formula', ({ ell, ks }) => {
    const ring = Ring(ell);
    for (const k of ks) {
      for (let x = 0n; x < ring.modulus; x++) {
        const { counts, disallowed } = enumerate(ell, x, k);
        expect(disallowed).toBe(0);
        expect(counts).toEqual(expectedByValue(ell, x, k));
      }
    }
  });

  it('closed forms: #wrap = |x̃|, #carry = 2^{ℓ−k}·r, #(carry ∧ wrap) = |q+1|·r, total 2^ℓ', () => {
    const ell = 8;
    const ring = Ring(ell);
    for (let k = 1; k < ell; k++) {
      for (let x = 0n; x < ring.modulus; x++) {
        const spec = localTruncationAllowed(ell, x, k);
        const xs = ring.signed(x);
        const q = xs >> BigInt(k);
        const r = xs - (q << BigInt(k));
        const abs = xs < 0n ? -xs : xs;
        const sum = (f: (o: (typeof spec.outcomes)[number]) => boolean): bigint =>
          spec.outcomes.filter(f).reduce((a, o) => a + o.count, 0n);
        expect(sum(() => true)).toBe(ring.modulus);
        expect(sum((o) => o.wrap !== 0)).toBe(abs);
        expect(sum((o) => o.carry === 1)).toBe((ring.modulus >> BigInt(k)) * r);
        const q1 = q + 1n < 0n ? -(q + 1n) : q + 1n;
        expect(sum((o) => o.carry === 1 && o.wrap !== 0)).toBe(q1 * r);
        expect(spec.outcomes.every((o) => o.count >= 0n)).toBe(true);
        expect(spec.wrapProbability).toBe(Number(abs) / 256);
        expect(spec.carryProbability).toBe(Number(r) / 2 ** k);
      }
    }
  });

  it('rejects a shift outside [0, ℓ − 1]', () => {
    expect(() => localTruncationAllowed(8, 3n, 8)).toThrow(CryptflowError);
    expect(() => localTruncationAllowed(8, 3n, -1)).toThrow(CryptflowError);
  });
});

/** splitmix64: a seeded generator for test inputs only. */
function splitmix(seed: bigint): () => bigint {
  let s = BigInt.asUintN(64, seed);
  return () => {
    s = BigInt.asUintN(64, s + 0x9e3779b97f4a7c15n);
    let z = s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
}

describe('local truncation: statistics at ℓ = 32', () => {
  it.each([
    { x: 0x1234_5678n, k: 12 },
    { x: -(0x3000_0000n + 0x777n), k: 12 },
    { x: 0x0000_1fffn, k: 8 },
  ])('x = $x, k = $k: every result allowed; wrap and carry frequencies within 5σ', ({ x, k }) => {
    const ell = 32;
    const ring = Ring(ell);
    const spec = localTruncationAllowed(ell, x, k);
    const next = splitmix(0x5eedn + BigInt(k));
    const trials = 40_000;
    let wraps = 0;
    let carries = 0;
    for (let i = 0; i < trials; i++) {
      const x0 = ring.reduce(next());
      const [y0, y1] = localTruncateShares(ring, x0, ring.sub(spec.x, x0), k);
      const o = classifyTruncation(spec, ring.add(y0, y1));
      expect(o).not.toBeNull();
      if (o !== null && o.wrap !== 0) wraps++;
      if (o !== null && o.carry === 1) carries++;
    }
    for (const [hits, p] of [
      [wraps, spec.wrapProbability],
      [carries, spec.carryProbability],
    ] as const) {
      const sigma = Math.sqrt(trials * p * (1 - p));
      expect(Math.abs(hits - trials * p)).toBeLessThanOrEqual(5 * sigma + 1);
    }
  });
});
