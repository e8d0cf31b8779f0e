/**
 * Runtime instrumentation (harness/runner/views.ts): an observed run records every message of every
 * party — the record matches the meter on every link and phase — and every opening with what it
 * means; it changes nothing in the run. It fails, with a 'security' error naming the party, the label
 * and the node, when a backend opens an intermediate (a planted reveal), sends a message it does not
 * declare or one without a label, or when an output the analysis did not allow is revealed.
 */
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import type { Shape } from '../../spec/geometry.js';
import type { LProgram } from '../../ir/llil.js';
import { LINKS, linkName } from '../../harness/network/meter.js';
import { plaintextBackend } from '../../harness/backends/plaintext.js';
import { idealBackend } from '../../harness/backends/ideal.js';
import { runProgram } from '../../harness/runner/program.js';
import {
  allowanceOf,
  backendMessages,
  runObserved,
  viewSummary,
  type Allowance,
  type PartyView,
} from '../../harness/runner/views.js';
import { analyzeLlil } from '../../passes/secrecy/llil.js';
import { analyzePlan } from '../../passes/secrecy/plan.js';
import { optimizeHlil, paperConfig } from '../../passes/hlil/pipeline.js';
import { loadModel } from '../../harness/io/model.js';
import { prepareInference } from '../../harness/runner/inference.js';
import type { Backend } from '../../protocols/common/backend.js';
import { recvRing, sendRing } from '../../protocols/common/codec.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { asShare, reveal } from '../../protocols/common/sharing.js';
import { porthos } from '../../protocols/porthos/index.js';
import { securenn } from '../../protocols/securenn/index.js';
import { DECLARED, llil, LOGREG } from '../passes/secrecy/models.js';

const PROGRAM = llil(LOGREG);
const small = (n: number, k: number): BigUint64Array =>
  BigUint64Array.from({ length: n }, (_, i) => BigInt(((i * 7 + k) % 9) * 300));
const INPUTS = { client: new Map([['x', small(16, 1)]]), server: new Map([['W', small(48, 4)]]) };

const allowance = (p: LProgram, backend: Backend): Allowance =>
  allowanceOf(analyzeLlil(p, { policy: DECLARED }), backend.name);

async function failure(f: () => Promise<unknown>): Promise<CryptflowError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof CryptflowError) return e;
    throw e;
  }
  throw new Error('expected the run to fail');
}

function received(v: PartyView): Array<[string, string]> {
  return [...viewSummary(v)].map(([what, s]) => [what, String(s.meaning)]);
}

describe('observed runs', () => {
  it.each([
    ['porthos', porthos()],
    ['securenn', securenn()],
  ])(
    '%s: every message recorded as the meter counts it; only masked openings and dealt shares, the output to the client',
    async (_, backend) => {
      const plain = await runProgram(PROGRAM, INPUTS, { backend, seed: 'views' });
      const { run, views } = await runObserved(
        PROGRAM,
        INPUTS,
        { backend, seed: 'views' },
        allowance(PROGRAM, backend),
      );
      expect(run.outputs).toEqual(plain.outputs);
      expect(run.meter).toEqual(plain.meter);
      for (const l of LINKS) {
        for (const phase of ['compute', 'io'] as const) {
          const want = (phase === 'compute' ? run.meter.links : run.meter.io)[l];
          const bytes = (v: PartyView | undefined, dir: 'sent' | 'received', peer: PartyId): number =>
            (v?.events ?? [])
              .filter((e) => e.dir === dir && e.phase === phase && e.peer === peer)
              .reduce((n, e) => n + e.bytes, 0);
          const [from, to] = [Number(l[1]) as PartyId, Number(l[5]) as PartyId];
          expect(linkName(from, to)).toBe(l);
          expect(bytes(views[from], 'sent', to), `${l} ${phase} sent`).toBe(want);
          expect(bytes(views[to], 'received', from), `${l} ${phase} received`).toBe(want);
        }
      }
      const [p0, p1, p2] = views as [PartyView, PartyView, PartyView];
      expect(received(p0)).toContainEqual(['reveal of cls', 'output']);
      expect(received(p1).some(([w]) => w.startsWith('reveal'))).toBe(false);
      for (const [what, meaning] of received(p2)) expect([what, meaning]).toEqual([what, 'masked']);
      for (const v of views)
        for (const e of v.events) if (e.dir === 'received' && e.phase === 'compute') expect(e.node).not.toBeNull();
    },
  );

  it('LeNet (convolutions, ReLU, MaxPool, ArgMax) under Porthos, held to the analysis of its compiled program', async () => {
    const loaded = loadModel('zoo:lenet');
    const { model } = optimizeHlil(loaded, paperConfig);
    const image = Float32Array.from({ length: 784 }, (_, i) => Math.sin(i) / 2);
    const prep = prepareInference(model, new Map([['image', image]]), { ell: 64, scale: 12 });
    const backend = porthos();
    const analysis = analyzePlan(loaded.program, prep.plan);
    const { run, views } = await runObserved(
      prep.plan.program,
      { client: prep.client, server: prep.server },
      { backend, seed: 'lenet' },
      allowanceOf(analysis, backend.name),
    );
    expect([...run.outputs.keys()].sort()).toEqual(['class', 'logits']);
    const [p0, p1, p2] = views as [PartyView, PartyView, PartyView];
    expect(received(p0).filter(([, m]) => m === 'output')).toEqual([
      ['reveal of logits', 'output'],
      ['reveal of class', 'output'],
    ]);
    expect(new Set(received(p1).map(([, m]) => m))).toEqual(new Set(['masked', 'dealt']));
    expect(received(p2)).toEqual([
      ['ShareConvert masked share', 'masked'],
      ['PrivateCompare', 'masked'],
    ]);
  });

  it('the trusted-party reference backends are allowed to show P2 every operand, and the record says so', async () => {
    for (const backend of [idealBackend({ kernels: 'wasm' }), plaintextBackend({ kernels: 'wasm' })]) {
      const { views } = await runObserved(PROGRAM, INPUTS, { backend, seed: 'trusted' }, allowance(PROGRAM, backend));
      expect(received(views[2] as PartyView)).toEqual([['{op} operand shares for the trusted party', 'trusted']]);
    }
  });
});

/** A backend that does what `base` does, then at node `target` runs `leak` on every party. */
function planted(
  base: Backend,
  target: string,
  leak: (ctx: PartyContext, share: BigUint64Array, shape: Shape) => Promise<void>,
): Backend {
  return {
    ...base,
    run: async (ctx, node, operands) => {
      const out = await base.run(ctx, node, operands);
      if (node.out === target && out.kind === 'secret') await leak(ctx, out.share, out.shape);
      return out;
    },
  };
}

describe('planted leaks fail an observed run', () => {
  it('a backend that reveals an intermediate to the client: silent unobserved, a security error observed', async () => {
    const base = porthos();
    const leaky = planted(base, 'xW', async (ctx, share, shape) => {
      await reveal(ctx, { shape, share: asShare(share) }, 0);
    });
    await expect(runProgram(PROGRAM, INPUTS, { backend: leaky, seed: 'leak' })).resolves.toBeDefined();
    const e = await failure(() =>
      runObserved(PROGRAM, INPUTS, { backend: leaky, seed: 'leak' }, allowance(PROGRAM, base)),
    );
    expect(e.code).toBe('security');
    expect(e.message).toBe(
      "P0 received 'reveal' from P1 during node 'xW' (ScaleDown) in the 'io' phase: only declared outputs are revealed, each to its party",
    );
  });

  it('a share sent under a label the backend does not declare, or under none', async () => {
    const base = securenn();
    const copy = planted(base, 'xWb', async (ctx, share) => {
      if (ctx.id === 1) sendRing(ctx, 0, share);
      if (ctx.id === 0) await recvRing(ctx, 1, share.length, 'debug copy of a share');
    });
    const e = await failure(() =>
      runObserved(PROGRAM, INPUTS, { backend: copy, seed: 'copy' }, allowance(PROGRAM, base)),
    );
    expect([e.code, e.message]).toEqual([
      'security',
      "P0 received 'debug copy of a share' from P1 during node 'xWb' (Add): the backend declares no such message",
    ]);
    const bare = planted(base, 'xWb', async (ctx, share) => {
      if (ctx.id === 1) sendRing(ctx, 0, share);
      if (ctx.id === 0) await ctx.recv(1);
    });
    const u = await failure(() =>
      runObserved(PROGRAM, INPUTS, { backend: bare, seed: 'bare' }, allowance(PROGRAM, base)),
    );
    expect(u.message).toBe(
      "P0 received an unlabelled message from P1 during node 'xWb' (Add): every message must name its protocol step",
    );
  });

  it('an output the analysis did not allow: the analysis refuses to allow anything, and a run held to the declaration fails at the reveal', async () => {
    const extra = llil(`${LOGREG}output xW -> client\n`);
    const backend = porthos();
    const refusal = (() => {
      try {
        allowanceOf(analyzeLlil(extra, { policy: DECLARED }), backend.name);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(CryptflowError);
    expect((refusal as CryptflowError).code).toBe('security');
    const declaredOnly: Allowance = {
      reveals: [{ output: 'cls', to: 'client' }],
      messages: backendMessages(backend.name),
    };
    const e = await failure(() => runObserved(extra, INPUTS, { backend, seed: 'extra' }, declaredOnly));
    expect(e.code).toBe('security');
    expect(e.message).toMatch(/^P[012]: output 'xW' is revealed to P0, which the secrecy analysis did not allow$/);
  });

  it('a backend without declared messages is a usage error', () => {
    expect(() => backendMessages('mystery')).toThrow(/backend 'mystery' declares no messages/);
    expect(backendMessages('porthos(im2col)')).toBe(backendMessages('porthos'));
  });
});
