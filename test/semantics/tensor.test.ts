/** Layout helpers (semantics/tensor.ts) against direct coordinate definitions. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { numel, stridesOf, type Shape } from '../../spec/geometry.js';
import { argmax, broadcastIndex, concat, gather, padIndex, transposeIndex } from '../../semantics/tensor.js';

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 });

function coords(shape: Shape, i: number): number[] {
  const st = stridesOf(shape);
  return shape.map((d, ax) => Math.floor(i / (st[ax] as number)) % d);
}

function index(shape: Shape, c: readonly number[]): number {
  const st = stridesOf(shape);
  return c.reduce((a, x, ax) => a + x * (st[ax] as number), 0);
}

describe('semantics/tensor', () => {
  it('broadcastIndex: output cell c reads the input at c with broadcast axes pinned to 0', () => {
    fc.assert(
      fc.property(shapeArb, fc.array(fc.boolean(), { maxLength: 4 }), fc.nat(3), (to, ones, drop) => {
        const from = to.slice(Math.min(drop, to.length)).map((d, i) => (ones[i] === true ? 1 : d));
        const idx = broadcastIndex(from, to);
        expect(idx.length).toBe(numel(to));
        idx.forEach((src, i) => {
          const c = coords(to, i).slice(to.length - from.length);
          expect(src).toBe(
            index(
              from,
              c.map((x, ax) => (from[ax] === 1 ? 0 : x)),
            ),
          );
        });
      }),
    );
  });

  it('broadcastIndex rejects incompatible shapes with a shape error', () => {
    expect(() => broadcastIndex([3], [2])).toThrow(CryptflowError);
    expect(() => broadcastIndex([2, 2], [2])).toThrow(CryptflowError);
  });

  it('transpose: out[c] = in[c ∘ perm⁻¹], and the inverse permutation undoes it', () => {
    fc.assert(
      fc.property(
        shapeArb.chain((s) =>
          fc.tuple(fc.constant(s), fc.shuffledSubarray([...s.keys()], { minLength: s.length, maxLength: s.length })),
        ),
        ([shape, perm]) => {
          const data = Float32Array.from({ length: numel(shape) }, (_, i) => i);
          const t = transposeIndex(shape, perm);
          const y = gather(data, t.idx, 0);
          y.forEach((v, i) => {
            const c = coords(t.shape, i);
            const src = new Array<number>(shape.length);
            perm.forEach((p, ax) => (src[p] = c[ax] as number));
            expect(v).toBe(index(shape, src));
          });
          const inv = perm.map((_, i) => perm.indexOf(i));
          expect(gather(y, transposeIndex(t.shape, inv).idx, 0)).toEqual(data);
        },
      ),
    );
  });

  it('pad: interior cells are the input, the rest the fill value', () => {
    fc.assert(
      fc.property(
        shapeArb.chain((s) =>
          fc.tuple(fc.constant(s), fc.array(fc.nat(2), { minLength: 2 * s.length, maxLength: 2 * s.length })),
        ),
        ([shape, pads]) => {
          const data = BigUint64Array.from({ length: numel(shape) }, (_, i) => BigInt(i + 1));
          const r = padIndex(shape, pads);
          const y = gather(data, r.idx, 0n);
          y.forEach((v, i) => {
            const c = coords(r.shape, i).map((x, ax) => x - (pads[ax] as number));
            const inside = c.every((x, ax) => x >= 0 && x < (shape[ax] as number));
            expect(v).toBe(inside ? BigInt(index(shape, c) + 1) : 0n);
          });
        },
      ),
    );
  });

  it('concat along an axis, then the parts are contiguous blocks per outer index', () => {
    const a = { shape: [2, 1, 2], data: Float32Array.of(1, 2, 3, 4) };
    const b = { shape: [2, 2, 2], data: Float32Array.of(5, 6, 7, 8, 9, 10, 11, 12) };
    const c = concat([a, b], 1);
    expect(c.shape).toEqual([2, 3, 2]);
    expect(Array.from(c.data)).toEqual([1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12]);
    expect(() => concat([a, { shape: [3, 1, 2], data: new Float32Array(6) }], 1)).toThrow(CryptflowError);
  });

  it('argmax takes the first maximum along the axis', () => {
    const r = argmax(Float32Array.of(1, 3, 3, 0, 7, 7), [2, 3], 1, false, (x, y) => x > y);
    expect(Array.from(r.idx)).toEqual([1, 1]);
    expect(r.shape).toEqual([2]);
    expect(argmax(Float32Array.of(1, 3, 3, 0, 7, 7), [2, 3], 0, true, (x, y) => x > y).shape).toEqual([1, 3]);
  });
});
