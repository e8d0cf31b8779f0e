/**
 * F_prep (ideal/prep.ts), and the real protocol's correlated randomness against it.
 *
 *   - F_prep's Beaver triples are valid (C = f(A, B) for the elementwise product, MatMul and a
 *     convolution-shaped map) and each of the six shares alone is uniform; pairs of shares held by
 *     different parties are jointly uniform;
 *   - the triples protocols/securenn-family/beaver.ts actually uses — A_i, B_i read off the openings P_i sends,
 *     C1 off the helper's message, C0 recovered from P0's output — are valid triples whose shares pass
 *     the same tests: they are distributed as F_prep's;
 *   - ComputeMSB's mask: r ∈ Z_{2^ℓ−1}, its bits in Z_p and its LSB in Z_{2^ℓ} reconstruct consistently;
 *     every first and second share is uniform.
 * Statistical tests: chi-square on the top 4 bits (ring shares) or on all p cells (Z_p shares), failing
 * at p < 1e-6.
 */
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { Field, OddRing } from '../../spec/field.js';
import { Ring } from '../../spec/ring.js';
import { referenceKernels } from '../../semantics/kernels/index.js';
import { beaverTriple, msbMask, type BeaverTriple, type BilinearMap } from '../../ideal/prep.js';
import { type Bilinear } from '../../protocols/securenn-family/beaver.js';
import { beaver } from '../protocols/by-role.js';
import { decodeRing } from '../../protocols/common/codec.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { Prg } from '../../protocols/common/prg.js';
import { addMod, subMod } from '../../semantics/kernels/words.js';
import { runParties } from '../../harness/network/run.js';
import { chiSquareUniform, topBits } from '../../harness/conformance/stats.js';

const ALPHA = 1e-6;
const slow = process.env['CRYPTFLOW_SLOW'] === '1' ? 8 : 1;

const hadamard = (ell: number, n: number): BilinearMap => ({
  xSize: n,
  ySize: n,
  zSize: n,
  apply: (x, y) => referenceKernels.mul(ell, x, y),
});
const matmul = (ell: number, m: number, k: number, n: number): BilinearMap => ({
  xSize: m * k,
  ySize: k * n,
  zSize: m * n,
  apply: (x, y) => referenceKernels.matmul(ell, x, y, m, k, n),
});
const conv = (ell: number): BilinearMap => ({
  xSize: 1 * 2 * 5 * 5,
  ySize: 3 * 2 * 3 * 3,
  zSize: 1 * 3 * 3 * 3,
  apply: (x, w) =>
    referenceKernels.conv(
      ell,
      { shape: [1, 2, 5, 5], data: x },
      { shape: [3, 2, 3, 3], data: w },
      { strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1 },
      'direct',
    ).data,
});

function histogram(ell: number, xs: BigUint64Array, bits = 4): number[] {
  const h = new Array<number>(1 << Math.min(bits, ell)).fill(0);
  for (const v of xs) h[topBits(ell, v, bits)] = (h[topBits(ell, v, bits)] as number) + 1;
  return h;
}

function fieldHistogram(p: number, xs: Uint8Array): number[] {
  const h = new Array<number>(p).fill(0);
  for (const v of xs) h[v] = (h[v] as number) + 1;
  return h;
}

/** Top 2 bits of x and of y as one of 16 cells: jointly uniform iff independent and uniform. */
function jointHistogram(ell: number, x: BigUint64Array, y: BigUint64Array): number[] {
  const h = new Array<number>(16).fill(0);
  x.forEach((v, i) => {
    const c = topBits(ell, v, 2) * 4 + topBits(ell, y[i] as bigint, 2);
    h[c] = (h[c] as number) + 1;
  });
  return h;
}

function expectValid(ell: number, f: BilinearMap, t: BeaverTriple): void {
  const a = addMod(Ring(ell), t.a[0], t.a[1]);
  const b = addMod(Ring(ell), t.b[0], t.b[1]);
  expect([...addMod(Ring(ell), t.c[0], t.c[1])]).toEqual([...f.apply(a, b)]);
}

/** Each share alone uniform; shares of different parties jointly uniform. */
function expectUniformShares(ell: number, t: BeaverTriple): void {
  const shares = { A0: t.a[0], A1: t.a[1], B0: t.b[0], B1: t.b[1], C0: t.c[0], C1: t.c[1] };
  for (const [name, s] of Object.entries(shares))
    expect({ name, p: chiSquareUniform(histogram(ell, s)).pValue >= ALPHA }).toEqual({ name, p: true });
  for (const [x, y] of [
    ['A0', 'A1'],
    ['C0', 'C1'],
    ['A0', 'C1'],
    ['B1', 'C0'],
  ] as const) {
    expect({
      pair: `${x},${y}`,
      p: chiSquareUniform(jointHistogram(ell, shares[x], shares[y])).pValue >= ALPHA,
    }).toEqual({ pair: `${x},${y}`, p: true });
  }
}

/** Run protocols/securenn-family/beaver.ts on shares of x, y and recover the triple it used from its messages. */
async function protocolTriple(ell: number, f: Bilinear, seed: string): Promise<BeaverTriple> {
  const rng = new Prg(new Uint8Array(16).fill(7));
  const x = [rng.ring(ell, f.xSize), rng.ring(ell, f.xSize)] as const;
  const y = [rng.ring(ell, f.ySize), rng.ring(ell, f.ySize)] as const;
  const sent = new Map<string, Uint8Array>();
  const wiretap = (ctx: PartyContext): PartyContext => ({
    ...ctx,
    send: (to: PartyId, bytes: Uint8Array) => {
      sent.set(`${ctx.id}>${to}`, bytes.slice());
      ctx.send(to, bytes);
    },
  });
  const prog = (ctx: PartyContext): Promise<BigUint64Array> => {
    const me = ctx.id === 2 ? null : ctx.id;
    return beaver(
      wiretap(ctx),
      f,
      me === null ? new BigUint64Array(0) : x[me],
      me === null ? new BigUint64Array(0) : y[me],
    );
  };
  const { outputs } = await runParties([prog, prog, prog], { ell, seed });
  const msg = (from: 0 | 1 | 2, to: 0 | 1 | 2, n: number): BigUint64Array =>
    decodeRing(ell, sent.get(`${from}>${to}`) ?? new Uint8Array(0), n, from, 'tap');
  const open0 = msg(0, 1, f.xSize + f.ySize);
  const open1 = msg(1, 0, f.xSize + f.ySize);
  const a0 = subMod(Ring(ell), x[0], open0.slice(0, f.xSize));
  const b0 = subMod(Ring(ell), y[0], open0.slice(f.xSize));
  const a1 = subMod(Ring(ell), x[1], open1.slice(0, f.xSize));
  const b1 = subMod(Ring(ell), y[1], open1.slice(f.xSize));
  const e = addMod(Ring(ell), open0.slice(0, f.xSize), open1.slice(0, f.xSize));
  const fo = addMod(Ring(ell), open0.slice(f.xSize), open1.slice(f.xSize));
  // P0's output is f(A0, F) + f(E, B0) + C0.
  const c0 = subMod(Ring(ell), subMod(Ring(ell), outputs[0], f.apply(a0, fo)), f.apply(e, b0));
  const c1 = msg(2, 1, f.zSize);
  return { a: [a0, a1], b: [b0, b1], c: [c0, c1] };
}

describe('F_prep: Beaver triples', () => {
  it.each([8, 16, 32, 64])('ℓ = %i: valid for the product, MatMul and a convolution; every share uniform', (ell) => {
    const rng = new Prg(new Uint8Array(16).fill(ell));
    for (const f of [hadamard(ell, 3), matmul(ell, 2, 3, 4), conv(ell)]) expectValid(ell, f, beaverTriple(ell, f, rng));
    const big = hadamard(ell, 4096 * slow);
    const t = beaverTriple(ell, big, rng);
    expectValid(ell, big, t);
    expectUniformShares(ell, t);
  });

  it('rejects a map whose output does not have its declared size', () => {
    const bad: BilinearMap = { xSize: 2, ySize: 2, zSize: 3, apply: (x, y) => referenceKernels.mul(16, x, y) };
    expect(() => beaverTriple(16, bad, new Prg(new Uint8Array(16)))).toThrow(CryptflowError);
  });
});

describe('the real protocol’s triples are distributed as F_prep’s', () => {
  it.each([16, 32, 64])(
    'ℓ = %i: PRG-drawn A_i, B_i, C0 and the helper’s C1 form a valid triple with uniform shares',
    async (ell) => {
      const n = 4096 * slow;
      const t = await protocolTriple(ell, hadamard(ell, n), `prep-${ell}`);
      expectValid(ell, hadamard(ell, n), t);
      expectUniformShares(ell, t);
      const small = matmul(ell, 3, 4, 2);
      expectValid(ell, small, await protocolTriple(ell, small, `prep-mm-${ell}`));
    },
  );

  it('fresh seeds give fresh triples (no reuse across runs)', async () => {
    const f = hadamard(32, 64);
    const [t1, t2] = [await protocolTriple(32, f, 'one'), await protocolTriple(32, f, 'two')];
    expect([...t1.a[0]]).not.toEqual([...t2.a[0]]);
    expect([...t1.c[1]]).not.toEqual([...t2.c[1]]);
  });
});

describe('F_prep: ComputeMSB mask', () => {
  it.each([
    { ell: 16, p: 67 },
    { ell: 32, p: 67 },
    { ell: 64, p: 127 },
  ])('ℓ = $ell, p = $p: r, its bits and its LSB reconstruct consistently; shares uniform', ({ ell, p }) => {
    const n = 2048 * slow;
    const m = msbMask(ell, p, n, new Prg(new Uint8Array(16).fill(p)));
    const odd = OddRing(ell);
    const field = Field(p);
    const ring = Ring(ell);
    const r = m.r[0].map((v, i) => odd.add(v, m.r[1][i] as bigint));
    const faults: string[] = [];
    for (let e = 0; e < n; e++) {
      const re = r[e] as bigint;
      if (!odd.isElement(re)) faults.push(`r[${e}] out of range`);
      let sum = 0n;
      for (let i = 0; i < ell; i++) {
        const bit = field.add(m.bits[0][e * ell + i] as number, m.bits[1][e * ell + i] as number);
        if (bit > 1) faults.push(`bit ${i} of r[${e}] is not a bit`);
        sum += BigInt(bit) << BigInt(i);
      }
      if (sum !== re) faults.push(`bits of r[${e}] do not reconstruct it`);
      if (ring.add(m.lsb[0][e] as bigint, m.lsb[1][e] as bigint) !== (re & 1n)) faults.push(`lsb of r[${e}]`);
    }
    expect(faults.slice(0, 3)).toEqual([]);
    for (const [name, h] of [
      ['r', histogram(ell, r)],
      ['r0', histogram(ell, m.r[0])],
      ['r1', histogram(ell, m.r[1])],
      ['lsb0', histogram(ell, m.lsb[0])],
      ['lsb1', histogram(ell, m.lsb[1])],
      ['bits0', fieldHistogram(p, m.bits[0])],
      ['bits1', fieldHistogram(p, m.bits[1])],
    ] as const) {
      expect({ name, ok: chiSquareUniform(h).pValue >= ALPHA }).toEqual({ name, ok: true });
    }
  });

  it('needs a prime p > ℓ + 2', () => {
    expect(() => msbMask(64, 61, 1, new Prg(new Uint8Array(16)))).toThrow(CryptflowError);
    expect(() => msbMask(16, 21, 1, new Prg(new Uint8Array(16)))).toThrow(CryptflowError);
  });
});
