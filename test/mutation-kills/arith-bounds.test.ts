/**
 * Mutation kills for protocols/securenn-family/nonlinear/arith.ts (second batch).
 *
 *   - line 56 EqualityOperator (i <= s.length): `xorPublicBit` reads exactly the n public bits it is
 *     given, never an index at or past their length;
 *   - line 103 MethodExpression (Math.max → Math.min): `permutations` first draws
 *     max(64, 2·n·k) bytes from the PRG, so the stream left after it is fixed.
 */
import { describe, expect, it } from 'vitest';
import { permutations, xorPublicBit } from '../../protocols/securenn-family/nonlinear/arith.js';
import { Prg } from '../../protocols/common/prg.js';
import { Ring } from '../../spec/ring.js';

describe('xorPublicBit reads only the public bits it is given', () => {
  it('no index at or past the length of β is read', () => {
    const bits = Uint8Array.of(1, 0, 1);
    const read: string[] = [];
    const beta = new Proxy(bits, {
      get(target, key): unknown {
        if (typeof key === 'string') read.push(key);
        return Reflect.get(target, key) as unknown;
      },
    });
    const out = xorPublicBit(Ring(8), 0, BigUint64Array.of(0n, 1n, 1n), beta);
    expect([...out]).toEqual([1n, 1n, 0n]);
    const indices = read.filter((key) => /^\d+$/.test(key)).map(Number);
    expect(indices.length).toBeGreaterThan(0);
    expect(indices.filter((i) => i >= bits.length)).toEqual([]);
  });
});

describe('permutations draws max(64, 2·n·k) bytes up front', () => {
  it.each([
    [1, 3],
    [2, 5],
  ])('n = %i, k = %i: the PRG continues after the first 64 bytes', (n, k) => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => 17 * i + 1);
    const used = new Prg(key);
    permutations(used, n, k);
    const fresh = new Prg(key);
    fresh.bytes(64);
    expect([...used.bytes(32)]).toEqual([...fresh.bytes(32)]);
  });

  it('n = 20, k = 4: the PRG continues after the first 2·n·k = 160 bytes', () => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => 200 - 3 * i);
    const used = new Prg(key);
    permutations(used, 20, 4);
    const fresh = new Prg(key);
    fresh.bytes(160);
    expect([...used.bytes(32)]).toEqual([...fresh.bytes(32)]);
  });
});
