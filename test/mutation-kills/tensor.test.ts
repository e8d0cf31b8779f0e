/**
 * Mutation kills for semantics/tensor.ts, the layout helpers both semantics share.
 *
 *   - Values the property suites only check through a second copy of the same helper: ArgMax over a
 *     MIDDLE axis (outer and inner both > 1, ties to the first index); the channel of every cell when
 *     there are spatial axes; GlobalAvgPool dividing by the spatial volume only (not N·C), checked
 *     through both semantics on a batch of two with two channels.
 *   - Each validation, one broken clause at a time, with its message (the helpers are exported and
 *     guard themselves; the IR checker normally keeps bad shapes away from them).
 */
import { describe, expect, it } from 'vitest';
import { Ring } from '../../spec/ring.js';
import { hlilBuilder, llilBuilder } from '../../ir/builder.js';
import { fixedSem } from '../../semantics/fixed.js';
import { floatSem } from '../../semantics/float.js';
import {
  argmax,
  broadcastIndex,
  broadcastPair,
  channelIndex,
  concat,
  flattenTo,
  gather,
  globalPoolCount,
  globalPoolGeometry,
  padIndex,
  reshapeTo,
  squeezeTo,
  transposeIndex,
} from '../../semantics/tensor.js';
import { expectCryptflowError } from './support.js';

describe('values', () => {
  it('ArgMax over the middle axis of [2, 3, 2], first maximum on ties', () => {
    const data = Float32Array.of(1, 9, 5, 9, 5, 0, /* o = 1 */ -1, 2, -1, 7, -3, 7);
    const r = argmax(data, [2, 3, 2], 1, false, (a, b) => a > b);
    expect(r.shape).toEqual([2, 2]);
    expect([...r.idx]).toEqual([1, 0, 0, 1]);
    expect(argmax(data, [2, 3, 2], 1, true, (a, b) => a > b).shape).toEqual([2, 1, 2]);
  });

  it('channelIndex with spatial axes', () => {
    expect([...channelIndex([2, 3, 2])]).toEqual([0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2]);
  });

  it('GlobalAvgPool divides by the spatial volume, per (batch, channel)', () => {
    expect(globalPoolCount([2, 3, 4, 5])).toBe(20);
    const xs = [1, 2, 3, 6, /* */ -4, 0, 0, 0, /* n = 1 */ 8, 8, 8, 8, /* */ 10, -2, 1, 3];
    const hb = hlilBuilder();
    hb.output(hb.globalAvgPool(hb.input('x', [2, 2, 2, 2], 'client')), 'client');
    const hp = hb.build();
    expect([...(floatSem(hp, new Map([['x', Float32Array.from(xs)]])).get(hp.outputs[0]?.name ?? '') ?? [])]).toEqual([
      3, -1, 8, 3,
    ]);
    const lb = llilBuilder(16);
    lb.output(lb.globalAvgPool(lb.input('x', [2, 2, 2, 2], 0, 'client')), 'client');
    const lp = lb.build();
    const ring = Ring(16);
    const got =
      fixedSem(lp, new Map([['x', ring.fromBigInts(xs.map(BigInt))]])).get(lp.outputs[0]?.name ?? '') ??
      new BigUint64Array(0);
    expect([...got].map((v) => ring.signed(v))).toEqual([3n, -1n, 8n, 3n]);
  });
});

describe('gather', () => {
  it('writes the fill value where the index is −1, through the generic (float) path and the word path', () => {
    const idx = Int32Array.from([2, -1, 0, -1]);
    expect([...gather(Float32Array.from([1.5, 2.5, 3.5]), idx, -7)]).toEqual([3.5, -7, 1.5, -7]);
    expect([...gather(BigUint64Array.from([1n, 2n, 3n]), idx, 9n)]).toEqual([3n, 9n, 1n, 9n]);
  });
});

describe('validation messages', () => {
  it('broadcasting', () => {
    expectCryptflowError(() => broadcastIndex([3, 1], [1, 4]), 'shape', 'shape [3,1] does not broadcast to [1,4]');
    expectCryptflowError(() => broadcastIndex([2, 3], [3]), 'shape', 'shape [2,3] does not broadcast to [3]');
    expectCryptflowError(() => broadcastIndex([2], [3]), 'shape', 'shape [2] does not broadcast to [3]');
    expectCryptflowError(() => broadcastIndex([3], [1]), 'shape', 'shape [3] does not broadcast to [1]');
    expectCryptflowError(
      () => broadcastPair(new Float32Array(6), [2, 3], new Float32Array(2), [2]),
      'shape',
      'shapes [2,3] and [2] do not broadcast',
    );
  });

  it('channels, transposes and pads', () => {
    expectCryptflowError(() => channelIndex([4]), 'shape', 'per-channel operand needs x of rank ≥ 2, x is [4]');
    for (const perm of [[0], [0, 1, 1], [0, 0], [0, 2], [0, 1.5], [-1, 0]]) {
      expectCryptflowError(
        () => transposeIndex([2, 3], perm),
        'shape',
        `perm [${perm.join(',')}] is not a permutation of the axes of [2,3]`,
      );
    }
    for (const pads of [
      [0, 0, 0],
      [0, -1, 0, 0],
      [0, 0.5, 0, 0],
    ]) {
      expectCryptflowError(() => padIndex([2, 3], pads), 'shape', 'pads must be 4 non-negative integers for x [2,3]');
    }
  });

  it('concatenation', () => {
    const t = (shape: number[]) => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
    expectCryptflowError(() => concat([], 0), 'shape', 'Concat needs at least one operand');
    for (const axis of [-1, 2, 0.5])
      expectCryptflowError(() => concat([t([1, 2])], axis), 'shape', `axis ${axis} is out of range for [1,2]`);
    expectCryptflowError(
      () => concat([t([1, 2]), t([2, 3])], 1),
      'shape',
      'Concat operands [2,3] and [1,2] differ off axis 1',
    );
    expectCryptflowError(
      () => concat([t([1, 2]), t([1])], 1),
      'shape',
      'Concat operands [1] and [1,2] differ off axis 1',
    );
    expectCryptflowError(
      () => concat([t([1, 2]), t([1, 2, 1])], 1),
      'shape',
      'Concat operands [1,2,1] and [1,2] differ off axis 1',
    );
  });

  it('reshape, flatten, squeeze, ArgMax and global pooling', () => {
    expectCryptflowError(() => reshapeTo([2, 3], [5]), 'shape', 'cannot reshape [2,3] to [5]: element counts differ');
    for (const axis of [-1, 3, 1.5])
      expectCryptflowError(() => flattenTo([2, 3], axis), 'shape', `Flatten axis ${axis} is out of range for [2,3]`);
    expect(flattenTo([2, 3], 2)).toEqual([6, 1]);
    expectCryptflowError(() => squeezeTo([1, 3], [0, 1]), 'shape', 'cannot squeeze axis 1 of [1,3]');
    for (const axis of [-1, 2, 0.5])
      expectCryptflowError(
        () => argmax(new Float32Array(6), [2, 3], axis, false, (a, b) => a > b),
        'shape',
        `ArgMax axis ${axis} is out of range for [2,3]`,
      );
    expectCryptflowError(
      () => globalPoolGeometry([2, 3]),
      'shape',
      'global pooling needs x of rank ≥ 3 (N, C, spatial…), x is [2,3]',
    );
  });
});
