/**
 * Comparisons and truncations in chunks (protocols/malicious3/bits.ts `inChunks`, spec/cost/malicious3.ts
 * `DECOMPOSE_CHUNK`): across a chunk boundary ReLU, truncation and [x ≥ 0] stay exact, and the metered
 * bytes and rounds equal the chunked closed forms (k = 8, s = 8; DECOMPOSE_CHUNK + 3 elements).
 */
import { describe, expect, it } from 'vitest';
import { Prg } from '../../../protocols/common/prg.js';
import { fromBigints } from '../../../protocols/malicious3/ring.js';
import { nonNegative, relu, truncate } from '../../../protocols/malicious3/bits.js';
import type { Auth } from '../../../protocols/malicious3/rss.js';
import type { Session } from '../../../protocols/malicious3/session.js';
import { chunkSizes, DECOMPOSE_CHUNK, malicious3Costs } from '../../../spec/cost/malicious3.js';
import { reconstruct, run3 } from './support.js';
import { timeout } from '../../setup/timeouts.js';

const k = 8;
const s = 8;
const m = k + s;
const n = DECOMPOSE_CHUNK + 3;
const xs = [...new Prg(new Uint8Array(16).fill(7)).ring(m, n)];
const low = (v: bigint): bigint => BigInt.asUintN(k, v);
const signed = (v: bigint): bigint => BigInt.asIntN(k, v);
const floorDiv = (a: bigint, d: bigint): bigint => (a >= 0n ? a / d : -((-a + d - 1n) / d));

type Op = (st: Session, x: Auth) => Promise<Auth>;

/** The reconstructed result of `op` on the shared xs, and its bytes per link (a run without it subtracted). */
async function metered(op: Op | null): Promise<{ y: bigint[]; links: Record<string, number> }> {
  const { outputs, meter } = await run3(k, s, 'chunks', async (st) => {
    const x = await st.input(0, n, st.id === 0 ? fromBigints(m, xs) : undefined);
    await st.verify();
    const y = op === null ? x : await op(st, x);
    await st.verify();
    return y;
  });
  return { y: reconstruct(m, outputs).map(low), links: { ...meter.links } };
}

async function nodeBytes(op: Op): Promise<{ y: bigint[]; links: Record<string, number> }> {
  const [base, r] = [await metered(null), await metered(op)];
  return { y: r.y, links: Object.fromEntries(Object.entries(r.links).map(([l, b]) => [l, b - (base.links[l] ?? 0)])) };
}

describe(`chunked decompositions (${n} elements, chunks of ${DECOMPOSE_CHUNK})`, () => {
  it('splits into chunks', () => {
    expect(chunkSizes(n)).toEqual([DECOMPOSE_CHUNK, 3]);
    expect(chunkSizes(5)).toEqual([5]);
  });

  it(
    'ReLU, truncation and [x ≥ 0] are exact across the boundary; metered = the chunked cost',
    async () => {
      const relus = await nodeBytes((st, x) => relu(st, x));
      expect(relus.y).toEqual(xs.map((v) => (signed(low(v)) > 0n ? low(v) : 0n)));
      const truncs = await nodeBytes((st, x) => truncate(st, x, 3));
      expect(truncs.y).toEqual(xs.map((v) => low(floorDiv(signed(low(v)), 8n))));
      const ge = await nodeBytes((st, x) => nonNegative(st, x));
      expect(ge.y).toEqual(xs.map((v) => (signed(low(v)) >= 0n ? 1n : 0n)));
      expect(relus.links).toEqual(malicious3Costs.relu(k, s, n).links);
      expect(truncs.links).toEqual(malicious3Costs.trunc(k, s, n).links);
    },
    timeout(60_000),
  );
});
