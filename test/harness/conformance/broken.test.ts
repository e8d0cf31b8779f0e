/**
 * The conformance suite can fail: deliberately broken backends, each wrong in one way, are caught by
 * the check meant for that fault (and pass the others). Verdicts are read as data (checkGroup), so a
 * caught fault is a passing test here.
 */
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import { Ring } from '../../../spec/ring.js';
import type { LOp } from '../../../ir/llil.js';
import type { Backend, Held } from '../../../protocols/common/backend.js';
import { asShare } from '../../../protocols/common/sharing.js';
import { subMod } from '../../../semantics/kernels/words.js';
import { functionalityOf } from '../../../ideal/functionality.js';
import { idealBackend } from '../../../harness/backends/ideal.js';
import { plaintextBackend } from '../../../harness/backends/plaintext.js';
import { ALL_RINGS, trustedPartyBackend } from '../../../harness/backends/trusted.js';
import {
  checkGroup,
  type CheckName,
  type ConformanceOptions,
  type GroupReport,
} from '../../../harness/conformance/index.js';
import { llilOpProgram } from '../../arbitraries/llil.js';

const options: ConformanceOptions = { programs: llilOpProgram, runs: 6, shareRuns: 96, scheduledRuns: 2 };

function failed(g: GroupReport): CheckName[] {
  return [...new Set(g.verdicts.filter((v) => !v.ok).map((v) => v.check))];
}

/** P`who` adds `delta` to element 0 of its output share (on secret outputs). */
function tamper(inner: Backend, name: string, f: (ctx: { id: number; ell: number }, out: Held) => Held): Backend {
  return { ...inner, name, run: async (ctx, node, ops) => f(ctx, await inner.run(ctx, node, ops)) };
}

const plusOne = (ell: number, share: BigUint64Array): BigUint64Array =>
  share.map((v, i) => (i === 0 ? Ring(ell).add(v, 1n) : v));

describe('the conformance suite catches broken backends', () => {
  it('a correct backend passes every check (baseline)', async () => {
    for (const [op, ell] of [
      ['Relu', 16],
      ['ScaleDown', 32],
      ['MatMul', 64],
    ] as const) {
      const g = await checkGroup(idealBackend(), op, ell, { ...options, shareTest: 'uniform' });
      expect(failed(g)).toEqual([]);
      expect(g.verdicts.map((v) => v.check)).toEqual(
        expect.arrayContaining(['run', 'correct', 'cost', 'shares', 'scheduled']),
      );
    }
  });

  it('a wrong result: caught by `correct`', async () => {
    const broken = tamper(idealBackend(), 'off-by-one', (ctx, out) =>
      ctx.id === 0 && out.kind === 'secret' ? { ...out, share: asShare(plusOne(ctx.ell, out.share)) } : out,
    );
    for (const [op, ell] of [
      ['Add', 16],
      ['Conv', 64],
    ] as const) {
      const g = await checkGroup(broken, op, ell, options);
      expect(failed(g)).toContain('correct');
      expect(failed(g)).not.toContain('cost');
      expect(g.verdicts.find((v) => v.check === 'correct')?.detail).toMatch(
        /element 0 of \d+ differs from the exact semantics/,
      );
    }
  });

  it('a secret output where every operand is public: caught by `correct`', async () => {
    const inner = idealBackend();
    const broken: Backend = {
      ...inner,
      name: 'secret-public',
      run: async (ctx, node, ops) => {
        const out = await inner.run(ctx, node, ops);
        if (out.kind === 'secret') return out;
        return {
          kind: 'secret',
          shape: out.shape,
          share: asShare(
            ctx.id === 2 ? new BigUint64Array(0) : ctx.id === 0 ? out.data : new BigUint64Array(out.data.length),
          ),
        };
      },
    };
    const g = await checkGroup(broken, 'Transpose', 16, options);
    expect(g.verdicts.find((v) => v.check === 'correct')?.detail).toMatch(/output is secret, expected public/);
  });

  it('a biased share (P0 top bit always 0): caught by `shares` (uniformity, and P1 independence)', async () => {
    const biased = trustedPartyBackend(
      'biased',
      { uniformShares: true, rings: ALL_RINGS, parties: 3 },
      {
        compute: (ell, node, inputs, rng) => functionalityOf(node).sample(ell, inputs, rng),
        split: (ell, y, rng) => {
          const s0 = rng.ring(ell, y.length).map((v) => v & ((1n << BigInt(ell - 1)) - 1n));
          return [s0, subMod(Ring(ell), y, s0)];
        },
      },
    );
    for (const [op, ell] of [
      ['Mul', 16],
      ['Relu', 32],
    ] as const) {
      const g = await checkGroup(biased, op, ell, { ...options, shareTest: 'uniform' });
      expect(failed(g)).toEqual(['shares']);
      const bad = g.verdicts.filter((v) => !v.ok).map((v) => v.detail);
      expect(bad.some((d) => d.startsWith("P0's share uniform"))).toBe(true);
    }
  });

  it('a share that is the value (plaintext claiming uniform shares): caught by the independence test', async () => {
    const leaky: Backend = {
      ...plaintextBackend(),
      name: 'leaky',
      claims: { uniformShares: true, rings: ALL_RINGS, parties: 3 },
    };
    const ops: LOp[] = ['Add', 'MatMul', 'ScaleUp'];
    for (const op of ops) {
      const g = await checkGroup(leaky, op, 32, { ...options, truncation: 'exact' });
      expect(failed(g)).toEqual(['shares']);
      expect(
        g.verdicts
          .filter((v) => !v.ok)
          .map((v) => v.detail)
          .join(),
      ).toMatch(/P0's share independent of the values/);
    }
  });

  it('one byte more than its cost: caught by `cost`, naming the link', async () => {
    const inner = idealBackend();
    const chatty: Backend = {
      ...inner,
      name: 'chatty',
      run: async (ctx, node, ops) => {
        const out = await inner.run(ctx, node, ops);
        if (ctx.id === 0) ctx.send(2, new Uint8Array(1));
        if (ctx.id === 2) await ctx.recv(0);
        return out;
      },
    };
    const g = await checkGroup(chatty, 'Relu', 16, options);
    expect(failed(g)).toEqual(['cost']);
    expect(g.verdicts.find((v) => v.check === 'cost')?.detail).toMatch(/P0->P2 metered (\d+) B, declared (\d+) B/);
  });

  it('a local division that always takes the wrap result: allowed, but caught by `wrap-rate`', async () => {
    const wrapping = trustedPartyBackend(
      'always-wrap',
      { uniformShares: true, rings: ALL_RINGS, parties: 3 },
      {
        compute: (ell, node, inputs) => {
          const spec = functionalityOf(node).spec(ell, inputs);
          if (spec.kind === 'exact') return spec.value;
          const ring = Ring(ell);
          const data = spec.exact.data.map(
            (q, i) => (spec.allowed[i] ?? []).find((v) => v !== q && v !== ring.add(q, 1n)) ?? q,
          );
          return { shape: spec.exact.shape, data };
        },
        split: (ell, y, rng) => {
          const s0 = rng.ring(ell, y.length);
          return [s0, subMod(Ring(ell), y, s0)];
        },
      },
    );
    for (const [op, ell] of [
      ['ScaleDown', 16],
      ['AvgPool', 32],
      ['GlobalAvgPool', 64],
    ] as const) {
      const g = await checkGroup(wrapping, op, ell, { ...options, runs: 12 });
      expect(failed(g)).toEqual(['wrap-rate']);
    }
  });

  it('an order-dependent backend (P1 reads state P0 wrote): correct in FIFO order, caught by `scheduled`', async () => {
    const inner = idealBackend();
    let p0Done = false;
    const racy: Backend = {
      ...inner,
      name: 'racy',
      run: async (ctx, node, ops) => {
        const out = await inner.run(ctx, node, ops);
        if (ctx.id === 0) p0Done = true;
        if (ctx.id !== 1 || out.kind !== 'secret') return out;
        const seen = p0Done;
        p0Done = false;
        return seen ? out : { ...out, share: asShare(plusOne(ctx.ell, out.share)) };
      },
    };
    const g = await checkGroup(racy, 'Sub', 16, { ...options, scheduledRuns: 24 });
    expect(failed(g)).toEqual(['scheduled']);
  });

  it('a party failing with an unexpected error: caught by `run`; an unsupported op is reported, not failed', async () => {
    const inner = idealBackend();
    const crashing: Backend = {
      ...inner,
      name: 'crashing',
      run: async (ctx, node, ops) => {
        if (ctx.id === 1) throw new Error('boom');
        return inner.run(ctx, node, ops);
      },
    };
    const g = await checkGroup(crashing, 'Relu', 16, options);
    expect(failed(g)).toEqual(['run']);
    expect(g.verdicts.find((v) => v.check === 'run')?.detail).toMatch(/boom/);

    const partial: Backend = {
      ...inner,
      name: 'no-maxpool',
      run: async (ctx, node, ops) => {
        if (node.op === 'MaxPool')
          throw new CryptflowError('unsupported', `no-maxpool does not implement MaxPool (node '${node.out}')`);
        return inner.run(ctx, node, ops);
      },
    };
    const m = await checkGroup(partial, 'MaxPool', 16, options);
    expect(failed(m)).toEqual([]);
    expect(m.unsupported).toBe(m.cases);
    expect(m.notes.join()).toMatch(/unsupported .*does not implement MaxPool/);
  });

  it('a cost function that disagrees with the messages: caught by `cost` on rounds too', async () => {
    const inner = idealBackend();
    const oneRound: Backend = {
      ...inner,
      name: 'one-round',
      cost: (node, ops, ell) => ({ ...inner.cost(node, ops, ell), rounds: ops.some((o) => o.secret) ? 1 : 0 }),
    };
    const g = await checkGroup(oneRound, 'MaxPool', 32, options);
    expect(failed(g)).toEqual(['cost']);
    expect(g.verdicts.find((v) => v.check === 'cost')?.detail).toMatch(/rounds metered 2, declared 1/);
  });
});
