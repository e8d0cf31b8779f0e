/**
 * The compiler's fast paths equal the reference computations they replace, bit for bit:
 *   - encodeTensorFast / roundTripTensor (passes/float-to-fixed/encode.ts) against spec/fixed.ts's
 *     encodeTensor and decodeTensor ∘ encodeTensor, for every ring width, scale and rounding, on values
 *     at the range boundaries, at rounding ties, and beyond (then the same error, thrown as the spec's);
 *   - foldRows + RowFold (linear.ts, intervals.ts) against rowsOf + rowsAbsMax/rowsErrMax/rowsRange,
 *     for regular layouts, layouts whose block/cycle does not tile the tensor, and irregular ones;
 *   - linearFacts against its definition composed from those reference functions, and with row sums
 *     kept across calls (RowSums) against fresh ones;
 *   - the BatchNorm pass's expanded γ' (passes/hlil/batchnorm.ts: rounded per channel, then tiled)
 *     against rounding the tiled binary64 tensor, entries and rounding bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixedPoint, type Rounding } from '../../spec/fixed.js';
import type { Shape } from '../../spec/geometry.js';
import type { HDecl, HProgram } from '../../ir/hlil.js';
import { encodeTensorFast, roundTripTensor } from '../../passes/float-to-fixed/encode.js';
import {
  iv,
  RowFold,
  rowsAbsMax,
  rowsErrMax,
  rowsOf,
  rowsRange,
  widen,
  type Iv,
} from '../../passes/float-to-fixed/intervals.js';
import {
  columnRows,
  convRows,
  convTransposeRows,
  elementRows,
  foldRows,
  linearFacts,
  rowRows,
  RowSums,
  type Known,
  type RowLayout,
} from '../../passes/float-to-fixed/linear.js';
import { applyTransform } from '../../passes/float-to-fixed/transforms.js';
import { batchNorm } from '../../passes/hlil/batchnorm.js';

const RUNS = process.env['CRYPTFLOW_SLOW'] === '1' ? 2000 : 150;

/** What a call returns or throws (error class, code and message), for comparing two implementations. */
function outcome<T>(f: () => T): { ok: T } | { threw: string } {
  try {
    return { ok: f() };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return { threw: `${(e as Error).constructor.name} ${String(code)} ${(e as Error).message}` };
  }
}

const params = fc.integer({ min: 2, max: 64 }).chain((ell) =>
  fc.record({
    ell: fc.constant(ell),
    scale: fc.integer({ min: 0, max: ell - 1 }),
    rounding: fc.constantFrom<Rounding>('nearest-even', 'floor'),
  }),
);

/** Values that hit the interesting cases at scale s of an ℓ-bit ring: ties, the range edges, non-finite. */
function valuesFor(ell: number, scale: number): fc.Arbitrary<number[]> {
  const fp = FixedPoint({ ell, scale });
  const u = 2 ** -scale;
  const grid = fc.integer({ min: -(2 ** Math.min(ell - 1, 52)), max: 2 ** Math.min(ell - 1, 52) - 1 });
  const value = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -4, max: 4 }),
    grid.map((k) => k * u),
    grid.map((k) => (k + 0.5) * u),
    fc.constantFrom(
      fp.highReal,
      fp.lowReal,
      fp.highReal - u,
      fp.lowReal + u,
      -0,
      0,
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
      0.49999999999999994 * u,
      -0.5 * u,
      0.5 * u,
      1.5 * u,
      -1.5 * u,
      2 ** 52 * u,
      (2 ** 52 + 1) * u,
    ),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: fp.lowReal * 1.01 - 1, max: fp.highReal * 1.01 + 1 }),
  );
  const rare = fc.constantFrom(Number.NaN, Infinity, -Infinity, fp.highReal * 4 + 1, fp.lowReal * 4 - 1);
  return fc.array(fc.oneof({ weight: 30, arbitrary: value }, { weight: 1, arbitrary: rare }), { maxLength: 24 });
}

describe('encodeTensorFast and roundTripTensor equal spec/fixed.ts', () => {
  it('every ℓ, s and rounding: the same ring elements, the same decoded values, the same error', () => {
    fc.assert(
      fc.property(
        params.chain((p) => fc.record({ p: fc.constant(p), xs: valuesFor(p.ell, p.scale), f32: fc.boolean() })),
        ({ p, xs, f32 }) => {
          const fp = FixedPoint(p);
          const data = f32 ? Float32Array.from(xs) : Float64Array.from(xs);
          const want = outcome(() => fp.encodeTensor(data, "input 'x'"));
          expect(outcome(() => encodeTensorFast(fp, data, "input 'x'"))).toEqual(want);
          const wantTrip = outcome(() => fp.decodeTensor(fp.encodeTensor(data, "weight 'w'")));
          const trip = outcome(() => roundTripTensor(fp, data, "weight 'w'"));
          expect(trip).toEqual(wantTrip);
          if ('ok' in trip && 'ok' in wantTrip)
            expect(Array.from(trip.ok, (v) => Object.is(v, -0))).toEqual(
              Array.from(wantTrip.ok, (v) => Object.is(v, -0)),
            );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('ℓ = 64, s = 12: large magnitudes near ±2^63 and the wrap of negatives', () => {
    const fp = FixedPoint({ ell: 64, scale: 12 });
    const xs = Float64Array.of(
      -1,
      -(2 ** -12),
      2 ** 50,
      -(2 ** 50),
      fp.highReal - 2 ** 40,
      fp.lowReal,
      0.5 * 2 ** -12,
      1.5 * 2 ** -12,
      -0.5 * 2 ** -12,
    );
    expect(Array.from(encodeTensorFast(fp, xs, 'x'))).toEqual(Array.from(fp.encodeTensor(xs, 'x')));
  });
});

/** Layouts over n coefficients: the analysis's own, plus fixed ones whose block/cycle tiles only some n. */
function layoutFor(n: number): fc.Arbitrary<RowLayout> {
  const divisors = Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
  const d = divisors.length === 0 ? fc.constant(1) : fc.constantFrom(...divisors);
  return fc.oneof(
    fc.constant(elementRows(n)),
    d.map((k) => rowRows([n / k, k])),
    d.map((k) => columnRows([n / k, k])),
    d.map((co) => convRows([co, n / co])),
    fc.constant({ count: 3, rowOf: (i: number) => (i * 7) % 3 }),
    fc.constant({ count: 2, rowOf: (i: number) => Math.floor(i / 3), block: 3 }),
    fc.constant({ count: 5, rowOf: (i: number) => i % 5, cycle: 5 }),
  );
}

const num = fc.oneof(
  { weight: 20, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(-0, 0, Infinity, -Infinity, Number.NaN) },
);
const interval: fc.Arbitrary<Iv> = fc
  .tuple(fc.double({ noNaN: true, min: -5, max: 5 }), fc.double({ noNaN: true, min: 0, max: 5 }))
  .map(([lo, w]) => iv(lo, lo + w));

const rowsCase = fc.integer({ min: 0, max: 24 }).chain((n) =>
  fc.record({
    w: fc.array(num, { minLength: n, maxLength: n }),
    err: fc.option(fc.array(num, { minLength: n, maxLength: n }), { nil: undefined }),
    layout: layoutFor(n),
    x: interval,
    partial: fc.boolean(),
    bias: fc.option(fc.oneof(interval, fc.array(interval, { minLength: 0, maxLength: 8 })), { nil: undefined }),
  }),
);

describe('foldRows + RowFold equal rowsOf + rowsAbsMax/rowsErrMax/rowsRange', () => {
  it('for every layout, with and without errors, bias and partial rows', () => {
    fc.assert(
      fc.property(rowsCase, ({ w, err, layout, x, partial, bias }) => {
        const rows = rowsOf(w, layout.count, layout.rowOf, err);
        const fold = new RowFold(x, partial, bias);
        foldRows(Float64Array.from(w), layout, err === undefined ? undefined : Float64Array.from(err), fold);
        expect([fold.absMax(), fold.errMax(), fold.range()]).toEqual([
          rowsAbsMax(rows),
          rowsErrMax(rows),
          rowsRange(rows, x, partial, bias),
        ]);
      }),
      { numRuns: RUNS },
    );
  });

  it('linearFacts equals its definition from the reference row functions', () => {
    fc.assert(
      fc.property(rowsCase, fc.boolean(), ({ w, err, layout, x, partial, bias }, shared) => {
        const coef = shared ? w : w.map((v) => v * 1.0009765625);
        const k: Known = shared
          ? { shape: [w.length], coef: w, ref: w, ...(err === undefined ? {} : { refErr: err, err }) }
          : { shape: [w.length], coef, ref: w, ...(err === undefined ? {} : { refErr: err.map((e) => e / 2), err }) };
        const ref = rowsOf(k.ref, layout.count, layout.rowOf, k.refErr);
        const co = rowsOf(k.coef, layout.count, layout.rowOf, k.err);
        const a = Math.max(Math.abs(x.lo), Math.abs(x.hi));
        const slack = a === 0 ? 0 : a * rowsErrMax(ref);
        const r = rowsRange(ref, x, partial, bias);
        expect(linearFacts(k, layout, x, partial, bias)).toEqual({
          range: slack === 0 ? r : widen(iv(r.lo - slack, r.hi + slack)),
          coefNorm: rowsAbsMax(co),
          errNorm: rowsErrMax(co),
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('RowSums: rows kept from an earlier call on the same array give the same facts as fresh ones', () => {
    fc.assert(
      fc.property(rowsCase, interval, fc.boolean(), ({ w, layout, x, partial, bias }, x2, partial2) => {
        const values = Float32Array.from(w);
        const k: Known = { shape: [w.length], coef: values, ref: values };
        const sums = new RowSums();
        expect(linearFacts(k, layout, x, partial, bias, sums)).toEqual(linearFacts(k, layout, x, partial, bias));
        expect(linearFacts({ ...k, shape: [1, w.length] }, layout, x2, partial2, undefined, sums)).toEqual(
          linearFacts(k, layout, x2, partial2),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('a transposed convolution (irregular rows) goes through rowsOf', () => {
    const shape: Shape = [4, 3, 2, 2];
    const w = Float64Array.from({ length: 48 }, (_, i) => Math.sin(i + 1));
    const layout = convTransposeRows(shape, 2);
    const fold = new RowFold(iv(-1, 2), true);
    foldRows(w, layout, undefined, fold);
    const rows = rowsOf(w, layout.count, layout.rowOf);
    expect([fold.absMax(), fold.range()]).toEqual([rowsAbsMax(rows), rowsRange(rows, iv(-1, 2), true)]);
  });
});

describe("the BatchNorm pass's expanded γ' equals rounding the tiled tensor", () => {
  it('entries and the rounding bound, for random parameters and shapes', () => {
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 2 }),
      c: fc.integer({ min: 1, max: 4 }),
      h: fc.integer({ min: 1, max: 3 }),
      w: fc.integer({ min: 1, max: 3 }),
      seed: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: 0.01, max: 3 }), {
        minLength: 16,
        maxLength: 16,
      }),
    });
    fc.assert(
      fc.property(arb, ({ n, c, h, w, seed }) => {
        const params = ['g', 'be', 'mu', 'v'].map((name): HDecl => ({
          kind: 'input',
          name,
          shape: [c],
          owner: 'server',
        }));
        const program: HProgram = {
          ir: 'hlil',
          decls: [{ kind: 'input', name: 'x', shape: [n, c, h, w], owner: 'client' }, ...params],
          nodes: [{ op: 'BatchNorm', x: 'x', scale: 'g', bias: 'be', mean: 'mu', var: 'v', epsilon: 1e-5, out: 'y' }],
          outputs: [{ name: 'y', to: 'client' }],
        };
        const at = (k: number): Float32Array =>
          Float32Array.from({ length: c }, (_, i) => (seed[(k * 4 + i) % 16] as number) * (i % 2 === 0 ? 1 : -1));
        const weights = new Map([
          ['g', at(0)],
          ['be', at(1)],
          ['mu', at(2)],
          ['v', at(3).map(Math.abs)],
        ]);
        const r = batchNorm({ program, weights }, 'mul-add', true);
        const gp = applyTransform(
          { kind: 'bn-scale', scale: 'g', var: 'v', epsilon: 1e-5 },
          (k) => weights.get(k) ?? new Float32Array(),
        );
        const inner = h * w;
        const tiled = Float64Array.from({ length: n * c * inner }, (_, i) => gp[Math.floor(i / inner) % c] as number);
        const values = Float32Array.from(tiled);
        let err = 0;
        tiled.forEach((v, i) => {
          err = Math.max(err, Math.abs((values[i] as number) - v) + Math.abs(v) * 2 ** -50);
        });
        const name = [...r.report.rounding.keys()].find((k) => k.endsWith(':gamma'));
        expect(name).toBeDefined();
        expect(Array.from(r.model.weights.get(name ?? '') ?? [])).toEqual(Array.from(values));
        expect(r.report.rounding.get(name ?? '')).toBe(err);
      }),
      { numRuns: 60 },
    );
  });
});
