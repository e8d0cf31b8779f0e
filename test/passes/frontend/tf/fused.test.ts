/**
 * Fused operators (grappler's _FusedConv2D/_FusedMatMul, TF.js's FusedDepthwiseConv2dNative) import
 * as the plain operators they fuse: the same floatSem outputs, bit for bit, as the unfused graph,
 * which itself matches the NHWC reference; unsupported fused activations and miscounted operands
 * are refused.
 */
import { describe, expect, test } from 'vitest';
import { CryptflowError } from '../../../../spec/errors.js';
import { graphDefToHlil } from '../../../../passes/frontend/tf/index.js';
import { attr, TfGraphBuilder, values } from './builder.js';
import * as R from './reference.js';
import { expectClose, importBoth, run } from './support.js';

const conv = { strides: attr.ints([1, 1, 1, 1]), padding: attr.s('SAME'), data_format: attr.s('NHWC') };

/** x [1, 5, 5, 2], filter 3×3×2×4 (depthwise: 3×3×2×2), bias [4], BN params [4], residual r [1, 5, 5, 4]. */
function base(depthwise: boolean): { g: TfGraphBuilder; x: Float32Array; r: Float32Array } {
  const g = new TfGraphBuilder();
  g.placeholder('x', [1, 5, 5, 2]);
  g.placeholder('r', [1, 5, 5, 4]);
  g.constF('k', depthwise ? [3, 3, 2, 2] : [3, 3, 2, 4], values(depthwise ? 36 : 72, 1));
  g.constF('b', [4], values(4, 2));
  for (const [i, n] of ['scale', 'offset', 'mean'].entries()) g.constF(n, [4], values(4, 3 + i));
  g.constF(
    'var',
    [4],
    Float32Array.from(values(4, 6), (v) => v * v + 0.2),
  );
  return { g, x: Float32Array.from(values(50, 7), (v) => 8 * v), r: values(100, 8) };
}

const cases: ReadonlyArray<
  readonly [string, string, readonly string[], readonly string[], (g: TfGraphBuilder) => void]
> = [
  [
    '_FusedConv2D [BiasAdd, Relu]',
    '_FusedConv2D',
    ['BiasAdd', 'Relu'],
    ['b'],
    (g) => {
      g.op('c', 'Conv2D', ['x', 'k'], conv);
      g.op('cb', 'BiasAdd', ['c', 'b']);
      g.op('y', 'Relu', ['cb']);
    },
  ],
  [
    'FusedDepthwiseConv2dNative [BiasAdd, Relu6]',
    'FusedDepthwiseConv2dNative',
    ['BiasAdd', 'Relu6'],
    ['b'],
    (g) => {
      g.op('c', 'DepthwiseConv2dNative', ['x', 'k'], conv);
      g.op('cb', 'BiasAdd', ['c', 'b']);
      g.op('y', 'Relu6', ['cb']);
    },
  ],
  [
    '_FusedConv2D [FusedBatchNorm, Relu]',
    '_FusedConv2D',
    ['FusedBatchNorm', 'Relu'],
    ['scale', 'offset', 'mean', 'var'],
    (g) => {
      g.op('c', 'Conv2D', ['x', 'k'], conv);
      g.op('bn', 'FusedBatchNorm', ['c', 'scale', 'offset', 'mean', 'var'], {
        epsilon: attr.f(0.01),
        is_training: attr.b(false),
      });
      g.op('y', 'Relu', ['bn']);
    },
  ],
  [
    '_FusedConv2D [BiasAdd, Add, Relu] (a residual)',
    '_FusedConv2D',
    ['BiasAdd', 'Add', 'Relu'],
    ['b', 'r'],
    (g) => {
      g.op('c', 'Conv2D', ['x', 'k'], conv);
      g.op('cb', 'BiasAdd', ['c', 'b']);
      g.op('cr', 'AddV2', ['cb', 'r']);
      g.op('y', 'Relu', ['cr']);
    },
  ],
];

describe('fused convolutions equal their unfused graphs', () => {
  test.each(cases)('%s', (_name, op, fusedOps, args, plain) => {
    const depthwise = op.includes('Depthwise');
    const fused = base(depthwise);
    fused.g.op('y', op, ['x', 'k', ...args], {
      ...conv,
      fused_ops: attr.strs(fusedOps),
      num_args: attr.i(args.length),
      epsilon: attr.f(0.01),
    });
    const unfused = base(depthwise);
    plain(unfused.g);
    const inputs = args.includes('r') ? { x: fused.x, r: fused.r } : { x: fused.x };
    const a = run(importBoth(fused.g, { outputs: ['y'] }), inputs).get('y');
    const b = run(importBoth(unfused.g, { outputs: ['y'] }), inputs).get('y');
    expect(a).toEqual(b);
    if (op === '_FusedConv2D' && fusedOps[0] === 'BiasAdd' && fusedOps.length === 2) {
      const t = R.tensor;
      expectClose(
        a,
        R.relu(
          R.add(
            R.conv(t([1, 5, 5, 2], fused.x), t([3, 3, 2, 4], values(72, 1)), { strides: [1, 1], padding: 'SAME' }),
            t([4], values(4, 2)),
          ),
        ),
      );
    }
  });

  test('_FusedMatMul [BiasAdd] with transpose_b', () => {
    const g = new TfGraphBuilder();
    g.placeholder('a', [2, 3]);
    g.constF('w', [4, 3], values(12, 1));
    g.constF('b', [4], values(4, 2));
    g.op('y', '_FusedMatMul', ['a', 'w', 'b'], {
      transpose_b: attr.b(true),
      fused_ops: attr.strs(['BiasAdd']),
      num_args: attr.i(1),
    });
    const a = values(6, 3);
    expectClose(
      run(importBoth(g, { outputs: ['y'] }), { a }).get('y'),
      R.add(R.matmul(R.tensor([2, 3], a), R.tensor([4, 3], values(12, 1)), false, true), R.tensor([4], values(4, 2))),
    );
  });
});

describe('fused operators that are refused', () => {
  const refused = (fusedOps: readonly string[], numArgs: number, args: readonly string[]): CryptflowError => {
    const { g } = base(false);
    g.op('y', '_FusedConv2D', ['x', 'k', ...args], {
      ...conv,
      fused_ops: attr.strs(fusedOps),
      num_args: attr.i(numArgs),
    });
    try {
      graphDefToHlil(g.graphDef(), { outputs: ['y'] });
    } catch (e) {
      if (e instanceof CryptflowError) return e;
    }
    throw new Error('expected a CryptflowError');
  };

  test('an unsupported fused activation', () => {
    const e = refused(['BiasAdd', 'Elu'], 1, ['b']);
    expect([e.code, e.message]).toEqual([
      'unsupported',
      "tf-graphdef node 'y' (_FusedConv2D): fused operation Elu is not supported; supported: BiasAdd, FusedBatchNorm, Add, Relu, Relu6",
    ]);
  });

  test('operand counts that do not add up', () => {
    expect(refused(['BiasAdd'], 2, ['b']).message).toBe(
      "tf-graphdef model: node 'y' (_FusedConv2D): num_args is 2 but the node has 1 extra operands",
    );
    expect(refused(['BiasAdd', 'Add'], 1, ['b']).message).toBe(
      "tf-graphdef model: node 'y' (_FusedConv2D): fused_ops [BiasAdd,Add] take 2 extra operands, the node has 1",
    );
  });
});
