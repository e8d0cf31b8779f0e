/**
 * ResNet-50 v2 (pre-activation; He et al. 2016, "Identity mappings in deep residual networks") as the
 * TensorFlow official r1 model that CrypTFlow's Table 2 ran (shared/design COMM-SPEC.md, "The
 * networks behind Table 2"): input 1×3×224×224, 1001 classes.
 *
 *   stem   explicit Pad to 230×230, Conv 7×7/2 (64, no bias) → 112×112, MaxPool 3×3/2 SAME → 56×56
 *          (no BatchNorm or ReLU in between in v2);
 *   blocks 16 bottlenecks in stages of 3, 4, 6, 3 with F = 64, 128, 256, 512 filters:
 *            a = ReLU(BN(x)); shortcut = the first block of a stage: Conv 1×1 (4F, stride s) of a,
 *            otherwise x; Conv 1×1 (F) → BN → ReLU → Conv 3×3 (F, stride s) → BN → ReLU → Conv 1×1
 *            (4F); + shortcut. The stride s = 2 (stages 2–4) sits on the 3×3 conv, whose input is
 *            padded explicitly by k − 1 = 2 (1 before, 1 after; 58×58 → 28×28); a stride-1 3×3 conv
 *            pads SAME;
 *   head   BN → ReLU → GlobalAvgPool (7×7) → FC 2048×1001 (MatMul + bias) → ArgMax over 1001.
 * Totals: 53 Conv, 49 BatchNorm, 49 ReLU, 1 MaxPool, 16 Add. Outputs: `logits` [1,1001] and `class`.
 */
import { net, type Net, type T, type Seed } from './net.js';

const STAGES: readonly (readonly [filters: number, blocks: number, stride: number])[] = [
  [64, 3, 1],
  [128, 4, 2],
  [256, 6, 2],
  [512, 3, 2],
];

function bnRelu(n: Net, x: T): T {
  return n.relu(n.batchNorm(x));
}

function bottleneck(n: Net, x: T, filters: number, stride: number, project: boolean): T {
  const a = bnRelu(n, x);
  const shortcut = project ? n.conv(a, { out: 4 * filters, kernel: 1, stride }) : x;
  const h1 = bnRelu(n, n.conv(a, { out: filters, kernel: 1 }));
  const h2 =
    stride > 1
      ? n.conv(n.pad(h1, [1, 1, 1, 1]), { out: filters, kernel: 3, stride })
      : n.conv(h1, { out: filters, kernel: 3, pads: 1 });
  const h3 = n.conv(bnRelu(n, h2), { out: 4 * filters, kernel: 1 });
  return n.add(h3, shortcut);
}

export function resnet50(seed: Seed = 'resnet50'): Net {
  const n = net('resnet50_v2', seed);
  let x = n.input('image', [1, 3, 224, 224]);
  x = n.conv(n.pad(x, [3, 3, 3, 3]), { out: 64, kernel: 7, stride: 2 });
  x = n.maxPool(x, { kernel: 3, stride: 2, pads: [0, 0, 1, 1] });
  for (const [filters, blocks, stride] of STAGES) {
    for (let b = 0; b < blocks; b++) x = bottleneck(n, x, filters, b === 0 ? stride : 1, b === 0);
  }
  const logits = n.dense(n.flatten(n.globalAvgPool(bnRelu(n, x))), 1001, { as: 'logits' });
  n.output(logits);
  n.output(n.argMax(logits, 1, 'class'));
  return n;
}
