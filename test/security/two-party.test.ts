/**
 * The security harness on 2-party protocols (claims.parties = 2): views of P0 or P1 are recorded in
 * runs of two programs, with keys that fix the corrupted party's randomness (its own key and the one
 * key it shares) and nothing shared with a P2. Exercised on `ideal2`, the 2-party reference backend
 * (P1 is its trusted party): corrupting P0 passes every claim — it only receives a fresh share — and
 * the harness catches what is wrong with the rest: P1 sees P0's operand shares (input-independence
 * fails), and a planted leak (P1's output mask zeroed) fails the simulation for P0.
 */
import { describe, expect, it } from 'vitest';
import { llilBuilder } from '../../ir/builder.js';
import type { LNode } from '../../ir/llil.js';
import { idealBackend } from '../../harness/backends/ideal.js';
import {
  checkParty,
  HookedPrg,
  observe,
  segment,
  sharedCase,
  tampered,
  viewKeys,
  withPrgs,
  zeroRing,
  type SecurityCase,
  type Verdict,
} from '../../harness/security/index.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { asShare } from '../../protocols/common/sharing.js';

const ELL = 8;

function reluNode(): LNode {
  const b = llilBuilder(ELL);
  const x = b.input('x', [3], 0, 'client');
  b.output(b.node({ op: 'Relu', x }), 'client');
  return b.build().nodes[0] as LNode;
}

/** ReLU of a 3-vector under ideal2: P0 sends P1 its share, P1 computes and returns P0 a fresh share. */
function idealReluCase(): SecurityCase {
  const backend = idealBackend({ parties: 2 });
  const node = reluNode();
  return sharedCase({
    name: `ideal2 ReLU (n = 3, ℓ = ${ELL})`,
    ell: ELL,
    operands: 'ring',
    parties: 2,
    A: [[1n, -2n, 100n]],
    B: [[-128n, 0n, 77n]],
    holder: async (ctx, s) => {
      const out = await backend.run(ctx, node, [
        { kind: 'secret', shape: [3], share: s[0] ?? asShare(new BigUint64Array(0)) },
      ]);
      return out.kind === 'secret' ? [segment(ctx.ell, 'ring', out.share)] : [];
    },
    simulate: (b) => b.receive(b.party === 0 ? 1 : 0, b.uniform('ring', 3)),
  });
}

const failing = (vs: readonly Verdict[]): string[] => vs.filter((v) => !v.ok).map((v) => v.claim);
const options = { samples: 150, seed: 'two-party' };

describe('security harness with two parties', () => {
  it('viewKeys for two parties: the corrupted party keeps its keys, no key is shared with a P2; observe runs two programs', async () => {
    const a = viewKeys(1, 'fixed', 'h1', 2);
    const b = viewKeys(1, 'fixed', 'h2', 2);
    expect(a).toHaveLength(2);
    expect(a[1].own).toEqual(b[1].own);
    expect(a[1].shared[0]).toEqual(b[1].shared[0]);
    expect(a[0].shared[1]).toEqual(a[1].shared[0]);
    expect(a[0].own).not.toEqual(b[0].own);
    expect(Object.keys(a[0].shared)).toEqual(['1']);
    const program = async (ctx: PartyContext): Promise<number> => {
      if (ctx.id === 1) ctx.send(0, new Uint8Array([ctx.own.bytes(1)[0] ?? 0]));
      else await ctx.recv(1);
      return ctx.id;
    };
    const { view, outputs } = await observe([program, program], { ell: ELL, corrupted: 0, keys: a });
    expect(outputs).toEqual([0, 1]);
    expect(view.received[1]).toHaveLength(1);
    expect(view.received[2]).toEqual([]);
    expect(Object.keys(view.randomness)).toEqual(['own']);
  });

  it('ideal2 with P0 corrupted: input-independent, simulated by a uniform message, uniform output', async () => {
    const v = await checkParty(idealReluCase(), 0, options);
    expect(v.map((x) => x.claim)).toEqual(['input-independence', 'simulation', 'output']);
    expect(failing(v)).toEqual([]);
  });

  it("ideal2 with P1 (the trusted party) corrupted: its view depends on P0's input, and the harness says so", async () => {
    const v = await checkParty(idealReluCase(), 1, options);
    expect(failing(v)).toEqual(expect.arrayContaining(['input-independence', 'simulation']));
  });

  it("a planted leak — P1's output mask zeroed, so P0 receives the value — fails the simulation for P0", async () => {
    const zeroOwn = (ctx: PartyContext): PartyContext =>
      ctx.id === 1 ? withPrgs(ctx, (stream, prg) => (stream === 'own' ? new HookedPrg(prg, zeroRing()) : prg)) : ctx;
    const leaky = tampered(idealReluCase(), 'ideal2 ReLU, zero mask', zeroOwn);
    expect(leaky.parties).toBe(2);
    const v = await checkParty(leaky, 0, options);
    expect(failing(v)).toContain('simulation');
  });

  it('a P2 in a 2-party case is a bug, not a silent pass', async () => {
    await expect(checkParty(idealReluCase(), 2, options)).rejects.toThrow(/P2 is not a party of this 2-party protocol/);
  });
});
