/** The malicious3 session: inputs, products, checked openings, outputs; MAC relations hold. */
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { fromBigints, toBigints, type Z128 } from '../../../protocols/malicious3/ring.js';
import type { Auth } from '../../../protocols/malicious3/rss.js';
import { reconstruct, reconstructMac, run3 } from './support.js';

const k = 16;
const s = 8;
const m = k + s;
const M = 1n << BigInt(m);
const el = fc.bigInt({ min: 0n, max: M - 1n });

describe('malicious3 session (k = 16, s = 8)', () => {
  it('shares inputs, multiplies with MACs, and every MAC equals α·x', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(el, el), { minLength: 1, maxLength: 6 }), fc.string(), async (xy, seed) => {
        const xs = xy.map(([a]) => a);
        const ys = xy.map(([, b]) => b);
        const { outputs } = await run3(k, s, seed, async (st) => {
          const x = await st.input(0, xs.length, st.id === 0 ? fromBigints(m, xs) : undefined);
          const y = await st.input(1, ys.length, st.id === 1 ? fromBigints(m, ys) : undefined);
          const [z] = await st.mult([{ x, y }]);
          await st.verify();
          return { z: z as Auth, alpha: { x: st.alpha, mac: st.alpha } };
        });
        const z = reconstruct(
          m,
          outputs.map((o) => o.z),
        );
        expect(z).toEqual(xs.map((v, i) => (v * (ys[i] as bigint)) % M));
        const [alpha] = reconstruct(
          m,
          outputs.map((o) => o.alpha),
        );
        expect(
          reconstructMac(
            m,
            outputs.map((o) => o.z),
          ),
        ).toEqual(z.map((v) => (v * (alpha as bigint)) % M));
      }),
      { numRuns: 20 },
    );
  });

  it('opens only checked values, reveals outputs to one party (mod 2^k; the s high bits masked)', async () => {
    const xs = [3n, M - 1n, 12345n];
    const low = xs.map((v) => v % (1n << BigInt(k)));
    const { outputs } = await run3(k, s, 'open', async (st) => {
      const x = await st.input(2, 3, st.id === 2 ? fromBigints(m, xs) : undefined);
      const [y] = await st.openChecked([x]);
      const out = await st.revealTo(x, 1);
      return { opened: toBigints(y as Z128), out: out === null ? null : toBigints(out) };
    });
    for (const o of outputs) expect(o.opened).toEqual(xs);
    expect(outputs.map((o) => o.out?.map((v) => v % (1n << BigInt(k))) ?? null)).toEqual([null, low, null]);
    // the high bits of the revealed value are a fresh mask, not x's (here x's are 0 for 3 and all ones for M − 1)
    expect(outputs[1].out?.map((v) => v >> BigInt(k))).not.toEqual(xs.map((v) => v >> BigInt(k)));
  });
});

describe('malicious3: not yet done', () => {
  test.todo(
    'SqueezeNet under malicious executed for real: the opt-in bench line exists (BENCH_MALICIOUS_RUN=squeezenet), the run (about 5–6 h here) was not made',
  );
});
