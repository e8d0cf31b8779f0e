/**
 * OT-hybrid security tests of the CrypTFlow2 protocols with either party corrupted (semi-honest).
 *
 * Experiment: the corrupted party's randomness and input (its share) are fixed; the honest party's
 * input is one of two values A, B and its randomness is fresh in each of N runs. The corrupted
 * party's view — every network message it receives and every F_OT output (ideal-ot.ts: no OT traffic
 * on the network) — is flattened to bits. A simulator exists (proofs-notes/cryptflow2.md) exactly
 * when the view is distributed independently of the honest input, so for every bit position the
 * counts of ones under A and under B are two samples of one binomial: the test fails when some
 * position differs by more than 6σ (σ = √(N/2), the largest standard deviation of the difference),
 * a bound an honest protocol crosses with probability below 10⁻⁵ over all positions here. The same
 * check runs on b_i ⊕ b_{i+δ} for δ ∈ {8, 16, 32, 64, ℓ, 2ℓ, 3ℓ} (a targeted statistic for leaks seen
 * only through correlations between positions, e.g. a pad shared by neighbouring elements); its
 * tests number at most 7 per position, which keeps the 6σ bound's false-alarm rate of the same order.
 *
 * The products run as the backend runs them: both operands general sharings (two cross terms), the
 * server's weights in the clear at P1 (its other share publicly 0: one cross term), and the client's
 * clear input times the server's clear weights (x0·y1 alone); in the last two the honest party's clear
 * value is the input that varies.
 *
 * Planted leaks, each of which the same check must catch:
 *   - a reused pad: the honest party's PRG key is the same in every run (every mask repeats);
 *   - a non-random OT mask: the honest correlated-OT sender's pad is 0 (B2A, products);
 *   - a non-random MUX mask: the honest party's MUX pad r is 0 (its PRG stream replaced by zeros).
 */
import { describe, expect, it } from 'vitest';
import { runParties } from '../../../harness/network/run.js';
import type { PartyContext, PartyId } from '../../../protocols/common/party.js';
import { keysFromSeed, Prg, type PartyKeys } from '../../../protocols/common/prg.js';
import type { OtChannel } from '../../../protocols/ot/types.js';
import { millionaire } from '../../../protocols/cryptflow2/millionaire.js';
import { millionaireCorrelated } from '../../../protocols/cryptflow2/correlated.js';
import { andGates, bitTriples } from '../../../protocols/cryptflow2/and.js';
import { drelu } from '../../../protocols/cryptflow2/drelu.js';
import { b2a } from '../../../protocols/cryptflow2/b2a.js';
import { mux } from '../../../protocols/cryptflow2/mux.js';
import { argmax, maxPool, relu } from '../../../protocols/cryptflow2/nonlinear.js';
import { divide, truncate } from '../../../protocols/cryptflow2/division.js';
import { otProduct } from '../../../protocols/cryptflow2/product.js';
import { matmulTerms, mulTerms } from '../../../protocols/cryptflow2/terms.js';
import { referenceKernels } from '../../../semantics/kernels/index.js';
import { idealOtPair, type IdealOtOptions } from './ideal-ot.js';
import { SLOW } from './support.js';

const N = SLOW ? 200 : 48;
const THRESHOLD = 6 * Math.sqrt(N / 2);

type Side = 0 | 1;
interface Inputs {
  /** The honest party's share of x: x − r for the corrupted party's fixed share r. */
  ring(values: readonly bigint[]): BigUint64Array;
  bits(values: readonly number[]): Uint8Array;
  /** A private value: the corrupted party's fixed one or the honest party's (A or B). */
  own(corrupted: readonly bigint[], honest: readonly bigint[]): BigUint64Array;
}

interface Case {
  readonly name: string;
  readonly ell: number;
  /** The two honest inputs. */
  readonly a: readonly bigint[];
  readonly b: readonly bigint[];
  run(ctx: PartyContext, ot: OtChannel, inp: Inputs, x: readonly bigint[]): Promise<unknown>;
}

function inputsFor(ctx: PartyContext, corrupt: Side, ell: number): Inputs {
  const fixed = new Prg(new Uint8Array(16).fill(7));
  const mine = ctx.id === corrupt;
  return {
    ring: (values) => {
      const r = fixed.ring(ell, values.length);
      return mine ? r : r.map((v, i) => BigInt.asUintN(ell, (values[i] as bigint) - v));
    },
    bits: (values) => {
      const r = fixed.bytes(values.length).map((v) => v & 1);
      return mine ? r : r.map((v, i) => v ^ ((values[i] as number) & 1));
    },
    own: (corrupted, honest) => BigUint64Array.from(mine ? corrupted : honest),
  };
}

const bitsOfX = (x: readonly bigint[]): number[] => x.map((v) => Number(v & 1n));

/** A 3 × 4 weight matrix over Z_{2^8} from three values (a party's clear weights). */
const weights = (x: readonly bigint[]): bigint[] => [...x, ...x, ...x, ...x].map((v, i) => (v * 7n + BigInt(i)) & 255n);

const CASES: readonly Case[] = [
  {
    name: 'Mill(8)',
    ell: 8,
    a: [0n, 0n, 3n],
    b: [255n, 200n, 17n],
    run: (ctx, ot, inp, x) => millionaire(ctx, ot, inp.own([100n, 7n, 17n], x), 8),
  },
  {
    name: 'Mill(16), correlated triples',
    ell: 16,
    a: [0n, 0n, 3n],
    b: [65535n, 200n, 17n],
    run: (ctx, ot, inp, x) => millionaireCorrelated(ctx, ot, inp.own([100n, 7n, 17n], x), 16),
  },
  {
    name: 'AND',
    ell: 8,
    a: [0n, 0n, 1n, 1n],
    b: [1n, 1n, 0n, 0n],
    run: async (ctx, ot, inp, x) =>
      andGates(ctx, await bitTriples(ctx, ot, x.length), inp.bits(bitsOfX(x)), inp.bits(bitsOfX(x))),
  },
  {
    name: 'DReLU(16)',
    ell: 16,
    a: [0n, 5n, 40000n],
    b: [65535n, 32768n, 1n],
    run: (ctx, ot, inp, x) => drelu(ctx, ot, inp.ring(x), 16),
  },
  {
    name: 'B2A(16)',
    ell: 16,
    a: [0n, 0n, 0n],
    b: [1n, 1n, 1n],
    run: (ctx, ot, inp, x) => b2a(ctx, ot, inp.bits(bitsOfX(x)), 16),
  },
  {
    name: 'MUX(16)',
    ell: 16,
    a: [0n, 0n, 0n],
    b: [1n, 1n, 1n],
    run: (ctx, ot, inp, x) => mux(ctx, ot, inp.bits(bitsOfX(x)), inp.ring(x.map((v) => v * 12345n)), 16),
  },
  {
    name: 'ReLU(16)',
    ell: 16,
    a: [0n, 1n, 2n],
    b: [65535n, 40000n, 9n],
    run: (ctx, ot, inp, x) => relu(ctx, ot, inp.ring(x), 16),
  },
  {
    name: 'MaxPool(16, k = 4)',
    ell: 16,
    a: [1n, 2n, 3n, 4n],
    b: [9000n, 65000n, 0n, 12n],
    run: (ctx, ot, inp, x) => maxPool(ctx, ot, inp.ring(x), Int32Array.of(0, 1, 2, 3), 1, 4, 16),
  },
  {
    name: 'ArgMax(16, c = 3)',
    ell: 16,
    a: [1n, 2n, 3n],
    b: [3n, 2n, 1n],
    run: (ctx, ot, inp, x) => argmax(ctx, ot, inp.ring(x), 1, 3, 16),
  },
  {
    name: 'Trunc(16, s = 5)',
    ell: 16,
    a: [0n, 31n, 65535n],
    b: [32768n, 1000n, 7n],
    run: (ctx, ot, inp, x) => truncate(ctx, ot, inp.ring(x), 5, 16),
  },
  {
    name: 'Div(16, d = 9)',
    ell: 16,
    a: [0n, 8n, 65535n],
    b: [32768n, 9n, 4n],
    run: (ctx, ot, inp, x) => divide(ctx, ot, inp.ring(x), [9n, 9n, 9n], 16),
  },
  {
    name: 'Product(8)',
    ell: 8,
    a: [0n, 0n, 0n],
    b: [255n, 129n, 77n],
    run: (ctx, ot, inp, x) =>
      otProduct(
        ctx,
        ot,
        mulTerms([3], [3]),
        inp.ring(x),
        inp.ring(x.map((v) => v * 7n + 3n)),
        (p, q) => p.map((v, i) => BigInt.asUintN(8, v * (q[i] as bigint))),
        8,
      ),
  },
  {
    name: 'MatMul(8, vector COT)',
    ell: 8,
    a: [0n, 0n, 0n],
    b: [255n, 129n, 77n],
    run: (ctx, ot, inp, x) =>
      otProduct(
        ctx,
        ot,
        matmulTerms(1, 3, 4),
        inp.ring(x),
        inp.ring([...x, ...x, ...x, ...x].map((v) => v * 7n + 3n)),
        (p, q) => referenceKernels.matmul(8, p, q, 1, 3, 4),
        8,
      ),
  },
  {
    name: 'MatMul(8), the server weights in the clear (one cross term)',
    ell: 8,
    a: [0n, 0n, 0n],
    b: [255n, 129n, 77n],
    run: (ctx, ot, inp, x) =>
      otProduct(
        ctx,
        ot,
        matmulTerms(1, 3, 4),
        inp.ring(x),
        ctx.id === 1 ? inp.own(weights([9n, 200n, 31n]), weights(x)) : new BigUint64Array(12),
        (p, q) => referenceKernels.matmul(8, p, q, 1, 3, 4),
        8,
        { y: 1 },
      ),
  },
  {
    name: "MatMul(8), the client's input times the server's weights (x0·y1 only)",
    ell: 8,
    a: [0n, 0n, 0n],
    b: [255n, 129n, 77n],
    run: (ctx, ot, inp, x) =>
      otProduct(
        ctx,
        ot,
        matmulTerms(1, 3, 4),
        ctx.id === 0 ? inp.own([5n, 66n, 250n], x) : new BigUint64Array(3),
        ctx.id === 1 ? inp.own(weights([9n, 200n, 31n]), weights(x)) : new BigUint64Array(12),
        (p, q) => referenceKernels.matmul(8, p, q, 1, 3, 4),
        8,
        { x: 0, y: 1 },
      ),
  },
];

type Leak = 'none' | 'reused pad' | 'zero OT pad' | 'zero PRG' | 'pad repeated across positions';

/** Bits of the corrupted party's view in one run. */
async function view(c: Case, corrupt: Side, which: 0 | 1, run: number, leak: Leak): Promise<number[]> {
  const honest: Side = corrupt === 0 ? 1 : 0;
  const base = keysFromSeed(`cryptflow2 security ${c.name}`);
  const fresh = keysFromSeed(leak === 'reused pad' ? 'fixed' : `run ${run}`)[honest].own;
  const keys = base.map((k, i) => (i === honest ? { ...k, own: fresh } : k)) as unknown as readonly [
    PartyKeys,
    PartyKeys,
    PartyKeys,
  ];
  const otOptions: IdealOtOptions =
    leak === 'zero OT pad'
      ? {
          correlatedPad: (ctx, n) =>
            ctx.id === honest ? new BigUint64Array(n) : ctx.own.ring(64, n).map((v) => BigInt.asUintN(c.ell, v)),
        }
      : leak === 'pad repeated across positions'
        ? {
            correlatedPad: (ctx, n, ell) =>
              new BigUint64Array(n).fill(BigInt.asUintN(ell, ctx.own.ring(64, 1)[0] as bigint)),
          }
        : {};
  const otOf = idealOtPair(otOptions);
  const bits: number[] = [];
  const record = (v: bigint, width: number): void => {
    for (let i = 0; i < width; i++) bits.push(Number((v >> BigInt(i)) & 1n));
  };
  const zeros = {
    ...new Prg(new Uint8Array(16)),
    bytes: (n: number) => new Uint8Array(n),
    ring: (_ell: number, n: number) => new BigUint64Array(n),
  } as unknown as Prg;
  const party = async (base: PartyContext): Promise<unknown> => {
    const ot = otOf(base);
    if (base.id !== corrupt) {
      const ctx = leak === 'zero PRG' ? { ...base, own: zeros } : base;
      return c.run(ctx, ot, inputsFor(ctx, corrupt, c.ell), which === 0 ? c.a : c.b);
    }
    const ctx: PartyContext = {
      ...base,
      recv: async (from: PartyId, what?: string) => {
        const m = await base.recv(from, what);
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
    return c.run(ctx, spy, inputsFor(ctx, corrupt, c.ell), which === 0 ? c.a : c.b);
  };
  await runParties([party, party, async () => null], { ell: c.ell, keys });
  return bits;
}

/** Offsets (in bits) of the position pairs the targeted statistic compares: bytes, words, elements. */
const offsets = (ell: number): number[] => [...new Set([8, 16, 32, 64, ell, 2 * ell, 3 * ell])];

/**
 * Both statistics of a case: `single`, the largest |#ones under A − #ones under B| over the view's
 * bit positions; `pair`, the same for b_i ⊕ b_{i+δ} over the offsets δ (a leak visible only through
 * a correlation between positions: the same bit of neighbouring bytes, words or elements).
 */
async function statistics(c: Case, corrupt: Side, leak: Leak): Promise<{ single: number; pair: number }> {
  const deltas = offsets(c.ell);
  const counts = [[] as number[], [] as number[]];
  const pairs = [[] as number[], [] as number[]];
  for (const which of [0, 1] as const) {
    for (let r = 0; r < N; r++) {
      const v = await view(c, corrupt, which, r, leak);
      const acc = counts[which] as number[];
      const pacc = pairs[which] as number[];
      v.forEach((b, i) => (acc[i] = (acc[i] ?? 0) + b));
      deltas.forEach((d, k) => {
        for (let i = 0; i + d < v.length; i++) {
          const at = k * v.length + i;
          pacc[at] = (pacc[at] ?? 0) + ((v[i] as number) ^ (v[i + d] as number));
        }
      });
    }
  }
  const spread = (a: number[], b: number[]): number => {
    expect(a.length).toBe(b.length);
    return a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] ?? 0))), 0);
  };
  return {
    single: spread(counts[0] as number[], counts[1] as number[]),
    pair: spread(pairs[0] as number[], pairs[1] as number[]),
  };
}

/** The larger of the two statistics. */
async function distinguisher(c: Case, corrupt: Side, leak: Leak): Promise<number> {
  const s = await statistics(c, corrupt, leak);
  return Math.max(s.single, s.pair);
}

describe('CrypTFlow2 OT-hybrid security: views independent of the honest input', () => {
  for (const c of CASES) {
    for (const corrupt of [0, 1] as const) {
      it(`${c.name}, P${corrupt} corrupted`, async () => {
        expect(await distinguisher(c, corrupt, 'none')).toBeLessThan(THRESHOLD);
      });
    }
  }
});

describe('planted leaks are caught', () => {
  for (const c of CASES) {
    it(`${c.name}: a reused pad (the honest party's randomness repeats) is caught with either party corrupted`, async () => {
      expect(
        Math.max(await distinguisher(c, 0, 'reused pad'), await distinguisher(c, 1, 'reused pad')),
      ).toBeGreaterThan(THRESHOLD);
    });
  }
  for (const name of ['B2A(16)', 'Product(8)']) {
    it(`${name}: a zero correlated-OT pad is caught`, async () => {
      const c = CASES.find((k) => k.name === name) as Case;
      expect(
        Math.max(await distinguisher(c, 0, 'zero OT pad'), await distinguisher(c, 1, 'zero OT pad')),
      ).toBeGreaterThan(THRESHOLD);
    });
  }
  it('B2A(16): a correlated-OT pad repeated across positions (fresh per run) escapes the per-position counts and is caught by the pairwise statistic', async () => {
    const c = CASES.find((k) => k.name === 'B2A(16)') as Case;
    const s = await statistics(c, 1, 'pad repeated across positions');
    expect(s.single).toBeLessThan(THRESHOLD);
    expect(s.pair).toBeGreaterThan(THRESHOLD);
  });

  it('MUX(16): a zero MUX pad (the honest PRG stream all zeros) is caught', async () => {
    const c = CASES.find((k) => k.name === 'MUX(16)') as Case;
    expect(Math.max(await distinguisher(c, 0, 'zero PRG'), await distinguisher(c, 1, 'zero PRG'))).toBeGreaterThan(
      THRESHOLD,
    );
  });
});
