/**
 * The model zoo: every network by name, with what it is, its input and its builder. A builder emits
 * ONNX bytes (harness/zoo/net.ts over the ONNX writer) with seeded weights, so `zoo:NAME` wherever a
 * MODEL is taken (harness/io/model.ts) and `cryptflow zoo export NAME -o FILE.onnx` give the same
 * model on every machine. The seed only changes the weights' values, never a shape or an operator.
 */
import { CryptflowError } from '../../spec/errors.js';
import type { Shape } from '../../spec/geometry.js';
import { densenet121, densenetChest } from './densenet.js';
import type { Net, Seed } from './net.js';
import { resnet50 } from './resnet50.js';
import { lenet, logreg, securennA, securennB, securennC, securennD } from './small.js';
import { squeezenet } from './squeezenet.js';
import { unet3d } from './unet3d.js';

export interface ZooEntry {
  readonly name: string;
  readonly description: string;
  /** The client's input: its ONNX name and shape (N, C, spatial…). */
  readonly input: { readonly name: string; readonly shape: Shape };
  /** The graph outputs, in order. */
  readonly outputs: readonly string[];
  /** Where the shape comes from. */
  readonly source: string;
  readonly build: (seed?: Seed) => Net;
}

const MNIST = { name: 'image', shape: [1, 1, 28, 28] } as const;
const FLAT = { name: 'image', shape: [1, 784] } as const;
const IMAGENET = { name: 'image', shape: [1, 3, 224, 224] } as const;
const CLASSIFIER = ['logits', 'class'] as const;

export const ZOO: readonly ZooEntry[] = [
  {
    name: 'logreg',
    description: 'logistic regression 784 → 10',
    input: FLAT,
    outputs: ['probabilities', 'class'],
    source: 'MNIST, multinomial',
    build: logreg,
  },
  {
    name: 'securenn-a',
    description: 'FC 784-128-128-10 with ReLU',
    input: FLAT,
    outputs: CLASSIFIER,
    source: 'SecureNN network A (SecureML; MiniONN Fig. 10)',
    build: securennA,
  },
  {
    name: 'securenn-b',
    description: '2× (Conv 5×5, ReLU, MaxPool 2×2) with 16 channels, FC 256-100-10',
    input: MNIST,
    outputs: CLASSIFIER,
    source: 'SecureNN network B (MiniONN Fig. 12)',
    build: securennB,
  },
  {
    name: 'securenn-c',
    description: '2× (Conv 5×5, ReLU, MaxPool 2×2) with 20, 50 channels, FC 800-500-10',
    input: MNIST,
    outputs: CLASSIFIER,
    source: 'SecureNN network C (LeNet, SecureNN implementation)',
    build: securennC,
  },
  {
    name: 'securenn-d',
    description: 'Conv 5×5/2 (5), ReLU, FC 980-100-10',
    input: MNIST,
    outputs: CLASSIFIER,
    source: 'SecureNN network D (Chameleon Fig. 3)',
    build: securennD,
  },
  {
    name: 'lenet',
    description: 'LeNet-5 with ReLU and max pooling: Conv 6, Conv 16, FC 400-120-84-10',
    input: MNIST,
    outputs: CLASSIFIER,
    source: 'LeCun et al. 1998',
    build: lenet,
  },
  {
    name: 'resnet50',
    description: 'ResNet-50 v2 (pre-activation), 1001 classes',
    input: IMAGENET,
    outputs: CLASSIFIER,
    source: 'CrypTFlow Table 2; TensorFlow official r1 model (COMM-SPEC.md)',
    build: resnet50,
  },
  {
    name: 'densenet121',
    description: 'DenseNet-121, 1000 classes, 1×1-conv classifier',
    input: IMAGENET,
    outputs: CLASSIFIER,
    source: 'CrypTFlow Table 2 (COMM-SPEC.md)',
    build: densenet121,
  },
  {
    name: 'squeezenet',
    description: 'SqueezeNet 1.1, 1000 classes',
    input: IMAGENET,
    outputs: CLASSIFIER,
    source: 'Iandola et al. 2016 (v1.1)',
    build: squeezenet,
  },
  {
    name: 'densenet121-chest',
    description: 'DenseNet-121 chest X-ray model: 14 lung-disease labels, Sigmoid',
    input: IMAGENET,
    outputs: ['probabilities'],
    source: 'CrypTFlow §5.2',
    build: densenetChest,
  },
  {
    name: 'unet3d',
    description: 'small 3D-UNet: Conv3D, MaxPool3D, ConvTranspose3D, skip concats; 3 classes per voxel',
    input: { name: 'volume', shape: [1, 1, 8, 8, 8] },
    outputs: ['logits', 'segmentation'],
    source: 'CrypTFlow §5.3 (scaled down)',
    build: unet3d,
  },
];

export const ZOO_NAMES: readonly string[] = ZOO.map((e) => e.name);

export function zooEntry(name: string): ZooEntry {
  const e = ZOO.find((z) => z.name === name);
  if (e === undefined)
    throw new CryptflowError('usage', `no model '${name}' in the zoo (known: ${ZOO_NAMES.join(', ')})`);
  return e;
}

/** The ONNX bytes of a zoo model. */
export function zooModel(name: string, seed?: Seed): Uint8Array {
  return zooEntry(name).build(seed).bytes();
}
