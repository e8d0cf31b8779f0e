/**
 * Small TF graphs used across the suites, each with its inputs and its NHWC reference outputs
 * (reference.ts), keyed by the HLIL output name (the TF node computing it).
 */
import { attr, TfGraphBuilder, values } from './builder.js';
import * as R from './reference.js';

export interface TestModel {
  readonly g: TfGraphBuilder;
  readonly inputs: Record<string, Float32Array>;
  readonly expected: ReadonlyMap<string, R.T>;
}

const nhwc = attr.s('NHWC');
const ndhwc = attr.s('NDHWC');
const ints = attr.ints;

/** Conv2D + BiasAdd + Relu + MaxPool + Reshape + MatMul + BiasAdd + Softmax (an MNIST-style CNN). */
export function cnn(): TestModel {
  const g = new TfGraphBuilder();
  const x = values(1 * 6 * 6 * 2, 11);
  const k = values(3 * 3 * 2 * 4, 12);
  const b = values(4, 13);
  const w = values(36 * 3, 14);
  const wb = values(3, 15);
  g.placeholder('input', [1, 6, 6, 2]);
  g.constF('conv1/kernel', [3, 3, 2, 4], k);
  g.constF('conv1/bias', [4], b);
  g.op('conv1/Conv2D', 'Conv2D', ['input', 'conv1/kernel'], {
    strides: ints([1, 1, 1, 1]),
    padding: attr.s('SAME'),
    data_format: nhwc,
    use_cudnn_on_gpu: attr.b(true),
  });
  g.op('conv1/BiasAdd', 'BiasAdd', ['conv1/Conv2D', 'conv1/bias'], { data_format: nhwc });
  g.op('conv1/Relu', 'Relu', ['conv1/BiasAdd']);
  g.op('pool1/MaxPool', 'MaxPool', ['conv1/Relu'], {
    ksize: ints([1, 2, 2, 1]),
    strides: ints([1, 2, 2, 1]),
    padding: attr.s('VALID'),
    data_format: nhwc,
  });
  g.constI('flatten/shape', [2], [-1, 36]);
  g.op('flatten/Reshape', 'Reshape', ['pool1/MaxPool', 'flatten/shape'], { Tshape: attr.type('DT_INT32') });
  g.constF('dense/kernel', [36, 3], w);
  g.constF('dense/bias', [3], wb);
  g.op('dense/MatMul', 'MatMul', ['flatten/Reshape', 'dense/kernel'], {
    transpose_a: attr.b(false),
    transpose_b: attr.b(false),
  });
  g.op('dense/BiasAdd', 'BiasAdd', ['dense/MatMul', 'dense/bias'], { data_format: nhwc });
  g.op('dense/Softmax', 'Softmax', ['dense/BiasAdd']);
  g.op('Identity', 'Identity', ['dense/Softmax']);
  const t = R.tensor;
  const conv = R.relu(
    R.add(R.conv(t([1, 6, 6, 2], x), t([3, 3, 2, 4], k), { strides: [1, 1], padding: 'SAME' }), t([4], b)),
  );
  const pooled = R.pool('max', conv, [2, 2], { strides: [2, 2], padding: 'VALID' });
  const logits = R.add(R.matmul(t([1, 36], pooled.data), t([36, 3], w)), t([3], wb));
  return { g, inputs: { input: x }, expected: new Map([['dense/Softmax', R.softmaxLast(logits)]]) };
}

/** DepthwiseConv2dNative (M = 2, stride 2, SAME) + FusedBatchNormV3 + Relu6 + 1×1 Conv2D + Mean + MatMul(transpose_b) + ArgMax. */
export function mobile(): TestModel {
  const g = new TfGraphBuilder();
  const x = Float32Array.from(values(1 * 7 * 7 * 3, 21), (v) => 4 * v);
  const dw = values(3 * 3 * 3 * 2, 22);
  const bn = [
    values(6, 23),
    values(6, 24),
    values(6, 25),
    Float32Array.from(values(6, 26), (v) => v * v + 0.5),
  ] as const;
  const pw = values(6 * 5, 27);
  const fc = values(4 * 5, 28);
  g.placeholder('image', [1, 7, 7, 3]);
  g.constF('dw/depthwise_kernel', [3, 3, 3, 2], dw);
  g.op('dw/depthwise', 'DepthwiseConv2dNative', ['image', 'dw/depthwise_kernel'], {
    strides: ints([1, 2, 2, 1]),
    padding: attr.s('SAME'),
    data_format: nhwc,
    dilations: ints([1, 1, 1, 1]),
  });
  ['gamma', 'beta', 'mean', 'variance'].forEach((n, i) => g.constF(`bn/${n}`, [6], bn[i] as Float32Array));
  g.op('bn/FusedBatchNormV3', 'FusedBatchNormV3', ['dw/depthwise', 'bn/gamma', 'bn/beta', 'bn/mean', 'bn/variance'], {
    U: attr.type('DT_FLOAT'),
    epsilon: attr.f(0.001),
    is_training: attr.b(false),
    data_format: nhwc,
  });
  g.op('relu6', 'Relu6', ['bn/FusedBatchNormV3']);
  g.constF('pw/kernel', [1, 1, 6, 5], pw);
  g.op('pw/Conv2D', 'Conv2D', ['relu6', 'pw/kernel'], { strides: ints([1, 1, 1, 1]), padding: attr.s('VALID') });
  g.constI('gap/axes', [2], [1, 2]);
  g.op('gap/Mean', 'Mean', ['pw/Conv2D', 'gap/axes'], { keep_dims: attr.b(false), Tidx: attr.type('DT_INT32') });
  g.constF('fc/kernel', [4, 5], fc);
  g.op('fc/MatMul', 'MatMul', ['gap/Mean', 'fc/kernel'], { transpose_a: attr.b(false), transpose_b: attr.b(true) });
  g.constI('argmax/dimension', [], [-1]);
  g.op('argmax', 'ArgMax', ['fc/MatMul', 'argmax/dimension'], {
    Tidx: attr.type('DT_INT32'),
    output_type: attr.type('DT_INT64'),
  });
  const t = R.tensor;
  const d = R.depthwise(t([1, 7, 7, 3], x), t([3, 3, 3, 2], dw), { strides: [2, 2], padding: 'SAME' });
  const [gamma, beta, mean, variance] = bn.map((v) => t([6], v)) as [R.T, R.T, R.T, R.T];
  const act = R.relu6(R.batchNorm(d, gamma, beta, mean, variance, Math.fround(0.001)));
  const gap = R.meanSpatial(R.conv(act, t([1, 1, 6, 5], pw), { strides: [1, 1], padding: 'VALID' }), false);
  const logits = R.matmul(gap, t([4, 5], fc), false, true);
  return {
    g,
    inputs: { image: x },
    expected: new Map([
      ['argmax', R.argmax(logits, 1)],
      ['fc/MatMul', logits],
    ]),
  };
}

/** A 3-D U-Net block: Conv3D + Relu + MaxPool3D + Conv3DBackpropInputV2 (stride 2) + ConcatV2 skip + 1×1×1 Conv3D. */
export function unet3d(): TestModel {
  const g = new TfGraphBuilder();
  const x = values(1 * 4 * 4 * 4 * 2, 31);
  const k1 = values(3 * 3 * 3 * 2 * 3, 32);
  const up = values(2 * 2 * 2 * 3 * 3, 33);
  const k2 = values(6 * 2, 34);
  g.placeholder('volume', [1, 4, 4, 4, 2]);
  g.constF('enc/kernel', [3, 3, 3, 2, 3], k1);
  g.op('enc/Conv3D', 'Conv3D', ['volume', 'enc/kernel'], {
    strides: ints([1, 1, 1, 1, 1]),
    padding: attr.s('SAME'),
    data_format: ndhwc,
    dilations: ints([1, 1, 1, 1, 1]),
  });
  g.op('enc/Relu', 'Relu', ['enc/Conv3D']);
  g.op('down', 'MaxPool3D', ['enc/Relu'], {
    ksize: ints([1, 2, 2, 2, 1]),
    strides: ints([1, 2, 2, 2, 1]),
    padding: attr.s('VALID'),
    data_format: ndhwc,
  });
  g.constI('up/input_sizes', [5], [1, 4, 4, 4, 3]);
  g.constF('up/kernel', [2, 2, 2, 3, 3], up);
  g.op('up/conv3d_transpose', 'Conv3DBackpropInputV2', ['up/input_sizes', 'up/kernel', 'down'], {
    strides: ints([1, 2, 2, 2, 1]),
    padding: attr.s('SAME'),
    data_format: ndhwc,
    Tshape: attr.type('DT_INT32'),
  });
  g.constI('skip/axis', [], [-1]);
  g.op('skip/concat', 'ConcatV2', ['enc/Relu', 'up/conv3d_transpose', 'skip/axis'], {
    N: attr.i(2),
    Tidx: attr.type('DT_INT32'),
  });
  g.constF('head/kernel', [1, 1, 1, 6, 2], k2);
  g.op('head/Conv3D', 'Conv3D', ['skip/concat', 'head/kernel'], {
    strides: ints([1, 1, 1, 1, 1]),
    padding: attr.s('VALID'),
  });
  g.op('head/Softmax', 'Softmax', ['head/Conv3D']);
  const t = R.tensor;
  const enc = R.relu(R.conv(t([1, 4, 4, 4, 2], x), t([3, 3, 3, 2, 3], k1), { strides: [1, 1, 1], padding: 'SAME' }));
  const down = R.pool('max', enc, [2, 2, 2], { strides: [2, 2, 2], padding: 'VALID' });
  const upv = R.convBackpropInput([1, 4, 4, 4, 3], t([2, 2, 2, 3, 3], up), down, {
    strides: [2, 2, 2],
    padding: 'SAME',
  });
  const head = R.conv(R.concat([enc, upv], 4), t([1, 1, 1, 6, 2], k2), { strides: [1, 1, 1], padding: 'VALID' });
  return { g, inputs: { volume: x }, expected: new Map([['head/Softmax', R.softmaxLast(head)]]) };
}

/** Pad, AvgPool (SAME), Mean keep_dims, Squeeze, broadcasting Add/Sub/Mul with Consts, PadV2, AddV2 of two activations. */
export function misc(): TestModel {
  const g = new TfGraphBuilder();
  const x = values(2 * 5 * 4 * 3, 41);
  const scale = values(3, 42);
  const shift = values(3 * 1 * 3, 43);
  g.placeholder('x', [2, 5, 4, 3]);
  g.constI('pad/paddings', [4, 2], [0, 0, 1, 0, 2, 1, 0, 0]);
  g.op('pad', 'Pad', ['x', 'pad/paddings'], { Tpaddings: attr.type('DT_INT32') });
  g.op('avg', 'AvgPool', ['pad'], {
    ksize: ints([1, 3, 3, 1]),
    strides: ints([1, 2, 2, 1]),
    padding: attr.s('SAME'),
    data_format: nhwc,
  });
  g.constF('scale', [3], scale);
  g.op('scaled', 'Mul', ['avg', 'scale']);
  g.constF('shift', [3, 1, 3], shift);
  g.op('shifted', 'Sub', ['scaled', 'shift']);
  g.op('sum', 'AddV2', ['shifted', 'scaled']);
  g.constI('mean/axes', [2], [2, 1]);
  g.op('mean', 'Mean', ['sum', 'mean/axes'], { keep_dims: attr.b(true), Tidx: attr.type('DT_INT32') });
  g.op('squeezed', 'Squeeze', ['mean'], { squeeze_dims: ints([1, 2]) });
  g.constI('pad2/paddings', [2, 2], [0, 0, 2, 1]);
  g.constF('pad2/value', [], [0.25]);
  g.op('pad2', 'PadV2', ['squeezed', 'pad2/paddings', 'pad2/value'], { Tpaddings: attr.type('DT_INT32') });
  const t = R.tensor;
  const padded = R.pad(t([2, 5, 4, 3], x), [
    [0, 0],
    [1, 0],
    [2, 1],
    [0, 0],
  ]);
  const avg = R.pool('avg', padded, [3, 3], { strides: [2, 2], padding: 'SAME' });
  const scaled = R.mul(avg, t([3], scale));
  const sum = R.add(R.sub(scaled, t([3, 1, 3], shift)), scaled);
  const mean = R.meanSpatial(sum, true);
  const squeezed = R.tensor([2, 3], mean.data);
  return {
    g,
    inputs: { x },
    expected: new Map([
      [
        'pad2',
        R.pad(
          squeezed,
          [
            [0, 0],
            [2, 1],
          ],
          0.25,
        ),
      ],
    ]),
  };
}
