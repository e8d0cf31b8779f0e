/**
 * Empty inputs cost nothing: every non-linear protocol on zero elements (MaxPool and ArgMax on zero
 * groups) sends no message and takes no round, as the closed-form costs of spec/cost/nonlinear.ts
 * state (NOTHING for n = 0 or r = 0), and returns empty shares.
 */
import { describe, expect, it } from 'vitest';
import { argmaxCost, dreluCost, maxPoolCost, reluCost } from '../../spec/cost/nonlinear.js';
import { runParties } from '../../harness/network/run.js';
import { argmax, drelu, maxPool, relu } from '../protocols/by-role.js';
import { PORTHOS, SECURENN, type Variant } from '../../protocols/securenn-family/nonlinear/variant.js';
import type { PartyContext } from '../../protocols/common/party.js';

const ELL = 16;
const none = new BigUint64Array(0);

async function metered(
  program: (ctx: PartyContext) => Promise<unknown>,
): Promise<{ links: Record<string, number>; rounds: number; messages: number; outputs: readonly unknown[] }> {
  const { outputs, meter } = await runParties([program, program, program], { ell: ELL, seed: 'empty' });
  return {
    links: { ...meter.links },
    rounds: meter.rounds,
    messages: Object.values(meter.messages).reduce((s, x) => s + x, 0),
    outputs,
  };
}

describe.each([PORTHOS, SECURENN])('empty inputs, $name', (v: Variant) => {
  it('ReLU′ and ReLU on n = 0', async () => {
    for (const [f, cost] of [
      [drelu, dreluCost],
      [relu, reluCost],
    ] as const) {
      const r = await metered((ctx) => f(ctx, v, 0, none));
      expect(r.links).toEqual(cost(v, ELL, 0).links);
      expect(r.rounds).toBe(cost(v, ELL, 0).rounds);
      expect(r.messages).toBe(0);
      for (const o of r.outputs) expect((o as BigUint64Array).length).toBe(0);
    }
  });

  it('MaxPool and ArgMax over r = 0 groups of 3', async () => {
    const mp = await metered((ctx) => maxPool(ctx, v, none, new Int32Array(0), 0, 3));
    expect(mp.links).toEqual(maxPoolCost(v, ELL, 0, 3).links);
    expect(mp.rounds).toBe(maxPoolCost(v, ELL, 0, 3).rounds);
    expect(mp.messages).toBe(0);
    const am = await metered((ctx) => argmax(ctx, v, none, 0, 3));
    expect(am.links).toEqual(argmaxCost(v, ELL, 0, 3).links);
    expect(am.rounds).toBe(argmaxCost(v, ELL, 0, 3).rounds);
    expect(am.messages).toBe(0);
  });
});
