/**
 * Input independence of each corrupted party's view (the semi-honest part of the simulation argument,
 * proofs-notes/malicious3.md): at k = 4, s = 4 (one byte per element), the bytes a party receives
 * during x·y → ReLU → truncation → the check are distributed the same when the honest parties' inputs
 * are A or B (fresh keys per run; per byte coordinate a chi-square homogeneity test of its top two bits,
 * Bonferroni over coordinates; constant coordinates must be equal). A planted leak — the client P0
 * sending its input in the clear to P2 — is caught by the same test. Per-coordinate marginals cannot
 * see a leak spread over several uniform components (a replicated component alone is uniform): the
 * simulation tests with pairwise statistics are in simulation.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runParties } from '../../../harness/network/run.js';
import { chiSquareHomogeneity } from '../../../harness/conformance/stats.js';
import type { PartyContext, PartyId } from '../../../protocols/common/party.js';
import { relu, truncate } from '../../../protocols/malicious3/bits.js';
import { fromBigints } from '../../../protocols/malicious3/ring.js';
import { encode } from '../../../protocols/malicious3/convert.js';
import { m3Params } from '../../../protocols/malicious3/rss.js';
import { Session } from '../../../protocols/malicious3/session.js';
import { timeout } from '../../setup/timeouts.js';

const params = m3Params(4, 4);
const RUNS = 100;
const ALPHA = 1e-6;
const INPUTS = {
  A: [
    [3n, 0n, 7n],
    [5n, 1n, 15n],
  ],
  B: [
    [12n, 9n, 1n],
    [2n, 14n, 0n],
  ],
} as const;

/** The bytes party c receives after the inputs are shared, in one run on input set `which`. */
async function view(c: PartyId, which: 'A' | 'B', run: number, leak: boolean): Promise<Uint8Array> {
  const got: number[] = [];
  const [xs, ys] = INPUTS[which].map((v) => [...v]);
  const prog = async (ctx: PartyContext): Promise<void> => {
    let recording = false;
    const watched: PartyContext =
      ctx.id === c
        ? {
            ...ctx,
            recv: async (from, what) => {
              const b = await ctx.recv(from, what);
              if (recording) got.push(...b);
              return b;
            },
          }
        : ctx;
    const st = new Session(watched, params);
    const x = await st.input(0, 3, ctx.id === 0 ? fromBigints(params.m, xs as bigint[]) : undefined);
    const y = await st.input(1, 3, ctx.id === 1 ? fromBigints(params.m, ys as bigint[]) : undefined);
    recording = true;
    // the planted leak: P0 forwards its input share's two components and its input (an input-sharing bug)
    if (leak && ctx.id === 0) ctx.send(c, encode(params.m, fromBigints(params.m, xs as bigint[])));
    if (leak && ctx.id === c) await watched.recv(0, 'leak');
    const [z] = await st.mult([{ x, y }]);
    await truncate(st, await relu(st, z as NonNullable<typeof z>), 1);
    await st.verify();
  };
  await runParties([prog, prog, prog], { ell: 4, seed: `view:${which}:${run}` });
  return Uint8Array.from(got);
}

async function independent(c: PartyId, leak = false): Promise<{ ok: boolean; worst: number; coords: number }> {
  const a: Uint8Array[] = [];
  const b: Uint8Array[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(await view(c, 'A', i, leak));
    b.push(await view(c, 'B', i, leak));
  }
  const n = (a[0] as Uint8Array).length;
  expect(a.every((v) => v.length === n) && b.every((v) => v.length === n)).toBe(true);
  let worst = 1;
  let ok = true;
  for (let j = 0; j < n; j++) {
    const ha = [0, 0, 0, 0];
    const hb = [0, 0, 0, 0];
    for (const v of a) ha[(v[j] as number) >> 6] = (ha[(v[j] as number) >> 6] as number) + 1;
    for (const v of b) hb[(v[j] as number) >> 6] = (hb[(v[j] as number) >> 6] as number) + 1;
    const constA = a.every((v) => v[j] === a[0]?.[j]);
    const constB = b.every((v) => v[j] === b[0]?.[j]);
    if (constA && constB) {
      if (a[0]?.[j] !== b[0]?.[j]) ok = false;
      continue;
    }
    const t = chiSquareHomogeneity(ha, hb);
    worst = Math.min(worst, t.pValue);
    if (t.pValue < ALPHA / n) ok = false;
  }
  return { ok, worst, coords: n };
}

describe('malicious3 views are independent of the honest inputs (k = 4, s = 4)', () => {
  it.each([0, 1, 2] as PartyId[])(
    'corrupted P%i',
    async (c) => {
      const r = await independent(c);
      expect(r.coords).toBeGreaterThan(50);
      expect(r.ok, `worst p = ${r.worst}`).toBe(true);
    },
    60_000,
  );

  it(
    'a planted leak (P0 sends its input to P2 in the clear) is caught',
    async () => {
      const r = await independent(2, true);
      expect(r.ok).toBe(false);
    },
    timeout(60_000),
  );
});
