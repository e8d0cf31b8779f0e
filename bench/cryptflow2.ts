/**
 * The CrypTFlow2 backend's non-linear throughput (`npm run bench`, group 'cryptflow2'): millionaires'
 * comparisons and ReLUs per second at ℓ = 32 and 64, with the bits each costs on the wire (metered,
 * beside the closed form of spec/cost/cryptflow2.ts: 288q + 148T for Mill(ℓ), Mill(ℓ − 1) + 2(λ + 2ℓ)
 * for ReLU(ℓ)). Both parties run in this one thread over the in-memory network, so a rate is the work of
 * both parties on one core. Batches of 2^14 elements; the median of 3 after 1 warm-up call; base OTs
 * once, before the timings.
 */
import { partyContext } from '../protocols/common/context.js';
import type { PartyContext } from '../protocols/common/party.js';
import { keysFromSeed } from '../protocols/common/prg.js';
import { millionaire } from '../protocols/cryptflow2/millionaire.js';
import { relu } from '../protocols/cryptflow2/nonlinear.js';
import { openOtChannel } from '../protocols/ot/channel.js';
import type { OtChannel } from '../protocols/ot/types.js';
import { MemoryNetwork } from '../harness/network/memory.js';
import { Prg } from '../protocols/common/prg.js';
import type { BenchGroup, Measurement } from './harness.js';

const BATCH = 1 << 14;
const RUNS = 3;

interface Party {
  readonly ctx: PartyContext;
  readonly ot: OtChannel;
}

async function session(net: MemoryNetwork): Promise<readonly [Party, Party]> {
  const keys = keysFromSeed('bench-cryptflow2');
  const ctx = [partyContext(0, 64, net.endpoint(0), keys[0]), partyContext(1, 64, net.endpoint(1), keys[1])] as const;
  const ot = await Promise.all([openOtChannel(ctx[0], 1), openOtChannel(ctx[1], 0)]);
  return [
    { ctx: ctx[0], ot: ot[0] },
    { ctx: ctx[1], ot: ot[1] },
  ];
}

/** Median seconds of one call of `f`, and the compute-phase bits it put on the wire (both directions). */
async function measure(net: MemoryNetwork, f: () => Promise<unknown>): Promise<{ seconds: number; bits: number }> {
  await f();
  const times: number[] = [];
  let bits = 0;
  for (let i = 0; i < RUNS; i++) {
    const before = net.meter.reading().links;
    const t0 = performance.now();
    await f();
    times.push((performance.now() - t0) / 1000);
    const after = net.meter.reading().links;
    bits = 8 * (after['P0->P1'] - before['P0->P1'] + after['P1->P0'] - before['P1->P0']);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(RUNS / 2)] as number, bits };
}

/** Random w-bit values from a fixed-key PRG (bench inputs, not protocol randomness). */
function values(seed: string, n: number, w: number): BigUint64Array {
  return new Prg(Buffer.from(seed.padEnd(16, '.').slice(0, 16))).ring(w, n);
}

export const cryptflow2Group: BenchGroup = {
  name: 'cryptflow2',
  async run(report: (m: Measurement) => void): Promise<void> {
    const net = new MemoryNetwork({ parties: 2 });
    const [p0, p1] = await session(net);
    for (const ell of [32, 64]) {
      const a = values('mill-a', BATCH, ell);
      const b = values('mill-b', BATCH, ell);
      const mill = await measure(net, () =>
        Promise.all([millionaire(p0.ctx, p0.ot, a, ell), millionaire(p1.ctx, p1.ot, b, ell)]),
      );
      report({
        group: 'cryptflow2',
        name: `millionaires' comparisons, ℓ = ${ell}`,
        rate: BATCH / mill.seconds,
        unit: 'cmp/s',
        detail: `${(mill.bits / BATCH).toFixed(0)} bits each on the wire (metered), both parties on one core, batch 2^14`,
      });
      const x0 = values('relu-0', BATCH, ell);
      const x1 = values('relu-1', BATCH, ell);
      const r = await measure(net, () => Promise.all([relu(p0.ctx, p0.ot, x0, ell), relu(p1.ctx, p1.ot, x1, ell)]));
      report({
        group: 'cryptflow2',
        name: `ReLU, ℓ = ${ell}`,
        rate: BATCH / r.seconds,
        unit: 'ReLU/s',
        detail: `${(r.bits / BATCH).toFixed(0)} bits each on the wire (metered), both parties on one core, batch 2^14`,
      });
    }
  },
};
