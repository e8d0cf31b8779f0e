/**
 * The malicious backend (`npm run bench`, group 'malicious'): authenticated products and ReLUs per
 * second at ℓ = 64 and the default s = 48 (Z_{2^112}), the three parties interleaved on this one thread over the
 * in-memory network, with the metered bytes per element; and ResNet50's and DenseNet121's bytes from
 * the cost walk (`cryptflow cost --backend malicious`), beside Porthos's. SqueezeNet executed for real
 * is not measured yet (a test.todo in test/protocols/malicious3/session.test.ts).
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
import type { BenchGroup, Measurement } from './harness.js';

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
  },
};
