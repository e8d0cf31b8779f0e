import { describe, expect, it } from 'vitest';
import { Field } from '../../spec/field.js';
import fc from 'fast-check';
import { Prg, keysFromSeed, freshKeys } from '../../protocols/common/prg.js';
import { decodeRing, encodeRing, recvField, recvRing, sendRing } from '../../protocols/common/codec.js';
import { reveal, shareInput } from '../../protocols/common/sharing.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { runParties } from '../../harness/network/run.js';
import { Ring } from '../../spec/ring.js';
import { CryptflowError } from '../../spec/errors.js';

describe('AES-CTR PRG', () => {
  it('is a deterministic stream: equal keys draw equal values in any chunking', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 6 }),
        (key, cuts) => {
          const a = new Prg(key);
          const b = new Prg(key);
          const total = cuts.reduce((s, c) => s + c, 0);
          const whole = a.bytes(total);
          const parts = cuts.map((c) => b.bytes(c));
          expect(Buffer.concat(parts)).toEqual(Buffer.from(whole));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('samples ring, odd-ring and field elements in range, and keys from a seed replay while fresh keys differ', () => {
    const [k0, k1] = keysFromSeed('s');
    expect(k0.shared[1]).toEqual(k1.shared[0]);
    expect(keysFromSeed('s')[2].own).toEqual(keysFromSeed('s')[2].own);
    expect(freshKeys()[0].own).not.toEqual(freshKeys()[0].own);
    const p = new Prg(k0.own);
    for (const ell of [8, 16, 63]) expect(p.ring(ell, 500).every((v) => v < 1n << BigInt(ell))).toBe(true);
    expect(p.below((1n << 64n) - 1n, 300).every((v) => v < (1n << 64n) - 1n)).toBe(true);
    const f = p.field(67, 67 * 200);
    expect(f.every((v) => v < 67)).toBe(true);
    const counts = new Array<number>(67).fill(0);
    for (const v of f) counts[v] = (counts[v] as number) + 1;
    // chi-square with 66 degrees of freedom: 120 is exceeded with probability below 1e-4
    const chi = counts.reduce((s, c) => s + (c - 200) ** 2 / 200, 0);
    expect(chi).toBeLessThan(120);
    expect(() => new Prg(new Uint8Array(15))).toThrow(/16 bytes/);
  });
});

describe('wire codecs', () => {
  it('round-trip ring elements at every width and reject wrong lengths and out-of-range values without showing them', () => {
    for (const ell of [8, 13, 16, 32, 64]) {
      const xs = new Prg(new Uint8Array(16)).ring(ell, 37);
      expect(decodeRing(ell, encodeRing(ell, xs), 37, 1, 'test')).toEqual(xs);
      expect(() => decodeRing(ell, encodeRing(ell, xs).subarray(1), 37, 1, 'test')).toThrow(
        /from P1 \(test\): expected/,
      );
    }
    const bad = encodeRing(16, new BigUint64Array([0xffffn]));
    expect(() => decodeRing(13, bad, 1, 2, 'x')).toThrow(/element 0 is out of range/);
  });
});

describe('in-memory network', () => {
  it('meters bytes per link and phase, and rounds as max(own, sender + 1)', async () => {
    const prog = async (ctx: PartyContext): Promise<number> => {
      if (ctx.id === 0) {
        sendRing(ctx, 1, new BigUint64Array(3));
        await recvRing(ctx, 1, 1, 'pong');
      } else if (ctx.id === 1) {
        await recvRing(ctx, 0, 3, 'ping');
        sendRing(ctx, 0, new BigUint64Array(1));
        sendRing(ctx, 2, new BigUint64Array(2));
      } else {
        await recvRing(ctx, 1, 2, 'late');
      }
      return ctx.id;
    };
    const { meter } = await runParties([prog, prog, prog], { ell: 64, seed: 'm' });
    expect(meter.links).toEqual({ 'P0->P1': 24, 'P1->P0': 8, 'P1->P2': 16, 'P0->P2': 0, 'P2->P0': 0, 'P2->P1': 0 });
    expect(meter.rounds).toBe(2);
  });

  it('shares inputs at zero cost and reveals in the io phase only to the named party', async () => {
    const ring = Ring(32);
    const v = ring.fromBigInts([5n, -7n, 123456n]);
    const prog = async (ctx: PartyContext) => {
      const x = shareInput(ctx, 1, [3], ctx.id === 1 ? v : undefined);
      return { share: x.share, out: await reveal(ctx, x, 0) };
    };
    const { outputs, meter } = await runParties([prog, prog, prog], { ell: 32, seed: 'r' });
    expect(outputs[0].out).toEqual(v);
    expect(outputs[1].out).toBeNull();
    expect(outputs[0].share).not.toEqual(new BigUint64Array(3));
    expect(Object.values(meter.links).every((b) => b === 0)).toBe(true);
    expect(meter.io['P1->P0']).toBe(12);
  });

  it('a failing party aborts the run: the others stop with an error naming it instead of hanging', async () => {
    const prog = async (ctx: PartyContext): Promise<void> => {
      if (ctx.id === 1) throw new CryptflowError('input', 'bad weights');
      await recvRing(ctx, 1, 1, 'never');
    };
    await expect(runParties([prog, prog, prog], { ell: 16, seed: 'f' })).rejects.toThrow(/bad weights/);
  });

  it('detects a deadlock and names who waits on whom', async () => {
    const prog = async (ctx: PartyContext): Promise<void> => {
      await recvRing(ctx, ctx.id === 0 ? 1 : 0, 1, 'cycle');
    };
    await expect(runParties([prog, prog, prog], { ell: 16, seed: 'd' })).rejects.toThrow(/deadlock: .*P0 waits for P1/);
  });

  it('a malformed message is a decode error naming the sender and the step', async () => {
    const prog = async (ctx: PartyContext): Promise<void> => {
      if (ctx.id === 0) ctx.send(2, new Uint8Array([200, 1]));
      if (ctx.id === 2) await recvField(ctx, 0, 2, Field(127), 'bit shares');
    };
    await expect(runParties([prog, prog, prog], { ell: 16, seed: 'x' })).rejects.toThrow(
      /from P0 \(bit shares\): element 0 is out of range/,
    );
  });

  it('delivers in adversarial orders (fast-check scheduler) with per-link FIFO intact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const prog = async (ctx: PartyContext): Promise<bigint[]> => {
          const got: bigint[] = [];
          for (let i = 0; i < 3; i++)
            for (const to of [0, 1, 2] as const)
              if (to !== ctx.id) sendRing(ctx, to, new BigUint64Array([BigInt(ctx.id * 10 + i)]));
          for (let i = 0; i < 3; i++) {
            const from = ([0, 1, 2] as const).filter((p) => p !== ctx.id);
            const vals = await Promise.all(from.map((f) => recvRing(ctx, f, 1, 'seq')));
            got.push(...vals.map((v) => v[0] as bigint));
          }
          return got;
        };
        const run = runParties([prog, prog, prog], { ell: 16, seed: 'o', deliver: (p, label) => s.schedule(p, label) });
        const { outputs } = await s.waitFor(run);
        expect(outputs[0]).toEqual([10n, 20n, 11n, 21n, 12n, 22n]);
      }),
      { numRuns: 20 },
    );
  });
});
