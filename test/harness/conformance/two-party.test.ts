/**
 * The conformance suite on 2-party backends (claims.parties = 2): cases run on P0 and P1 alone, the
 * `cost` check reads only the links that exist, and each fault of a deliberately broken 2-party
 * backend is caught by the check meant for it — a third party addressed, a byte more than declared,
 * a declared cost on a P2 link, a wrong result, a share that is the value. And CrypTFlow2 over the real
 * OT layer, one case per op class: its base OTs' bytes and rounds are metered apart ('setup'), and
 * the rest equals its declared cost exactly.
 */
import { describe, expect, it } from 'vitest';
import { Ring } from '../../../spec/ring.js';
import { cost } from '../../../spec/cost/types.js';
import type { Backend } from '../../../protocols/common/backend.js';
import { asShare } from '../../../protocols/common/sharing.js';
import { idealBackend } from '../../../harness/backends/ideal.js';
import { plaintextBackend } from '../../../harness/backends/plaintext.js';
import { backendOf } from '../../../harness/runner/backends.js';
import { otSetupCost } from '../../../spec/cost/ot.js';
import {
  checkGroup,
  correctness,
  costMismatch,
  runCase,
  caseFromProgram,
  type CheckName,
  type ConformanceOptions,
  type GroupReport,
} from '../../../harness/conformance/index.js';
import { Prg } from '../../../protocols/common/prg.js';
import fc from 'fast-check';
import { llilOpProgram } from '../../arbitraries/llil.js';
import { timeout } from '../../setup/timeouts.js';

const options: ConformanceOptions = {
  programs: llilOpProgram,
  runs: 4,
  shareRuns: 96,
  scheduledRuns: 2,
  truncation: 'exact',
};

function failed(g: GroupReport): CheckName[] {
  return [...new Set(g.verdicts.filter((v) => !v.ok).map((v) => v.check))];
}

describe('conformance with two parties', () => {
  it('ideal2 passes every check, and a case runs on P0 and P1 alone with bytes only between them', async () => {
    const ideal2 = idealBackend({ parties: 2 });
    expect(ideal2.name).toBe('ideal2');
    const g = await checkGroup(ideal2, 'Mul', 16, { ...options, shareTest: 'uniform' });
    expect(failed(g)).toEqual([]);
    expect(g.verdicts.map((v) => v.check)).toEqual(
      expect.arrayContaining(['run', 'correct', 'cost', 'shares', 'scheduled']),
    );
    const [program] = fc.sample(llilOpProgram('Relu', [32]), { seed: 5, numRuns: 1 });
    const c =
      program === undefined
        ? null
        : caseFromProgram(program, 'Relu', new Prg(new Uint8Array(16)), { mode: 'small', publicOnly: false });
    if (c === null) throw new Error('no Relu case');
    const out = await runCase(ideal2, c, { seed: 'one' });
    if (out.status !== 'ok') throw new Error(out.status);
    expect(out.observation.problems).toEqual([]);
    const m = out.observation.meter.links;
    expect(m['P0->P1']).toBeGreaterThan(0);
    expect(m['P1->P0']).toBeGreaterThan(0);
    expect(m['P0->P2'] + m['P1->P2'] + m['P2->P0'] + m['P2->P1']).toBe(0);
  });

  it('a 2-party backend that addresses P2: caught by `run` with the network error', async () => {
    const inner = plaintextBackend({ parties: 2 });
    const third: Backend = {
      ...inner,
      name: 'third',
      run: async (ctx, node, ops) => {
        if (ctx.id === 0 && ops.some((o) => o.kind === 'secret')) ctx.send(2, new Uint8Array(1));
        return inner.run(ctx, node, ops);
      },
    };
    const g = await checkGroup(third, 'Add', 16, options);
    expect(failed(g)).toContain('run');
    expect(g.verdicts.find((v) => v.check === 'run')?.detail).toMatch(/no link from P0 to P2: this run has 2 parties/);
  });

  it('one byte more on P1->P0, or a cost declared on a P2 link: caught by `cost`, naming the link', async () => {
    const inner = idealBackend({ parties: 2 });
    const chatty: Backend = {
      ...inner,
      name: 'chatty2',
      run: async (ctx, node, ops) => {
        const out = await inner.run(ctx, node, ops);
        if (ctx.id === 1) ctx.send(0, new Uint8Array(1));
        if (ctx.id === 0) await ctx.recv(1);
        return out;
      },
    };
    const g = await checkGroup(chatty, 'Relu', 16, options);
    expect(failed(g)).toEqual(['cost']);
    expect(g.verdicts.find((v) => v.check === 'cost')?.detail).toMatch(/P1->P0 metered \d+ B, declared \d+ B/);
    const phantom: Backend = {
      ...inner,
      name: 'phantom',
      cost: (node, ops, ell) => {
        const c = inner.cost(node, ops, ell);
        return c.rounds === 0 ? c : cost({ ...c.links, 'P0->P2': 8 }, c.rounds);
      },
    };
    const h = await checkGroup(phantom, 'MatMul', 32, options);
    expect(failed(h)).toEqual(['cost']);
    expect(h.verdicts.find((v) => v.check === 'cost')?.detail).toMatch(/P0->P2 metered 0 B, declared 8 B/);
  });

  it('a wrong result, or a share that is the value: caught by `correct` and `shares`', async () => {
    const inner = idealBackend({ parties: 2 });
    const wrong: Backend = {
      ...inner,
      name: 'wrong2',
      run: async (ctx, node, ops) => {
        const out = await inner.run(ctx, node, ops);
        return ctx.id === 1 && out.kind === 'secret'
          ? { ...out, share: asShare(out.share.map((v, i) => (i === 0 ? Ring(ctx.ell).add(v, 1n) : v))) }
          : out;
      },
    };
    expect(failed(await checkGroup(wrong, 'Sub', 16, options))).toContain('correct');
    const leaky: Backend = {
      ...plaintextBackend({ parties: 2 }),
      name: 'leaky2',
      claims: { uniformShares: true, rings: inner.claims.rings, parties: 2 },
    };
    const g = await checkGroup(leaky, 'Add', 32, options);
    expect(failed(g)).toEqual(['shares']);
  });
});

describe('cryptflow2 over the real OT layer, one conformance case per op class', () => {
  const backend = backendOf('cryptflow2', undefined);
  for (const [op, ell] of [
    ['Relu', 16],
    ['MatMul', 8],
    ['ScaleDown', 32],
  ] as const) {
    it(
      `${op} at ℓ = ${ell}: exact result, compute bytes per link and rounds as declared once the base OTs' setup is set apart`,
      async () => {
        const [program] = fc.sample(llilOpProgram(op, [ell]), { seed: 11, numRuns: 1 });
        const c =
          program === undefined
            ? null
            : caseFromProgram(program, op, new Prg(new Uint8Array(16).fill(3)), {
                mode: 'uniform',
                publicOnly: false,
                bound: (n, l) => backend.domain?.(n, l),
              });
        if (c === null) throw new Error(`no ${op} case`);
        const out = await runCase(backend, c, { seed: `real-${op}` });
        if (out.status !== 'ok') throw new Error(`${out.status}: ${out.message}`);
        const obs = out.observation;
        expect(obs.problems).toEqual([]);
        expect(correctness(c, obs, 'exact')).toBeNull();
        expect(costMismatch(backend, c, obs)).toBeNull();
        expect(obs.meter.setup?.['P0->P1']).toBe(otSetupCost().links['P0->P1']);
        expect(obs.meter.setupRounds).toBe(otSetupCost().rounds);
      },
      timeout(30_000),
    );
  }
});
