/**
 * OT-hybrid security of the prime-field protocols of cryptflow2-he with either party corrupted
 * (semi-honest), at a small prime (p = 251, so each view is a few hundred bits and every field value
 * is hit), as test/protocols/cryptflow2/security.test.ts does for the ring: the corrupted party's share
 * and randomness are fixed, the honest party's input is A or B with fresh randomness in each of N runs,
 * and the corrupted view (every message and every F_OT output, ideal OT) must not tell A from B — no
 * bit position's count of ones may differ by 6σ. Planted leaks (a reused pad, a zero MUX/B2A pad) are
 * caught by the same check.
 *
 * The HE layer: the server's view is RLWE ciphertexts (semantic security, argued in
 * proofs-notes/cryptflow2-he.md, not testable statistically); the client's view is the decryption of
 * each response, which must be uniform over Z_p and independent of the server's weights — tested here on
 * every coefficient of every response (chi-square, top 4 bits), with W = 0 and W random.
 */
import { describe, expect, it } from 'vitest';
import { chiSquareHomogeneity, chiSquareUniform } from '../../../harness/conformance/stats.js';
import { runParties } from '../../../harness/network/run.js';
import type { PartyContext, PartyId } from '../../../protocols/common/party.js';
import { keysFromSeed, Prg, type PartyKeys } from '../../../protocols/common/prg.js';
import type { OtChannel } from '../../../protocols/ot/types.js';
import { modP, P41, primeField, sampleP } from '../../../protocols/cryptflow2-he/field.js';
import { b2aP, dreluP, muxP } from '../../../protocols/cryptflow2-he/gates.js';
import { maxPoolP, reluP } from '../../../protocols/cryptflow2-he/nonlinear.js';
import { divideP } from '../../../protocols/cryptflow2-he/division.js';
import { matmulShape } from '../../../protocols/cryptflow2-he/layers.js';
import { heLinearClient, heLinearServer } from '../../../protocols/cryptflow2-he/linear.js';
import { planConv } from '../../../protocols/cryptflow2-he/packing.js';
import { HE_SIZES, plainCoeffs } from '../../../protocols/cryptflow2-he/seal.js';
import { openHe } from '../../../protocols/cryptflow2-he/session.js';
import { idealOtPair } from '../cryptflow2/ideal-ot.js';
import { SLOW } from '../cryptflow2/support.js';
import { timeout } from '../../setup/timeouts.js';

const N = SLOW ? 200 : 48;
const THRESHOLD = 6 * Math.sqrt(N / 2);
const F = primeField(251n);

type Side = 0 | 1;
interface Inputs {
  /** The honest party's share of x: x − r for the corrupted party's fixed share r. */
  field(values: readonly bigint[]): BigUint64Array;
  bits(values: readonly number[]): Uint8Array;
}

interface Case {
  readonly name: string;
  readonly a: readonly bigint[];
  readonly b: readonly bigint[];
  run(ctx: PartyContext, ot: OtChannel, inp: Inputs, x: readonly bigint[]): Promise<unknown>;
}

function inputsFor(ctx: PartyContext, corrupt: Side): Inputs {
  const fixed = new Prg(new Uint8Array(16).fill(7));
  const mine = ctx.id === corrupt;
  return {
    field: (values) => {
      const r = sampleP(F, fixed, values.length);
      return mine ? r : r.map((v, i) => modP(F, (values[i] as bigint) - v));
    },
    bits: (values) => {
      const r = fixed.bytes(values.length).map((v) => v & 1);
      return mine ? r : r.map((v, i) => v ^ ((values[i] as number) & 1));
    },
  };
}

const bitsOf = (x: readonly bigint[]): number[] => x.map((v) => Number(v & 1n));

const CASES: readonly Case[] = [
  {
    name: 'DReLU_p',
    a: [0n, 0n, 125n],
    b: [250n, 126n, 1n],
    run: (ctx, ot, inp, x) => dreluP(ctx, ot, F, inp.field(x)),
  },
  { name: 'B2A_p', a: [0n, 0n, 0n], b: [1n, 1n, 1n], run: (ctx, ot, inp, x) => b2aP(ctx, ot, F, inp.bits(bitsOf(x))) },
  {
    name: 'MUX_p',
    a: [0n, 0n, 7n],
    b: [1n, 1n, 200n],
    run: (ctx, ot, inp, x) => muxP(ctx, ot, F, inp.bits(bitsOf(x)), inp.field(x.map((v) => v * 3n))),
  },
  { name: 'ReLU_p', a: [0n, 5n, 250n], b: [125n, 126n, 3n], run: (ctx, ot, inp, x) => reluP(ctx, ot, F, inp.field(x)) },
  {
    name: 'Div_p(d = 9)',
    a: [0n, 8n, 250n],
    b: [125n, 9n, 126n],
    run: (ctx, ot, inp, x) => divideP(ctx, ot, F, inp.field(x), [9n, 9n, 9n]),
  },
  {
    name: 'MaxPool_p(4)',
    a: [0n, 0n, 0n, 0n],
    b: [60n, 1n, 200n, 30n],
    run: (ctx, ot, inp, x) => maxPoolP(ctx, ot, F, inp.field(x), Int32Array.from([0, 1, 2, 3]), 1, 4),
  },
];

type Leak = 'none' | 'reused pad' | 'zero PRG';

async function view(c: Case, corrupt: Side, which: 0 | 1, run: number, leak: Leak): Promise<number[]> {
  const honest: Side = corrupt === 0 ? 1 : 0;
  const base = keysFromSeed(`cryptflow2-he security ${c.name}`);
  const fresh = keysFromSeed(leak === 'reused pad' ? 'fixed' : `run ${run}`)[honest].own;
  const keys = base.map((k, i) => (i === honest ? { ...k, own: fresh } : k)) as unknown as readonly [
    PartyKeys,
    PartyKeys,
    PartyKeys,
  ];
  const otOf = idealOtPair({});
  const bits: number[] = [];
  const record = (v: bigint, width: number): void => {
    for (let i = 0; i < width; i++) bits.push(Number((v >> BigInt(i)) & 1n));
  };
  const zeros = {
    ...new Prg(new Uint8Array(16)),
    bytes: (n: number) => new Uint8Array(n),
    ring: (_ell: number, n: number) => new BigUint64Array(n),
    below: (_m: bigint, n: number) => new BigUint64Array(n),
  } as unknown as Prg;
  const party = async (b: PartyContext): Promise<unknown> => {
    const ot = otOf(b);
    if (b.id !== corrupt) {
      const ctx = leak === 'zero PRG' ? { ...b, own: zeros } : b;
      return c.run(ctx, ot, inputsFor(ctx, corrupt), which === 0 ? c.a : c.b);
    }
    const ctx: PartyContext = {
      ...b,
      recv: async (from: PartyId, what?: string) => {
        const m = await b.recv(from, what);
        m.forEach((byte) => record(BigInt(byte), 8));
        return m;
      },
    };
    const rec =
      (ell: number) =>
      (out: BigUint64Array): BigUint64Array => {
        out.forEach((v) => record(v, ell));
        return out;
      };
    const spy: OtChannel = {
      ...ot,
      recv2: async (ch, ell) => rec(ell)(await ot.recv2(ch, ell)),
      recvCorrelated: async (ch, ell) => rec(ell)(await ot.recvCorrelated(ch, ell)),
      recvRandom: async (ch, ell) => rec(ell)(await ot.recvRandom(ch, ell)),
      recvN: async (n, ch, ell) => rec(ell)(await ot.recvN(n, ch, ell)),
    };
    return c.run(ctx, spy, inputsFor(ctx, corrupt), which === 0 ? c.a : c.b);
  };
  await runParties([party, party, async () => null], { ell: 16, keys });
  return bits;
}

async function distinguisher(c: Case, corrupt: Side, leak: Leak): Promise<number> {
  const counts = [[] as number[], [] as number[]];
  for (const which of [0, 1] as const) {
    for (let r = 0; r < N; r++) {
      const v = await view(c, corrupt, which, r, leak);
      const acc = counts[which] as number[];
      v.forEach((b, i) => (acc[i] = (acc[i] ?? 0) + b));
    }
  }
  const [ca, cb] = counts as [number[], number[]];
  expect(ca.length).toBe(cb.length);
  return ca.reduce((m, v, i) => Math.max(m, Math.abs(v - (cb[i] as number))), 0);
}

describe('cryptflow2-he prime-field protocols, OT-hybrid: views independent of the honest input (p = 251)', () => {
  for (const c of CASES)
    for (const corrupt of [0, 1] as const)
      it(`${c.name}, P${corrupt} corrupted`, async () => {
        expect(await distinguisher(c, corrupt, 'none')).toBeLessThan(THRESHOLD);
      });
});

describe('cryptflow2-he planted leaks are caught', () => {
  for (const name of ['DReLU_p', 'Div_p(d = 9)']) {
    it(`${name}: a reused pad is caught with one of the parties corrupted`, async () => {
      const c = CASES.find((k) => k.name === name) as Case;
      expect(
        Math.max(await distinguisher(c, 0, 'reused pad'), await distinguisher(c, 1, 'reused pad')),
      ).toBeGreaterThan(THRESHOLD);
    });
  }
  for (const name of ['MUX_p', 'B2A_p']) {
    it(`${name}: a zero pad (the honest PRG stream all zeros) is caught`, async () => {
      const c = CASES.find((k) => k.name === name) as Case;
      expect(Math.max(await distinguisher(c, 0, 'zero PRG'), await distinguisher(c, 1, 'zero PRG'))).toBeGreaterThan(
        THRESHOLD,
      );
    });
  }
});

describe("cryptflow2-he HE layer: the client's decrypted responses", () => {
  it(
    'are uniform over Z_p on every coefficient and do not depend on the server’s weights',
    async () => {
      const plan = planConv(matmulShape(1, 64, 200));
      const x0 = BigUint64Array.from({ length: 64 }, (_, i) => BigInt(i * 7919) % P41);
      const histograms: number[][] = [];
      for (const w of [
        new BigUint64Array(64 * 200),
        BigUint64Array.from({ length: 64 * 200 }, (_, i) => (BigInt(i) * 1000003n) % P41),
      ]) {
        const counts = new Array<number>(16).fill(0);
        const party = async (ctx: PartyContext): Promise<null> => {
          const he = await openHe(ctx);
          if (he.role === 'server') {
            await heLinearServer(ctx, he, [plan], [w]);
            return null;
          }
          const spy: PartyContext = {
            ...ctx,
            recv: async (from: PartyId, what?: string) => {
              const m = await ctx.recv(from, what);
              if (what !== 'HE response ciphertexts') return m;
              const ct = he.seal.CipherText();
              const pt = he.seal.PlainText();
              for (let r = 0; r < plan.responses; r++) {
                ct.loadArray(he.context, m.subarray(r * HE_SIZES.response, (r + 1) * HE_SIZES.response));
                he.decryptor.decrypt(ct, pt);
                for (const v of plainCoeffs(pt.saveArray(he.seal.ComprModeType.none))) {
                  const cell = Number((v * 16n) / P41);
                  counts[cell] = (counts[cell] ?? 0) + 1;
                }
              }
              ct.delete();
              pt.delete();
              return m;
            },
          };
          await heLinearClient(spy, he, [plan], [x0]);
          return null;
        };
        await runParties([party, party, async () => null], { ell: 16, seed: `he-view-${histograms.length}` });
        const t = chiSquareUniform(counts);
        expect(t.pValue).toBeGreaterThan(1e-6);
        histograms.push(counts);
      }
      expect(chiSquareHomogeneity(histograms[0] ?? [], histograms[1] ?? []).pValue).toBeGreaterThan(1e-6);
    },
    timeout(30_000),
  );
});
