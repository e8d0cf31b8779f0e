/**
 * The small networks of the secure-inference literature, with the shapes their papers give (batch 1,
 * 28×28 MNIST images as 1×1×28×28, or 1×784 for the fully connected ones):
 *
 *   logreg      logistic regression 784 → 10; outputs `probabilities` (Softmax, applied by the client
 *               after the reveal) and `class`;
 *   securenn-a  SecureNN's network A (from SecureML / MiniONN Fig. 10): FC 784-128-128-10, ReLU;
 *   securenn-b  network B (MiniONN Fig. 12): Conv 5×5 (16) → ReLU → MaxPool 2×2 → Conv 5×5 (16) → ReLU
 *               → MaxPool 2×2 → FC 256-100 → ReLU → FC 100-10;
 *   securenn-c  network C (LeNet as SecureNN's implementation has it): Conv 5×5 (20) → ReLU → MaxPool →
 *               Conv 5×5 (50) → ReLU → MaxPool → FC 800-500 → ReLU → FC 500-10;
 *   securenn-d  network D (Chameleon Fig. 3): Conv 5×5/2 SAME (5) → ReLU → FC 980-100 → ReLU → FC 100-10;
 *   lenet       LeNet-5 with ReLU and max pooling: Conv 5×5 pad 2 (6) → ReLU → MaxPool → Conv 5×5 (16) →
 *               ReLU → MaxPool → FC 400-120-84-10, biases everywhere.
 * Convolutions of A–D have no bias (as in the public TensorFlow versions), fully connected layers do.
 * Every network ends in `logits` and `class` (ArgMax over the 10 digits); the HLIL ReLU∘MaxPool swap
 * puts each MaxPool before its ReLU, as SecureNN evaluates them.
 */
import { net, type Net, type T, type Seed } from './net.js';

function classify(n: Net, logits: T): Net {
  n.output(logits);
  n.output(n.argMax(logits, 1, 'class'));
  return n;
}

const pool2 = { kernel: 2, stride: 2 } as const;

export function logreg(seed: Seed = 'logreg'): Net {
  const n = net('logreg', seed);
  const logits = n.dense(n.input('image', [1, 784]), 10, { as: 'logits' });
  n.output(n.softmax(logits, 'probabilities'));
  n.output(n.argMax(logits, 1, 'class'));
  return n;
}

export function securennA(seed: Seed = 'securenn-a'): Net {
  const n = net('securenn_a', seed);
  let x = n.input('image', [1, 784]);
  x = n.relu(n.dense(x, 128));
  x = n.relu(n.dense(x, 128));
  return classify(n, n.dense(x, 10, { as: 'logits' }));
}

function twoConvNet(name: string, seed: Seed, c1: number, c2: number, hidden: number): Net {
  const n = net(name, seed);
  let x = n.input('image', [1, 1, 28, 28]);
  x = n.maxPool(n.relu(n.conv(x, { out: c1, kernel: 5 })), pool2);
  x = n.maxPool(n.relu(n.conv(x, { out: c2, kernel: 5 })), pool2);
  x = n.relu(n.dense(n.flatten(x), hidden));
  return classify(n, n.dense(x, 10, { as: 'logits' }));
}

export const securennB = (seed: Seed = 'securenn-b'): Net => twoConvNet('securenn_b', seed, 16, 16, 100);
export const securennC = (seed: Seed = 'securenn-c'): Net => twoConvNet('securenn_c', seed, 20, 50, 500);

export function securennD(seed: Seed = 'securenn-d'): Net {
  const n = net('securenn_d', seed);
  let x = n.input('image', [1, 1, 28, 28]);
  x = n.relu(n.conv(x, { out: 5, kernel: 5, stride: 2, pads: [1, 1, 2, 2] }));
  x = n.relu(n.dense(n.flatten(x), 100));
  return classify(n, n.dense(x, 10, { as: 'logits' }));
}

export function lenet(seed: Seed = 'lenet'): Net {
  const n = net('lenet5', seed);
  let x = n.input('image', [1, 1, 28, 28]);
  x = n.maxPool(n.relu(n.conv(x, { out: 6, kernel: 5, pads: 2, bias: true })), pool2);
  x = n.maxPool(n.relu(n.conv(x, { out: 16, kernel: 5, bias: true })), pool2);
  x = n.relu(n.dense(n.flatten(x), 120));
  x = n.relu(n.dense(x, 84));
  return classify(n, n.dense(x, 10, { as: 'logits' }));
}
