/**
 * The malicious backend on random well-typed LLIL programs through the runner (its own input sharing
 * and checked reveal): honest runs are bit-equal to the plaintext backend (inputs in the comparison
 * domain) and meter exactly Σ node costs per link (the walk `cryptflow cost` does); runs with one
 * corrupted party end in an outcome F^⊥ allows (ideal/malicious3.ts): the right outputs, or an abort
 * that names a failed check and releases nothing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixedSemAll } from '../../../semantics/fixed.js';
import type { LProgram } from '../../../ir/llil.js';
import { malicious3Backend } from '../../../protocols/malicious3/index.js';
import { STRATEGIES } from '../../../protocols/malicious3/wire.js';
import { keysFromSeed, Prg } from '../../../protocols/common/prg.js';
import type { PartyId } from '../../../protocols/common/party.js';
import { plaintextBackend } from '../../../harness/backends/plaintext.js';
import { runProgram } from '../../../harness/runner/program.js';
import { nodeCosts } from '../../../harness/cost/walk.js';
import { sequence } from '../../../spec/cost/types.js';
import { allowedWithAbort, type WithAbort } from '../../../ideal/malicious3.js';
import { llilProgram } from '../../arbitraries/llil.js';
import { timeout } from '../../setup/timeouts.js';

const slow = process.env['CRYPTFLOW_SLOW'] === '1' ? 10 : 1;
const backend = malicious3Backend({ s: 8 });

/** Inputs within ±2^{⌊ℓ/4⌋}, so comparison trees stay inside their domain after a few layers. */
function inputsOf(
  p: LProgram,
  seed: string,
): { client: Map<string, BigUint64Array>; server: Map<string, BigUint64Array> } {
  const prg = new Prg(keysFromSeed(seed)[1].own);
  const client = new Map<string, BigUint64Array>();
  const server = new Map<string, BigUint64Array>();
  for (const d of p.decls) {
    if (d.kind !== 'input') continue;
    const n = d.shape.reduce((a, e) => a * e, 1);
    const vals = prg.ring(p.ell, n).map((v) => BigInt.asUintN(p.ell, BigInt.asIntN(Math.floor(p.ell / 4) + 1, v)));
    (d.owner === 'client' ? client : server).set(d.name, vals);
  }
  return { client, server };
}

function inDomain(ell: number, xs: BigUint64Array): boolean {
  const b = 1n << BigInt(ell - 2);
  return xs.every((v) => BigInt.asIntN(ell, v) >= -b && BigInt.asIntN(ell, v) < b);
}

const supported = (p: LProgram): boolean =>
  p.nodes.every((n) => {
    if (n.op !== 'AvgPool' && n.op !== 'GlobalAvgPool') return true;
    try {
      nodeCosts({ ...p, nodes: [n] }, backend);
      return true;
    } catch {
      return false;
    }
  });

const programs = llilProgram({ maxNodes: 4, ells: [8, 16] });

function wellFormed(p: LProgram, seed: string): boolean {
  if (!supported(p)) return false;
  const inputs = inputsOf(p, seed);
  const values = fixedSemAll(p, new Map([...inputs.client, ...inputs.server]));
  return p.nodes.every(
    (n) => (n.op !== 'MaxPool' && n.op !== 'ArgMax') || inDomain(p.ell, values.get(n.x)?.data ?? new BigUint64Array(0)),
  );
}

describe('malicious on random LLIL programs (s = 8)', () => {
  it(
    'honest: bit-equal to plaintext; metered compute bytes = Σ node costs on every link',
    async () => {
      await fc.assert(
        fc.asyncProperty(programs, fc.string(), async (p, seed) => {
          fc.pre(wellFormed(p, seed));
          const inputs = inputsOf(p, seed);
          const want = await runProgram(p, inputs, { backend: plaintextBackend(), seed });
          const got = await runProgram(p, inputs, { backend, seed });
          for (const o of p.outputs)
            expect([...(got.outputs.get(o.name) ?? [])]).toEqual([...(want.outputs.get(o.name) ?? [])]);
          expect(got.meter.links).toEqual(sequence(...nodeCosts(p, backend)).links);
        }),
        { numRuns: 6 * slow },
      );
    },
    timeout(60_000),
  );

  it(
    'one corrupted party: the outputs F_op gives, or an abort naming a check (F^⊥)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          programs,
          fc.string(),
          fc.constantFrom<PartyId>(0, 1, 2),
          fc.constantFrom(...STRATEGIES),
          fc.nat(60),
          async (p, seed, party, strategy, at) => {
            fc.pre(wellFormed(p, seed));
            const inputs = inputsOf(p, seed);
            const want = await runProgram(p, inputs, { backend: plaintextBackend(), seed });
            const corrupted = malicious3Backend({ s: 8, corruption: { party, strategy, at } });
            let outcome: WithAbort<ReadonlyMap<string, BigUint64Array>>;
            try {
              outcome = { kind: 'output', value: (await runProgram(p, inputs, { backend: corrupted, seed })).outputs };
            } catch (e) {
              expect(e instanceof Error ? e.message : String(e)).toMatch(/abort: .* failed/);
              outcome = { kind: 'abort' };
            }
            const same = (a: ReadonlyMap<string, BigUint64Array>, b: ReadonlyMap<string, BigUint64Array>): boolean =>
              p.outputs.every((o) => String(a.get(o.name)) === String(b.get(o.name)));
            expect(allowedWithAbort(outcome, want.outputs, same)).toBe(true);
          },
        ),
        { numRuns: 8 * slow },
      );
    },
    timeout(60_000),
  );
});
