/**
 * The malicious backend (`npm run bench`, group 'malicious'): authenticated products and ReLUs per
 * second at ℓ = 64 and the default s = 48 (Z_{2^112}), the three parties interleaved on this one thread over the
 * in-memory network, with the metered bytes per element; and ResNet50's and DenseNet121's bytes from
 * the cost walk (`cryptflow cost --backend malicious`), beside Porthos's.
 *
 * Opt-in, `BENCH_MALICIOUS_RUN=squeezenet` (or another zoo network's name): that network executed for
 * real under `malicious` (paper HLIL passes, ℓ = 64, scale 12, one worker thread per party; bench/networks.ts
 * `secureRun`) — wall time, metered bytes against the cost walk link by link, bytes per second, peak
 * RSS of this process, the load average before and after. SqueezeNet is 177.0 GB at s = 48: hours on a
 * shared 2-core machine (README, Performance), so it is never part of the default group.
 */
import { runParties } from '../harness/network/run.js';
import { compilePaper } from '../harness/cost/tables.js';
import { costBackend } from '../harness/cost/backends.js';
import { costProgram } from '../harness/cost/walk.js';
import type { PartyContext } from '../protocols/common/party.js';
import { Prg } from '../protocols/common/prg.js';
import { relu } from '../protocols/malicious3/bits.js';
import { liftSigned } from '../protocols/malicious3/convert.js';
import { DEFAULT_S, m3Params } from '../protocols/malicious3/rss.js';
import { elementBytes } from '../spec/cost/malicious3.js';
import { Session } from '../protocols/malicious3/session.js';
import { loadLine, type BenchGroup, type Measurement } from './harness.js';
import { secureRun, setupNetwork } from './networks.js';

const params = m3Params(64, DEFAULT_S);
const E = elementBytes(64, DEFAULT_S);

/** Seconds and compute bytes of one three-party run of `op` on n shared inputs. */
async function timed(n: number, op: (st: Session, x: Awaited<ReturnType<Session['input']>>) => Promise<unknown>) {
  const xs = new Prg(Buffer.from('bench-malicious3')).ring(20, n);
  let t0 = 0;
  const prog = async (ctx: PartyContext): Promise<void> => {
    const st = new Session(ctx, params);
    const x = await ctx.inPhase('io', () => st.input(0, n, ctx.id === 0 ? liftSigned(64, params.m, xs) : undefined));
    if (ctx.id === 0) t0 = performance.now();
    await op(st, x);
    await st.verify();
  };
  const { meter } = await runParties([prog, prog, prog], { ell: 64, seed: 'bench' });
  const seconds = (performance.now() - t0) / 1000;
  const bytes = Object.values(meter.links).reduce((a, b) => a + b, 0);
  return { seconds, bytes };
}

export const malicious3Group: BenchGroup = {
  name: 'malicious',
  async run(report: (m: Measurement) => void): Promise<void> {
    const line = (name: string, rate: number, unit: string, detail: string): void =>
      report({ group: 'malicious', name, rate, unit, detail });
    const products = 1 << 14;
    const p = await timed(products, (st, x) => st.mult([{ x, y: x }]));
    line(
      'products/s',
      products / p.seconds,
      '/s',
      `ℓ = 64, s = ${DEFAULT_S}; ${(p.bytes / products).toFixed(1)} B per product (3 links × ${2 * E} B) incl. one check`,
    );
    const relus = 1 << 10;
    const r = await timed(relus, (st, x) => relu(st, x));
    line('ReLU/s', relus / r.seconds, '/s', `ℓ = 64, s = ${DEFAULT_S}; ${Math.round(r.bytes / relus)} B per ReLU`);
    for (const [zoo, network] of [
      ['resnet50', 'ResNet50'],
      ['densenet121', 'DenseNet121'],
    ] as const) {
      const program = compilePaper(zoo);
      const m = costProgram(program, costBackend('malicious')).bytes.total;
      const porthos = costProgram(program, costBackend('porthos', 'paper')).bytes.total;
      line(`${network} bytes (cost)`, m, 'B', `${(m / porthos).toFixed(1)}× Porthos (${porthos} B)`);
    }
    const executed = process.env['BENCH_MALICIOUS_RUN'];
    if (executed !== undefined && executed !== '') await executedRun(executed, line);
  },
};

/** One network executed for real under `malicious` (BENCH_MALICIOUS_RUN). */
async function executedRun(
  name: string,
  line: (name: string, rate: number, unit: string, detail: string) => void,
): Promise<void> {
  const before = loadLine('before');
  const run = await secureRun(setupNetwork(name), { backend: 'malicious', threads: true });
  const seconds = run.result.seconds;
  line(
    `${name} executed, bytes/s`,
    run.metered / seconds,
    'B/s',
    `${seconds.toFixed(1)} s wall, metered ${run.metered.toLocaleString('en-US')} B ${run.linksEqual ? '= cost walk on every link' : `≠ COST WALK (${run.costBytes} B)`}, outputs ${run.withinBound ? 'within bounds' : 'OUT OF BOUNDS'}, peak RSS ${(run.peakRssBytes / 2 ** 30).toFixed(2)} GiB, one worker thread per party; ${before}; ${loadLine('after')}`,
  );
}
