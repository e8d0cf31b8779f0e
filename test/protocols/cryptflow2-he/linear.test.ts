/**
 * The HE linear layer of cryptflow2-he (protocols/cryptflow2-he/linear.ts, packing.ts) on tiny layers at
 * the production parameters (N = 8192, p = 2^41 − 65535): the two output shares reconstruct to
 * conv(x0, W) mod p exactly (a naive reference here, any number of spatial axes) for 2-D convolutions
 * with groups, strides, dilations and padding, 1-D and 3-D ones, MatMul, a layer that needs several
 * query chunks and several responses; every response keeps a positive noise budget (measured, asserted
 * per layer); the metered bytes and rounds equal the closed forms exactly (the session's setup apart); and the client's output share is
 * uniform over Z_p whatever its input (chi-square on the top 4 bits, with the mask removed the test fails).
 */
import { describe, expect, it } from 'vitest';
import { chiSquareUniform } from '../../../harness/conformance/stats.js';
import { runParties } from '../../../harness/network/run.js';
import type { PartyContext } from '../../../protocols/common/party.js';
import { P41 } from '../../../protocols/cryptflow2-he/field.js';
import { matmulShape } from '../../../protocols/cryptflow2-he/layers.js';
import { heLinearClient, heLinearServer } from '../../../protocols/cryptflow2-he/linear.js';
import { planConv, type ConvShape, type Plan } from '../../../protocols/cryptflow2-he/packing.js';
import { openHe } from '../../../protocols/cryptflow2-he/session.js';
import { costOf } from '../../../spec/cost/nonlinear.js';
import { HE_BYTES, heLinearSchedule, hePacking, heSetupSchedule } from '../../../spec/cost/cryptflow2-he.js';
import { numel } from '../../../spec/geometry.js';
import { timeout } from '../../setup/timeouts.js';

function conv(
  input: number[],
  kernel: number[],
  pads: number[],
  strides: number[],
  dilations: number[],
  batch: number,
  groups: number,
  cg: number,
  mg: number,
): ConvShape {
  const d = input.length;
  const padded = input.map((e, i) => e + (pads[i] as number) + (pads[i + d] as number));
  const output = padded.map(
    (e, i) => Math.floor((e - (dilations[i] as number) * ((kernel[i] as number) - 1) - 1) / (strides[i] as number)) + 1,
  );
  return { batch, groups, cg, mg, input, padBegin: pads.slice(0, d), padded, kernel, strides, dilations, output };
}

/** conv(x, W) mod p, the definition: y[b, m, o] = Σ_{c, t} x[b, g·Cg + c, o·s + t·d − pad]·W[m, c, t]. */
function reference(s: ConvShape, x: BigUint64Array, w: BigUint64Array): BigUint64Array {
  const cells = numel(s.input);
  const taps = numel(s.kernel);
  const outs = numel(s.output);
  const y = new BigUint64Array(s.batch * s.groups * s.mg * outs);
  const coords = (extents: readonly number[], i: number): number[] => {
    const out: number[] = [];
    for (let a = extents.length - 1; a >= 0; a--) {
      out.unshift(i % (extents[a] as number));
      i = Math.floor(i / (extents[a] as number));
    }
    return out;
  };
  for (let b = 0; b < s.batch; b++)
    for (let g = 0; g < s.groups; g++)
      for (let m = 0; m < s.mg; m++)
        for (let o = 0; o < outs; o++) {
          let acc = 0n;
          const oc = coords(s.output, o);
          for (let c = 0; c < s.cg; c++)
            for (let t = 0; t < taps; t++) {
              const tc = coords(s.kernel, t);
              const at = oc.map(
                (v, i) =>
                  v * (s.strides[i] as number) +
                  (tc[i] as number) * (s.dilations[i] as number) -
                  (s.padBegin[i] as number),
              );
              if (at.some((v, i) => v < 0 || v >= (s.input[i] as number))) continue;
              const cell = at.reduce((acc2, v, i) => acc2 * (s.input[i] as number) + v, 0);
              const xv = x[((b * s.groups + g) * s.cg + c) * cells + cell] as bigint;
              const wv = w[((g * s.mg + m) * s.cg + c) * taps + t] as bigint;
              acc += xv * wv;
            }
          y[((b * s.groups + g) * s.mg + m) * outs + o] = acc % P41;
        }
  return y;
}

const values = (n: number, k: bigint): BigUint64Array =>
  BigUint64Array.from({ length: n }, (_, i) => ((BigInt(i) + 1n) * k * 2654435761n) % P41);

async function runLayer(plan: Plan, x0: BigUint64Array, w: BigUint64Array, seed: string) {
  const budgets: number[] = [];
  const party = async (ctx: PartyContext): Promise<BigUint64Array> => {
    const he = await openHe(ctx);
    const [y] =
      he.role === 'client'
        ? await heLinearClient(ctx, he, [plan], [x0], (b) => budgets.push(b))
        : await heLinearServer(ctx, he, [plan], [w]);
    return y ?? new BigUint64Array(0);
  };
  const idle = async (): Promise<null> => null;
  const { outputs, meter } = await runParties([party, party, idle], { ell: 16, seed });
  const y = outputs[0].map((v, i) => (v + (outputs[1][i] as bigint)) % P41);
  return { y, y0: outputs[0], budgets, meter };
}

const LAYERS: readonly (readonly [string, ConvShape])[] = [
  [
    '2-D, 2 groups, stride 2 × 1, dilation 1 × 2, asymmetric pads',
    conv([4, 5], [3, 2], [1, 0, 1, 2], [2, 1], [1, 2], 1, 2, 2, 3),
  ],
  ['2-D depthwise (groups = channels), batch 2', conv([3, 3], [3, 3], [1, 1, 1, 1], [1, 1], [1, 1], 2, 3, 1, 1)],
  ['1-D, stride 2', conv([9], [3], [1, 1], [2], [1], 1, 1, 2, 2)],
  ['3-D', conv([3, 3, 3], [2, 2, 2], [0, 0, 0, 1, 1, 1], [1, 1, 1], [1, 1, 1], 1, 1, 2, 2)],
  ['MatMul 2 × 5 · 5 × 3', matmulShape(2, 5, 3)],
  ['MatMul needing 2 query chunks and 3 responses (1 × 6000 · 6000 × 3)', matmulShape(1, 6000, 3)],
  [
    '2-D with 2 channel chunks (plane 1024 cells, 5 channels)',
    conv([32, 32], [1, 1], [0, 0, 0, 0], [1, 1], [1, 1], 1, 1, 5, 2),
  ],
  [
    '1×1 on a 56 × 56 plane, batch 2 (monomial kernels: coefficient-form products)',
    conv([56, 56], [1, 1], [0, 0, 0, 0], [1, 1], [1, 1], 2, 1, 2, 2),
  ],
];

describe('cryptflow2-he HE linear layer', () => {
  for (const [name, shape] of LAYERS) {
    it(
      `${name}: shares reconstruct to conv(x0, W) mod p; noise budget > 0; bytes = closed form`,
      async () => {
        const plan = planConv(shape);
        const x = values(shape.batch * shape.groups * shape.cg * numel(shape.input), 7n);
        const w = values(shape.groups * shape.mg * shape.cg * numel(shape.kernel), 13n);
        const { y, budgets, meter } = await runLayer(plan, x, w, name);
        expect([...y]).toEqual([...reference(shape, x, w)]);
        expect(budgets.length).toBe(plan.responses);
        for (const b of budgets) expect(b).toBeGreaterThan(0);
        const c = costOf(heLinearSchedule(plan));
        expect(meter.links['P0->P1']).toBe(c.links['P0->P1']);
        expect(meter.links['P1->P0']).toBe(c.links['P1->P0']);
        const setup = costOf(heSetupSchedule());
        expect(meter.setup?.['P0->P1']).toBe(setup.links['P0->P1']);
        expect(meter.setup?.['P1->P0']).toBe(setup.links['P1->P0']);
        expect(meter.setupRounds).toBe(setup.rounds);
        expect(meter.rounds).toBe(setup.rounds + c.rounds);
      },
      timeout(30_000),
    );
  }

  it(
    'kernels that are all zero (skipped) next to nonzero ones, on both product paths',
    async () => {
      const layers = [
        conv([56, 56], [1, 1], [0, 0, 0, 0], [1, 1], [1, 1], 1, 1, 3, 3),
        conv([6, 6], [3, 3], [1, 1, 1, 1], [1, 1], [1, 1], 1, 1, 3, 3),
      ];
      for (const shape of layers) {
        const plan = planConv(shape);
        const taps = numel(shape.kernel);
        const w = values(shape.mg * shape.cg * taps, 17n);
        // output channel 1 all zero; channel 2 of output 0 zero (a zero chunk of a nonzero response)
        w.fill(0n, shape.cg * taps, 2 * shape.cg * taps);
        w.fill(0n, 2 * taps, 3 * taps);
        const x = values(shape.cg * numel(shape.input), 3n);
        const { y, budgets } = await runLayer(plan, x, w, `zeros-${taps}`);
        expect([...y]).toEqual([...reference(shape, x, w)]);
        for (const b of budgets) expect(b).toBeGreaterThan(0);
      }
    },
    timeout(30_000),
  );

  it('the packing counts: chunks and slots follow 2·Cc·P ≤ N and (mc + 1)·Cc·P ≤ N + 1', () => {
    expect(planConv(matmulShape(1, 6000, 3))).toMatchObject({ cc: 4096, chunks: 2, mc: 1, outGroups: 3 });
    expect(planConv(conv([32, 32], [1, 1], [0, 0, 0, 0], [1, 1], [1, 1], 1, 1, 5, 2))).toMatchObject({
      cc: 4,
      chunks: 2,
      mc: 1,
      queries: 2,
      responses: 2,
    });
    expect(() => planConv(conv([64, 65], [3, 3], [1, 1, 1, 1], [1, 1], [1, 1], 1, 1, 1, 1))).toThrow(/row tiles/);
  });

  it('the per-layer choice (hePacking) takes the fewest bytes over tile heights and Cc', () => {
    // 1 × 600 · 600 × 40: Cc = 600 gives 1 query and ⌈40/12⌉ = 4 responses; the largest Cc with 2 and
    // 2 is 390 (mc = ⌊8193/390⌋ − 1 = 20), and nothing gives 3 ciphertexts.
    const fc = hePacking(matmulShape(1, 600, 40));
    expect(fc).toMatchObject({ tiled: false, cc: 390, bytes: 2 * HE_BYTES.query + 2 * HE_BYTES.response });
    // A 3×3 convolution on a 56 × 56 plane (58 × 58 padded, 3,364 cells: one output channel per
    // response as a whole plane) is cheaper in row tiles; never dearer than the whole plane at most Cc.
    const shape = conv([56, 56], [3, 3], [1, 1, 1, 1], [1, 1], [1, 1], 1, 1, 8, 32);
    const chosen = hePacking(shape);
    const whole = planConv(shape);
    expect(chosen?.tiled).toBe(true);
    expect(chosen?.bytes).toBeLessThan(whole.queries * HE_BYTES.query + whole.responses * HE_BYTES.response);
  });

  it(
    "the client's output share is uniform over Z_p, for a zero and a nonzero input (the server's mask)",
    async () => {
      const shape = conv([12, 12], [3, 3], [1, 1, 1, 1], [1, 1], [1, 1], 1, 1, 2, 8);
      const plan = planConv(shape);
      const w = values(8 * 2 * 9, 5n);
      for (const x of [new BigUint64Array(2 * 144), values(2 * 144, 11n)]) {
        const { y0 } = await runLayer(plan, x, w, `mask-${x[0]}`);
        const counts = new Array<number>(16).fill(0);
        for (const v of y0) counts[Number((v * 16n) / P41)] = (counts[Number((v * 16n) / P41)] ?? 0) + 1;
        const t = chiSquareUniform(counts);
        expect(t.minExpected).toBeGreaterThan(50);
        expect(t.pValue).toBeGreaterThan(1e-6);
      }
    },
    timeout(30_000),
  );
});
