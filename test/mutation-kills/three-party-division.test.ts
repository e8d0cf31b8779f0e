/**
 * Mutation kills for protocols/securenn-family/three-party.ts, local division (`divideLocally`, the
 * ScaleDown / AvgPool / GlobalAvgPool path) and the lifting of Pad's public value, from the sweep of
 * 2026-12-07 (proofs-notes/mutation.md). The conformance suite checks only that the reconstructed
 * result lies in the allowed set of local truncation, and swapping the two holders' halves of the
 * rule (P0 negating, P1 not) stays inside that set; so these cases pin each holder's OWN output share
 * to the stated rule (semantics/truncation.ts: P0 ⌊x0/d⌋, P1 −⌊−x1/d⌋):
 *
 *   - ScaleDown (the power-of-two path, survivor `ctx.id !== 0` at line 100) and a GlobalAvgPool by 3
 *     (the general path, the same survivor at line 109), for both backends;
 *   - a GlobalAvgPool over 2^ℓ cells at ℓ = 16: 2^ℓ is a power of two but no shift below ℓ, so it
 *     takes the general path (survivors `shift < ctx.ell` → `true`, `<=`, `>=`, line 95, which send
 *     it to the word shift and its defect);
 *   - Pad's public value is added by P0 only (P1 pads with 0, survivor line 219): then a local
 *     truncation of a padded cell is always exact, never one above, whatever the sharing.
 */
import { describe, expect, it } from 'vitest';
import type { Shape } from '../../spec/geometry.js';
import { numel } from '../../spec/geometry.js';
import { Ring } from '../../spec/ring.js';
import { llilBuilder } from '../../ir/builder.js';
import type { LNode } from '../../ir/llil.js';
import { runParties } from '../../harness/network/run.js';
import type { Backend, Held } from '../../protocols/common/backend.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { shareInput } from '../../protocols/common/sharing.js';
import { porthos } from '../../protocols/porthos/index.js';
import { securenn } from '../../protocols/securenn/index.js';
import { localDivideShares, localTruncateShares } from '../../semantics/truncation.js';

const BACKENDS: readonly Backend[] = [porthos({ kernels: 'reference' }), securenn({ kernels: 'reference' })];

/** Some small signed values, different per cell. */
const values = (n: number): bigint[] => Array.from({ length: n }, (_, i) => BigInt((i * 37) % 23) - 11n);

/** A program of one secret input `x` (P0's, scale 8) and the nodes `build` adds; the nodes in order. */
function nodesOf(
  ell: number,
  shape: Shape,
  build: (b: ReturnType<typeof llilBuilder>, x: string) => string,
): readonly LNode[] {
  const b = llilBuilder(ell);
  b.output(build(b, b.input('x', shape, 8, 'client')), 'client');
  return b.build().nodes;
}

interface HolderView {
  readonly x: BigUint64Array;
  readonly y: BigUint64Array;
}

/** Run `nodes` one after the other on a shared x; each holder's share of x and of the last result. */
async function run(
  backend: Backend,
  ell: number,
  shape: Shape,
  xs: readonly bigint[],
  nodes: readonly LNode[],
): Promise<readonly [HolderView, HolderView]> {
  const ring = Ring(ell);
  const prog = async (ctx: PartyContext): Promise<HolderView> => {
    const x = shareInput(ctx, 0, shape, ctx.id === 0 ? ring.fromBigInts([...xs]) : undefined);
    let h: Held = { kind: 'secret', ...x };
    for (const node of nodes) h = await backend.run(ctx, node, [h]);
    if (h.kind !== 'secret') throw new Error('expected a share');
    return { x: x.share, y: h.share };
  };
  const { outputs } = await runParties([prog, prog, prog], { ell, seed: `division-${backend.name}` });
  return [outputs[0], outputs[1]];
}

describe('each holder divides its own share by the rule', () => {
  it.each(BACKENDS)('$name: ScaleDown by 3 bits (P0 shifts, P1 negates, shifts, negates)', async (backend) => {
    const ell = 32;
    const ring = Ring(ell);
    const shape: Shape = [2, 5];
    const nodes = nodesOf(ell, shape, (b, x) => b.scaleDown(x, 3));
    const [p0, p1] = await run(backend, ell, shape, values(numel(shape)), nodes);
    for (let i = 0; i < numel(shape); i++) {
      const [x0, x1] = [p0.x[i] as bigint, p1.x[i] as bigint];
      expect([p0.y[i], p1.y[i]]).toEqual([...localTruncateShares(ring, x0, x1, 3)]);
    }
  });

  it.each(BACKENDS)('$name: GlobalAvgPool by 3 (the general path)', async (backend) => {
    const ell = 32;
    const ring = Ring(ell);
    const shape: Shape = [1, 4, 1, 3];
    const nodes = nodesOf(ell, shape, (b, x) => b.globalAvgPool(x));
    const [p0, p1] = await run(backend, ell, shape, values(numel(shape)), nodes);
    for (let c = 0; c < 4; c++) {
      const sum = (v: BigUint64Array): bigint =>
        ring.reduce((v[3 * c] ?? 0n) + (v[3 * c + 1] ?? 0n) + (v[3 * c + 2] ?? 0n));
      const [s0, s1] = [sum(p0.x), sum(p1.x)];
      expect([p0.y[c], p1.y[c]]).toEqual([
        localDivideShares(ring, s0, 0n, 3n)[0],
        localDivideShares(ring, 0n, s1, 3n)[1],
      ]);
    }
  });

  it('GlobalAvgPool over 2^ℓ cells at ℓ = 16 divides by 2^ℓ (no shift below ℓ does)', async () => {
    const ell = 16;
    const ring = Ring(ell);
    const shape: Shape = [1, 1, 256, 256];
    const nodes = nodesOf(ell, shape, (b, x) => b.globalAvgPool(x));
    const [p0, p1] = await run(porthos({ kernels: 'reference' }), ell, shape, values(numel(shape)), nodes);
    const sum = (v: BigUint64Array): bigint => ring.reduce(v.reduce((a, b) => a + b, 0n));
    const d = 1n << 16n;
    expect([p0.y.length, p1.y.length]).toEqual([1, 1]);
    expect([p0.y[0], p1.y[0]]).toEqual([
      localDivideShares(ring, sum(p0.x), 0n, d)[0],
      localDivideShares(ring, 0n, sum(p1.x), d)[1],
    ]);
  });
});

describe("Pad's public value is added once, by P0", () => {
  it.each(BACKENDS)('$name: padded cells truncate exactly, whatever the sharing', async (backend) => {
    const ell = 32;
    const ring = Ring(ell);
    const shape: Shape = [1, 1, 2, 2];
    const pad = 13n; // not a multiple of 2^2: a share of it held by P1 would truncate to 4, not 3
    const nodes = nodesOf(ell, shape, (b, x) => b.scaleDown(b.pad(x, [0, 0, 1, 1, 0, 0, 1, 1], pad), 2));
    const xs = [5n, -6n, 7n, -8n];
    for (const seed of [0, 1, 2]) {
      const [p0, p1] = await run(
        { ...backend, name: `${backend.name}-${seed}` },
        ell,
        shape,
        xs.map((v) => v + BigInt(seed)),
        nodes,
      );
      const y = [...p0.y].map((v, i) => ring.signed(ring.add(v, p1.y[i] as bigint)));
      expect(y).toHaveLength(16);
      const inner = new Set([5, 6, 9, 10]);
      for (let i = 0; i < 16; i++) if (!inner.has(i)) expect(y[i], `padded cell ${i}`).toBe(3n);
    }
  });
});
