/**
 * Mutation kills for protocols/securenn-family/nonlinear/private-compare.ts from a targeted Stryker run
 * (issue 20; proofs-notes/mutation.md, "Targeted runs"): PrivateCompare on no elements. Both holders
 * return before building or sending anything, and the helper before waiting for their messages —
 * all three parties finish, with no message, no byte and no round, and P2 learns an empty β′. (Without
 * the holders' early return they would send empty messages, counted here; without the helper's, it
 * would wait for messages that never come, and the run would not finish within the deadline.)
 */
import { describe, expect, it } from 'vitest';
import { privateCompare } from '../protocols/by-role.js';
import { run3 } from '../protocols/nonlinear/support.js';
import { PORTHOS, SECURENN } from '../../protocols/securenn-family/nonlinear/variant.js';
import { zeroLinks } from '../../spec/cost/types.js';

const deadline = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not finished in ${ms} ms`)), ms))]);

describe('PrivateCompare on no elements', () => {
  it.each([PORTHOS, SECURENN])('$name: every party finishes at once, with no message and an empty β′', async (v) => {
    const run = await deadline(
      run3(16, `pc-empty-${v.name}`, (ctx) =>
        privateCompare(ctx, v, 0, new Uint8Array(0), new BigUint64Array(0), new Uint8Array(0)),
      ),
      5_000,
    );
    expect(run.p2.length).toBe(0);
    expect(run.meter.messages).toEqual(zeroLinks());
    expect(run.meter.links).toEqual(zeroLinks());
    expect(run.meter.rounds).toBe(0);
  });
});
