/**
 * Mutation kills for protocols/cryptflow2-he/packing.ts, without SEAL: the HE product is replaced by
 * its plaintext (the negacyclic product of the query and kernel polynomials over small integers), so
 * every packing and unpacking step is checked exactly and fast at a small N. Answers the survivors:
 *   - the error codes and messages of planConv and planTiles on a plane or row too big for N/2;
 *   - the read offset O = (Cc − 1)·P + L((K − 1)·d) and kernelSpan = taps·Cc·mc;
 *   - writeKernel's nonzero count and its stop at the layer's last output channel; kernelPoly;
 *   - readResponse writing only the channels of its own response (never one of the next group);
 *   - the row tiles of a grouped 2-D convolution whose padding differs per axis: slice's size and
 *     contents for every (batch, group, channel) plane, and the placed output equal to the definition.
 */
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import {
  kernelPoly,
  kernelSpan,
  kernelTaps,
  outputOffsets,
  planConv,
  planTiles,
  queryPoly,
  readResponse,
  writeKernel,
  type ConvShape,
  type Plan,
} from '../../protocols/cryptflow2-he/packing.js';

/** A 2-D convolution with padding [top, left, bottom, right]. */
function conv2d(
  input: [number, number],
  kernel: [number, number],
  pads: [number, number, number, number],
  batch: number,
  groups: number,
  cg: number,
  mg: number,
): ConvShape {
  const padded = [input[0] + pads[0] + pads[2], input[1] + pads[1] + pads[3]];
  const output = padded.map((e, i) => e - (kernel[i] as number) + 1);
  const ones = [1, 1];
  return {
    batch,
    groups,
    cg,
    mg,
    input,
    padBegin: pads.slice(0, 2),
    padded,
    kernel,
    strides: ones,
    dilations: ones,
    output,
  };
}

/** y[b, g·Mg + m, o] = Σ_{c, t} x[b, g·Cg + c, o + t − pad]·W[g·Mg + m, c, t] (stride and dilation 1). */
function reference(s: ConvShape, x: BigUint64Array, w: BigUint64Array): BigUint64Array {
  const [H, W] = s.input as [number, number];
  const [KH, KW] = s.kernel as [number, number];
  const [OH, OW] = s.output as [number, number];
  const [pt, pl] = s.padBegin as [number, number];
  const y = new BigUint64Array(s.batch * s.groups * s.mg * OH * OW);
  for (let b = 0; b < s.batch; b++)
    for (let g = 0; g < s.groups; g++)
      for (let m = 0; m < s.mg; m++)
        for (let oh = 0; oh < OH; oh++)
          for (let ow = 0; ow < OW; ow++) {
            let acc = 0n;
            for (let c = 0; c < s.cg; c++)
              for (let kh = 0; kh < KH; kh++)
                for (let kw = 0; kw < KW; kw++) {
                  const [ih, iw] = [oh + kh - pt, ow + kw - pl];
                  if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                  const xv = x[(((b * s.groups + g) * s.cg + c) * H + ih) * W + iw] as bigint;
                  acc += xv * (w[(((g * s.mg + m) * s.cg + c) * KH + kh) * KW + kw] as bigint);
                }
            y[(((b * s.groups + g) * s.mg + m) * OH + oh) * OW + ow] = acc;
          }
  return y;
}

/** The plaintext of one response: Σ over chunks of query·kernel mod X^N + 1 (values stay small and positive). */
function response(plan: Plan, x: BigUint64Array, w: BigUint64Array, b: number, g: number, r: number): BigUint64Array {
  const acc = new Array<bigint>(plan.n).fill(0n);
  for (let c = 0; c < plan.chunks; c++) {
    const q = queryPoly(plan, x, b, g, c);
    const k = kernelPoly(plan, w, g, r, c);
    for (let i = 0; i < plan.n; i++)
      for (let j = 0; j < plan.n; j++) {
        const v = (q[i] as bigint) * (k[j] as bigint);
        if (i + j < plan.n) acc[i + j] = (acc[i + j] as bigint) + v;
        else acc[i + j - plan.n] = (acc[i + j - plan.n] as bigint) - v;
      }
  }
  expect(acc.every((v) => v >= 0n)).toBe(true);
  return BigUint64Array.from(acc);
}

const values = (len: number, salt: number): BigUint64Array =>
  BigUint64Array.from({ length: len }, (_, i) => BigInt(((i * 7 + salt) % 9) + 1));

describe('cryptflow2-he packing', () => {
  it('planConv refuses a plane over N/2 with an unsupported error naming N/2', () => {
    const shape = conv2d([3, 3], [1, 1], [1, 1, 1, 1], 1, 1, 1, 1);
    expect(() => planConv(shape, 32)).toThrow(
      new CryptflowError(
        'unsupported',
        'cryptflow2-he: a padded channel plane of 25 cells exceeds N/2 = 16 (planTiles cuts it into row tiles)',
      ),
    );
    try {
      planConv(shape, 32);
    } catch (e) {
      expect(e).toBeInstanceOf(CryptflowError);
      expect((e as CryptflowError).code).toBe('unsupported');
    }
  });

  it('planTiles refuses a padded row over N/2 with an unsupported error naming the row and N/2', () => {
    const shape = conv2d([3, 40], [1, 1], [0, 0, 0, 0], 1, 1, 1, 1);
    expect(() => planTiles(shape, 64)).toThrow(
      'cryptflow2-he: one row of the padded input plane (40 cells) and the kernel exceed N/2 = 32',
    );
    try {
      planTiles(shape, 64);
    } catch (e) {
      expect(e).toBeInstanceOf(CryptflowError);
      expect((e as CryptflowError).code).toBe('unsupported');
    }
  });

  // P = 6 cells (3 × 2), N = 64: Cc = 2, mc = ⌊65/12⌋ − 1 = 4 of Mg = 5, so two responses per (b, g).
  const shape = conv2d([3, 2], [2, 1], [0, 0, 0, 0], 2, 2, 2, 5);
  const plan = planConv(shape, 64);

  it('plans the offset O = (Cc − 1)·P + L((K − 1)·d) and the kernel span taps·Cc·mc', () => {
    expect(plan).toMatchObject({ plane: 6, cc: 2, chunks: 1, mc: 4, outGroups: 2, offset: 6 + 2 });
    const taps = kernelTaps(plan);
    expect([...taps]).toEqual([0, 2]);
    expect([...outputOffsets(plan)]).toEqual([0, 1, 2, 3]);
    expect(kernelSpan(plan, taps)).toBe(16);
  });

  it('writeKernel counts the nonzero weights of its own output channels only, and kernelPoly is its array', () => {
    const w = values(shape.groups * shape.mg * shape.cg * 2, 3);
    w[0] = 0n;
    const taps = kernelTaps(plan);
    const poly = new BigUint64Array(plan.n).fill(9n);
    // Response 0 of group 0: channels 0..3, 2 input channels, 2 taps, one zero weight.
    expect(writeKernel(plan, taps, w, 0, 0, 0, poly)).toBe(15);
    expect([...kernelPoly(plan, w, 0, 0, 0)]).toEqual([...poly]);
    // Slot j of channel m holds W[m, c, t] at j·Cc·P + O − c·P − tap.
    const expected = new BigUint64Array(plan.n);
    for (let j = 0; j < 4; j++)
      for (let c = 0; c < 2; c++)
        for (let t = 0; t < 2; t++)
          expected[j * 12 + 8 - c * 6 - (taps[t] as number)] = w[(j * 2 + c) * 2 + t] as bigint;
    expect([...poly]).toEqual([...expected]);
    // Response 1 of group 1: only channel 4 (the last), in slot 0.
    expect(writeKernel(plan, taps, w, 1, 1, 0, poly)).toBe(4);
    expect(poly.filter((v) => v !== 0n).length).toBe(4);
  });

  it('readResponse writes the channels of its own response and nothing else', () => {
    const coeffs = BigUint64Array.from({ length: plan.n }, (_, i) => BigInt(i + 100));
    const outs = outputOffsets(plan);
    const sentinel = 7n;
    const y0 = new BigUint64Array(2 * 2 * 5 * 4).fill(sentinel);
    readResponse(plan, coeffs, y0, 0, 0, 0, outs);
    const want0 = new BigUint64Array(y0.length).fill(sentinel);
    for (let j = 0; j < 4; j++) for (let o = 0; o < 4; o++) want0[j * 4 + o] = BigInt(j * 12 + 8 + o + 100);
    expect([...y0]).toEqual([...want0]);
    // The last response of (b 0, g 0) holds channel 4 only; channel 0 of group 1 stays untouched.
    const y1 = new BigUint64Array(y0.length).fill(sentinel);
    readResponse(plan, coeffs, y1, 0, 0, 1);
    const want1 = new BigUint64Array(y1.length).fill(sentinel);
    for (let o = 0; o < 4; o++) want1[16 + o] = BigInt(8 + o + 100);
    expect([...y1]).toEqual([...want1]);
  });

  it('a whole-plane grouped convolution with two responses per group equals the definition', () => {
    const x = values(shape.batch * shape.groups * shape.cg * 6, 1);
    const w = values(shape.groups * shape.mg * shape.cg * 2, 5);
    const [tile] = planTiles(shape, 64);
    expect(planTiles(shape, 64)).toHaveLength(1);
    const y = new BigUint64Array(shape.batch * shape.groups * shape.mg * numel(shape.output));
    const p = (tile as { plan: Plan }).plan;
    for (let b = 0; b < shape.batch; b++)
      for (let g = 0; g < shape.groups; g++)
        for (let r = 0; r < p.outGroups; r++) readResponse(p, response(p, x, w, b, g, r), y, b, g, r);
    expect([...y]).toEqual([...reference(shape, x, w)]);
  });

  it('row tiles of a grouped convolution with per-axis padding slice, compute and place exactly', () => {
    // Padded 7 × 4 = 28 cells > N/2 = 16: row tiles of at most 3 input rows (4 cells each).
    const s = conv2d([5, 3], [2, 2], [1, 0, 1, 1], 1, 2, 2, 2);
    const H = 5;
    const rest = 3;
    const x = values(s.batch * s.groups * s.cg * H * rest, 2);
    const w = values(s.groups * s.mg * s.cg * 4, 4);
    const tiles = planTiles(s, 32);
    expect(tiles.map((t) => t.plan.shape.output[0])).toEqual([3, 3]);
    const y = new BigUint64Array(s.batch * s.groups * s.mg * numel(s.output));
    let covered = 0;
    for (const tile of tiles) {
      const ts = tile.plan.shape;
      const xs = tile.slice(x);
      // The tile's input rows [lo, lo + rows) of every one of the B·G·Cg = 4 planes, in order.
      const rows = ts.input[0] as number;
      expect(xs.length).toBe(4 * rows * rest);
      const lo = Math.max(0, covered - 1);
      for (let q = 0; q < 4; q++)
        expect([...xs.subarray(q * rows * rest, (q + 1) * rows * rest)]).toEqual([
          ...x.subarray((q * H + lo) * rest, (q * H + lo + rows) * rest),
        ]);
      const tileY = new BigUint64Array(s.batch * s.groups * s.mg * numel(ts.output));
      for (let g = 0; g < s.groups; g++)
        for (let r = 0; r < tile.plan.outGroups; r++)
          readResponse(tile.plan, response(tile.plan, xs, w, 0, g, r), tileY, 0, g, r);
      tile.place(tileY, y);
      covered += ts.output[0] as number;
      expect(ts.padBegin[1]).toBe(0);
    }
    expect(covered).toBe(s.output[0]);
    expect([...y]).toEqual([...reference(s, x, w)]);
  });
});
