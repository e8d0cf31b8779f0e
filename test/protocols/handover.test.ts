/**
 * Handed-over messages (protocols/common/handover.ts): only a whole-buffer array its sender marked
 * may be moved; views into larger buffers and unmarked arrays are copied by the thread transport.
 * That the threaded runs still equal the in-memory ones (outputs, meter, per-node bytes) with the
 * moves in place is test/harness/threads.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { handOver, isHandedOver } from '../../protocols/common/handover.js';

describe('handOver', () => {
  it('marks whole-buffer arrays only', () => {
    const fresh = new Uint8Array(16);
    expect(isHandedOver(fresh)).toBe(false);
    expect(handOver(fresh)).toBe(fresh);
    expect(isHandedOver(fresh)).toBe(true);
    // Another view of the same buffer is not the message that was handed over if it is partial.
    expect(isHandedOver(fresh.subarray(1))).toBe(false);
    const big = new Uint8Array(32);
    const view = big.subarray(0, 16);
    handOver(view);
    expect(isHandedOver(view)).toBe(false);
    expect(isHandedOver(big)).toBe(false);
  });
});
