/**
 * Mutation kills for protocols/malicious3/bits.ts (the malicious backend's random bits, bit
 * decomposition and exact truncation). What the protocol suite leaves open:
 *
 *   - `decompose` without `f` or `withBits` gives neither a borrow at f nor the bits of x;
 *   - truncation rejects f = 0, f = k and f = 1.5 with the exact defect message, and accepts f = 1
 *     and f = k − 1;
 *   - a session whose parameters carry k = 1 (built without `m3Params`) stops the decomposition with
 *     the exact "needs k ≥ 2" defect.
 *
 * Argued equivalent (scripts/mutation/equivalent/protocols__malicious3__bits.json): reads and writes
 * one element past typed arrays' ends, the PRG bits of the component a party does not hold (discarded
 * or all zero), the unreachable 'msb' and 'borrow at f' defects, the bit of x computed where nobody
 * keeps it, and the one-chunk fast path (the general path copies the same values).
 */
import { describe, expect, it } from 'vitest';
import { runParties } from '../../harness/network/run.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { decompose, nonNegative, truncate } from '../../protocols/malicious3/bits.js';
import { fromBigints } from '../../protocols/malicious3/ring.js';
import type { Auth, M3Params } from '../../protocols/malicious3/rss.js';
import { Session } from '../../protocols/malicious3/session.js';
import { reconstruct, run3 } from '../protocols/malicious3/support.js';
import { expectDefect } from './defect-support.js';

const k = 4;
const s = 4;
const m = k + s;

describe('decompose', () => {
  /** Kills 77 BooleanLiteral (withBits = true) and 96 ConditionalExpression → true (β_1 without f). */
  it('without f or withBits returns no borrow at f and no bits of x', async () => {
    const xs = [3n, 12n, 200n];
    const { outputs } = await run3(k, s, 'plain', async (st) => {
      const x = await st.input(0, xs.length, st.id === 0 ? fromBigints(m, xs) : undefined);
      const d = await decompose(st, x);
      return { borrowAtF: d.borrowAtF, xBits: d.xBits, msb: d.msb };
    });
    for (const o of outputs) {
      expect(o.borrowAtF).toBeNull();
      expect(o.xBits).toBeNull();
    }
    expect(
      reconstruct(
        m,
        outputs.map((o) => o.msb),
      ),
    ).toEqual([0n, 1n, 1n]);
  });

  /** Kills 112 StringLiteral and 97 EqualityOperator (i <= k runs a position past r's bits). */
  it('stops with the exact defect at k = 1', async () => {
    const params: M3Params = Object.freeze({ k: 1, s: 4, m: 5 });
    const p = async (ctx: PartyContext): Promise<Auth> => {
      const st = new Session(ctx, params);
      const x = await st.input(0, 1, st.id === 0 ? fromBigints(5, [1n]) : undefined);
      return nonNegative(st, x);
    };
    await expectDefect(() => runParties([p, p, p], { ell: 1, seed: 'k1' }), 'decomposition needs k ≥ 2 (k = 1)');
  });
});

describe('truncate guard', () => {
  const attempt = (f: number) => () =>
    run3(k, s, `f-${f}`, async (st) => {
      const x = await st.input(0, 1, st.id === 0 ? fromBigints(m, [9n]) : undefined);
      return truncate(st, x, f);
    });

  /** Kills every mutant of the guard at 168 (conditions, operators and the message). */
  it.each([0, k, 1.5])('rejects f = %d with the exact defect', async (f) => {
    await expectDefect(attempt(f), `truncation by 2^${f} at k = ${k}`);
  });

  /** Pins 168 EqualityOperator f > 1 (it refuses f = 1): ⌊−7 / 2⌋ = −4, ⌊−7 / 8⌋ = −1 at k = 4. */
  it.each([
    [1, 12n],
    [k - 1, 15n],
  ])('accepts f = %d', async (f, want) => {
    const { outputs } = await attempt(f)();
    expect(reconstruct(m, outputs).map((v) => v % (1n << BigInt(k)))).toEqual([want]);
  });
});
