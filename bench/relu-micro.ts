/**
 * `npx tsx bench/relu-micro.ts [n] [runs]`: one Porthos ReLU layer of n elements (ℓ = 64, default
 * n = 262,144, the size of several ResNet50 layers), the three parties interleaved on this thread, so
 * the time is the sum of the three parties' CPU work: the figure that sets a 2-core run's wall time
 * when three parties share two cores. Prints min / median / max seconds over `runs` (default 3) and,
 * from a fixed seed, the SHA-256 of every message in the order each link carried them, so that a fast
 * path can be checked to leave every party's messages byte-identical (proofs-notes/performance.md).
 */
import { createHash, type Hash } from 'node:crypto';
import { MemoryNetwork } from '../harness/network/memory.js';
import { runParties } from '../harness/network/run.js';
import { peerOf, roleOf, type PartyContext } from '../protocols/common/party.js';
import { asShare } from '../protocols/common/sharing.js';
import { reluHelper, reluHolder } from '../protocols/securenn-family/nonlinear/relu.js';
import { PORTHOS } from '../protocols/securenn-family/nonlinear/variant.js';

const n = Number(process.argv[2] ?? 262144);
const runs = Number(process.argv[3] ?? 3);
const ell = 64;

async function once(): Promise<{ seconds: number; cpu: number; digest: string; bytes: number }> {
  const net = new MemoryNetwork({ parties: 3 });
  const hashes = new Map<string, Hash>();
  let bytes = 0;
  const endpoint = net.endpoint.bind(net);
  net.endpoint = (id) => {
    const e = endpoint(id);
    const send = e.send.bind(e);
    e.send = (to, b, phase) => {
      const link = `${id}->${to}`;
      const h = hashes.get(link) ?? createHash('sha256');
      hashes.set(link, h.update(b));
      bytes += b.length;
      send(to, b, phase);
    };
    return e;
  };
  const program = async (ctx: PartyContext): Promise<void> => {
    const r = roleOf(ctx);
    if (r.role === 'helper') return reluHelper(r.ctx, PORTHOS, n);
    // Shares of arbitrary values: P0 and P1 draw their shares from their common PRG and P0 adds 1.
    const a = ctx.shared(peerOf(r.ctx.id)).ring(ell, n);
    await reluHolder(r.ctx, PORTHOS, n, asShare(a));
  };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await runParties([program, program, program], { ell, seed: 'relu-micro', network: net });
  const c = process.cpuUsage(c0);
  const seconds = (performance.now() - t0) / 1000;
  const all = createHash('sha256');
  for (const link of [...hashes.keys()].sort()) all.update(`${link}:${hashes.get(link)?.digest('hex') ?? ''};`);
  return { seconds, cpu: (c.user + c.system) / 1e6, digest: all.digest('hex'), bytes };
}

const times: number[] = [];
const cpus: number[] = [];
let digest = '';
let bytes = 0;
for (let i = 0; i < runs; i++) {
  const r = await once();
  times.push(r.seconds);
  cpus.push(r.cpu);
  if (digest !== '' && digest !== r.digest) throw new Error('the same seed gave different messages');
  digest = r.digest;
  bytes = r.bytes;
}
times.sort((a, b) => a - b);
cpus.sort((a, b) => a - b);
const show = (xs: readonly number[]): string => xs.map((t) => t.toFixed(3)).join(' / ');
console.log(
  `ReLU n = ${n}, ℓ = ${ell}, Porthos, 3 parties on one thread: wall ${show(times)} s, CPU ${show(cpus)} s (sorted; CPU includes the collector's threads), ${bytes} B, messages sha256 ${digest}`,
);
