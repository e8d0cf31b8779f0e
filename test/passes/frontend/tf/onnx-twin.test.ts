/**
 * TF graphs agree with their ONNX twins: each graph of models.ts written again as the ONNX model a
 * TF→ONNX converter would produce (NHWC input, a Transpose to NCHW, OIHW filters, TF's SAME as
 * auto_pad SAME_UPPER, Relu6 as Clip(0, 6), a Transpose back before channels-last outputs),
 * imported with the ONNX frontend; floatSem of both programs gives the same outputs within float
 * tolerance. The two frontends share no layout or padding code, so this checks each against the other.
 */
import { describe, expect, test } from 'vitest';
import { onnxToHlil } from '../../../../passes/frontend/onnx/index.js';
import { onnxGraph, floatTensor } from '../../../../passes/frontend/onnx/writer.js';
import { floatSem } from '../../../../semantics/float.js';
import { cnn, misc, mobile, unet3d, type TestModel } from './models.js';
import * as R from './reference.js';
import { expectClose, importBoth, run } from './support.js';

/** A Const of the TF graph, as a reference tensor. */
function constOf(t: TestModel, name: string): R.T {
  const c = t.g.consts.find((k) => k.name === name);
  if (c === undefined) throw new Error(`test: no Const ${name}`);
  return R.tensor(c.shape, c.values);
}

const f32 = (t: R.T): Float32Array => Float32Array.from(t.data);
const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];
const OIHW = [3, 2, 0, 1];

interface Twin {
  readonly bytes: Uint8Array;
  /** TF output node → ONNX graph output name. */
  readonly outputs: ReadonlyMap<string, string>;
}

function cnnTwin(t: TestModel): Twin {
  const g = onnxGraph({ opset: 17 });
  const x = g.input('input', [1, 6, 6, 2]);
  const xt = g.node('Transpose', [x], { perm: TO_NCHW });
  const w = g.weight('w', [4, 2, 3, 3], f32(R.permuteT(constOf(t, 'conv1/kernel'), OIHW)));
  const b = g.weight('b', [4], f32(constOf(t, 'conv1/bias')));
  const c = g.node('Relu', [g.node('Conv', [xt, w, b], { kernel_shape: [3, 3], auto_pad: 'SAME_UPPER' })]);
  const p = g.node('MaxPool', [c], { kernel_shape: [2, 2], strides: [2, 2] });
  const flat = g.node('Reshape', [g.node('Transpose', [p], { perm: TO_NHWC }), g.ints('shape', [1, 36])]);
  const dense = g.node('Gemm', [
    flat,
    g.weight('W', [36, 3], f32(constOf(t, 'dense/kernel'))),
    g.weight('B', [3], f32(constOf(t, 'dense/bias'))),
  ]);
  const sm = g.node('Softmax', [dense], { axis: -1 }, { outputs: ['probs'] });
  g.output(sm, [1, 3]);
  return { bytes: g.bytes(), outputs: new Map([['dense/Softmax', 'probs']]) };
}

function mobileTwin(t: TestModel): Twin {
  const g = onnxGraph({ opset: 17 });
  const x = g.node('Transpose', [g.input('image', [1, 7, 7, 3])], { perm: TO_NCHW });
  const dw = R.permuteT(constOf(t, 'dw/depthwise_kernel'), [2, 3, 0, 1]);
  const d = g.node('Conv', [x, g.weight('dw', [6, 1, 3, 3], f32(dw))], {
    group: 3,
    strides: [2, 2],
    kernel_shape: [3, 3],
    auto_pad: 'SAME_UPPER',
  });
  const bn = ['gamma', 'beta', 'mean', 'variance'].map((n) => g.weight(n, [6], f32(constOf(t, `bn/${n}`))));
  const norm = g.node('BatchNormalization', [d, ...bn], { epsilon: { float: 0.001 } });
  const six = g.node('Clip', [
    norm,
    g.initializer('zero', floatTensor([], [0])),
    g.initializer('six', floatTensor([], [6])),
  ]);
  const pw = g.node('Conv', [six, g.weight('pw', [5, 6, 1, 1], f32(R.permuteT(constOf(t, 'pw/kernel'), OIHW)))]);
  const gap = g.node('Flatten', [g.node('GlobalAveragePool', [pw])]);
  const fc = g.node(
    'Gemm',
    [gap, g.weight('fc', [4, 5], f32(constOf(t, 'fc/kernel')))],
    { transB: 1 },
    { outputs: ['logits'] },
  );
  g.node('ArgMax', [fc], { axis: 1, keepdims: 0 }, { outputs: ['class'] });
  g.output('class', [1], 'int64');
  g.output('logits', [1, 4]);
  return {
    bytes: g.bytes(),
    outputs: new Map([
      ['argmax', 'class'],
      ['fc/MatMul', 'logits'],
    ]),
  };
}

function unetTwin(t: TestModel): Twin {
  const g = onnxGraph({ opset: 17 });
  const x = g.node('Transpose', [g.input('volume', [1, 4, 4, 4, 2])], { perm: [0, 4, 1, 2, 3] });
  const oidhw = [4, 3, 0, 1, 2];
  const enc = g.node('Relu', [
    g.node('Conv', [x, g.weight('k1', [3, 2, 3, 3, 3], f32(R.permuteT(constOf(t, 'enc/kernel'), oidhw)))], {
      auto_pad: 'SAME_UPPER',
    }),
  ]);
  const down = g.node('MaxPool', [enc], { kernel_shape: [2, 2, 2], strides: [2, 2, 2] });
  const up = g.node(
    'ConvTranspose',
    [down, g.weight('up', [3, 3, 2, 2, 2], f32(R.permuteT(constOf(t, 'up/kernel'), oidhw)))],
    { strides: [2, 2, 2], output_shape: [4, 4, 4], auto_pad: 'SAME_UPPER' },
  );
  const cat = g.node('Concat', [enc, up], { axis: 1 });
  const head = g.node('Conv', [
    cat,
    g.weight('k2', [2, 6, 1, 1, 1], f32(R.permuteT(constOf(t, 'head/kernel'), oidhw))),
  ]);
  g.node('Softmax', [g.node('Transpose', [head], { perm: [0, 2, 3, 4, 1] })], { axis: -1 }, { outputs: ['seg'] });
  g.output('seg', [1, 4, 4, 4, 2]);
  return { bytes: g.bytes(), outputs: new Map([['head/Softmax', 'seg']]) };
}

function miscTwin(t: TestModel): Twin {
  const g = onnxGraph({ opset: 17 });
  const padded = g.node('Pad', [g.input('x', [2, 5, 4, 3]), g.ints('pads', [0, 1, 2, 0, 0, 0, 1, 0])]);
  const avg = g.node('AveragePool', [g.node('Transpose', [padded], { perm: TO_NCHW })], {
    kernel_shape: [3, 3],
    strides: [2, 2],
    auto_pad: 'SAME_UPPER',
    count_include_pad: 0,
  });
  const scale = g.weight('scale', [1, 3, 1, 1], f32(constOf(t, 'scale')));
  const shift = R.permuteT(R.tensor([1, 3, 1, 3], constOf(t, 'shift').data), TO_NCHW);
  const scaled = g.node('Mul', [avg, scale]);
  const sum = g.node('Add', [g.node('Sub', [scaled, g.weight('shift', [1, 3, 3, 1], f32(shift))]), scaled]);
  const gap = g.node('Squeeze', [g.node('GlobalAveragePool', [sum]), g.ints('axes', [2, 3])]);
  g.node(
    'Pad',
    [gap, g.ints('pads2', [0, 2, 0, 1]), g.initializer('value', floatTensor([], [0.25]))],
    {},
    { outputs: ['out'] },
  );
  g.output('out', [2, 6]);
  return { bytes: g.bytes(), outputs: new Map([['pad2', 'out']]) };
}

const twins: ReadonlyArray<readonly [string, () => TestModel, (t: TestModel) => Twin]> = [
  ['CNN', cnn, cnnTwin],
  ['depthwise/BN/Relu6/Mean/ArgMax', mobile, mobileTwin],
  ['3-D U-Net block', unet3d, unetTwin],
  ['Pad/AvgPool/broadcasting/Mean/PadV2', misc, miscTwin],
];

describe.each(twins)('TF graphs agree with their ONNX twins: %s', (_name, make, twinOf) => {
  test('same outputs under floatSem (and the twin itself matches the NHWC reference)', () => {
    const t = make();
    const tf = importBoth(t.g, { outputs: [...t.expected.keys()] });
    const twin = twinOf(t);
    const onnx = onnxToHlil(twin.bytes);
    const a = run(tf, t.inputs);
    const b = floatSem(onnx.program, new Map([...Object.entries(t.inputs), ...onnx.weights]));
    for (const [tfName, onnxName] of twin.outputs) {
      const hlilName = onnx.outputs.get(onnxName);
      expect(hlilName, `ONNX output ${onnxName}`).toBeDefined();
      const fromOnnx = b.get(hlilName ?? '');
      expectClose(a.get(tfName), R.tensor([fromOnnx?.length ?? 0], fromOnnx ?? []), 1e-5);
      expectClose(fromOnnx, t.expected.get(tfName) ?? R.tensor([], []));
    }
  });
});
