/**
 * The cryptflow2 backend on one-op LLIL programs (every LLIL operation, ℓ ∈ {8, 16, 32, 64}): outputs
 * bit-equal to the `plaintext` backend's on random inputs, and the metered bytes per link equal the
 * sum of the nodes' closed-form costs (spec/cost/cryptflow2.ts composed with the OT double's model).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LOp, LProgram } from '../../../ir/llil.js';
import { operandsOf } from '../../../ir/traverse.js';
import { LINKS } from '../../../spec/cost/types.js';
import { cryptflow2Backend } from '../../../protocols/cryptflow2/index.js';
import { plaintextBackend } from '../../../harness/backends/plaintext.js';
import { runProgram } from '../../../harness/runner/program.js';
import { keysFromSeed, Prg } from '../../../protocols/common/prg.js';
import { LLIL_OPS, llilOpProgram } from '../../arbitraries/llil.js';
import { functionalOt, functionalOtCosts } from './functional-ot.js';
import { runTwoParty } from './program.js';
import { runs } from './support.js';

const backend = cryptflow2Backend({ kernels: 'reference', openOt: functionalOt, otCost: functionalOtCosts });

/** Random inputs: uniform ring values, or small ones (±2^{⌊ℓ/4⌋}) where a comparison tree needs its domain. */
function inputsOf(p: LProgram, seed: string): { client: Map<string, BigUint64Array>; server: Map<string, BigUint64Array> } {
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

describe('cryptflow2 backend: every LLIL op, bit-equal to plaintext', () => {
  it.each(LLIL_OPS as LOp[])('%s', async (op) => {
    await fc.assert(
      fc.asyncProperty(llilOpProgram(op, [8, 16, 32, 64]), fc.string(), async (p, seed) => {
        const inputs = inputsOf(p, seed);
        const want = await runProgram(p, inputs, { backend: plaintextBackend(), seed });
        const got = await runTwoParty(p, new Map([...inputs.client, ...inputs.server]), backend, seed);
        for (const o of p.outputs) expect(got.outputs.get(o.name)).toEqual(want.outputs.get(o.name));
        const types = new Map<string, { shape: readonly number[]; secret: boolean }>(p.decls.map((d) => [d.name, { shape: d.shape, secret: d.kind === 'input' }]));
        for (const n of p.nodes) types.set(n.out, { shape: n.type.shape, secret: n.type.label === 'secret' });
        const total = Object.fromEntries(LINKS.map((l) => [l, 0]));
        for (const node of p.nodes) {
          const c = backend.cost(node, operandsOf(node).map((n) => types.get(n) ?? { shape: [], secret: false }), p.ell);
          for (const l of LINKS) total[l] = (total[l] ?? 0) + c.links[l];
        }
        expect(got.meter.links).toEqual(total);
      }),
      { numRuns: runs(3) },
    );
  });
});
