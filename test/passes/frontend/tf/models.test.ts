/**
 * Whole TF graphs through both frontends: golden HLIL, GraphDef and TF.js agreeing (same program,
 * same weights), and floatSem of the imported program equal to the NHWC reference within float
 * tolerance. The graphs are in models.ts.
 */
import { describe, expect, test } from 'vitest';
import { graphDefToHlil, tfjsToHlil } from '../../../../passes/frontend/tf/index.js';
import { printHlil } from '../../../../ir/text.js';
import { checkHlil } from '../../../../ir/check.js';
import { attr, shardReader, TfGraphBuilder } from './builder.js';
import { cnn, misc, mobile, unet3d, type TestModel } from './models.js';
import { clientInputs, expectClose, importBoth, run } from './support.js';

const CNN_HLIL = `hlil
input input : f32[1,6,6,2] @client
input conv1/kernel:oihw : f32[4,2,3,3] @server
input conv1/bias : f32[4] @server
input dense/kernel : f32[36,3] @server
input dense/bias : f32[3] @server
input:nchw = Transpose(input) perm=[0,3,1,2]
conv1/Conv2D:nchw = Conv(input:nchw, conv1/kernel:oihw) strides=[1,1] pads=[1,1,1,1] dilations=[1,1] groups=1
conv1/BiasAdd:nchw = BiasAdd(conv1/Conv2D:nchw, conv1/bias)
conv1/Relu:nchw = Relu(conv1/BiasAdd:nchw)
pool1/MaxPool:nchw = MaxPool(conv1/Relu:nchw) kernel=[2,2] strides=[2,2] pads=[0,0,0,0]
pool1/MaxPool = Transpose(pool1/MaxPool:nchw) perm=[0,2,3,1]
flatten/Reshape = Reshape(pool1/MaxPool) shape=[1,36]
dense/MatMul = MatMul(flatten/Reshape, dense/kernel)
dense/BiasAdd = BiasAdd(dense/MatMul, dense/bias)
dense/Softmax = Softmax(dense/BiasAdd) axis=1
output dense/Softmax -> client
`;

const MOBILE_HLIL = `hlil
input image : f32[1,7,7,3] @client
input dw/depthwise_kernel:oihw : f32[6,1,3,3] @server
input bn/gamma : f32[6] @server
input bn/beta : f32[6] @server
input bn/mean : f32[6] @server
input bn/variance : f32[6] @server
const const:6 : f32[] = [6]
input pw/kernel:oihw : f32[5,6,1,1] @server
input fc/kernel:T : f32[5,4] @server
image:nchw = Transpose(image) perm=[0,3,1,2]
dw/depthwise:nchw = Conv(image:nchw, dw/depthwise_kernel:oihw) strides=[2,2] pads=[1,1,1,1] dilations=[1,1] groups=3
bn/FusedBatchNormV3:nchw = BatchNorm(dw/depthwise:nchw, bn/gamma, bn/beta, bn/mean, bn/variance) epsilon=0.0010000000474974513
relu6:relu = Relu(bn/FusedBatchNormV3:nchw)
relu6:minus6 = Sub(bn/FusedBatchNormV3:nchw, const:6)
relu6:relu_minus6 = Relu(relu6:minus6)
relu6:nchw = Sub(relu6:relu, relu6:relu_minus6)
pw/Conv2D:nchw = Conv(relu6:nchw, pw/kernel:oihw) strides=[1,1] pads=[0,0,0,0] dilations=[1,1] groups=1
gap/Mean:pool = GlobalAvgPool(pw/Conv2D:nchw)
gap/Mean = Squeeze(gap/Mean:pool) axes=[2,3]
fc/MatMul = MatMul(gap/Mean, fc/kernel:T)
argmax = ArgMax(fc/MatMul) axis=1 keepdims=false
output argmax -> client
output fc/MatMul -> client
`;

const UNET_HLIL = `hlil
input volume : f32[1,4,4,4,2] @client
input enc/kernel:oidhw : f32[3,2,3,3,3] @server
input up/kernel:iodhw : f32[3,3,2,2,2] @server
input head/kernel:oidhw : f32[2,6,1,1,1] @server
volume:nchw = Transpose(volume) perm=[0,4,1,2,3]
enc/Conv3D:nchw = Conv(volume:nchw, enc/kernel:oidhw) strides=[1,1,1] pads=[1,1,1,1,1,1] dilations=[1,1,1] groups=1
enc/Relu:nchw = Relu(enc/Conv3D:nchw)
down:nchw = MaxPool(enc/Relu:nchw) kernel=[2,2,2] strides=[2,2,2] pads=[0,0,0,0,0,0]
up/conv3d_transpose:nchw = ConvTranspose(down:nchw, up/kernel:iodhw) strides=[2,2,2] pads=[0,0,0,0,0,0] dilations=[1,1,1] groups=1 outputPadding=[0,0,0]
skip/concat:nchw = Concat(enc/Relu:nchw, up/conv3d_transpose:nchw) axis=1
head/Conv3D:nchw = Conv(skip/concat:nchw, head/kernel:oidhw) strides=[1,1,1] pads=[0,0,0,0,0,0] dilations=[1,1,1] groups=1
head/Conv3D = Transpose(head/Conv3D:nchw) perm=[0,2,3,4,1]
head/Softmax = Softmax(head/Conv3D) axis=4
output head/Softmax -> client
`;

const cases: ReadonlyArray<readonly [string, () => TestModel, string | null]> = [
  ['CNN: Conv2D, BiasAdd, Relu, MaxPool, Reshape, MatMul, Softmax', cnn, CNN_HLIL],
  ['depthwise, FusedBatchNormV3, Relu6, 1×1 conv, Mean, MatMul(transpose_b), ArgMax', mobile, MOBILE_HLIL],
  ['3-D U-Net block: Conv3D, MaxPool3D, Conv3DBackpropInputV2, ConcatV2', unet3d, UNET_HLIL],
  ['Pad, AvgPool SAME, Mul/Sub/AddV2 broadcasting, Mean keep_dims, Squeeze, PadV2', misc, null],
];

describe.each(cases)('%s', (_name, make, golden) => {
  const t = make();
  const m = importBoth(t.g, { outputs: [...t.expected.keys()] });

  test('golden HLIL, and it passes the checker', () => {
    if (golden !== null) expect(printHlil(m.program)).toBe(golden);
    expect(checkHlil(m.program)._tag).toBe('Right');
  });

  test('client inputs keep their TF (channels-last) shapes; every server input has its weights', () => {
    expect(clientInputs(m)).toEqual(t.g.placeholders);
    const servers = m.program.decls.filter((d) => d.kind === 'input' && d.owner === 'server');
    expect(servers.map((d) => d.name).sort()).toEqual([...m.weights.keys()].sort());
    for (const d of servers) expect(m.weights.get(d.name)?.length).toBe(d.shape.reduce((a, b) => a * b, 1));
  });

  test('floatSem equals the NHWC reference (outputs in TF layout)', () => {
    const out = run(m, t.inputs);
    expect([...out.keys()]).toEqual([...t.expected.keys()]);
    for (const [name, e] of t.expected) expectClose(out.get(name), e);
  });
});

describe('names', () => {
  test('TF node names outside the HLIL name syntax are sanitised, uniquely', () => {
    const g = new TfGraphBuilder();
    g.placeholder('0-input', [1, 2]);
    g.op('a-b', 'Relu', ['0-input']);
    g.op('a_b', 'Relu', ['a-b']);
    g.constF('w>1', [2, 2], [1, 2, 3, 4]);
    g.op('.mm', 'MatMul', ['a_b', 'w>1'], { transpose_b: attr.b(true) });
    const m = importBoth(g);
    expect(printHlil(m.program)).toBe(
      [
        'hlil',
        'input _0_input : f32[1,2] @client',
        'input w_1:T : f32[2,2] @server',
        'a_b_1 = Relu(_0_input)',
        'a_b = Relu(a_b_1)',
        '_.mm = MatMul(a_b, w_1:T)',
        'output _.mm -> client',
        '',
      ].join('\n'),
    );
    expect(m.weights.get('w_1:T')).toEqual(Float32Array.from([1, 3, 2, 4]));
  });
});

describe('one graph, several encodings', () => {
  test('Const values in float_val/int_val read the same as in tensor_content', () => {
    const t = mobile();
    const opts = { outputs: [...t.expected.keys()] };
    const a = graphDefToHlil(t.g.graphDef('content'), opts);
    const b = graphDefToHlil(t.g.graphDef('vals'), opts);
    expect(printHlil(b.program)).toBe(printHlil(a.program));
    expect(b.weights).toEqual(a.weights);
  });

  test('float_val with fewer values than elements repeats the last one (TF’s rule)', () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 2, 2, 3]);
    g.constF('half', [3], [0.5]);
    g.op('y', 'Mul', ['x', 'half']);
    const m = graphDefToHlil(g.graphDef('vals'));
    expect(m.weights.get('half')).toEqual(Float32Array.from([0.5, 0.5, 0.5]));
  });

  test('default outputs: the nodes nothing reads (an Identity passes its input through)', () => {
    const m = graphDefToHlil(cnn().g.graphDef());
    expect(m.program.outputs).toEqual([{ name: 'dense/Softmax', to: 'client' }]);
  });

  test('TF.js: the signature names the outputs; one shard or many give the same program', () => {
    const t = mobile();
    const one = t.g.tfjs({ shards: 1, signatureOutputs: ['fc/MatMul'] });
    const many = t.g.tfjs({ shards: 5, signatureOutputs: ['fc/MatMul'] });
    const a = tfjsToHlil(one.modelJson, shardReader(one.files));
    const b = tfjsToHlil(many.modelJson, shardReader(many.files));
    expect(a.program.outputs.map((o) => o.name)).toEqual(['fc/MatMul']);
    expect(printHlil(b.program)).toBe(printHlil(a.program));
    expect(b.weights).toEqual(a.weights);
    expectClose(
      run(a, t.inputs).get('fc/MatMul'),
      t.expected.get('fc/MatMul') ?? { shape: [], data: new Float64Array() },
    );
  });
});
