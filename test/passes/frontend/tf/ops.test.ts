/**
 * Operator by operator, with random geometry and attributes (fast-check): a one- or two-node TF
 * graph imported through both frontends evaluates under floatSem to what the NHWC reference
 * (reference.ts) computes, in TF's layout.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { attr, TfGraphBuilder, values } from './builder.js';
import * as R from './reference.js';
import { expectClose, importBoth, run } from './support.js';

const SLOW = process.env['CRYPTFLOW_SLOW'] === '1';
/** Runs of a property: at least 50 (each runs in well under a second), 20× with CRYPTFLOW_SLOW. */
const runs = (n: number): number => (SLOW ? 20 * Math.max(50, n) : Math.max(50, n));

const padding = fc.constantFrom<R.Padding>('SAME', 'VALID');
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Imports `g` (outputs: `out`), runs it on x and compares with the reference tensor. */
function check(g: TfGraphBuilder, out: string, inputs: Record<string, Float32Array>, expected: R.T): void {
  const m = importBoth(g, { outputs: [out] });
  expectClose(run(m, inputs).get(out), expected);
}

describe('windowed operators against the NHWC reference', () => {
  test('Conv2D: random extents, channels, groups, kernel, strides, dilations, padding', () => {
    const arb = fc
      .record({
        n: fc.integer({ min: 1, max: 2 }),
        h: fc.integer({ min: 1, max: 7 }),
        w: fc.integer({ min: 1, max: 7 }),
        groups: fc.integer({ min: 1, max: 2 }),
        cpg: fc.integer({ min: 1, max: 2 }),
        cog: fc.integer({ min: 1, max: 2 }),
        kh: fc.integer({ min: 1, max: 3 }),
        kw: fc.integer({ min: 1, max: 3 }),
        sh: fc.integer({ min: 1, max: 3 }),
        sw: fc.integer({ min: 1, max: 3 }),
        dh: fc.integer({ min: 1, max: 2 }),
        dw: fc.integer({ min: 1, max: 2 }),
        padding,
        seed: fc.nat(1000),
      })
      .filter((c) => c.padding === 'SAME' || (c.dh * (c.kh - 1) + 1 <= c.h && c.dw * (c.kw - 1) + 1 <= c.w));
    fc.assert(
      fc.property(arb, (c) => {
        const xs = [c.n, c.h, c.w, c.groups * c.cpg];
        const ws = [c.kh, c.kw, c.cpg, c.groups * c.cog];
        const [x, k] = [values(size(xs), c.seed), values(size(ws), c.seed + 1)];
        const g = new TfGraphBuilder();
        g.placeholder('x', xs);
        g.constF('k', ws, k);
        g.op('y', 'Conv2D', ['x', 'k'], {
          strides: attr.ints([1, c.sh, c.sw, 1]),
          dilations: attr.ints([1, c.dh, c.dw, 1]),
          padding: attr.s(c.padding),
        });
        check(
          g,
          'y',
          { x },
          R.conv(R.tensor(xs, x), R.tensor(ws, k), {
            strides: [c.sh, c.sw],
            dilations: [c.dh, c.dw],
            padding: c.padding,
          }),
        );
      }),
      { numRuns: runs(40) },
    );
  });

  test('Conv2D with EXPLICIT padding equals Pad then a VALID convolution', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(2), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 1, max: 2 }),
        fc.nat(1000),
        (p, s, seed) => {
          const xs = [1, 4, 5, 2];
          const ws = [3, 2, 2, 3];
          const [x, k] = [values(size(xs), seed), values(size(ws), seed + 1)];
          const g = new TfGraphBuilder();
          g.placeholder('x', xs);
          g.constF('k', ws, k);
          g.op('y', 'Conv2D', ['x', 'k'], {
            strides: attr.ints([1, s, s, 1]),
            padding: attr.s('EXPLICIT'),
            explicit_paddings: attr.ints([0, 0, p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 0, 0, 0]),
          });
          const padded = R.pad(R.tensor(xs, x), [
            [0, 0],
            [p[0] ?? 0, p[1] ?? 0],
            [p[2] ?? 0, p[3] ?? 0],
            [0, 0],
          ]);
          check(g, 'y', { x }, R.conv(padded, R.tensor(ws, k), { strides: [s, s], padding: 'VALID' }));
        },
      ),
      { numRuns: runs(15) },
    );
  });

  test('DepthwiseConv2dNative: random channels, multiplier, kernel, strides, padding', () => {
    const arb = fc
      .record({
        h: fc.integer({ min: 1, max: 6 }),
        w: fc.integer({ min: 1, max: 6 }),
        c: fc.integer({ min: 1, max: 3 }),
        m: fc.integer({ min: 1, max: 3 }),
        kh: fc.integer({ min: 1, max: 3 }),
        kw: fc.integer({ min: 1, max: 3 }),
        s: fc.integer({ min: 1, max: 2 }),
        padding,
        seed: fc.nat(1000),
      })
      .filter((c) => c.padding === 'SAME' || (c.kh <= c.h && c.kw <= c.w));
    fc.assert(
      fc.property(arb, (c) => {
        const xs = [1, c.h, c.w, c.c];
        const ws = [c.kh, c.kw, c.c, c.m];
        const [x, k] = [values(size(xs), c.seed), values(size(ws), c.seed + 1)];
        const g = new TfGraphBuilder();
        g.placeholder('x', xs);
        g.constF('k', ws, k);
        g.op('y', 'DepthwiseConv2dNative', ['x', 'k'], {
          strides: attr.ints([1, c.s, c.s, 1]),
          padding: attr.s(c.padding),
        });
        check(
          g,
          'y',
          { x },
          R.depthwise(R.tensor(xs, x), R.tensor(ws, k), { strides: [c.s, c.s], padding: c.padding }),
        );
      }),
      { numRuns: runs(30) },
    );
  });

  test('MaxPool and AvgPool: random window, strides, padding (SAME averages over unpadded cells)', () => {
    const arb = fc
      .record({
        kind: fc.constantFrom<'max' | 'avg'>('max', 'avg'),
        h: fc.integer({ min: 1, max: 7 }),
        w: fc.integer({ min: 1, max: 7 }),
        c: fc.integer({ min: 1, max: 3 }),
        kh: fc.integer({ min: 1, max: 3 }),
        kw: fc.integer({ min: 1, max: 3 }),
        sh: fc.integer({ min: 1, max: 3 }),
        sw: fc.integer({ min: 1, max: 3 }),
        padding,
        seed: fc.nat(1000),
      })
      .filter((c) => c.padding === 'SAME' || (c.kh <= c.h && c.kw <= c.w));
    fc.assert(
      fc.property(arb, (c) => {
        const xs = [2, c.h, c.w, c.c];
        const x = values(size(xs), c.seed);
        const g = new TfGraphBuilder();
        g.placeholder('x', xs);
        g.op('y', c.kind === 'max' ? 'MaxPool' : 'AvgPool', ['x'], {
          ksize: attr.ints([1, c.kh, c.kw, 1]),
          strides: attr.ints([1, c.sh, c.sw, 1]),
          padding: attr.s(c.padding),
        });
        check(
          g,
          'y',
          { x },
          R.pool(c.kind, R.tensor(xs, x), [c.kh, c.kw], { strides: [c.sh, c.sw], padding: c.padding }),
        );
      }),
      { numRuns: runs(40) },
    );
  });

  /** Output extents O whose forward conv gives I: VALID O ∈ [(I−1)s + span, I·s + span − 1], SAME O ∈ ((I−1)s, I·s]. */
  interface BackpropCase {
    readonly dims: ReadonlyArray<{ i: number; k: number; s: number; d: number; e: number }>;
    readonly cin: number;
    readonly cout: number;
    readonly padding: R.Padding;
    readonly seed: number;
  }
  const backpropArb = (rank: 4 | 5, maxIn: number): fc.Arbitrary<BackpropCase> =>
    fc.record({
      dims: fc.array(
        fc.record({
          i: fc.integer({ min: 1, max: maxIn }),
          k: fc.integer({ min: 1, max: 3 }),
          s: fc.integer({ min: 1, max: 3 }),
          d: fc.integer({ min: 1, max: 2 }),
          e: fc.nat(2),
        }),
        { minLength: rank - 2, maxLength: rank - 2 },
      ),
      cin: fc.integer({ min: 1, max: 3 }),
      cout: fc.integer({ min: 1, max: 3 }),
      padding,
      seed: fc.nat(1000),
    });

  function backprop(rank: 4 | 5, p: BackpropCase): void {
    const span = p.dims.map((q) => q.d * (q.k - 1) + 1);
    const outSp = p.dims.map(
      (q, j) => (p.padding === 'VALID' ? (q.i - 1) * q.s + (span[j] as number) : (q.i - 1) * q.s + 1) + (q.e % q.s),
    );
    const xs = [1, ...p.dims.map((q) => q.i), p.cin];
    const ws = [...p.dims.map((q) => q.k), p.cout, p.cin];
    const sizes = [1, ...outSp, p.cout];
    const [x, k] = [values(size(xs), p.seed), values(size(ws), p.seed + 1)];
    const g = new TfGraphBuilder();
    g.placeholder('dy', xs);
    g.constI('sizes', [rank], sizes);
    g.constF('k', ws, k);
    const st = p.dims.map((q) => q.s);
    const dl = p.dims.map((q) => q.d);
    g.op('dx', rank === 4 ? 'Conv2DBackpropInput' : 'Conv3DBackpropInputV2', ['sizes', 'k', 'dy'], {
      strides: attr.ints([1, ...st, 1]),
      dilations: attr.ints([1, ...dl, 1]),
      padding: attr.s(p.padding),
    });
    check(
      g,
      'dx',
      { dy: x },
      R.convBackpropInput(sizes, R.tensor(ws, k), R.tensor(xs, x), { strides: st, dilations: dl, padding: p.padding }),
    );
  }

  test('Conv2DBackpropInput: random geometry, output extents from input_sizes', () => {
    fc.assert(
      fc.property(backpropArb(4, 4), (c) => backprop(4, c)),
      { numRuns: runs(40) },
    );
  });

  test('Conv3DBackpropInputV2: random geometry, output extents from input_sizes', () => {
    fc.assert(
      fc.property(backpropArb(5, 3), (c) => backprop(5, c)),
      { numRuns: runs(12) },
    );
  });

  test('Conv3D and MaxPool3D/AvgPool3D: random geometry', () => {
    const arb = fc
      .record({
        sp: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 3 }),
        k: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 3, maxLength: 3 }),
        s: fc.integer({ min: 1, max: 2 }),
        c: fc.integer({ min: 1, max: 2 }),
        co: fc.integer({ min: 1, max: 2 }),
        pool: fc.constantFrom<'max' | 'avg'>('max', 'avg'),
        padding,
        seed: fc.nat(1000),
      })
      .filter((c) => c.padding === 'SAME' || c.k.every((k, i) => k <= (c.sp[i] as number)));
    fc.assert(
      fc.property(arb, (c) => {
        const xs = [1, ...c.sp, c.c];
        const ws = [...c.k, c.c, c.co];
        const [x, k] = [values(size(xs), c.seed), values(size(ws), c.seed + 1)];
        const s = [c.s, c.s, c.s];
        const g = new TfGraphBuilder();
        g.placeholder('x', xs);
        g.constF('k', ws, k);
        g.op('conv', 'Conv3D', ['x', 'k'], { strides: attr.ints([1, ...s, 1]), padding: attr.s(c.padding) });
        g.op('pool', c.pool === 'max' ? 'MaxPool3D' : 'AvgPool3D', ['conv'], {
          ksize: attr.ints([1, ...c.k, 1]),
          strides: attr.ints([1, ...s, 1]),
          padding: attr.s('SAME'),
        });
        const conv = R.conv(R.tensor(xs, x), R.tensor(ws, k), { strides: s, padding: c.padding });
        check(g, 'pool', { x }, R.pool(c.pool, conv, c.k, { strides: s, padding: 'SAME' }));
      }),
      { numRuns: runs(15) },
    );
  });
});

describe('arithmetic operators against the reference', () => {
  test('MatMul: transpose_a/b, Const or run-time operands', () => {
    const arb = fc.record({
      m: fc.integer({ min: 1, max: 4 }),
      k: fc.integer({ min: 1, max: 4 }),
      n: fc.integer({ min: 1, max: 4 }),
      ta: fc.boolean(),
      tb: fc.boolean(),
      consts: fc.constantFrom('b', 'a', 'none'),
      seed: fc.nat(1000),
    });
    fc.assert(
      fc.property(arb, (c) => {
        const as = c.ta ? [c.k, c.m] : [c.m, c.k];
        const bs = c.tb ? [c.n, c.k] : [c.k, c.n];
        const [a, b] = [values(size(as), c.seed), values(size(bs), c.seed + 1)];
        const g = new TfGraphBuilder();
        const inputs: Record<string, Float32Array> = {};
        const operand = (name: string, shape: number[], v: Float32Array, isConst: boolean): void => {
          if (isConst) g.constF(name, shape, v);
          else {
            g.placeholder(name, shape);
            inputs[name] = v;
          }
        };
        operand('a', as, a, c.consts === 'a');
        operand('b', bs, b, c.consts === 'b');
        g.op('y', 'MatMul', ['a', 'b'], { transpose_a: attr.b(c.ta), transpose_b: attr.b(c.tb) });
        check(g, 'y', inputs, R.matmul(R.tensor(as, a), R.tensor(bs, b), c.ta, c.tb));
      }),
      { numRuns: runs(30) },
    );
  });

  test('Add/AddV2/Sub/Mul with broadcasting Consts, on channels-first and TF-layout values', () => {
    const shapeArb = fc.tuple(
      fc.integer({ min: 1, max: 2 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
    );
    const arb = fc.record({
      xs: shapeArb,
      keep: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      rank: fc.integer({ min: 0, max: 4 }),
      op: fc.constantFrom('Add', 'AddV2', 'Sub', 'Mul'),
      constFirst: fc.boolean(),
      pooled: fc.boolean(),
      seed: fc.nat(1000),
    });
    fc.assert(
      fc.property(arb, (c) => {
        const xs = [...c.xs];
        const cs = xs.map((d, i) => (c.keep[i] === true ? d : 1)).slice(4 - c.rank);
        const [x, k] = [values(size(xs), c.seed), values(size(cs), c.seed + 1)];
        const g = new TfGraphBuilder();
        g.placeholder('x', xs);
        if (c.pooled)
          g.op('p', 'MaxPool', ['x'], {
            ksize: attr.ints([1, 1, 1, 1]),
            strides: attr.ints([1, 1, 1, 1]),
            padding: attr.s('VALID'),
          });
        g.constF('k', cs, k);
        const src = c.pooled ? 'p' : 'x';
        g.op('y', c.op, c.constFirst ? ['k', src] : [src, 'k']);
        g.op('z', c.op === 'Mul' ? 'AddV2' : 'Mul', ['y', src]);
        const f = { Add: R.add, AddV2: R.add, Sub: R.sub, Mul: R.mul }[c.op] ?? R.add;
        const [tx, tk] = [R.tensor(xs, x), R.tensor(cs, k)];
        const y = c.constFirst ? f(tk, tx) : f(tx, tk);
        check(g, 'z', { x }, c.op === 'Mul' ? R.add(y, tx) : R.mul(y, tx));
      }),
      { numRuns: runs(40) },
    );
  });

  test('Relu6 clamps to [0, 6] (Relu(x) − Relu(x − 6)); BiasAdd on rank 2 and 4', () => {
    const xs = [1, 3, 3, 4];
    const x = Float32Array.from(values(36, 5), (v) => 10 * v);
    const b = values(4, 6);
    const g = new TfGraphBuilder();
    g.placeholder('x', xs);
    g.constF('b', [4], b);
    g.op('xb', 'BiasAdd', ['x', 'b'], { data_format: attr.s('NHWC') });
    g.op('y', 'Relu6', ['xb']);
    check(g, 'y', { x }, R.relu6(R.add(R.tensor(xs, x), R.tensor([4], b))));
  });

  test('Relu6 is exact in float32 for |x| < 2^24 (proofs-notes/frontend-tf.md)', () => {
    const big = Math.fround(2 ** 24 - 2);
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -big, max: big, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.float({ min: -20, max: 20, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (wide, near) => {
          const g = new TfGraphBuilder();
          g.placeholder('x', [2, 6]);
          g.op('y', 'Relu6', ['x']);
          const x = Float32Array.from([...wide, ...near]);
          check(g, 'y', { x }, R.relu6(R.tensor([2, 6], x)));
          const y = run(importBoth(g, { outputs: ['y'] }), { x }).get('y');
          expect(Array.from(y ?? [])).toEqual(Array.from(x, (v) => Math.min(Math.max(v, 0), 6)));
        },
      ),
      { numRuns: runs(30) },
    );
  });

  test('FusedBatchNorm (V1 and V3) in inference mode, rank 4 and 5', () => {
    for (const [op, xs, fmt] of [
      ['FusedBatchNorm', [2, 3, 2, 3], 'NHWC'],
      ['FusedBatchNormV3', [1, 2, 2, 2, 3], 'NDHWC'],
    ] as const) {
      const x = values(size(xs), 7);
      const p = [values(3, 8), values(3, 9), values(3, 10), Float32Array.from(values(3, 11), (v) => v * v + 0.1)];
      const g = new TfGraphBuilder();
      g.placeholder('x', xs);
      ['scale', 'offset', 'mean', 'var'].forEach((n, i) => g.constF(n, [3], p[i] as Float32Array));
      g.op('y', op, ['x', 'scale', 'offset', 'mean', 'var'], {
        epsilon: attr.f(0.01),
        is_training: attr.b(false),
        data_format: attr.s(fmt),
      });
      const [s, o, m, v] = p.map((q) => R.tensor([3], q)) as [R.T, R.T, R.T, R.T];
      check(g, 'y', { x }, R.batchNorm(R.tensor(xs, x), s, o, m, v, Math.fround(0.01)));
    }
  });
});

describe('data-movement operators on channels-first values against the reference', () => {
  /** x [n, h, w, c] → a 1×1 MaxPool (an identity that leaves the value channels-first) → the op. */
  const base = (xs: readonly number[], seed: number): { g: TfGraphBuilder; x: Float32Array; tx: R.T } => {
    const g = new TfGraphBuilder();
    g.placeholder('x', xs);
    g.op('p', 'MaxPool', ['x'], {
      ksize: attr.ints([1, 1, 1, 1]),
      strides: attr.ints([1, 1, 1, 1]),
      padding: attr.s('VALID'),
    });
    const x = values(size(xs), seed);
    return { g, x, tx: R.tensor(xs, x) };
  };
  const shapeArb = fc
    .tuple(
      fc.integer({ min: 1, max: 2 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
    )
    .map((t) => [...t]);

  test('Pad with random paddings on every axis', () => {
    fc.assert(
      fc.property(
        shapeArb,
        fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { minLength: 4, maxLength: 4 }),
        fc.nat(1000),
        (xs, pads, seed) => {
          const { g, x, tx } = base(xs, seed);
          g.constI('pads', [4, 2], pads.flat());
          g.op('y', 'Pad', ['p', 'pads']);
          check(g, 'y', { x }, R.pad(tx, pads));
        },
      ),
      { numRuns: runs(25) },
    );
  });

  test('ConcatV2 along a random (possibly negative) axis', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: -4, max: 3 }), fc.nat(1000), (xs, axis, seed) => {
        const { g, x, tx } = base(xs, seed);
        g.op('r', 'Relu', ['x']);
        g.constI('axis', [], [axis]);
        g.op('y', 'ConcatV2', ['p', 'r', 'x', 'axis'], { N: attr.i(3) });
        check(g, 'y', { x }, R.concat([tx, R.relu(tx), tx], axis < 0 ? axis + 4 : axis));
      }),
      { numRuns: runs(25) },
    );
  });

  test('ArgMax along a random axis', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: -4, max: 3 }), fc.nat(1000), (xs, axis, seed) => {
        const { g, x, tx } = base(xs, seed);
        g.constI('dim', [], [axis]);
        g.op('y', 'ArgMax', ['p', 'dim'], { output_type: attr.type('DT_INT64') });
        check(g, 'y', { x }, R.argmax(tx, axis < 0 ? axis + 4 : axis));
      }),
      { numRuns: runs(25) },
    );
  });

  test('Mean over the spatial axes (keep_dims either way), then Squeeze, Reshape and Softmax', () => {
    fc.assert(
      fc.property(shapeArb, fc.boolean(), fc.boolean(), fc.nat(1000), (xs, keep, negative, seed) => {
        const { g, x, tx } = base(xs, seed);
        g.constI('axes', [2], negative ? [-3, -2] : [1, 2]);
        g.op('m', 'Mean', ['p', 'axes'], { keep_dims: attr.b(keep) });
        g.constI('shape', [2], [-1, xs[3] as number]);
        g.op(
          keep ? 's' : 'ms',
          keep ? 'Squeeze' : 'Reshape',
          keep ? ['m'] : ['m', 'shape'],
          keep ? { squeeze_dims: attr.ints([1, 2]) } : {},
        );
        g.op('y', 'Softmax', [keep ? 's' : 'ms']);
        const mean = R.meanSpatial(tx, false);
        check(g, 'y', { x }, R.softmaxLast(mean));
      }),
      { numRuns: runs(20) },
    );
  });

  test('Squeeze of all extent-1 axes (squeeze_dims empty), Reshape of a channels-first value', () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(1000), (xs, seed) => {
        const { g, x, tx } = base(xs, seed);
        g.op('sq', 'Squeeze', ['p']);
        g.constI('shape', [1], [-1]);
        g.op('y', 'Reshape', ['sq', 'shape']);
        check(g, 'y', { x }, R.tensor([size(xs)], tx.data));
      }),
      { numRuns: runs(20) },
    );
  });
});
