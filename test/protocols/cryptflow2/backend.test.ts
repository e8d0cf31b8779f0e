/**
 * The cryptflow2 backend on one-op LLIL programs (every LLIL operation, ℓ ∈ {8, 16, 32, 64}): outputs
 * bit-equal to the `plaintext` backend's on random inputs, and the metered bytes per link equal the
 * sum of the nodes' closed-form costs (spec/cost/cryptflow2.ts composed with the OT double's model).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LOp, LProgram } from '../../../ir/llil.js';
import { cryptflow2Backend } from '../../../protocols/cryptflow2/index.js';
import { plaintextBackend } from '../../../harness/backends/plaintext.js';
import { runProgram } from '../../../harness/runner/program.js';
import { keysFromSeed, Prg } from '../../../protocols/common/prg.js';
import { LLIL_OPS, llilOpProgram } from '../../arbitraries/llil.js';
import { functionalOt, functionalOtCosts } from './functional-ot.js';
import { programLinks, runTwoParty } from './program.js';
import { runs } from './support.js';
import { llilBuilder } from '../../../ir/builder.js';
import { otSetupCost } from '../../../spec/cost/ot.js';

const backend = cryptflow2Backend({ kernels: 'reference', openOt: functionalOt, otCost: functionalOtCosts });

/** Random inputs: uniform ring values, or small ones (±2^{⌊ℓ/4⌋}) where a comparison tree needs its domain. */
function inputsOf(
  p: LProgram,
  seed: string,
): { client: Map<string, BigUint64Array>; server: Map<string, BigUint64Array> } {
  const prg = new Prg(keysFromSeed(seed)[0].own);
  const bounded = p.nodes.some((n) => n.op === 'MaxPool' || n.op === 'ArgMax');
  const client = new Map<string, BigUint64Array>();
  const server = new Map<string, BigUint64Array>();
  for (const d of p.decls) {
    if (d.kind !== 'input') continue;
    const n = d.shape.reduce((a, e) => a * e, 1);
    const b = Math.floor(p.ell / 4);
    const raw = prg.ring(p.ell, n);
    const vals = bounded ? raw.map((v) => BigInt.asUintN(p.ell, BigInt.asIntN(b + 1, v))) : raw;
    (d.owner === 'client' ? client : server).set(d.name, vals);
  }
  return { client, server };
}

describe('cryptflow2 backend: every LLIL op (inputs in the clear form or as general sharings), bit-equal to plaintext', () => {
  it.each(LLIL_OPS as LOp[])('%s', async (op) => {
    await fc.assert(
      fc.asyncProperty(llilOpProgram(op, [8, 16, 32, 64]), fc.string(), fc.boolean(), async (p, seed, shared) => {
        const inputs = inputsOf(p, seed);
        const want = await runProgram(p, inputs, { backend: plaintextBackend(), seed });
        const got = await runTwoParty(p, new Map([...inputs.client, ...inputs.server]), backend, seed, shared);
        for (const o of p.outputs) expect(got.outputs.get(o.name)).toEqual(want.outputs.get(o.name));
        expect(got.meter.links).toEqual(programLinks(p, backend, shared));
      }),
      { numRuns: runs(3) },
    );
  });
});

/** conv 3×3 → ReLU → MaxPool 2×2 → AvgPool 2×2 → ScaleDown → flatten → MatMul → ArgMax, small ring. */
function cnn(ell: number): LProgram {
  const b = llilBuilder(ell);
  const x = b.input('image', [1, 1, 6, 6], 2, 'client');
  const w1 = b.input('w1', [2, 1, 3, 3], 2, 'server');
  const c1 = b.conv(x, w1, { pads: [1, 1, 1, 1] });
  const r1 = b.relu(c1);
  const p1 = b.maxPool(r1, { kernel: [2, 2], strides: [2, 2] });
  const a1 = b.avgPool(p1, { kernel: [2, 2], strides: [1, 1] });
  const s1 = b.scaleDown(a1, 2);
  const f = b.flatten(s1, 1);
  const w2 = b.input('w2', [b.shapeOf(f)[1] ?? 0, 3], 2, 'server');
  const logits = b.matmul(f, w2);
  b.output(logits, 'client');
  b.output(b.argmax(logits, 1), 'client');
  return b.build();
}

describe('cryptflow2 backend with its default OT layer', () => {
  it('a small CNN (wasm kernels): bit-equal to plaintext; compute bytes per link = Σ node costs; setup = the base OTs', async () => {
    const ell = 16;
    const p = cnn(ell);
    const real = cryptflow2Backend({ kernels: 'wasm' });
    const inputs = inputsOf(p, 'cnn');
    const want = await runProgram(p, inputs, { backend: plaintextBackend(), seed: 'cnn' });
    const got = await runTwoParty(p, new Map([...inputs.client, ...inputs.server]), real, 'cnn');
    for (const o of p.outputs) expect(got.outputs.get(o.name)).toEqual(want.outputs.get(o.name));
    expect(got.meter.links).toEqual(programLinks(p, real));
    expect(got.meter.setup).toEqual(otSetupCost().links);
  });
});
