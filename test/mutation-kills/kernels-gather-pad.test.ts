/**
 * Mutation kill for semantics/kernels/gather.ts line 26 (`i >= 0` → true): directMap's lower bound. A tap
 * in the begin pad is reported as −1, as GatherMap.source promises, and not as the negative offset it
 * computes. Every caller today only tests the sign (gatherConv, the float kernels' tables, the linear
 * layers, CrypTFlow2's term counts), so the value is pinned at the contract; kernels-gather.test.ts
 * covers the upper bound and transposedMap.
 */
import { describe, expect, it } from 'vitest';
import { directMap } from '../../semantics/kernels/gather.js';
import { convPlan } from '../../semantics/kernels/geometry.js';

describe('directMap in the begin pad', () => {
  it('reports a tap left of the first input cell as −1', () => {
    const x = { shape: [2, 1, 3], data: { length: 6 } };
    const w = { shape: [1, 1, 2], data: { length: 2 } };
    const map = directMap(convPlan(x, w, { strides: [1], pads: [2, 0], dilations: [1], groups: 1 }));
    expect(map.source(2, 0, 0)).toBe(-1);
    expect(map.source(2, 0, 1)).toBe(-1);
    expect(map.source(2, 1, 0)).toBe(-1);
    expect(map.source(2, 1, 1)).toBe(0);
    expect(map.source(2, 3, 1)).toBe(2);
  });
});
