/**
 * The OT layer's throughput (`npm run bench`, group 'ot'), beside the machine's AES throughput, which
 * bounds it (every OT costs a few AES blocks of hashing and PRG expansion):
 *   - AES: fixed-key AES-128-ECB (the hash's permutation) and AES-128-CTR (the column PRGs) over 16 MiB,
 *     one node:crypto call each;
 *   - setup: one session's base OTs and KKRT seeds (both parties), in seconds;
 *   - IKNP chosen 1-out-of-2 OT and correlated OT at ℓ = 32 and 64, KKRT 1-out-of-16 OT at ℓ = 2
 *     (the millionaires' leaf width) and 8: OTs per second per core — both parties run in this one
 *     thread over the in-memory network, so a rate is the work of sender and receiver together on
 *     one core. Batches of 2^18 instances; the median of 3 after 1 warm-up call.
 */
import { createCipheriv } from 'node:crypto';
import { partyContext } from '../protocols/common/context.js';
import { keysFromSeed } from '../protocols/common/prg.js';
import { openOtChannel } from '../protocols/ot/channel.js';
import type { OtChannel } from '../protocols/ot/types.js';
import { MemoryNetwork } from '../harness/network/memory.js';
import type { BenchGroup, Measurement } from './harness.js';

const BATCH = 1 << 18;
const RUNS = 3;

async function median(f: () => Promise<unknown>): Promise<number> {
  await f();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await f();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)] as number;
}

function aesRates(): { readonly ecb: number; readonly ctr: number } {
  const data = Buffer.alloc(16 << 20, 0x5a);
  const key = Buffer.alloc(16, 7);
  const time = (f: () => unknown): number => {
    f();
    const t0 = performance.now();
    f();
    return (performance.now() - t0) / 1000;
  };
  const ecb = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  const ctr = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  return { ecb: data.length / time(() => ecb.update(data)), ctr: data.length / time(() => ctr.update(data)) };
}

async function session(): Promise<{ readonly ch: readonly [OtChannel, OtChannel]; readonly seconds: number }> {
  const net = new MemoryNetwork();
  net.finished(2);
  const keys = keysFromSeed('bench-ot');
  const ctx = [partyContext(0, 64, net.endpoint(0), keys[0]), partyContext(1, 64, net.endpoint(1), keys[1])] as const;
  const t0 = performance.now();
  const ch = await Promise.all([openOtChannel(ctx[0], 1), openOtChannel(ctx[1], 0)]);
  return { ch, seconds: (performance.now() - t0) / 1000 };
}

export const otGroup: BenchGroup = {
  name: 'ot',
  async run(report: (m: Measurement) => void): Promise<void> {
    const aes = aesRates();
    const aesNote = `AES-128 on this core: ECB ${(aes.ecb / 2 ** 20).toFixed(0)} MiB/s (${(aes.ecb / 16).toExponential(2)} blocks/s), CTR ${(aes.ctr / 2 ** 20).toFixed(0)} MiB/s`;
    report({
      group: 'ot',
      name: 'AES-128-ECB (fixed-key hash)',
      rate: aes.ecb / 16,
      unit: 'blk/s',
      detail: `${(aes.ecb / 2 ** 20).toFixed(0)} MiB/s, node:crypto, one call over 16 MiB`,
    });
    report({
      group: 'ot',
      name: 'AES-128-CTR (column PRG)',
      rate: aes.ctr / 16,
      unit: 'blk/s',
      detail: `${(aes.ctr / 2 ** 20).toFixed(0)} MiB/s`,
    });
    const { ch, seconds } = await session();
    report({
      group: 'ot',
      name: 'setup (base OTs + KKRT seeds)',
      rate: seconds,
      unit: 's',
      detail: 'both parties, one thread, cold: 128 Chou–Orlandi OTs per direction over ristretto255',
    });
    const [a, b] = ch;
    const c = new Uint8Array(BATCH).map((_, i) => i & 1);
    const cases: readonly { readonly name: string; readonly run: () => Promise<unknown> }[] = [32, 64].flatMap(
      (ell) => {
        const m = new BigUint64Array(BATCH).fill(5n);
        return [
          { name: `IKNP chosen OT, ℓ = ${ell}`, run: () => Promise.all([a.send2(m, m, ell), b.recv2(c, ell)]) },
          {
            name: `IKNP correlated OT, ℓ = ${ell}`,
            run: () => Promise.all([a.sendCorrelated(m, ell), b.recvCorrelated(c, ell)]),
          },
        ];
      },
    );
    const kkrt = [2, 8].map((ell) => {
      const msgs = new BigUint64Array(16 * BATCH).fill(1n);
      const choices = c.map((_, i) => i & 15);
      return {
        name: `KKRT 1-out-of-16 OT, ℓ = ${ell}`,
        run: () => Promise.all([a.sendN(16, msgs, ell), b.recvN(16, choices, ell)]),
      };
    });
    for (const k of [...cases, ...kkrt]) {
      const t = await median(k.run);
      report({
        group: 'ot',
        name: k.name,
        rate: BATCH / t,
        unit: 'OT/s',
        detail: `per core (sender + receiver in one thread), batch 2^18; ${aesNote}`,
      });
    }
  },
};
