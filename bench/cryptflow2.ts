/**
 * The CrypTFlow2 backend's non-linear throughput (`npm run bench`, group 'cryptflow2'): millionaires'
 * comparisons and ReLUs per second at ℓ = 32 and 64, with the bits each costs on the wire (metered,
 * beside the closed form of spec/cost/cryptflow2.ts: 288q + 148T for Mill(ℓ), Mill(ℓ − 1) + 2(λ + 2ℓ)
 * for ReLU(ℓ)). Both parties run in this one thread over the in-memory network, so a rate is the work of
 * both parties on one core. Batches of 2^14 elements; the median of 3 after 1 warm-up call; base OTs
 * once, before the timings.
 *
 * Whole networks: SecureNN network C (securenn-c: LeNet-sized, 642 MB under cryptflow2 at ℓ = 64,
 * the largest zoo network whose run takes about a minute here) executed for real — both parties
 * interleaved on this thread over the in-memory network, ℓ = 64, s = 12 — with min/median/max wall time
 * of 3 runs, the metered bytes against the cost walk link by link, and the process's peak resident
 * memory; then the bytes of ResNet50, DenseNet121 and SqueezeNet from the cost walk alone (`cryptflow
 * cost --backend cryptflow2`): tens of GB to a TB of OT traffic, out of reach of a run in this form (see
 * README "Performance").
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
import { secureRun, setupNetwork } from './networks.js';
import { costModel } from '../harness/cli/cost.js';
import { otProduct } from '../protocols/cryptflow2/product.js';
import { matmulTerms } from '../protocols/cryptflow2/terms.js';
import { otMulKernels } from '../protocols/kernels/otmul.js';
import { referenceKernels } from '../semantics/kernels/index.js';

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

/**
 * An OT linear layer as the backend runs it in a network: MatMul 1×784 · 784×100 at ℓ = 64, the
 * activations a general sharing, the weights P1's clear values (one cross term, vector COTs, the wasm
 * loops): multiplications per second and metered bits per multiplication.
 */
async function linear(net: MemoryNetwork, p0: Party, p1: Party, report: (m: Measurement) => void): Promise<void> {
  const [m, k, n] = [1, 784, 100];
  const terms = matmulTerms(m, k, n);
  const x0 = values('mm-x0', m * k, 64);
  const x1 = values('mm-x1', m * k, 64);
  const w = values('mm-w', k * n, 64);
  const kern = otMulKernels('wasm');
  const local = (a: BigUint64Array, b: BigUint64Array): BigUint64Array => referenceKernels.matmul(64, a, b, m, k, n);
  const r = await measure(net, () =>
    Promise.all([
      otProduct(p0.ctx, p0.ot, terms, x0, new BigUint64Array(k * n), local, 64, { y: 1 }, kern),
      otProduct(p1.ctx, p1.ot, terms, x1, w, local, 64, { y: 1 }, kern),
    ]),
  );
  const T = m * k * n;
  report({
    group: 'cryptflow2',
    name: 'MatMul 1×784×100, clear weights, ℓ = 64',
    rate: T / r.seconds,
    unit: 'mul/s',
    detail: `${(r.bits / T).toFixed(0)} bits per multiplication on the wire (metered), one cross term, both parties on one core`,
  });
}

const NETWORK = 'securenn-c';
const NETWORK_RUNS = 3;
const COST_ONLY = ['squeezenet', 'densenet121', 'resnet50'] as const;

async function networks(report: (m: Measurement) => void): Promise<void> {
  const setup = setupNetwork(NETWORK);
  const times: number[] = [];
  let peak = 0;
  let line = '';
  for (let i = 0; i < NETWORK_RUNS; i++) {
    const t0 = performance.now();
    const r = await secureRun(setup, { backend: 'cryptflow2', threads: false });
    times.push((performance.now() - t0) / 1000);
    peak = Math.max(peak, r.peakRssBytes);
    line = `metered ${r.metered.toLocaleString('en-US')} B ${r.linksEqual ? '= cost walk on every link' : '≠ COST WALK'}, outputs ${r.withinBound ? 'within bounds' : 'OUT OF BOUNDS'}`;
  }
  times.sort((a, b) => a - b);
  report({
    group: 'cryptflow2',
    name: `${NETWORK} under cryptflow2, ℓ = 64`,
    rate: times[1] as number,
    unit: 's',
    detail: `min/median/max ${times.map((t) => t.toFixed(1)).join(' / ')} s, ${line}, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (this process), both parties on one thread`,
  });
  for (const name of COST_ONLY) {
    const c = costModel(`zoo:${name}`, { positional: [], flags: new Map([['backend', 'cryptflow2']]) });
    report({
      group: 'cryptflow2',
      name: `${name} bytes (cost walk)`,
      rate: c.bytes.total / 1e9,
      unit: 'GB',
      detail: `${c.bytes.total.toLocaleString('en-US')} B from \`cryptflow cost --backend cryptflow2\` (not run: see README)`,
    });
  }
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
    await linear(net, p0, p1, report);
    await networks(report);
  },
};
