/**
 * Whole programs on the 3-party backends: Porthos, SecureNN and the plaintext backend reconstruct to
 * the same outputs on a CNN-shaped LLIL program without truncation (all exact operations), every
 * node's metered bytes equal the backend's closed-form cost on every link, the 'io' phase is exactly
 * the reveal of the outputs to the client (P1 sends its share: elements × ⌈ℓ/8⌉ bytes on P1→P0,
 * nothing else; inputs are shared at no cost), and the backends' stated
 * domain is not decoration: without it the conformance suite catches wrong ReLU results.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ring } from '../../spec/ring.js';
import { ringBytes, totalBytes, zeroLinks } from '../../spec/cost/types.js';
import { llilBuilder } from '../../ir/builder.js';
import type { LProgram } from '../../ir/llil.js';
import { operandsOf } from '../../ir/traverse.js';
import { checkLlil } from '../../ir/check.js';
import { isRight } from 'fp-ts/lib/Either.js';
import { fixedSem } from '../../semantics/fixed.js';
import type { Backend } from '../../protocols/common/backend.js';
import { porthos } from '../../protocols/porthos/index.js';
import { securenn } from '../../protocols/securenn/index.js';
import { plaintextBackend } from '../../harness/backends/plaintext.js';
import { runProgram } from '../../harness/runner/program.js';
import { checkGroup } from '../../harness/conformance/index.js';
import { llilOpProgram } from '../arbitraries/llil.js';

const RUNS = process.env['CRYPTFLOW_SLOW'] === '1' ? 200 : 50;

/** conv 3×3 (or 5×5) → ReLU → maxpool 2×2 → conv 1×1 (server weights) → flatten → matmul → ArgMax. */
function cnn(ell: number, big: boolean): LProgram {
  const b = llilBuilder(ell);
  const k = big ? 5 : 3;
  const x = b.input('image', [1, 2, 8, 8], 0, 'client');
  const w1 = b.input('w1', [3, 2, k, k], 0, 'server');
  const c1 = b.conv(x, w1, { pads: [1, 1, 1, 1] });
  const r1 = b.relu(c1);
  const p1 = b.maxPool(r1, { kernel: [2, 2], strides: [2, 2] });
  const w2 = b.input('w2', [2, 3, 1, 1], 0, 'server');
  const c2 = b.conv(p1, w2);
  const f = b.flatten(c2, 1);
  const w3 = b.input('w3', [b.shapeOf(f)[1] ?? 0, 4], 0, 'server');
  const logits = b.matmul(f, w3);
  b.output(logits, 'client');
  b.output(b.argmax(logits, 1), 'client');
  return b.build();
}

function smallValues(ell: number, n: number, salt: number, mag: number): BigUint64Array {
  const ring = Ring(ell);
  return BigUint64Array.from({ length: n }, (_, i) =>
    ring.reduce(BigInt(((i * 7919 + salt * 104729) % (2 * mag + 1)) - mag)),
  );
}

describe('3-party backends on whole programs', () => {
  it('Porthos, SecureNN and plaintext agree exactly; per-node metered bytes equal each backend’s cost', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(32, 64),
        fc.boolean(),
        fc.integer({ min: 1, max: 1000 }),
        async (ell, big, salt) => {
          const p = cnn(ell, big);
          expect(isRight(checkLlil(p))).toBe(true);
          const sizes = new Map(p.decls.map((d) => [d.name, d.shape.reduce((a, e) => a * e, 1)]));
          const client = new Map([['image', smallValues(ell, sizes.get('image') ?? 0, salt, 50)]]);
          const server = new Map(
            ['w1', 'w2', 'w3'].map((w, i) => [w, smallValues(ell, sizes.get(w) ?? 0, salt + i + 1, 5)] as const),
          );
          const expected = fixedSem(p, new Map([...client, ...server]));
          const types = new Map<string, { shape: readonly number[]; secret: boolean }>(
            p.decls.map((d) => [d.name, { shape: d.shape, secret: d.kind === 'input' }]),
          );
          for (const n of p.nodes) types.set(n.out, { shape: n.type.shape, secret: n.type.label === 'secret' });
          for (const backend of [porthos(), securenn(), plaintextBackend()] as Backend[]) {
            const run = await runProgram(p, { client, server }, { backend, seed: `${backend.name}:${salt}` });
            for (const o of p.outputs) expect(run.outputs.get(o.name)).toEqual(expected.get(o.name));
            let sum = 0;
            p.nodes.forEach((node, i) => {
              const want = backend.cost(
                node,
                operandsOf(node).map((n) => types.get(n) ?? { shape: [], secret: false }),
                ell,
              );
              expect(run.perNode[i]).toEqual(want.links);
              sum += totalBytes(want.links);
            });
            expect(totalBytes(run.meter.links)).toBe(sum);
            const revealed = p.outputs.reduce(
              (a, o) => a + (types.get(o.name)?.shape ?? []).reduce((x, e) => x * e, 1),
              0,
            );
            expect(run.meter.io).toEqual({ ...zeroLinks(), 'P1->P0': revealed * ringBytes(ell) });
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('Porthos costs less than SecureNN on the same program, by the helper-to-one saving and the reshaped 5×5 convolution', async () => {
    const p = cnn(64, true);
    const sizes = new Map(p.decls.map((d) => [d.name, d.shape.reduce((a, e) => a * e, 1)]));
    const client = new Map([['image', smallValues(64, sizes.get('image') ?? 0, 1, 50)]]);
    const server = new Map(
      ['w1', 'w2', 'w3'].map((w, i) => [w, smallValues(64, sizes.get(w) ?? 0, i + 2, 5)] as const),
    );
    const [a, b] = [
      await runProgram(p, { client, server }, { backend: porthos(), seed: 'x' }),
      await runProgram(p, { client, server }, { backend: securenn(), seed: 'x' }),
    ];
    // The 5×5 convolution (x 1×2×8×8, w 3×2×5×5, pads 1 → 3×6×6): proofs-notes/cost-tables.md derives
    // these literals. Porthos, reshaped: each holder opens |W| + |X as passed| = 150 + 128 elements
    // (2,224 B), P2 sends P1 its share of the 108 outputs (864 B). SecureNN, im2col: |W| + K·oH·oW =
    // 150 + 50·36 = 1,950 elements each way (15,600 B), and the same 864 B from P2 to P1.
    const conv = p.nodes.findIndex((n) => n.op === 'Conv');
    expect(a.perNode[conv]).toEqual({ ...zeroLinks(), 'P0->P1': 2_224, 'P1->P0': 2_224, 'P2->P1': 864 });
    expect(b.perNode[conv]).toEqual({ ...zeroLinks(), 'P0->P1': 15_600, 'P1->P0': 15_600, 'P2->P1': 864 });
    expect(totalBytes(a.meter.links)).toBeLessThan(totalBytes(b.meter.links));
  });

  it('the stated domain matters: outside ±2^{ℓ−2}, the suite catches Porthos ReLU results', async () => {
    const b = porthos();
    const unbounded: Backend = { name: 'porthos-without-domain', claims: b.claims, run: b.run, cost: b.cost };
    const r = await checkGroup(unbounded, 'Relu', 16, {
      programs: llilOpProgram,
      runs: 8,
      shareRuns: 4,
      scheduledRuns: 0,
      seed: 7,
    });
    expect(r.verdicts.some((v) => v.check === 'correct' && !v.ok)).toBe(true);
    const bounded = await checkGroup(b, 'Relu', 16, {
      programs: llilOpProgram,
      runs: 8,
      shareRuns: 4,
      scheduledRuns: 0,
      seed: 7,
    });
    expect(bounded.verdicts.filter((v) => v.check === 'correct').every((v) => v.ok)).toBe(true);
  });
});
