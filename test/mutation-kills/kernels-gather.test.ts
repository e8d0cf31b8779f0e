/**
 * Mutation kills for semantics/kernels/gather.ts.
 *
 * Pins:
 * - line 26 (ConditionalExpression → true): directMap's bounds test, so a tap past the end pad is
 *   reported as −1 and skipped instead of reading the next row of the input.
 * - line 38 (ConditionalExpression → false): transposedMap's guard, so a tap between strides or before
 *   the first input cell is reported as −1 instead of a fractional or negative input offset.
 */
import { describe, expect, it } from 'vitest';
import { directMap, gatherConv, transposedMap, type GatherMap } from '../../semantics/kernels/gather.js';
import { convPlan, convTransposePlan, type ConvPlan } from '../../semantics/kernels/geometry.js';

/** Every output cell's taps as [input index, weight index] pairs, in gather order. */
function taps(p: ConvPlan, map: GatherMap): (readonly [number, number])[][] {
  const cells: (readonly [number, number])[][] = [];
  gatherConv<(readonly [number, number])[]>(
    p,
    map,
    [],
    (acc, xi, wi) => [...acc, [xi, wi] as const],
    (yi, acc) => {
      cells[yi] = acc;
    },
  );
  return cells;
}

/** Exact integer convolution through gatherConv (plain numbers, small values). */
function convolve(p: ConvPlan, map: GatherMap, x: readonly number[], w: readonly number[]): number[] {
  const y: number[] = [];
  gatherConv(
    p,
    map,
    0,
    (acc, xi, wi) => acc + (x[xi] ?? Number.NaN) * (w[wi] ?? Number.NaN),
    (yi, acc) => {
      y[yi] = acc;
    },
  );
  return y;
}

describe('directMap (gather.ts line 26)', () => {
  // Two batch items of length 3, kernel 2, end pad 1: output length 3, last cell's second tap is padding.
  const x = { shape: [2, 1, 3], data: { length: 6 } };
  const w = { shape: [1, 1, 2], data: { length: 2 } };
  const p = convPlan(x, w, { strides: [1], pads: [0, 1], dilations: [1], groups: 1 });

  it('reports a tap past the end of the input as −1, and an in-range tap as its offset', () => {
    const map = directMap(p);
    expect(map.source(2, 2, 1)).toBe(-1);
    expect(map.source(2, 2, 0)).toBe(2);
    expect(map.source(2, 1, 1)).toBe(2);
  });

  it('skips the end-padding tap instead of reading the next batch item', () => {
    expect(taps(p, directMap(p))).toEqual([
      [
        [0, 0],
        [1, 1],
      ],
      [
        [1, 0],
        [2, 1],
      ],
      [[2, 0]],
      [
        [3, 0],
        [4, 1],
      ],
      [
        [4, 0],
        [5, 1],
      ],
      [[5, 0]],
    ]);
    expect(convolve(p, directMap(p), [1, 2, 3, 4, 5, 6], [1, 10])).toEqual([21, 32, 3, 54, 65, 6]);
  });
});

describe('transposedMap (gather.ts line 38)', () => {
  it('reports a tap between strides as −1 and skips it', () => {
    // Input length 2, kernel 1, stride 2: output length 3; output 1 lies between the two input cells.
    const p = convTransposePlan(
      { shape: [1, 1, 2], data: { length: 2 } },
      { shape: [1, 1, 1], data: { length: 1 } },
      { strides: [2], pads: [0, 0], dilations: [1], groups: 1, outputPadding: [0] },
    );
    const map = transposedMap(p);
    expect(map.source(2, 1, 0)).toBe(-1);
    expect(map.source(2, 2, 0)).toBe(1);
    expect(taps(p, map)).toEqual([[[0, 0]], [], [[1, 0]]]);
    expect(convolve(p, map, [3, 5], [7])).toEqual([21, 0, 35]);
  });

  it('reports a tap before the first input cell as −1, not as a negative offset', () => {
    // Input length 2, kernel 3, stride 1: output length 4; output 0 with tap 2 would need input −2.
    const p = convTransposePlan(
      { shape: [1, 1, 2], data: { length: 2 } },
      { shape: [1, 1, 3], data: { length: 3 } },
      { strides: [1], pads: [0, 0], dilations: [1], groups: 1, outputPadding: [0] },
    );
    const map = transposedMap(p);
    expect(map.source(2, 0, 2)).toBe(-1);
    expect(map.source(2, 0, 0)).toBe(0);
    expect(convolve(p, map, [1, 2], [1, 10, 100])).toEqual([1, 12, 120, 200]);
  });
});
