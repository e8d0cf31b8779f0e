/**
 * SqueezeNet 1.1 for ImageNet (Iandola et al. 2016; the 1.1 revision of the reference repository, as
 * torchvision's `squeezenet1_1` has it — 1,235,496 parameters): input 1×3×224×224.
 *
 *   Conv 3×3/2 (64) → ReLU → MaxPool 3×3/2 → Fire(16, 64, 64) ×2 → MaxPool → Fire(32, 128, 128) ×2 →
 *   MaxPool → Fire(48, 192, 192) ×2 → Fire(64, 256, 256) ×2 → Conv 1×1 (1000) → ReLU → GlobalAvgPool.
 *   Fire(s, e1, e3): squeeze Conv 1×1 (s) → ReLU, then Concat of expand Conv 1×1 (e1) → ReLU and expand
 *   Conv 3×3 pad 1 (e3) → ReLU. Every Conv has a bias. (The reference uses ceil-mode pooling; on
 *   111, 55 and 27 it gives the floor-mode extents 55, 27, 13, so floor mode is written.) Dropout,
 *   an identity at inference, is left out.
 * Outputs `logits` [1,1000] and `class`.
 */
import { net, type Net, type T, type Seed } from './net.js';

function fire(n: Net, x: T, s: number, e1: number, e3: number): T {
  const sq = n.relu(n.conv(x, { out: s, kernel: 1, bias: true }));
  return n.concat([
    n.relu(n.conv(sq, { out: e1, kernel: 1, bias: true })),
    n.relu(n.conv(sq, { out: e3, kernel: 3, pads: 1, bias: true })),
  ]);
}

export function squeezenet(seed: Seed = 'squeezenet'): Net {
  const n = net('squeezenet1_1', seed);
  const pool = { kernel: 3, stride: 2 } as const;
  let x = n.relu(n.conv(n.input('image', [1, 3, 224, 224]), { out: 64, kernel: 3, stride: 2, bias: true }));
  x = n.maxPool(x, pool);
  x = fire(n, fire(n, x, 16, 64, 64), 16, 64, 64);
  x = n.maxPool(x, pool);
  x = fire(n, fire(n, x, 32, 128, 128), 32, 128, 128);
  x = n.maxPool(x, pool);
  x = fire(n, fire(n, x, 48, 192, 192), 48, 192, 192);
  x = fire(n, fire(n, x, 64, 256, 256), 64, 256, 256);
  const logits = n.flatten(n.globalAvgPool(n.relu(n.conv(x, { out: 1000, kernel: 1, bias: true }))), 'logits');
  n.output(logits);
  n.output(n.argMax(logits, 1, 'class'));
  return n;
}
