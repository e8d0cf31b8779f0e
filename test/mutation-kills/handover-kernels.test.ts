/**
 * Mutation kills for two small files of the 2026-12-07 sweep:
 *   - protocols/common/handover.ts (70 %): a mark covers whole ArrayBuffers only. Handing over a view
 *     into a larger buffer marks nothing (13, condition forced true); a view into a marked buffer that
 *     starts past 0 or ends before its end is not movable (21, 22), nor is a whole view of a
 *     SharedArrayBuffer (20: the `instanceof ArrayBuffer` clause forced true, and both `||` forms).
 *   - semantics/kernels/index.ts (two uncovered): an implementation name outside the union is an
 *     InvariantViolation naming it (22 `default:`, 23 the message).
 */
import { describe, expect, it } from 'vitest';
import { handOver, isHandedOver } from '../../protocols/common/handover.js';
import { kernels, referenceKernels, wasmKernels } from '../../semantics/kernels/index.js';
import { InvariantViolation } from '../../spec/errors.js';

describe('handOver marks whole ArrayBuffers only', () => {
  it('a whole array handed over is movable, views into its buffer are not', () => {
    const whole = new Uint8Array(8);
    expect(isHandedOver(whole)).toBe(false);
    expect(handOver(whole)).toBe(whole);
    expect(isHandedOver(whole)).toBe(true);
    expect(isHandedOver(new Uint8Array(whole.buffer))).toBe(true);
    expect(isHandedOver(whole.subarray(1))).toBe(false);
    expect(isHandedOver(whole.subarray(0, 7))).toBe(false);
    expect(isHandedOver(whole.subarray(2, 5))).toBe(false);
  });

  it('handing over a view marks nothing', () => {
    const buffer = new ArrayBuffer(8);
    for (const view of [new Uint8Array(buffer, 1), new Uint8Array(buffer, 0, 7), new Uint8Array(buffer, 2, 3)]) {
      expect(handOver(view)).toBe(view);
      expect(isHandedOver(view)).toBe(false);
    }
    expect(isHandedOver(new Uint8Array(buffer))).toBe(false);
  });

  it('a whole view of a SharedArrayBuffer is never movable', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(8));
    expect(handOver(shared)).toBe(shared);
    expect(isHandedOver(shared)).toBe(false);
  });
});

describe('kernels by implementation name', () => {
  it('gives each implementation, and refuses a name outside the union naming it', () => {
    expect(kernels('reference')).toBe(referenceKernels);
    expect(kernels('wasm')).toBe(wasmKernels);
    const gpu = 'gpu' as unknown as 'wasm';
    expect(() => kernels(gpu)).toThrow(InvariantViolation);
    expect(() => kernels(gpu)).toThrow('internal error (please report): unhandled kernel implementation: "gpu"');
  });
});
