/**
 * DenseNet-121 (Huang et al. 2017) as CrypTFlow's Table 2 ran it (shared/design COMM-SPEC.md): growth
 * rate 32, dense blocks of 6, 12, 24, 16 layers, bottleneck 4× (128 channels), compression 0.5, input
 * 1×3×224×224.
 *
 *   stem        Conv 7×7/2 (64, no bias) on the 224×224 input as passed, zero-padded 2 before and 3
 *               after inside the conv → 112×112; BN → ReLU → MaxPool 3×3/2 SAME → 56×56 (the HLIL
 *               ReLU∘MaxPool swap then moves the MaxPool before the ReLU);
 *   dense layer BN → ReLU → Conv 1×1 (128) → BN → ReLU → Conv 3×3 SAME (32) → concat with its input;
 *   transition  BN → ReLU → Conv 1×1 (half the channels) → AvgPool 2×2/2;
 *   head        BN → ReLU → GlobalAvgPool (7×7) → the classifier.
 * `densenet121` (ImageNet): the classifier is a 1×1 Conv 1024 → 1000 with bias on the pooled 1×1 map
 * (as the paper's TensorFlow model has it), then Flatten and ArgMax over 1000; outputs `logits`
 * [1,1000] and `class`. Totals: 121 Conv, 121 BatchNorm, 121 ReLU, 58 Concat.
 * `densenetChest` (the chest X-ray model of CrypTFlow §5.2: 14 lung-disease labels, multi-label): the
 * same trunk, then FC 1024 → 14 and Sigmoid; output `probabilities` [1,14] (the Sigmoid is applied by
 * the client after the reveal).
 */
import { net, type Net, type T, type Seed } from './net.js';

const BLOCKS = [6, 12, 24, 16] as const;
const GROWTH = 32;

function bnRelu(n: Net, x: T): T {
  return n.relu(n.batchNorm(x));
}

/** The feature map of a size × size image after `upTo` dense layers (a transition only when a layer follows it). */
function features(n: Net, size: number, upTo = Infinity): T {
  const image = n.input('image', [1, 3, size, size]);
  let x = n.conv(image, { out: 64, kernel: 7, stride: 2, pads: [2, 2, 3, 3] });
  x = n.maxPool(bnRelu(n, x), { kernel: 3, stride: 2, pads: [0, 0, 1, 1] });
  let run = 0;
  BLOCKS.forEach((layers, i) => {
    for (let l = 0; l < layers; l++) {
      if (run++ >= upTo) return;
      const h = n.conv(bnRelu(n, x), { out: 4 * GROWTH, kernel: 1 });
      x = n.concat([x, n.conv(bnRelu(n, h), { out: GROWTH, kernel: 3, pads: 1 })]);
    }
    if (i < BLOCKS.length - 1 && run < upTo) {
      const half = (x.shape[1] ?? 0) / 2;
      x = n.avgPool(n.conv(bnRelu(n, x), { out: half, kernel: 1 }), { kernel: 2, stride: 2 });
    }
  });
  return x;
}

function trunk(n: Net, size = 224): T {
  return n.globalAvgPool(bnRelu(n, features(n, size)));
}

export function densenet121(seed: Seed = 'densenet121'): Net {
  const n = net('densenet121', seed);
  const pooled = trunk(n);
  const logits = n.flatten(n.conv(pooled, { out: 1000, kernel: 1, bias: true }), 'logits');
  n.output(logits);
  n.output(n.argMax(logits, 1, 'class'));
  return n;
}

export function densenetChest(seed: Seed = 'densenet121-chest'): Net {
  return densenetChestAt(224, seed);
}

/**
 * The chest model on a size × size image (the study's 320 × 320 as well as the zoo's 224 × 224), or
 * with `denseLayers` < 58 its prefix: the stem and that many dense layers (with the transitions between
 * the blocks they span), whose last feature map is the output `features` (bench/cryptflow2-he.ts runs
 * such a prefix for real).
 */
export function densenetChestAt(size: number, seed: Seed = 'densenet121-chest', denseLayers = Infinity): Net {
  const n = net('densenet121_chest_xray', seed);
  if (denseLayers < BLOCKS.reduce((a, b) => a + b, 0)) {
    n.output(n.flatten(features(n, size, denseLayers), 'features'));
    return n;
  }
  const logits = n.dense(n.flatten(trunk(n, size)), 14);
  n.output(n.sigmoid(logits, 'probabilities'));
  return n;
}
