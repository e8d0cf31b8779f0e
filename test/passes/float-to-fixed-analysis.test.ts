/**
 * The range analysis (passes/float-to-fixed/analysis.ts) is SOUND on random programs: for random
 * well-typed HLIL programs, random server weights and client inputs inside the stated box,
 *   - every value's floatSem entries lie in its interval widened by its float error;
 *   - every lowered value satisfies |decode(fixedSem) − floatSem| ≤ its composed error bound, and
 *     every output its output bound (post-processed outputs included; ArgMax by its gap);
 * whenever the report says the bounds hold (nothing may overflow) — for eager and lazy placement.
 * A small ring forces overflow reports, and a reported overflow must be a real possibility of
 * wrapping (checked on a hand case). How tight the bounds are is measured and printed.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hlilBuilder } from '../../ir/builder.js';
import type { HProgram } from '../../ir/hlil.js';
import { floatSemAll } from '../../semantics/float.js';
import { fixedSemAll } from '../../semantics/fixed.js';
import { decodeOutputs } from '../../semantics/decode.js';
import { FixedPoint } from '../../spec/fixed.js';
import { analyzeProgram } from '../../passes/float-to-fixed/analysis.js';
import { encodeInputs, floatToFixed, type Placement } from '../../passes/float-to-fixed/program.js';
import { hlilProgram } from '../arbitraries/hlil.js';

const RUNS = process.env['CRYPTFLOW_SLOW'] === '1' ? 1000 : 60;
const [LO, HI] = [-2, 3];

/** Weights (server inputs) with |w| ≤ 2 and client inputs in [LO, HI]. */
function withInputs(arb: fc.Arbitrary<HProgram>) {
  return arb.chain((p) => {
    const decls = p.decls.flatMap((d) => (d.kind === 'input' ? [d] : []));
    const arrays = decls.map((d) => {
      const n = d.shape.reduce((a, b) => a * b, 1);
      const [lo, hi] = d.owner === 'client' ? [LO, HI] : [-2, 2];
      const entry = fc.oneof(
        fc.constantFrom(lo, hi, 0),
        fc.float({ min: Math.fround(lo), max: Math.fround(hi), noNaN: true, noDefaultInfinity: true }),
      );
      return fc.array(entry, { minLength: n, maxLength: n });
    });
    return fc.tuple(...arrays).map((vs) => {
      const all = new Map(decls.map((d, i) => [d.name, Float32Array.from(vs[i] ?? [])]));
      const weights = new Map(
        decls.filter((d) => d.owner === 'server').map((d) => [d.name, all.get(d.name) ?? new Float32Array()]),
      );
      return { p, all, weights };
    });
  });
}

const tightness: number[] = [];
let held = 0;
let refused = 0;
afterAll(() => {
  const sorted = [...tightness].sort((a, b) => a - b);
  const q = (f: number): string =>
    sorted.length === 0 ? '-' : (sorted[Math.floor(f * (sorted.length - 1))] ?? 0).toExponential(2);
  console.log(
    `range analysis: ${held} runs with bounds holding, ${refused} reporting possible overflow; observed/bound over outputs: median ${q(0.5)}, 90% ${q(0.9)}, max ${q(1)}`,
  );
});

function checkRun(
  p: HProgram,
  all: Map<string, Float32Array>,
  weights: Map<string, Float32Array>,
  ell: number,
  scale: number,
  placement: Placement,
): void {
  const plan = floatToFixed(p, { ell, scale, placement });
  const report = analyzeProgram(plan, weights, { lo: LO, hi: HI });
  const float = floatSemAll(p, all);
  for (const t of report.tensors) {
    const v = float.get(t.name)?.data ?? new Float32Array();
    for (const x of v) {
      expect(x).toBeGreaterThanOrEqual(t.range.lo - t.floatError);
      expect(x).toBeLessThanOrEqual(t.range.hi + t.floatError);
    }
  }
  if (!report.boundsHold) {
    refused++;
    return;
  }
  held++;
  const enc = encodeInputs(plan, all);
  const fixed = fixedSemAll(plan.program, enc);
  for (const t of report.tensors) {
    if (t.llil === undefined || t.errorBound === undefined) continue;
    expect(t.errorBound).toBeGreaterThanOrEqual(t.llil.fixedError);
    const fx = fixed.get(t.llil.name);
    const fp = FixedPoint({ ell, scale: t.llil.scale });
    const fl = float.get(t.name)?.data ?? new Float32Array();
    fx?.data.forEach((r, i) => {
      expect(Math.abs(fp.decode(r) - (fl[i] as number))).toBeLessThanOrEqual(t.errorBound ?? 0);
    });
  }
  const outs = decodeOutputs(
    plan.program,
    new Map([...plan.program.outputs].map((o) => [o.name, fixed.get(o.name)?.data ?? new BigUint64Array()])),
  );
  report.outputs.forEach((o, i) => {
    const lo = plan.program.outputs[i];
    const x = outs.get(lo?.name ?? '') ?? new Float64Array();
    const f = float.get(o.name)?.data ?? new Float32Array();
    let worst = 0;
    x.forEach((v, j) => {
      worst = Math.max(worst, Math.abs(v - (f[j] as number)));
    });
    expect(worst).toBeLessThanOrEqual(o.errorBound);
    if (o.argmaxGap === undefined && o.errorBound > 0) tightness.push(worst / o.errorBound);
  });
}

describe('range analysis is sound on random programs', () => {
  it.each(['eager', 'lazy'] as const)('ℓ = 64, s = 12, %s placement', (placement) => {
    fc.assert(
      fc.property(withInputs(hlilProgram({ maxNodes: 6 })), ({ p, all, weights }) =>
        checkRun(p, all, weights, 64, 12, placement),
      ),
      { numRuns: RUNS },
    );
  });

  it.each(['eager', 'lazy'] as const)('ℓ = 16, s = 5 (overflow is reported often), %s placement', (placement) => {
    fc.assert(
      fc.property(withInputs(hlilProgram({ maxNodes: 6 })), ({ p, all, weights }) =>
        checkRun(p, all, weights, 16, 5, placement),
      ),
      { numRuns: RUNS },
    );
  });
});

describe('range analysis on hand cases', () => {
  it('a logistic layer: tight interval from the known weights, and the bound holds at the corners', () => {
    const b = hlilBuilder();
    const x = b.input('x', [1, 2], 'client');
    const w = b.input('W', [2, 1], 'server');
    b.output(b.matmul(x, w), 'client');
    const p = b.build();
    const weights = new Map([['W', Float32Array.of(0.5, -0.25)]]);
    const r = analyzeProgram(floatToFixed(p, { ell: 64, scale: 12 }), weights, { lo: -1, hi: 1 });
    const out = r.outputs[0];
    expect(out?.range.lo).toBeCloseTo(-0.75, 9);
    expect(out?.range.hi).toBeCloseTo(0.75, 9);
    expect(r.boundsHold).toBe(true);
    expect(r.truncation.elements).toBe(1);
    expect(out?.errorBound).toBeLessThan(2 ** -11);
  });

  it('reports an overflow that really can happen (ℓ = 16, s = 6: 2^9 · 2^9 products)', () => {
    const b = hlilBuilder();
    b.output(b.mul(b.input('x', [1], 'client'), b.input('y', [1], 'server')), 'client');
    const p = b.build();
    const plan = floatToFixed(p, { ell: 16, scale: 6 });
    const r = analyzeProgram(plan, new Map([['y', Float32Array.of(100)]]), { lo: -100, hi: 100 });
    expect(r.boundsHold).toBe(false);
    expect(r.overflow.map((o) => o.op)).toContain('Mul');
    const enc = encodeInputs(
      plan,
      new Map([
        ['x', Float32Array.of(100)],
        ['y', Float32Array.of(100)],
      ]),
    );
    const out = decodeOutputs(
      plan.program,
      new Map([
        [
          plan.program.outputs[0]?.name ?? '',
          fixedSemAll(plan.program, enc).get(plan.program.outputs[0]?.name ?? '')?.data ?? new BigUint64Array(),
        ],
      ]),
    );
    expect(Math.abs((out.values().next().value?.[0] ?? 0) - 10000)).toBeGreaterThan(1);
  });

  it('sums the wrap probability of local truncation over every truncated element', () => {
    const b = hlilBuilder();
    b.output(b.mul(b.input('x', [4], 'client'), b.const('c', [1], [2])), 'client');
    const plan = floatToFixed(b.build(), { ell: 32, scale: 8 });
    const r = analyzeProgram(plan, new Map(), { lo: -4, hi: 4 });
    expect(r.truncation.elements).toBe(4);
    // |x̃| ≤ (8 + err)·2^16 per element at scale 16.
    expect(r.truncation.probability).toBeGreaterThanOrEqual((4 * 8 * 2 ** 16) / 2 ** 32);
    expect(r.truncation.probability).toBeLessThan((4 * 8.01 * 2 ** 16) / 2 ** 32);
  });

  it('refuses missing or unknown weights and a bad range', () => {
    const b = hlilBuilder();
    b.output(b.mul(b.input('x', [1], 'client'), b.input('y', [1], 'server')), 'client');
    const plan = floatToFixed(b.build(), { ell: 64, scale: 12 });
    expect(() => analyzeProgram(plan, new Map(), { lo: 0, hi: 1 })).toThrow(/no weights for the server input 'y'/);
    expect(() =>
      analyzeProgram(
        plan,
        new Map([
          ['y', Float32Array.of(1)],
          ['z', Float32Array.of(1)],
        ]),
        { lo: 0, hi: 1 },
      ),
    ).toThrow(/'z' is not a server input/);
    expect(() => analyzeProgram(plan, new Map([['y', Float32Array.of(1)]]), { lo: 1, hi: 0 })).toThrow(/lo ≤ hi/);
  });
});

describe('the 3-party comparison domain', () => {
  const program = (): HProgram => {
    const b = hlilBuilder();
    const x = b.input('x', [1, 4], 'client');
    const r = b.relu(x);
    b.output(b.maxPool(b.reshape(r, [1, 1, 4]), { kernel: [2], strides: [2] }), 'client');
    return b.build();
  };

  it('reports ReLU and MaxPool inputs that may leave ±2^{ℓ−2} / ±2^{ℓ−3}, and nothing when they stay inside', () => {
    const plan = floatToFixed(program(), { ell: 16, scale: 8 });
    expect(analyzeProgram(plan, new Map(), { lo: -1, hi: 1 }).domain).toEqual([]);
    // 2^{ℓ−3} = 8192 = 32 at scale 8: inputs up to 60 fit the ReLU (2^{ℓ−2} = 64) but not the MaxPool
    const mid = analyzeProgram(plan, new Map(), { lo: -60, hi: 60 }).domain;
    expect(mid.map((d) => d.op)).toEqual(['MaxPool']);
    expect(mid[0]?.allowed).toBe(14);
    const wide = analyzeProgram(plan, new Map(), { lo: -100, hi: 100 }).domain;
    expect(wide.map((d) => d.op)).toEqual(['Relu', 'MaxPool']);
    expect(wide[0]).toMatchObject({ allowed: 15 });
    expect(wide[0]?.bits).toBeGreaterThan(15);
  });
});
