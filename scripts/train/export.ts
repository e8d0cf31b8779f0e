/**
 * The tiny CNN (cnn.ts) as an ONNX model, written with the frontend's writer: one float32 input
 * `image` [1, 1, H, W] with pixels in [0, 1], the input normalisation the network was trained with
 * ((x − mean) / std: a Sub of a weight and a Div by a public constant, both free under secret
 * sharing), weights as initializers, and the class probabilities `prob` [1, K] (Softmax of the
 * logits, which Athos turns into the client's post-processing after the reveal).
 */
import { onnxGraph } from '../../passes/frontend/onnx/writer.js';
import { featureCount, type CnnParams, type CnnShape } from './cnn.js';

export interface Normalisation {
  readonly mean: number;
  readonly std: number;
}

/** `head`: 'softmax' (one class per image, the default model) or 'sigmoid' (one probability per label, multi-label). */
export function cnnOnnx(
  s: CnnShape,
  p: CnnParams,
  norm: Normalisation,
  head: 'softmax' | 'sigmoid' = 'softmax',
  name = 'lesion-cnn',
): Uint8Array {
  const g = onnxGraph({ opset: 13, name });
  const image = g.input('image', [1, 1, s.height, s.width]);
  const centred = g.node('Sub', [image, g.weight('norm.mean', [1], [norm.mean])], {}, { name: 'centre' });
  const x = g.node('Div', [centred, g.weight('norm.std', [1], [norm.std])], {}, { name: 'scale' });
  const conv = { pads: [1, 1, 1, 1], kernel_shape: [3, 3] };
  const c1 = g.node('Conv', [x, g.weight('conv1.w', [s.c1, 1, 3, 3], p.w1), g.weight('conv1.b', [s.c1], p.b1)], conv, {
    name: 'conv1',
  });
  const r1 = g.node('Relu', [c1], {}, { name: 'relu1' });
  const m1 = g.node('MaxPool', [r1], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'pool1' });
  const c2 = g.node(
    'Conv',
    [m1, g.weight('conv2.w', [s.c2, s.c1, 3, 3], p.w2), g.weight('conv2.b', [s.c2], p.b2)],
    conv,
    { name: 'conv2' },
  );
  const r2 = g.node('Relu', [c2], {}, { name: 'relu2' });
  const m2 = g.node('MaxPool', [r2], { kernel_shape: [s.height / 2, s.width / 2] }, { name: 'pool2' });
  const f = g.node('Flatten', [m2], { axis: 1 }, { name: 'flatten' });
  const logits = g.node(
    'Gemm',
    [f, g.weight('fc.w', [s.classes, featureCount(s)], p.w3), g.weight('fc.b', [s.classes], p.b3)],
    { transB: 1 },
    { name: 'fc', outputs: ['logits'] },
  );
  if (head === 'softmax') g.node('Softmax', [logits], { axis: 1 }, { name: 'softmax', outputs: ['prob'] });
  else g.node('Sigmoid', [logits], {}, { name: 'sigmoid', outputs: ['prob'] });
  g.output('prob', [1, s.classes]);
  return g.bytes();
}
